package health_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/arrakis/infrastructure/internal/health"
)

var api = health.Check{Path: "/health", Port: 3000, Interval: 30, Timeout: 5, Retries: 3, StartPeriod: 60,
	HealthyThreshold: 2, UnhealthyThreshold: 3, Matcher: "200"}

// The grace period covers the start period and the checks the load
// balancer needs afterwards; a change to either timing moves it.
func TestGracePeriodCoversStartAndTheHealthyChecks(t *testing.T) {
	assert.Equal(t, 90, api.GracePeriod(), "60 s to start, then a second passing check 30 s later")
	slow := api
	slow.StartPeriod, slow.HealthyThreshold = 120, 3
	assert.Equal(t, 180, slow.GracePeriod())
}

func TestChecksAWSWouldRefuseAreRejected(t *testing.T) {
	assert.NoError(t, api.Validate())
	for name, mutate := range map[string]func(*health.Check){
		"relative path":         func(c *health.Check) { c.Path = "health" },
		"no port":               func(c *health.Check) { c.Port = 0 },
		"timeout over interval": func(c *health.Check) { c.Timeout = 30 },
		"one healthy check":     func(c *health.Check) { c.HealthyThreshold = 1 },
		"no matcher":            func(c *health.Check) { c.Matcher = "" },
	} {
		c := api
		mutate(&c)
		assert.Error(t, c.Validate(), name)
	}
}
