package naming

import (
	"regexp"
	"strings"
	"testing"
)

// nameRule is what every physical name may hold: lower-case letters and
// digits in hyphen-separated words (no leading, trailing or double hyphen),
// which every AWS name the program sets accepts.
var nameRule = regexp.MustCompile(`^arrakis-[a-z0-9]+(-[a-z0-9]+)*$`)

// FuzzNames checks the promises of Name for any two stack names, any role
// and any limit a name can fit: the name starts with arrakis-, fits the
// limit, holds only the allowed characters, and two different stacks never
// share it. Under `go test` the seeds run; `go test -fuzz FuzzNames
// ./internal/naming` searches further.
//
// The fuzzer found the last seed: a stack named like another stack's
// hashed label ("x-4b68ab" beside "X", whose label is "x-" + hash("X")).
func FuzzNames(f *testing.F) {
	long := strings.Repeat("s", 40)
	for _, seed := range []struct {
		a, b, role string
		limit      uint8
	}{
		{"production", "staging", "alb", LimitLoadBalancer},
		{"production", "Production", "redis", LimitRedis},
		{"a.b", "a_b", "api-tg", LimitLoadBalancer},
		{long + "a", long + "b", "alb", LimitLoadBalancer},
		{long, long + "-", "postgres", LimitRDS},
		{"Preview.PR_1234--x", "preview-pr-1234-x", "flow-logs", LimitIAM},
		{"", "-", "cluster", 255},
		{"ÄÖÜ", "aou", "overview", 255},
		{"pr-" + strings.Repeat("9", 60), "pr-" + strings.Repeat("9", 59), "api-cpu", 64},
		{"X", "x-4b68ab", "alb", LimitLoadBalancer},
	} {
		f.Add(seed.a, seed.b, seed.role, seed.limit)
	}
	f.Fuzz(func(t *testing.T, a, b, role string, limit uint8) {
		role = Slug(role)
		// The smallest limit a shortened name fits: arrakis-, one character
		// of the stack, the hash and the role, each after a hyphen.
		least := len("arrakis-") + 1 + 1 + hashLen + 1 + len(role)
		if role == "" || least > 255 {
			t.Skip("no name can fit")
		}
		lim := max(int(limit), least)

		name := New(a).Name(role, lim)
		if !strings.HasPrefix(name, "arrakis-") {
			t.Errorf("%q for stack %q does not start with arrakis-", name, a)
		}
		if len(name) > lim {
			t.Errorf("%q for stack %q is %d characters, over the limit of %d", name, a, len(name), lim)
		}
		if !nameRule.MatchString(name) {
			t.Errorf("%q for stack %q holds characters AWS names reject", name, a)
		}
		if !strings.HasSuffix(name, "-"+role) {
			t.Errorf("%q for stack %q lost its role %q", name, a, role)
		}
		if other := New(b).Name(role, lim); a != b && other == name {
			t.Errorf("stacks %q and %q share the name %q", a, b, name)
		}
	})
}
