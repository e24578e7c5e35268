package policy

import (
	"sort"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/plan"
)

// Severity is how bad a violation is.
type Severity string

// Severities, from worst.
const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
)

// Scope says which stacks a check (or an exception) applies to.
type Scope string

const (
	// ScopeAll applies to every stack.
	ScopeAll Scope = "all"
	// ScopeProduction applies to production-tier stacks (config tier
	// production), whatever their name.
	ScopeProduction Scope = "production"
	// ScopeEphemeral applies to ephemeral-tier stacks (staging, previews).
	ScopeEphemeral Scope = "ephemeral"
)

// Env is what the checks know about the stack besides its resources: the
// few config values that decide what is expected of it.
type Env struct {
	Stack string
	// Production is true for production-tier stacks.
	Production bool
	// AccessLogsBucket is edge.accessLogsBucket; empty when unset.
	AccessLogsBucket string
}

// EnvOf is the Env of a validated stack config.
func EnvOf(cfg *config.Config) Env {
	return Env{Stack: cfg.Stack, Production: cfg.Production(), AccessLogsBucket: cfg.Edge.AccessLogsBucket}
}

// covers reports whether scope applies to the stack.
func (s Scope) covers(env Env) bool {
	switch s {
	case ScopeProduction:
		return env.Production
	case ScopeEphemeral:
		return !env.Production
	default:
		return true
	}
}

// Finding is one violation: a resource and what is wrong with it.
type Finding struct {
	URN     string
	Type    string
	Name    string // logical name
	Message string
}

// Outcome is what a check saw: how many resources it examined and what it
// found wrong. No subject means the check does not apply to the plan.
type Outcome struct {
	Subjects int
	Findings []Finding
}

// Check is one policy rule.
type Check struct {
	ID    string
	Title string
	// Anchors are the public controls the check implements: Security Hub
	// FSBP control ids ("RDS.3"), Checkov ids ("CKV_AWS_16"), awsguard rule
	// names ("awsguard:rds-storage-encrypted"), or house:<area> for a rule
	// of this program's own ("house:network").
	Anchors  []string
	Scope    Scope
	Severity Severity
	// Subjects names what the check examines ("RDS instances"), for the
	// report when there are none.
	Subjects string
	Run      func(s *Stack) Outcome
}

// Checks is the whole suite, sorted by id.
func Checks() []Check {
	var all []Check
	for _, group := range [][]Check{
		networkChecks, ecsChecks, ecrChecks, iamChecks, stackRoleChecks, rdsChecks, redisChecks,
		edgeChecks, keyChecks, secretChecks, logChecks, monitoringChecks, dataLossChecks, scannerChecks,
	} {
		all = append(all, group...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
}

// Status is the verdict on one check.
type Status string

// Statuses, in report order.
const (
	StatusFail     Status = "FAIL"
	StatusAccepted Status = "ACCEPTED"
	StatusPass     Status = "PASS"
	StatusNA       Status = "N/A"
)

// Accepted is a finding an exception covers.
type Accepted struct {
	Finding
	Exception Exception
}

// Result is the verdict on one check for one stack.
type Result struct {
	Check    Check
	Status   Status
	Subjects int
	// Reason says why a check is N/A.
	Reason   string
	Findings []Finding // not covered by an exception
	Accepted []Accepted
}

// Report is the suite's verdict on one stack.
type Report struct {
	Project, Stack string
	Env            Env
	Results        []Result
	// Stale are exceptions that apply to the stack, whose check ran, and
	// that covered no finding: the problem they excuse is gone.
	Stale []Exception
}

// Evaluate runs every check on the plan of a stack.
func Evaluate(p *plan.Plan, env Env) *Report {
	return evaluate(p, env, Checks(), Exceptions)
}

func evaluate(p *plan.Plan, env Env, checks []Check, exceptions []Exception) *Report {
	s := newStack(p, env)
	rep := &Report{Project: p.Project, Stack: p.Stack, Env: env}
	used := make([]bool, len(exceptions))
	exercised := make([]bool, len(exceptions))
	for _, c := range checks {
		res := Result{Check: c}
		if !c.Scope.covers(env) {
			res.Status, res.Reason = StatusNA, "applies to "+string(c.Scope)+"-tier stacks only"
			rep.Results = append(rep.Results, res)
			continue
		}
		out := c.Run(s)
		res.Subjects = out.Subjects
		for i, e := range exceptions {
			if e.Check == c.ID && e.appliesTo(env) && out.Subjects > 0 {
				exercised[i] = true
			}
		}
	findings:
		for _, f := range out.Findings {
			for i, e := range exceptions {
				if e.Check == c.ID && e.appliesTo(env) && e.covers(f) {
					used[i] = true
					res.Accepted = append(res.Accepted, Accepted{Finding: f, Exception: e})
					continue findings
				}
			}
			res.Findings = append(res.Findings, f)
		}
		switch {
		case len(res.Findings) > 0:
			res.Status = StatusFail
		case len(res.Accepted) > 0:
			res.Status = StatusAccepted
		case out.Subjects == 0:
			res.Status, res.Reason = StatusNA, "no "+c.Subjects+" in the plan"
		default:
			res.Status = StatusPass
		}
		rep.Results = append(rep.Results, res)
	}
	for i, e := range exceptions {
		if exercised[i] && !used[i] {
			rep.Stale = append(rep.Stale, e)
		}
	}
	return rep
}

// Failures are the results with findings no exception covers.
func (r *Report) Failures() []Result {
	var out []Result
	for _, res := range r.Results {
		if res.Status == StatusFail {
			out = append(out, res)
		}
	}
	return out
}

// OK reports whether no check failed.
func (r *Report) OK() bool { return len(r.Failures()) == 0 }

// Count is the number of checks with a status.
func (r *Report) Count(st Status) int {
	n := 0
	for _, res := range r.Results {
		if res.Status == st {
			n++
		}
	}
	return n
}
