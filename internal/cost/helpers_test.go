package cost_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/cost"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// res is a custom resource of a hand-built plan.
func res(typ, name string, inputs map[string]any) plan.Resource {
	return plan.Resource{URN: "urn:pulumi:test::arrakis::" + typ + "::" + name, Type: typ, Name: name, Custom: true, Inputs: inputs}
}

func planOf(rs ...plan.Resource) *plan.Plan {
	return &plan.Plan{Project: "arrakis", Stack: "test", Resources: rs}
}

func estimate(t *testing.T, rs ...plan.Resource) *cost.Estimate {
	t.Helper()
	e, err := cost.Of(planOf(rs...))
	require.NoError(t, err)
	return e
}

// charges sums the lines of one category.
func charges(e *cost.Estimate, category string) float64 {
	var sum float64
	for _, l := range e.Lines {
		if l.Category == category {
			sum += l.Monthly
		}
	}
	return sum
}

// line is the only line of a category.
func line(t *testing.T, e *cost.Estimate, category string) cost.Line {
	t.Helper()
	var found []cost.Line
	for _, l := range e.Lines {
		if l.Category == category {
			found = append(found, l)
		}
	}
	require.Len(t, found, 1, "lines of category %q in %+v", category, e.Lines)
	return found[0]
}

func list(v ...any) []any { return v }

// service and taskDef build a Fargate service and its task definition the
// way the compute domain registers them.
func service(name, family string, desired int, strategy ...map[string]any) plan.Resource {
	in := map[string]any{
		"name":           name,
		"cluster":        "arn:aws:ecs:us-east-1:123456789012:cluster/arrakis-test-cluster",
		"desiredCount":   float64(desired),
		"taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/" + family + ":1",
	}
	if len(strategy) > 0 {
		var s []any
		for _, p := range strategy {
			s = append(s, p)
		}
		in["capacityProviderStrategies"] = s
	}
	return res(token.ECSService, name, in)
}

func taskDef(family, cpu, memory string) plan.Resource {
	return res(token.ECSTaskDefinition, family+"-task", map[string]any{
		"family": family, "cpu": cpu, "memory": memory, "requiresCompatibilities": list("FARGATE"),
	})
}

func provider(name string, base, weight int) map[string]any {
	return map[string]any{"capacityProvider": name, "base": float64(base), "weight": float64(weight)}
}

func vpc(strategy string, zones ...any) plan.Resource {
	in := map[string]any{
		"cidrBlock":             "10.0.0.0/16",
		"availabilityZoneNames": zones,
		"subnetSpecs": list(
			map[string]any{"type": "Public", "cidrBlocks": list("10.0.101.0/24", "10.0.102.0/24")},
			map[string]any{"type": "Private", "cidrBlocks": list("10.0.1.0/24", "10.0.2.0/24")},
		),
	}
	if strategy != "" {
		in["natGateways"] = map[string]any{"strategy": strategy}
	}
	r := res(token.AwsxVPC, "arrakis-vpc", in)
	r.Custom, r.Remote = false, true
	return r
}
