package plan_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/arrakis/infrastructure/internal/plan"
)

func TestAccessorsReadInputsByPath(t *testing.T) {
	r := plan.Resource{Inputs: map[string]any{
		"name":    "arrakis-api",
		"cpu":     "512",
		"desired": float64(2),
		"unset":   nil,
		"network": map[string]any{"assignPublicIp": false, "subnets": []any{"subnet-1", 7.0, "subnet-2"}},
		"multiAz": "true",
		"settings": []any{
			map[string]any{"name": "containerInsights", "value": "enabled"},
			"not a block",
		},
	}}

	v, ok := r.Input("network.assignPublicIp")
	assert.True(t, ok)
	assert.Equal(t, false, v)
	_, ok = r.Input("unset")
	assert.False(t, ok, "a null is unset")
	_, ok = r.Input("name.inner")
	assert.False(t, ok, "a path through a string finds nothing")

	assert.Equal(t, "arrakis-api", r.Str("name"))
	assert.Equal(t, "", r.Str("desired"), "not a string")
	assert.Equal(t, []string{"subnet-1", "subnet-2"}, r.Strings("network.subnets"))
	assert.Len(t, r.List("network.subnets"), 3)
	assert.Equal(t, []map[string]any{{"name": "containerInsights", "value": "enabled"}}, r.Objects("settings"))

	for _, c := range []struct {
		path string
		want float64
		ok   bool
	}{{"desired", 2, true}, {"cpu", 512, true}, {"name", 0, false}, {"absent", 0, false}} {
		got, ok := r.Number(c.path)
		assert.Equal(t, c.want, got, c.path)
		assert.Equal(t, c.ok, ok, c.path)
	}

	for _, c := range []struct {
		path            string
		isTrue, isFalse bool
	}{
		{"network.assignPublicIp", false, true},
		{"multiAz", true, false}, // a "true" string counts
		{"absent", false, false}, // unset: the provider's default applies
		{"name", false, false},   // not a boolean
	} {
		assert.Equal(t, c.isTrue, r.IsTrue(c.path), "IsTrue(%s)", c.path)
		assert.Equal(t, c.isFalse, r.IsFalse(c.path), "IsFalse(%s)", c.path)
	}
}
