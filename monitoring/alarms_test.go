package monitoring_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/stacktest"
	"github.com/arrakis/infrastructure/monitoring"
)

// expected is one row of the alarm table, written out from the spec.
type expected struct {
	namespace, metric, stat   string // stat is a Statistic or a percentile
	period, evals, datapoints int
	threshold                 float64
	comparison, missing       string
	dims                      map[string]monitoring.Target
}

var (
	apiDims    = map[string]monitoring.Target{"ClusterName": monitoring.Cluster, "ServiceName": monitoring.APIService}
	workerDims = map[string]monitoring.Target{"ClusterName": monitoring.Cluster, "ServiceName": monitoring.WorkerService}
	albDims    = map[string]monitoring.Target{"LoadBalancer": monitoring.LoadBalancer}
	tgDims     = map[string]monitoring.Target{"LoadBalancer": monitoring.LoadBalancer, "TargetGroup": monitoring.TargetGroup}
	dbDims     = map[string]monitoring.Target{"DBInstanceIdentifier": monitoring.DBInstance}
	redisDims  = map[string]monitoring.Target{"CacheClusterId": monitoring.RedisMember}
	// "=ALL" is a fixed value, not a target.
	wafDims = map[string]monitoring.Target{"WebACL": monitoring.WebACL, "Region": monitoring.Region, "Rule": "=ALL"}
)

const gib = 1 << 30

// wantAlarms is the table for a stack: thresholds from the spec's defaults,
// the connections threshold from the stack's instance class.
func wantAlarms(connections float64) map[string]expected {
	const gt, lt = "GreaterThanThreshold", "LessThanThreshold"
	return map[string]expected{
		"api-cpu-high":              {"AWS/ECS", "CPUUtilization", "Average", 300, 2, 2, 80, gt, "notBreaching", apiDims},
		"api-memory-high":           {"AWS/ECS", "MemoryUtilization", "Average", 300, 2, 2, 80, gt, "notBreaching", apiDims},
		"worker-cpu-high":           {"AWS/ECS", "CPUUtilization", "Average", 300, 2, 2, 80, gt, "notBreaching", workerDims},
		"worker-memory-high":        {"AWS/ECS", "MemoryUtilization", "Average", 300, 2, 2, 80, gt, "notBreaching", workerDims},
		"alb-5xx-rate":              {"AWS/ApplicationELB", "", "", 300, 3, 2, 5, gt, "notBreaching", albDims},
		"api-5xx-rate":              {"AWS/ApplicationELB", "", "", 300, 3, 2, 5, gt, "notBreaching", tgDims},
		"api-no-healthy-targets":    {"AWS/ApplicationELB", "HealthyHostCount", "Minimum", 60, 3, 3, 1, lt, "breaching", tgDims},
		"api-p99-latency":           {"AWS/ApplicationELB", "TargetResponseTime", "p99", 300, 3, 2, 2, gt, "notBreaching", tgDims},
		"rds-cpu-high":              {"AWS/RDS", "CPUUtilization", "Average", 300, 2, 2, 80, gt, "missing", dbDims},
		"rds-free-storage-low":      {"AWS/RDS", "FreeStorageSpace", "Minimum", 300, 1, 1, 2 * gib, lt, "missing", dbDims},
		"rds-connections-high":      {"AWS/RDS", "DatabaseConnections", "Maximum", 300, 2, 2, connections, gt, "missing", dbDims},
		"redis-001-engine-cpu-high": {"AWS/ElastiCache", "EngineCPUUtilization", "Average", 300, 2, 2, 80, gt, "missing", redisDims},
		"redis-001-memory-high":     {"AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "Average", 300, 2, 2, 80, gt, "missing", redisDims},
		"redis-001-evictions":       {"AWS/ElastiCache", "Evictions", "Sum", 300, 1, 1, 100, gt, "missing", redisDims},
		"waf-blocked-spike":         {"AWS/WAFV2", "BlockedRequests", "Sum", 300, 1, 1, 1000, gt, "notBreaching", wafDims},
	}
}

// connectionsThreshold per stack: 80 % of max_connections of db.t3.small
// (192) and db.t3.micro (79).
var connectionsThreshold = map[string]float64{"production": 153, "staging": 63}

func tableFor(t *testing.T, cfg *config.Config) map[string]monitoring.Alarm {
	t.Helper()
	maxConns, err := monitoring.MaxConnections(cfg.Database.InstanceClass)
	require.NoError(t, err)
	out := map[string]monitoring.Alarm{}
	for _, a := range monitoring.Alarms(cfg.Monitoring.Thresholds, monitoring.Limits{MaxDBConnections: maxConns, RedisNodes: cfg.Redis.Nodes, WAF: cfg.Edge.WAF.Enabled}) {
		require.NotContains(t, out, a.Role, "alarm roles are unique")
		out[a.Role] = a
	}
	return out
}

func TestAlarmTableMatchesTheSpec(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		got := tableFor(t, stacktest.Config(t, stack))
		want := wantAlarms(connectionsThreshold[stack])
		require.ElementsMatch(t, keys(want), keys(got))
		for role, w := range want {
			a := got[role]
			stat := a.Statistic
			if a.Percentile != "" {
				stat = a.Percentile
			}
			dims := map[string]monitoring.Target{}
			for _, d := range a.Dimensions {
				dims[d.Name] = d.Of
				if d.Value != "" {
					dims[d.Name] = monitoring.Target("=" + d.Value)
				}
			}
			assert.Equal(t, w, expected{a.Namespace, a.Metric, stat, a.Period, a.EvaluationPeriods, a.DatapointsToAlarm,
				a.Threshold, a.Comparison, a.TreatMissingData, dims}, role)
		}
	})
}

func TestAlarmTableIsWellFormed(t *testing.T) {
	for _, a := range tableFor(t, stacktest.Config(t, "production")) {
		assert.NotEmpty(t, a.Description, a.Role)
		assert.Contains(t, []string{"notBreaching", "breaching", "missing"}, a.TreatMissingData, "%s treats missing data explicitly", a.Role)
		assert.LessOrEqual(t, a.DatapointsToAlarm, a.EvaluationPeriods, a.Role)
		assert.NotEmpty(t, a.Dimensions, a.Role)
		if a.Rate != nil {
			assert.Empty(t, a.Metric+a.Statistic+a.Percentile, "%s is metric math only", a.Role)
		} else {
			assert.NotEmpty(t, a.Metric, a.Role)
			assert.True(t, (a.Statistic == "") != (a.Percentile == ""), "%s has one statistic", a.Role)
		}
	}
}

// A stack may override any threshold; only the alarm it feeds changes.
func TestThresholdsArePerStack(t *testing.T) {
	base := stacktest.Config(t, "staging")
	in := stacktest.Input(t, "staging", nil)
	in = stacktest.Set(t, in, "arrakis:monitoring.thresholds.apiCpuPercent", 65)
	in = stacktest.Set(t, in, "arrakis:monitoring.thresholds.rdsConnectionsPercent", 50)
	in = stacktest.Set(t, in, "arrakis:monitoring.thresholds.redisEvictionsPer5Minutes", 0)
	in = stacktest.Set(t, in, "arrakis:monitoring.thresholds.alb5xxRatePercent", 1.5)
	overridden, err := config.Parse(in)
	require.NoError(t, err)

	before, after := tableFor(t, base), tableFor(t, overridden)
	changed := map[string]float64{}
	for role, a := range after {
		if a.Threshold != before[role].Threshold {
			changed[role] = a.Threshold
		}
	}
	assert.Equal(t, map[string]float64{
		"api-cpu-high":         65,
		"rds-connections-high": 39, // half of db.t3.micro's 79
		"redis-001-evictions":  0,  // any eviction
		"alb-5xx-rate":         1.5,
	}, changed)
}

func TestEveryRedisNodeIsWatched(t *testing.T) {
	alarms := monitoring.Alarms(stacktest.Config(t, "production").Monitoring.Thresholds, monitoring.Limits{MaxDBConnections: 192, RedisNodes: 3})
	members := map[int][]string{}
	for _, a := range alarms {
		if a.Namespace == "AWS/ElastiCache" {
			members[a.Member] = append(members[a.Member], a.Role)
		}
	}
	assert.Equal(t, map[int][]string{
		1: {"redis-001-engine-cpu-high", "redis-001-memory-high", "redis-001-evictions"},
		2: {"redis-002-engine-cpu-high", "redis-002-memory-high", "redis-002-evictions"},
		3: {"redis-003-engine-cpu-high", "redis-003-memory-high", "redis-003-evictions"},
	}, members)
}

func TestRateExpressionGuardsAgainstNoTraffic(t *testing.T) {
	r := monitoring.Rate{Numerator: "HTTPCode_ELB_5XX_Count", Denominator: "RequestCount"}
	assert.Equal(t, "IF(m2 >= 10, 100 * FILL(m1, 0) / m2, 0)", r.Expression())
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// A configured service's alarms follow its settings: a running-tasks alarm
// at its minimum (none for a service meant to run nothing), the target
// group's alarms only behind the load balancer, its own thresholds; all go
// quiet while the services are held at zero.
func TestServiceAlarmsFollowTheService(t *testing.T) {
	th := stacktest.Config(t, "production").Monitoring.Thresholds
	roles := func(s monitoring.Service) map[string]float64 {
		out := map[string]float64{}
		for _, a := range monitoring.ServiceAlarms(s, th) {
			assert.True(t, a.WatchesServices(), a.Role)
			assert.Equal(t, s.Name, a.Service, a.Role)
			out[a.Role] = a.Threshold
		}
		return out
	}
	assert.Equal(t, map[string]float64{
		"billing-cpu-high": 70, "billing-memory-high": 75, "billing-running-tasks": 2,
		"billing-no-healthy-targets": 1, "billing-5xx-rate": th.Target5xxRatePercent,
	}, roles(monitoring.Service{Name: "billing", MinRunning: 2, CPUPercent: 70, MemoryPercent: 75, Routed: true}))
	assert.Equal(t, map[string]float64{"cron-cpu-high": 80, "cron-memory-high": 80},
		roles(monitoring.Service{Name: "cron", MinRunning: 0, CPUPercent: 80, MemoryPercent: 80}))
}
