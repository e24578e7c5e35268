package cost

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/arrakis/infrastructure/internal/plan"
)

// Capacity providers Fargate tasks run on.
const (
	providerFargate = "FARGATE"
	providerSpot    = "FARGATE_SPOT"
)

// Provider is one entry of a capacity provider strategy.
type Provider struct {
	Name   string
	Base   int
	Weight int
}

// Split is where a service's tasks run.
type Split struct{ OnDemand, Spot int }

// SplitTasks places n tasks the way ECS does: the base of the provider that
// has one first, the rest in proportion to the weights. ECS places whole
// tasks; a remainder the weights cannot divide goes to the provider with the
// largest fractional share, ties to on-demand FARGATE, so the estimate errs
// high. An empty strategy means every task on FARGATE.
func SplitTasks(n int, strategy []Provider) (Split, error) {
	if len(strategy) == 0 {
		return Split{OnDemand: n}, nil
	}
	placed := map[string]int{}
	rest, weights := n, 0
	for _, p := range strategy {
		if p.Name != providerFargate && p.Name != providerSpot {
			return Split{}, fmt.Errorf("capacity provider %q is not Fargate: the model prices FARGATE and FARGATE_SPOT only", p.Name)
		}
		if p.Base > 0 {
			b := min(p.Base, rest)
			placed[p.Name] += b
			rest -= b
		}
		weights += p.Weight
	}
	if rest > 0 && weights == 0 {
		return Split{}, fmt.Errorf("%d tasks beyond the base but every weight is 0", rest)
	}
	if rest > 0 {
		type share struct {
			name  string
			whole int
			frac  float64
		}
		var shares []share
		given := 0
		for _, p := range strategy {
			exact := float64(rest) * float64(p.Weight) / float64(weights)
			s := share{name: p.Name, whole: int(math.Floor(exact)), frac: exact - math.Floor(exact)}
			given += s.whole
			shares = append(shares, s)
		}
		sort.SliceStable(shares, func(i, j int) bool {
			if shares[i].frac != shares[j].frac {
				return shares[i].frac > shares[j].frac
			}
			return shares[i].name == providerFargate && shares[j].name != providerFargate
		})
		for i := range shares {
			if given < rest && shares[i].frac > 0 {
				shares[i].whole++
				given++
			}
			placed[shares[i].name] += shares[i].whole
		}
	}
	return Split{OnDemand: placed[providerFargate], Spot: placed[providerSpot]}, nil
}

// TaskHourly is the on-demand price of one task of cpu units and memory MiB
// for an hour.
func TaskHourly(cpuUnits, memoryMiB float64) float64 {
	return cpuUnits/1024*fargateVCPUHour + memoryMiB/1024*fargateGBHour
}

// fargateCost is the monthly cost of a split.
func fargateCost(s Split, cpu, mem float64) float64 {
	per := TaskHourly(cpu, mem) * HoursPerMonth
	return float64(s.OnDemand)*per + float64(s.Spot)*per*fargateSpotFactor
}

// priceService prices a Fargate service: its task definition's size times
// its desired count, on demand and on Spot as its strategy places them.
func priceService(x *index, r plan.Resource) ([]Line, []string, error) {
	arn := r.Str("taskDefinition")
	family := taskFamily(arn)
	td, ok := x.taskDefinitions[family]
	if !ok {
		return nil, nil, fmt.Errorf("task definition %q is not in the plan", arn)
	}
	cpu, okCPU := td.Number("cpu")
	mem, okMem := td.Number("memory")
	if !okCPU || !okMem {
		return nil, nil, fmt.Errorf("task definition %s has no task-level cpu/memory (Fargate needs both)", td.Name)
	}
	if lt := r.Str("launchType"); lt != "" && lt != providerFargate {
		return nil, nil, fmt.Errorf("launch type %s: the model prices Fargate only", lt)
	}
	desired, err := intInput(r, "desiredCount", 0)
	if err != nil {
		return nil, nil, err
	}
	strategy, err := strategyOf(r)
	if err != nil {
		return nil, nil, err
	}
	split, err := SplitTasks(desired, strategy)
	if err != nil {
		return nil, nil, err
	}
	size := fmt.Sprintf("%s vCPU/%s GB", num(cpu/1024), num(mem/1024))
	per := TaskHourly(cpu, mem)
	var lines []Line
	if split.OnDemand > 0 || split.Spot == 0 {
		lines = append(lines, Line{
			Resource: label(r), Category: categoryFargate,
			Basis:   fmt.Sprintf("%d × %s %s on demand ($%s/task-hour)", split.OnDemand, size, hours, trim4(per)),
			Monthly: cents(float64(split.OnDemand) * per * HoursPerMonth),
		})
	}
	if split.Spot > 0 {
		lines = append(lines, Line{
			Resource: label(r), Category: categorySpot,
			Basis: fmt.Sprintf("%d × %s %s on FARGATE_SPOT (on-demand × %s)",
				split.Spot, size, hours, num(fargateSpotFactor)),
			Monthly: cents(float64(split.Spot) * per * HoursPerMonth * fargateSpotFactor),
		})
	}

	var notes []string
	if t, ok := x.scalingTargets[r.Str("name")]; ok {
		lo, _ := intInput(t, "minCapacity", desired)
		hi, _ := intInput(t, "maxCapacity", desired)
		atMax, err := SplitTasks(hi, strategy)
		if err != nil {
			return nil, nil, err
		}
		notes = append(notes, fmt.Sprintf(
			"%s is priced at desiredCount %d, the count it starts with; its autoscaler keeps %d–%d tasks. At the ceiling of %d it costs %s more a month.",
			r.Name, desired, lo, hi, hi, money(cents(fargateCost(atMax, cpu, mem)-fargateCost(split, cpu, mem)))))
	}
	return lines, notes, nil
}

// strategyOf reads a service's capacity provider strategy.
func strategyOf(r plan.Resource) ([]Provider, error) {
	var out []Provider
	for _, e := range r.List("capacityProviderStrategies") {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("capacityProviderStrategies holds %v", e)
		}
		p := Provider{}
		p.Name, _ = m["capacityProvider"].(string)
		if b, ok := plan.AsNumber(m["base"]); ok {
			p.Base = int(b)
		}
		if w, ok := plan.AsNumber(m["weight"]); ok {
			p.Weight = int(w)
		}
		out = append(out, p)
	}
	return out, nil
}

// taskFamily is the family in a task definition ARN
// (arn:aws:ecs:…:task-definition/<family>:<revision>), or the family itself.
func taskFamily(arn string) string {
	s := arn[strings.LastIndex(arn, "/")+1:]
	if i := strings.LastIndex(s, ":"); i >= 0 && strings.Contains(arn, "task-definition/") {
		s = s[:i]
	}
	return s
}

// priceCluster prices Container Insights, which bills its metrics as custom
// metrics; the cluster itself is free (Fargate bills the tasks).
func priceCluster(x *index, r plan.Resource) ([]Line, []string, error) {
	mode := ""
	for _, s := range r.Objects("settings") {
		if s["name"] == "containerInsights" {
			mode = plan.AsString(s["value"])
		}
	}
	if mode != "enabled" && mode != "enhanced" {
		return []Line{{Resource: label(r), Category: categoryFree, Basis: "no charge (Fargate bills the tasks)"}}, nil, nil
	}
	services := x.servicesByCluster[r.Str("name")]
	metrics := insightsClusterMetrics + insightsServiceMetrics*services
	var notes []string
	if mode == "enhanced" {
		notes = append(notes, r.Name+": enhanced Container Insights adds task- and container-level metrics the model does not count.")
	}
	return []Line{{
		Resource: label(r), Category: categoryInsights, Assumption: true,
		Basis: fmt.Sprintf("assumption: %d metrics (%d + %d per service × %d) × $%s + %s GB events × $%s/GB",
			metrics, insightsClusterMetrics, insightsServiceMetrics, services, usd(customMetricMonth),
			num(insightsEventsGB), usd(logsIngestGB)),
		Monthly: cents(float64(metrics)*customMetricMonth + insightsEventsGB*logsIngestGB),
	}}, notes, nil
}

// priceScalingPolicy prices the two alarms (scale out, scale in) AWS
// creates for every target-tracking policy.
func priceScalingPolicy(_ *index, r plan.Resource) ([]Line, []string, error) {
	if r.Str("policyType") != "TargetTrackingScaling" {
		return []Line{{Resource: label(r), Category: categoryFree, Basis: "no charge (step scaling uses the stack's own alarms)"}}, nil, nil
	}
	return []Line{{
		Resource: label(r), Category: categoryAlarm,
		Basis:   fmt.Sprintf("2 alarms AWS creates for target tracking × $%s", usd(alarmMetricMonth)),
		Monthly: cents(2 * alarmMetricMonth),
	}}, nil, nil
}

// trim4 prints a price to four significant decimals.
func trim4(f float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.5f", f), "0"), ".")
}
