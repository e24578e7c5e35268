package naming

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNameKeepsShortNamesAsTheSpecGivesThem(t *testing.T) {
	n := New("production")
	assert.Equal(t, "arrakis-production-alb", n.Name("alb", LimitLoadBalancer))
	assert.Equal(t, "arrakis-production-api-tg", n.Name("api-tg", LimitLoadBalancer))
	assert.Equal(t, "arrakis-production-redis", n.Name("redis", LimitRedis))
	assert.Equal(t, "arrakis-production-postgres", n.Name("postgres", LimitRDS))
	assert.Equal(t, "arrakis-production/app-config", n.Path("app-config"))
	assert.Equal(t, "/ecs/arrakis-production/worker", n.LogGroup("worker"))
	assert.Equal(t, "arrakis-staging-cluster", New("staging").Name("cluster", LimitDefault))
}

// AWS rules the names must satisfy whatever the stack is called.
var (
	lbRule    = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$`)
	rdsRule   = regexp.MustCompile(`^[a-z]([a-z0-9-]*[a-z0-9])?$`)
	redisRule = rdsRule
)

func TestNamesFitLimitsForAnyStackName(t *testing.T) {
	stacks := []string{
		"production", "staging", "a",
		strings.Repeat("s", 40),                   // a 40-character stack name
		"feature-very-long-branch-name-for-tests", // 39, ends in a word
		"Preview.PR_1234--x",                      // characters AWS names reject
		"pr-" + strings.Repeat("9", 60),
	}
	cases := []struct {
		role  string
		limit int
		rule  *regexp.Regexp
	}{
		{"alb", LimitLoadBalancer, lbRule},
		{"api-tg", LimitLoadBalancer, lbRule},
		{"redis", LimitRedis, redisRule},
		{"postgres", LimitRDS, rdsRule},
		{"api-execution", LimitIAM, lbRule},
	}
	for _, s := range stacks {
		for _, c := range cases {
			name := New(s).Name(c.role, c.limit)
			assert.LessOrEqual(t, len(name), c.limit, "%s for stack %q", name, s)
			assert.Regexp(t, c.rule, name, "stack %q", s)
			assert.NotContains(t, name, "--", "stack %q", s)
			assert.True(t, strings.HasPrefix(name, "arrakis-"), name)
			assert.True(t, strings.HasSuffix(name, "-"+c.role), name)
		}
	}
}

func TestShortenedNamesStayDistinct(t *testing.T) {
	a := New(strings.Repeat("s", 39)+"a").Name("alb", LimitLoadBalancer)
	b := New(strings.Repeat("s", 39)+"b").Name("alb", LimitLoadBalancer)
	assert.NotEqual(t, a, b)
	// Stacks that sanitize alike keep distinct names too.
	assert.NotEqual(t, New("a.b").Prefix(), New("a_b").Prefix())
}

func TestFittingNameWithUnusualStackKeepsStackReadable(t *testing.T) {
	p := New("Preview.PR_12").Prefix()
	assert.True(t, strings.HasPrefix(p, "arrakis-preview-pr-12-"), p)
}
