package config_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/stackfile"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

func TestFargateSizes(t *testing.T) {
	for _, c := range []struct {
		cpu, memory int
		ok          bool
	}{
		{256, 512, true}, {256, 2048, true}, {256, 3072, false}, {256, 256, false},
		{512, 1024, true}, {512, 4096, true}, {512, 512, false}, {512, 1536, false},
		{1024, 2048, true}, {1024, 8192, true}, {1024, 9216, false},
		{2048, 4096, true}, {2048, 16384, true}, {2048, 3072, false},
		{4096, 8192, true}, {4096, 30720, true}, {4096, 31744, false},
		{300, 1024, false}, {8192, 16384, false},
	} {
		assert.Equal(t, c.ok, config.ValidFargate(c.cpu, c.memory), "%d/%d", c.cpu, c.memory)
	}
}

func TestWindows(t *testing.T) {
	for _, c := range []struct {
		daily, weekly string
		overlap       bool
	}{
		{"03:00-04:00", "mon:04:00-mon:05:00", false}, // the seed's: back to back
		{"03:00-04:00", "mon:03:30-mon:04:30", true},
		{"23:30-00:30", "tue:00:00-tue:01:00", true}, // daily window across midnight
		{"02:00-03:00", "sun:23:00-mon:02:00", false},
		{"02:00-03:00", "sun:23:00-mon:02:01", true}, // weekly window across the week's end
		{"10:00-11:00", "wed:09:00-wed:12:00", true},
	} {
		got, err := config.WindowsOverlap(c.daily, c.weekly)
		assert.NoError(t, err)
		assert.Equal(t, c.overlap, got, "%s vs %s", c.daily, c.weekly)
	}
	for _, bad := range []string{"3:00-4:00", "03:00", "24:00-01:00", "03:60-04:00"} {
		_, _, err := config.DailyWindow(bad)
		assert.Error(t, err, bad)
	}
	for _, bad := range []string{"mon:04:00", "monday:04:00-monday:05:00", "mon:04:00-xyz:05:00"} {
		_, _, err := config.WeeklyWindow(bad)
		assert.Error(t, err, bad)
	}
	m, _, err := config.WeeklyWindow("sun:23:00-mon:01:00")
	assert.NoError(t, err)
	assert.Equal(t, 120, m)
}

func TestValidFQDN(t *testing.T) {
	for s, ok := range map[string]bool{
		"api.arrakis.community": true, "staging.api.arrakis.community": true, "a.io": true,
		"localhost": false, "api..arrakis.community": false, "-api.arrakis.community": false,
		"API.arrakis.community": false, "api.arrakis.community.": false, "10.0.0.1": false, "": false,
	} {
		assert.Equal(t, ok, config.ValidFQDN(s), fmt.Sprintf("%q", s))
	}
}

func TestLogRetentionDaysAreCloudWatchValues(t *testing.T) {
	assert.Contains(t, config.LogRetentionDays, 7)
	assert.Contains(t, config.LogRetentionDays, 30)
	assert.NotContains(t, config.LogRetentionDays, 0, "never-expire is not offered")
	assert.NotContains(t, config.LogRetentionDays, 10)
}

func loadStack(t *testing.T, stack string) (config.Input, error) {
	return stackfile.Load(stacktest.Root(t), stack)
}

// fmtAll formats a config every way a log line might.
func fmtAll(cfg *config.Config) string {
	return fmt.Sprintf("%v %+v %#v %s", *cfg, *cfg, *cfg, cfg)
}
