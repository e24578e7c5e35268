package monitoring

import "github.com/arrakis/infrastructure/internal/rdsclass"

// PostgreSQL on RDS sets max_connections to
// LEAST({DBInstanceClassMemory/9531392}, 5000).
const (
	bytesPerConnection = 9531392
	connectionCap      = 5000
)

// reservedMemory is what RDS keeps for the operating system and its own
// agents: DBInstanceClassMemory is the class memory minus this. AWS does not
// publish the figure; about 300 MiB matches what instances report
// (db.t3.micro: 79–81 connections, not the 112 the nominal 1 GiB gives;
// db.t3.medium: about 420, not 450). Without it the alarm threshold of a
// small class would sit above the real limit and never fire.
const reservedMemory = 300 << 20

const gib = 1 << 30

// MaxConnections is the default max_connections of RDS PostgreSQL on an
// instance class, from the class's memory in the one table of classes the
// program knows (config accepts no other): a guessed limit would make the
// connections alarm either never fire or page all the time.
func MaxConnections(class string) (int, error) {
	c, err := rdsclass.Must(class)
	if err != nil {
		return 0, err
	}
	usable := int64(c.MemoryGiB*gib) - reservedMemory
	return int(min(usable/bytesPerConnection, connectionCap)), nil
}

// connectionsThreshold turns a percentage of max_connections into the
// absolute DatabaseConnections count the alarm compares with.
func connectionsThreshold(maxConnections int, percent float64) float64 {
	return float64(int(float64(maxConnections) * percent / 100))
}
