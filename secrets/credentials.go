package secrets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DBCredentials is the JSON of arrakis-<stack>/db-credentials.
type DBCredentials struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Database string `json:"database"`
	Username string `json:"username"`
	Password string `json:"password"`
	// URL is what the services receive as DATABASE_URL.
	URL string `json:"url"`
}

// RedisCredentials is the JSON of arrakis-<stack>/redis-credentials.
type RedisCredentials struct {
	Host string `json:"host"`
	Port int    `json:"port"`
	Auth string `json:"auth"`
	// URL is what the services receive as REDIS_URL.
	URL string `json:"url"`
}

// PostgresURL is a connection URL that insists on TLS. Every part is escaped,
// so any password round-trips.
func PostgresURL(host string, port int, database, username, password string) string {
	u := url.URL{
		Scheme:   "postgresql",
		User:     url.UserPassword(username, password),
		Host:     net.JoinHostPort(host, strconv.Itoa(port)),
		Path:     "/" + database,
		RawQuery: url.Values{"sslmode": {"require"}}.Encode(),
	}
	return u.String()
}

// RedisURL is a TLS (rediss) connection URL with the AUTH token as the
// password of the default user.
func RedisURL(host string, port int, auth string) string {
	u := url.URL{
		Scheme: "rediss",
		User:   url.UserPassword("", auth),
		Host:   net.JoinHostPort(host, strconv.Itoa(port)),
	}
	return u.String()
}

// dbCredentials is the secret JSON of the database credentials.
func dbCredentials(db DB) pulumi.StringOutput {
	out := pulumi.All(db.Host, db.Port, db.Name, db.Username, db.Password).ApplyT(func(v []any) (string, error) {
		host, ok1 := v[0].(string)
		port, ok2 := v[1].(int)
		name, ok3 := v[2].(string)
		user, ok4 := v[3].(string)
		password, ok5 := v[4].(string)
		if !(ok1 && ok2 && ok3 && ok4 && ok5) {
			return "", fmt.Errorf("database credentials: unexpected value types host %T, port %T, name %T, user %T, password %T", v[0], v[1], v[2], v[3], v[4])
		}
		return marshal(DBCredentials{
			Host: host, Port: port, Database: name, Username: user, Password: password,
			URL: PostgresURL(host, port, name, user, password),
		})
	}).(pulumi.StringOutput)
	return pulumi.ToSecret(out).(pulumi.StringOutput)
}

// redisCredentials is the secret JSON of the Redis credentials.
func redisCredentials(r Redis) pulumi.StringOutput {
	out := pulumi.All(r.Host, r.Port, r.AuthToken).ApplyT(func(v []any) (string, error) {
		host, ok1 := v[0].(string)
		port, ok2 := v[1].(int)
		auth, ok3 := v[2].(string)
		if !(ok1 && ok2 && ok3) {
			return "", fmt.Errorf("redis credentials: unexpected value types host %T, port %T, auth %T", v[0], v[1], v[2])
		}
		return marshal(RedisCredentials{Host: host, Port: port, Auth: auth, URL: RedisURL(host, port, auth)})
	}).(pulumi.StringOutput)
	return pulumi.ToSecret(out).(pulumi.StringOutput)
}

// marshal writes JSON as a person would read it in the console: '&', '<'
// and '>' (which passwords may hold) stay themselves.
func marshal(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("marshalling credentials: %w", err)
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}
