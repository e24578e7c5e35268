package monitoring

import "fmt"

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

// classMemoryGiB is the memory of the RDS instance classes this program
// knows. Burstable classes by size; the general-purpose (m) and
// memory-optimised (r) families scale from their .large size.
var classMemoryGiB = func() map[string]float64 {
	m := map[string]float64{}
	for _, family := range []string{"t3", "t4g"} {
		for size, mem := range map[string]float64{
			"micro": 1, "small": 2, "medium": 4, "large": 8, "xlarge": 16, "2xlarge": 32,
		} {
			m["db."+family+"."+size] = mem
		}
	}
	scaled := map[string]float64{
		"large": 1, "xlarge": 2, "2xlarge": 4, "4xlarge": 8, "8xlarge": 16,
		"12xlarge": 24, "16xlarge": 32,
	}
	for large, families := range map[float64][]string{
		8:  {"m5", "m6g", "m6i", "m7g"},
		16: {"r5", "r6g", "r6i", "r7g"},
	} {
		for _, family := range families {
			for size, factor := range scaled {
				m["db."+family+"."+size] = large * factor
			}
		}
	}
	return m
}()

// MaxConnections is the default max_connections of RDS PostgreSQL on an
// instance class. An unknown class is an error rather than a guess: a guessed
// limit makes the connections alarm either never fire or page all the time.
func MaxConnections(class string) (int, error) {
	mem, ok := classMemoryGiB[class]
	if !ok {
		return 0, fmt.Errorf("arrakis:database.instanceClass: got %q; the connections alarm needs the memory of the class and knows %s (add the class to classMemoryGiB in monitoring/connections.go)",
			class, knownClasses)
	}
	usable := int64(mem*gib) - reservedMemory
	return int(min(usable/bytesPerConnection, connectionCap)), nil
}

// knownClasses describes the classes of classMemoryGiB for error messages.
const knownClasses = "db.t3 and db.t4g from micro to 2xlarge, db.m5, db.m6g, db.m6i, db.m7g, db.r5, db.r6g, db.r6i and db.r7g from large to 16xlarge"

// connectionsThreshold turns a percentage of max_connections into the
// absolute DatabaseConnections count the alarm compares with.
func connectionsThreshold(maxConnections int, percent float64) float64 {
	return float64(int(float64(maxConnections) * percent / 100))
}
