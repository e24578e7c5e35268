package policy

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

func TestChecksAreWellFormed(t *testing.T) {
	checks := Checks()
	require.GreaterOrEqual(t, len(checks), 50)
	id := regexp.MustCompile(`^ARK-[A-Z]{3}-\d{3}$`)
	anchor := regexp.MustCompile(`^([A-Za-z0-9]+\.\d+|CKV2?_AWS_\d+|awsguard:[a-z0-9-]+|house:[a-z]+( \(.*\))?)$`)
	seen := map[string]bool{}
	for _, c := range checks {
		assert.Regexp(t, id, c.ID)
		assert.False(t, seen[c.ID], "duplicate id %s", c.ID)
		seen[c.ID] = true
		assert.NotEmpty(t, c.Title, c.ID)
		assert.NotEmpty(t, c.Subjects, c.ID)
		assert.NotNil(t, c.Run, c.ID)
		assert.Contains(t, []Scope{ScopeAll, ScopeProduction, ScopeEphemeral}, c.Scope, c.ID)
		assert.Contains(t, []Severity{Critical, High, Medium, Low}, c.Severity, c.ID)
		require.NotEmpty(t, c.Anchors, c.ID)
		for _, a := range c.Anchors {
			assert.Regexp(t, anchor, a, c.ID)
		}
	}
}

func TestExceptionsNameRealChecksWithAReasonAndAnOwner(t *testing.T) {
	ids := map[string]Check{}
	for _, c := range Checks() {
		ids[c.ID] = c
	}
	for _, e := range Exceptions {
		c, ok := ids[e.Check]
		if assert.True(t, ok, "exception for unknown check %s", e.Check) {
			assert.NotEqual(t, ScopeEphemeral, c.Scope, "%s: an exception to an ephemeral-only check", e.Check)
		}
		assert.NotEmpty(t, e.Reason, e.Check)
		assert.NotEmpty(t, e.Owner, e.Check)
		assert.Equal(t, e.When == nil, e.Condition == "", "%s: a When needs its Condition in words, and back", e.Check)
	}
}

// A reviewer holding a Checkov or Security Hub report finds every finding
// of an excepted check explained: the exception cites each public control
// its check implements (Checkov ids and FSBP ids), and nothing else.
func TestExceptionsCiteThePublicControlsTheyCover(t *testing.T) {
	ids := map[string]Check{}
	for _, c := range Checks() {
		ids[c.ID] = c
	}
	for _, e := range Exceptions {
		var public []string
		for _, a := range ids[e.Check].Anchors {
			if !strings.HasPrefix(a, "house:") && !strings.HasPrefix(a, "awsguard:") {
				public = append(public, a)
			}
		}
		assert.ElementsMatch(t, public, e.Covers, "%s: the exception cites the check's public controls", e.Check)
		if slices.ContainsFunc(public, func(a string) bool { return strings.HasPrefix(a, "CKV") }) {
			assert.True(t, slices.ContainsFunc(e.Covers, func(a string) bool { return strings.HasPrefix(a, "CKV") }), "%s cites a Checkov id", e.Check)
		}
	}
}

// Each exception of the real list covers the finding it was written for,
// on the stacks it names, and only there.
func TestExceptionsCoverWhatTheySay(t *testing.T) {
	f := compliant(t)
	f.set("arrakis-vpc", "natGateways.strategy", "Single")
	f.set("arrakis-postgres", "multiAz", false)
	f.set("arrakis-redis", "automaticFailoverEnabled", false)
	f.del("arrakis-alb", "accessLogs")
	f.del("log-ecs-arrakis-production-api", "kmsKeyId")
	f.env.AccessLogsBucket = ""
	// The departures the scanners' controls find in the real stacks.
	f.set("log-ecs-arrakis-production-api", "retentionInDays", 30.0)
	f.rule(token.SecurityGroupIngressRule, "arrakis-alb-http-from-internet", "sg-alb", world(80))
	f.remove("arrakis-ec2-endpoint")
	f.del("arrakis-postgres", "performanceInsightsKmsKeyId")
	f.set("arrakis-postgres", "port", 5432.0)
	f.set("arrakis-postgres-from-tasks", "fromPort", 5432.0)
	f.set("arrakis-postgres-from-tasks", "toPort", 5432.0)
	f.remove("arrakis-postgres-backup")
	f.del("arrakis-api-repository", "encryptionConfigurations")
	f.del("arrakis-redis", "kmsKeyId")
	f.remove("arrakis-db-credentials-rotation")
	f.container(func(c map[string]any) { delete(c, "user") })

	rep := Evaluate(f.p, f.env)
	assert.True(t, rep.OK(), "every departure is written down")
	assert.Empty(t, rep.Stale)
	accepted := map[string]bool{}
	for _, res := range rep.Results {
		if res.Status == StatusAccepted {
			accepted[res.Check.ID] = true
		}
	}
	want := map[string]bool{}
	for _, e := range Exceptions {
		want[e.Check] = true
	}
	assert.Equal(t, want, accepted, "every exception covers a departure")

	// With a bucket configured, missing access logs are a violation again.
	f.env.AccessLogsBucket = "logs"
	rep = Evaluate(f.p, f.env)
	require.Len(t, rep.Failures(), 1)
	assert.Equal(t, "ARK-ELB-005", rep.Failures()[0].Check.ID)
}

func TestTheCompliantPlanPassesTheSuiteWithStaleExceptions(t *testing.T) {
	f := compliant(t)
	rep := Evaluate(f.p, f.env)
	assert.True(t, rep.OK())
	assert.Zero(t, rep.Count(StatusAccepted))
	var stale []string
	for _, e := range rep.Stale {
		stale = append(stale, e.Check)
	}
	var want []string
	for _, e := range Exceptions {
		if e.Check != "ARK-ELB-005" {
			want = append(want, e.Check)
		}
	}
	assert.ElementsMatch(t, want, stale, "exceptions whose problem is fixed are stale (ELB-005 does not apply: the bucket is set)")
}

// A toy suite shows how findings, exceptions, scopes and subjects decide
// each status.
func TestEvaluateDecidesStatuses(t *testing.T) {
	p := &plan.Plan{Project: "arrakis", Stack: "qa", Resources: []plan.Resource{
		{URN: "urn:a", Type: "t", Name: "a"}, {URN: "urn:b", Type: "t", Name: "b"},
	}}
	flag := func(names ...string) func(*Stack) Outcome {
		return func(s *Stack) Outcome {
			return each(s.Of("t"), func(r plan.Resource) []string { return when(contains(names, r.Name), "bad") })
		}
	}
	checks := []Check{
		{ID: "X-1", Scope: ScopeAll, Run: flag("a", "b")},
		{ID: "X-2", Scope: ScopeAll, Run: flag("a")},
		{ID: "X-3", Scope: ScopeAll, Run: flag()},
		{ID: "X-4", Scope: ScopeProduction, Run: flag("a")},
		{ID: "X-5", Scope: ScopeAll, Subjects: "widgets", Run: func(*Stack) Outcome { return Outcome{} }},
		{ID: "X-6", Scope: ScopeAll, Run: flag()},
	}
	exceptions := []Exception{
		{Check: "X-1", Resource: "a", Scope: ScopeAll, Reason: "r", Owner: "o"},
		{Check: "X-2", Scope: ScopeAll, Reason: "r", Owner: "o"},
		{Check: "X-4", Scope: ScopeAll, Reason: "r", Owner: "o"},                                                            // check out of scope: not stale
		{Check: "X-5", Scope: ScopeAll, Reason: "r", Owner: "o"},                                                            // nothing examined: not stale
		{Check: "X-6", Scope: ScopeAll, Reason: "fixed", Owner: "o"},                                                        // stale
		{Check: "X-3", Scope: ScopeAll, When: func(Env) bool { return false }, Condition: "never", Reason: "r", Owner: "o"}, // not in force
	}
	rep := evaluate(p, Env{Stack: "qa"}, checks, exceptions)
	status := map[string]Status{}
	for _, r := range rep.Results {
		status[r.Check.ID] = r.Status
	}
	assert.Equal(t, map[string]Status{"X-1": StatusFail, "X-2": StatusAccepted, "X-3": StatusPass, "X-4": StatusNA, "X-5": StatusNA, "X-6": StatusPass}, status)
	require.Len(t, rep.Results[0].Findings, 1, "b is not excused")
	assert.Equal(t, "b", rep.Results[0].Findings[0].Name)
	assert.Equal(t, "a", rep.Results[0].Accepted[0].Name)
	require.Len(t, rep.Stale, 1)
	assert.Equal(t, "X-6", rep.Stale[0].Check)
	assert.False(t, rep.OK())
}

func TestReportShowsEveryStatusWithAnchorsReasonsAndASummary(t *testing.T) {
	f := compliant(t)
	f.set("arrakis-postgres", "multiAz", false)              // accepted
	f.set("arrakis-postgres", "publiclyAccessible", true)    // violation
	f.set("arrakis-vpc", "natGateways.strategy", "OnePerAz") // NAT exception now stale
	rep := Evaluate(f.p, f.env)
	var b bytes.Buffer
	require.NoError(t, rep.WriteText(&b))
	text := b.String()

	assert.Contains(t, text, "Policy report for arrakis/production (tier production)")
	assert.Regexp(t, `(?s)\nFAIL\n.*\nACCEPTED\n.*\nPASS\n.*\nN/A\n`, text, "grouped by status, failures first")
	assert.Regexp(t, `ARK-RDS-001 +critical +RDS\.2 CKV_AWS_17 awsguard:rds-instance-public-access-check +aws:rds/instance:Instance arrakis-postgres +publiclyAccessible is true`, text)
	assert.Contains(t, text, "accepted (covers RDS.5, CKV_AWS_157): single-AZ PostgreSQL is the cost choice the team's Terraform made and this program keeps")
	assert.Contains(t, text, "(owner: platform team)")
	assert.Contains(t, text, "ARK-DLP-002")
	assert.Contains(t, text, "applies to ephemeral-tier stacks only")
	assert.Contains(t, text, "STALE EXCEPTIONS")
	// Every exception but the one in use and ELB-005 (the bucket is set) is
	// stale on the compliant plan.
	assert.Regexp(t, fmt.Sprintf(`Summary: 1 FAIL, 1 ACCEPTED, \d+ PASS, 1 N/A; %d stale exceptions — violations must be fixed`, len(Exceptions)-2), text)
}

func TestEnvOfReadsTheStackTier(t *testing.T) {
	assert.Equal(t, Env{Stack: "production", Production: true}, EnvOf(stacktest.Config(t, "production")))
	assert.Equal(t, Env{Stack: "staging"}, EnvOf(stacktest.Config(t, "staging")))
}

func TestAnEmptyPlanHasNothingToCheck(t *testing.T) {
	p := &plan.Plan{Project: "arrakis", Stack: "production"}
	rep := Evaluate(p, Env{Stack: "production", Production: true})
	assert.Equal(t, len(Checks()), rep.Count(StatusNA), "an empty plan: nothing applies")
	assert.True(t, rep.OK())
}

func contains(l []string, v string) bool {
	for _, e := range l {
		if e == v {
			return true
		}
	}
	return false
}
