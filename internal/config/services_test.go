package config_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

// A service given only its command takes the worker's size, one task, no
// autoscaling, and the API's health path and targets.
func TestAServiceLeftOutTakesDefaults(t *testing.T) {
	in := stacktest.Set(t, stacktest.Input(t, "staging", nil), "arrakis:services.mailer.command", []string{"node", "dist/mailer.js"})
	cfg, err := config.Parse(in)
	require.NoError(t, err)
	s := cfg.Services["mailer"]
	assert.Equal(t, []int{256, 512, 1, 1, 1}, []int{s.CPU, s.Memory, s.DesiredCount, s.MinCount, s.MaxCount})
	assert.Equal(t, "/health", s.HealthPath)
	assert.False(t, s.Routed())
	assert.False(t, s.Autoscaled())
	assert.Nil(t, s.StartPeriod)
	assert.Equal(t, []int{70, 80, 1000}, []int{s.CPUTarget, s.MemoryTarget, s.RequestsPerTarget})

	// A value given as 0 stays 0 and is judged, not replaced.
	in = stacktest.Set(t, in, "arrakis:services.mailer.cpuTarget", 0)
	_, err = config.Parse(in)
	assert.ErrorContains(t, err, "arrakis:services.mailer.cpuTarget: got 0")

	// A range alone starts at its minimum.
	in = stacktest.Set(t, stacktest.Input(t, "staging", nil), "arrakis:services.mailer", map[string]any{"minCount": 2, "maxCount": 4})
	cfg, err = config.Parse(in)
	require.NoError(t, err)
	assert.Equal(t, []int{2, 2, 4}, []int{cfg.Services["mailer"].DesiredCount, cfg.Services["mailer"].MinCount, cfg.Services["mailer"].MaxCount})
}

// Two names whose derived priorities collide cannot both be routed: the
// second is refused, naming the first.
func TestRoutePriorityCollisionsAreRefused(t *testing.T) {
	seen := map[int]string{}
	var a, b string
	for i := 0; a == ""; i++ {
		name := fmt.Sprintf("svc%d", i)
		if other, ok := seen[config.RoutePriority(name)]; ok {
			a, b = other, name
		}
		seen[config.RoutePriority(name)] = name
	}
	in := stacktest.Input(t, "staging", nil)
	in = stacktest.Set(t, in, "arrakis:services."+a, map[string]any{"port": 4100, "routes": []string{"/" + a + "/*"}})
	in = stacktest.Set(t, in, "arrakis:services."+b, map[string]any{"port": 4200, "routes": []string{"/" + b + "/*"}})
	_, err := config.Parse(in)
	require.Error(t, err)
	first, second := min(a, b), max(a, b)
	assert.Contains(t, err.Error(), "arrakis:services."+second+":")
	assert.Contains(t, err.Error(), "is "+first+"'s too")

	for p := range seen {
		assert.True(t, p >= 1 && p < 50000, "priority %d is a listener rule's", p)
	}
}
