package cost_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/cost"
)

func TestSplitTasksPlacesTheBaseFirstThenByWeight(t *testing.T) {
	fargate := func(base, weight int) cost.Provider {
		return cost.Provider{Name: "FARGATE", Base: base, Weight: weight}
	}
	spot := func(weight int) cost.Provider { return cost.Provider{Name: "FARGATE_SPOT", Weight: weight} }
	cases := []struct {
		name     string
		n        int
		strategy []cost.Provider
		want     cost.Split
	}{
		{"no strategy: all on demand", 2, nil, cost.Split{OnDemand: 2}},
		{"on-demand only", 2, []cost.Provider{fargate(2, 1)}, cost.Split{OnDemand: 2}},
		{"spot only", 2, []cost.Provider{spot(1)}, cost.Split{Spot: 2}},
		{"base covers every task", 1, []cost.Provider{fargate(1, 0), spot(1)}, cost.Split{OnDemand: 1}},
		{"base larger than the count", 1, []cost.Provider{fargate(2, 0), spot(1)}, cost.Split{OnDemand: 1}},
		{"above the base to spot", 4, []cost.Provider{fargate(2, 0), spot(1)}, cost.Split{OnDemand: 2, Spot: 2}},
		{"base then 1:1", 3, []cost.Provider{fargate(1, 1), spot(1)}, cost.Split{OnDemand: 2, Spot: 1}},
		{"1:3 weights", 4, []cost.Provider{fargate(0, 1), spot(3)}, cost.Split{OnDemand: 1, Spot: 3}},
		{"remainder to the larger share", 5, []cost.Provider{fargate(0, 1), spot(3)}, cost.Split{OnDemand: 1, Spot: 4}},
		{"a tie goes on demand (errs high)", 3, []cost.Provider{fargate(0, 1), spot(1)}, cost.Split{OnDemand: 2, Spot: 1}},
		{"a tie goes on demand, whatever the order", 3, []cost.Provider{spot(1), fargate(0, 1)}, cost.Split{OnDemand: 2, Spot: 1}},
		{"zero tasks", 0, []cost.Provider{fargate(1, 1), spot(1)}, cost.Split{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := cost.SplitTasks(c.n, c.strategy)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.n, got.OnDemand+got.Spot, "every task is placed once")
		})
	}
}

func TestSplitTasksRefusesWhatItCannotPrice(t *testing.T) {
	_, err := cost.SplitTasks(2, []cost.Provider{{Name: "my-ec2-asg", Weight: 1}})
	assert.ErrorContains(t, err, `"my-ec2-asg" is not Fargate`)
	_, err = cost.SplitTasks(3, []cost.Provider{{Name: "FARGATE", Base: 1}})
	assert.ErrorContains(t, err, "every weight is 0")
}

// The reference case: 2 tasks of 0.5 vCPU / 1 GB on demand for
// 730 h = 2 × (0.5 × 0.04048 + 1 × 0.004445) × 730 = $36.04.
func TestTwoHalfVCPUTasksOnDemand(t *testing.T) {
	e := estimate(t,
		taskDef("arrakis-test-api", "512", "1024"),
		service("arrakis-test-api", "arrakis-test-api", 2, provider("FARGATE", 2, 1)),
	)
	l := line(t, e, "Fargate")
	assert.Equal(t, 36.04, l.Monthly)
	assert.Equal(t, "ecs/service arrakis-test-api", l.Resource)
	assert.Contains(t, l.Basis, "2 × 0.5 vCPU/1 GB × 730 h on demand")
	assert.False(t, l.Assumption)
	assert.Equal(t, 36.04, e.Total)
}

func TestSpotAndOnDemandLinesFollowTheStrategy(t *testing.T) {
	cases := []struct {
		name             string
		desired          int
		strategy         []map[string]any
		onDemand, spot   float64
		onDemandN, spotN string
	}{
		// per task-month: 0.024685 × 730 = 18.02005; Spot × 0.30 = 5.406015
		{"base 1, then 1:1", 3, []map[string]any{provider("FARGATE", 1, 1), provider("FARGATE_SPOT", 0, 1)}, 36.04, 5.41, "2 ×", "1 ×"},
		{"all spot", 2, []map[string]any{provider("FARGATE_SPOT", 0, 1)}, 0, 10.81, "", "2 ×"},
		{"no strategy: on demand", 1, nil, 18.02, 0, "1 ×", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := estimate(t, taskDef("fam", "512", "1024"), service("svc", "fam", c.desired, c.strategy...))
			assert.InDelta(t, c.onDemand, charges(e, "Fargate"), 1e-9)
			assert.InDelta(t, c.spot, charges(e, "Fargate Spot"), 1e-9)
			if c.spotN != "" {
				assert.Contains(t, line(t, e, "Fargate Spot").Basis, c.spotN+" 0.5 vCPU/1 GB × 730 h on FARGATE_SPOT (on-demand × 0.3)")
			}
			if c.onDemandN != "" {
				assert.Contains(t, line(t, e, "Fargate").Basis, c.onDemandN+" 0.5 vCPU/1 GB")
			}
		})
	}
}

// The worker of both stacks: 1 × 0.25 vCPU / 0.5 GB on Spot =
// (0.25 × 0.04048 + 0.5 × 0.004445) × 730 × 0.30 = $2.70.
func TestWorkerOnSpot(t *testing.T) {
	e := estimate(t, taskDef("w", "256", "512"), service("worker", "w", 1, provider("FARGATE_SPOT", 0, 1)))
	assert.Equal(t, 2.70, line(t, e, "Fargate Spot").Monthly)
	assert.Zero(t, charges(e, "Fargate"))
}

func TestServiceWithoutItsTaskDefinitionIsAnError(t *testing.T) {
	_, err := cost.Of(planOf(service("arrakis-api", "missing", 2)))
	assert.ErrorContains(t, err, "aws:ecs/service:Service arrakis-api")
	assert.ErrorContains(t, err, "task-definition/missing:1")
}

func TestAutoscalingCeilingIsANoteNotInTheTotal(t *testing.T) {
	target := res("aws:appautoscaling/target:Target", "api-scaling", map[string]any{
		"resourceId": "service/arrakis-test-cluster/arrakis-test-api", "minCapacity": 2.0, "maxCapacity": 4.0,
	})
	e := estimate(t, taskDef("fam", "512", "1024"), service("arrakis-test-api", "fam", 2, provider("FARGATE", 2, 1)), target)
	assert.Equal(t, 36.04, e.Total)
	require.Len(t, e.Notes, 1)
	assert.Contains(t, e.Notes[0], "desiredCount 2")
	assert.Contains(t, e.Notes[0], "2–4 tasks")
	assert.Contains(t, e.Notes[0], "$36.04 more a month", "two more on-demand tasks at the ceiling")
}

func TestContainerInsightsAndTargetTrackingAlarms(t *testing.T) {
	cluster := res("aws:ecs/cluster:Cluster", "arrakis-cluster", map[string]any{
		"name":     "arrakis-test-cluster",
		"settings": list(map[string]any{"name": "containerInsights", "value": "enabled"}),
	})
	policy := res("aws:appautoscaling/policy:Policy", "api-cpu", map[string]any{"policyType": "TargetTrackingScaling"})
	e := estimate(t, cluster, policy,
		taskDef("a", "256", "512"), service("api", "a", 0),
		taskDef("w", "256", "512"), service("worker", "w", 0))
	insights := line(t, e, "Container Insights")
	assert.True(t, insights.Assumption)
	assert.Equal(t, 17.00, insights.Monthly, "(11 + 22 × 2) metrics × $0.30 + 1 GB × $0.50")
	assert.Equal(t, 0.20, line(t, e, "alarm").Monthly, "two alarms per target-tracking policy")

	cluster.Inputs["settings"] = list(map[string]any{"name": "containerInsights", "value": "disabled"})
	e = estimate(t, cluster)
	assert.Zero(t, e.Total)
	assert.Equal(t, "no charge", e.Lines[0].Category)
}
