package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// Stack is what a check runs over: the plan, the stack's Env and indexes.
type Stack struct {
	Plan *plan.Plan
	Env  Env
	byID map[string]plan.Resource
	// sgRoles maps a security group id to its tier (see rules.go).
	sgRoles map[string]string
}

func newStack(p *plan.Plan, env Env) *Stack {
	s := &Stack{Plan: p, Env: env, byID: map[string]plan.Resource{}}
	for _, r := range p.Resources {
		if r.ID != "" {
			s.byID[r.ID] = r
		}
	}
	s.sgRoles = securityGroupRoles(s)
	return s
}

// Of returns the resources of the given types, in plan (URN) order.
func (s *Stack) Of(types ...string) []plan.Resource {
	var out []plan.Resource
	for _, r := range s.Plan.Resources {
		if slices.Contains(types, r.Type) {
			out = append(out, r)
		}
	}
	return out
}

// ByID returns the resource a wired input points at: by its id, or by an
// ARN whose last segment is its id (a KMS key's ARN ends in key/<id>).
func (s *Stack) ByID(ref string) (plan.Resource, bool) {
	if r, ok := s.byID[ref]; ok {
		return r, ok
	}
	if i := strings.LastIndex(ref, "/"); i >= 0 && strings.HasPrefix(ref, "arn:") {
		r, ok := s.byID[ref[i+1:]]
		return r, ok
	}
	return plan.Resource{}, false
}

// VPCs are the networks of the plan: awsx VPCs and plain ones.
func (s *Stack) VPCs() []plan.Resource { return s.Of(token.AwsxVPC, token.VPC) }

// dependsOn reports whether r was registered with a dependency on urn.
func dependsOn(r plan.Resource, urn string) bool { return slices.Contains(r.DependsOn, urn) }

// each runs fn on every resource and turns the messages it returns into
// findings: the usual shape of a per-resource check.
func each(rs []plan.Resource, fn func(r plan.Resource) []string) Outcome {
	out := Outcome{Subjects: len(rs)}
	for _, r := range rs {
		for _, m := range fn(r) {
			out.Findings = append(out.Findings, finding(r, m))
		}
	}
	return out
}

// eachOf is a check that runs fn on every resource of a type, as each does.
func eachOf(typ string, fn func(s *Stack, r plan.Resource) []string) func(*Stack) Outcome {
	return func(s *Stack) Outcome {
		return each(s.Of(typ), func(r plan.Resource) []string { return fn(s, r) })
	}
}

func finding(r plan.Resource, msg string) Finding {
	return Finding{URN: r.URN, Type: r.Type, Name: r.Name, Message: msg}
}

// when returns the message when cond holds: `return when(bad, "…")`.
func when(cond bool, format string, args ...any) []string {
	if cond {
		return []string{fmt.Sprintf(format, args...)}
	}
	return nil
}

// secret reports whether the input at path (or a value under it, or the
// whole value it sits in) is a Pulumi secret.
func secret(r plan.Resource, path string) bool {
	for _, p := range r.SecretInputs {
		if p == path || strings.HasPrefix(p, path+".") || strings.HasPrefix(p, path+"[") ||
			strings.HasPrefix(path, p+".") {
			return true
		}
	}
	return false
}
