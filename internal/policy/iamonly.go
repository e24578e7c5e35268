package policy

import (
	"sort"

	"github.com/arrakis/infrastructure/internal/plan"
)

// IAMChecks are the suite's checks of IAM roles and policies (ARK-IAM-*),
// sorted by id.
func IAMChecks() []Check {
	out := append([]Check(nil), iamChecks...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// EvaluateIAM runs the IAM checks alone on the plan of a program other than
// the stacks' own, such as the bootstrap that creates the CI roles, with
// that program's own exceptions: its roles are held to the rules the
// stacks' roles are, and where one departs an exception says why. The
// checks apply as to a production-tier stack.
func EvaluateIAM(p *plan.Plan, exceptions []Exception) *Report {
	return evaluate(p, Env{Stack: p.Stack, Production: true}, IAMChecks(), exceptions)
}
