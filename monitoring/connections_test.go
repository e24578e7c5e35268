package monitoring_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/monitoring"
)

// max_connections = LEAST((class memory - ~300 MiB RDS reserve) / 9531392, 5000).
func TestMaxConnectionsFollowsTheInstanceClassMemory(t *testing.T) {
	for class, want := range map[string]int{
		"db.t3.micro":     79, // RDS reports 79–81 on a db.t3.micro
		"db.t3.small":     192,
		"db.t3.medium":    417,
		"db.t4g.micro":    79,
		"db.t4g.large":    868,
		"db.m5.large":     868,
		"db.m6g.xlarge":   1769,
		"db.r6g.large":    1769,
		"db.r7g.xlarge":   3571,
		"db.r6i.2xlarge":  5000, // capped
		"db.m7g.16xlarge": 5000,
	} {
		t.Run(class, func(t *testing.T) {
			got, err := monitoring.MaxConnections(class)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

// A class outside the table never reaches the alarm (config rejects it);
// if the program passed one, the alarm would not guess.
func TestUnknownInstanceClassIsAnError(t *testing.T) {
	for _, class := range []string{"db.x2g.large", "db.t3.nano", ""} {
		_, err := monitoring.MaxConnections(class)
		require.Error(t, err, class)
		assert.Contains(t, err.Error(), `"`+class+`"`)
	}
}
