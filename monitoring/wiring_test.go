package monitoring_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stacktest"
	"github.com/arrakis/infrastructure/monitoring"
)

// nameOf is the value a stack's resource gives a dimension.
func (w watched) nameOf(t monitoring.Target) string {
	if v, fixed := strings.CutPrefix(string(t), "="); fixed {
		return v
	}
	return map[monitoring.Target]string{
		monitoring.WebACL: w.webACL, monitoring.Region: "us-east-1",
		monitoring.Cluster: w.cluster, monitoring.APIService: w.api, monitoring.WorkerService: w.worker,
		monitoring.LoadBalancer: w.alb, monitoring.TargetGroup: w.targetGroup, monitoring.DBInstance: w.db,
		monitoring.RedisMember: w.redis[0],
	}[t]
}

func TestAlarmsWatchThisStacksResources(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack, nil)
		w := watchedIn(stack)
		topic := topicARN(t, res)
		want := wantAlarms(connectionsThreshold[stack])
		require.Len(t, res.ByType(alarmType), len(want))

		for role, e := range want {
			a := stacktest.One(t, res, alarmType, "arrakis-"+role+"-alarm")
			assert.Equal(t, "arrakis-"+stack+"-"+role, stacktest.Str(t, a, "name"))
			assert.NotEmpty(t, stacktest.Str(t, a, "alarmDescription"), role)
			assert.Equal(t, true, stacktest.Get(t, a, "actionsEnabled"), role)
			assert.Equal(t, []string{topic}, stacktest.Strings(t, a, "alarmActions"), "%s pages through the alerts topic", role)
			assert.Equal(t, []string{topic}, stacktest.Strings(t, a, "okActions"), "%s tells when it is over", role)
			assert.Equal(t, e.comparison, stacktest.Str(t, a, "comparisonOperator"), role)
			assert.Equal(t, e.threshold, stacktest.Get(t, a, "threshold"), role)
			assert.Equal(t, e.evals, stacktest.Int(t, a, "evaluationPeriods"), role)
			assert.Equal(t, e.datapoints, stacktest.Int(t, a, "datapointsToAlarm"), role)
			assert.Equal(t, e.missing, stacktest.Str(t, a, "treatMissingData"), role)

			wantDims := map[string]any{}
			for name, target := range e.dims {
				wantDims[name] = w.nameOf(target)
			}
			if e.metric == "" { // metric math: checked in detail below
				for _, q := range []string{"metricQueries[0]", "metricQueries[1]"} {
					assert.Equal(t, wantDims, stacktest.Get(t, a, q+".metric.dimensions"), role)
					assert.Equal(t, e.namespace, stacktest.Str(t, a, q+".metric.namespace"), role)
					assert.Equal(t, e.period, stacktest.Int(t, a, q+".metric.period"), role)
				}
				continue
			}
			assert.Equal(t, e.namespace, stacktest.Str(t, a, "namespace"), role)
			assert.Equal(t, e.metric, stacktest.Str(t, a, "metricName"), role)
			assert.Equal(t, e.period, stacktest.Int(t, a, "period"), role)
			assert.Equal(t, wantDims, stacktest.Get(t, a, "dimensions"), role)
			if e.stat == "p99" {
				assert.Equal(t, "p99", stacktest.Str(t, a, "extendedStatistic"), role)
				assert.NotContains(t, a.Inputs, "statistic", role)
			} else {
				assert.Equal(t, e.stat, stacktest.Str(t, a, "statistic"), role)
				assert.NotContains(t, a.Inputs, "extendedStatistic", role)
			}
		}
	})
}

func TestErrorRatesAreMetricMath(t *testing.T) {
	res, _ := build(t, "production", nil)
	w := watchedIn("production")
	for role, c := range map[string]struct {
		numerator string
		dims      map[string]any
	}{
		"alb-5xx-rate": {"HTTPCode_ELB_5XX_Count", map[string]any{"LoadBalancer": w.alb}},
		"api-5xx-rate": {"HTTPCode_Target_5XX_Count", map[string]any{"LoadBalancer": w.alb, "TargetGroup": w.targetGroup}},
	} {
		t.Run(role, func(t *testing.T) {
			a := stacktest.One(t, res, alarmType, "arrakis-"+role+"-alarm")
			for _, k := range []string{"metricName", "namespace", "period", "statistic", "dimensions"} {
				assert.NotContains(t, a.Inputs, k, "CloudWatch rejects %s next to metric queries", k)
			}
			require.Len(t, stacktest.Get(t, a, "metricQueries"), 3)
			for i, m := range []struct{ id, metric string }{{"m1", c.numerator}, {"m2", "RequestCount"}} {
				q := "metricQueries[" + string(rune('0'+i)) + "]"
				assert.Equal(t, m.id, stacktest.Str(t, a, q+".id"))
				assert.Equal(t, m.metric, stacktest.Str(t, a, q+".metric.metricName"))
				assert.Equal(t, "Sum", stacktest.Str(t, a, q+".metric.stat"))
				assert.Equal(t, c.dims, stacktest.Get(t, a, q+".metric.dimensions"))
				assert.Equal(t, false, stacktest.Get(t, a, q+".returnData"), "only the rate is alarmed on")
			}
			assert.Equal(t, "e1", stacktest.Str(t, a, "metricQueries[2].id"))
			assert.Equal(t, "IF(m2 >= 10, 100 * FILL(m1, 0) / m2, 0)", stacktest.Str(t, a, "metricQueries[2].expression"))
			assert.Equal(t, true, stacktest.Get(t, a, "metricQueries[2].returnData"))
		})
	}
}

// The provider returns member clusters in no fixed order; alarm redis-00N
// must watch member -00N all the same.
func TestRedisAlarmsFollowTheMemberNumbers(t *testing.T) {
	res, _ := build(t, "production", func(a *monitoring.Args) {
		a.RedisNodes = 2
		a.RedisMemberClusters = pulumi.ToStringArray([]string{"arrakis-production-redis-002", "arrakis-production-redis-001"})
	})
	for _, n := range []string{"001", "002"} {
		for _, role := range []string{"engine-cpu-high", "memory-high", "evictions"} {
			a := stacktest.One(t, res, alarmType, "arrakis-redis-"+n+"-"+role+"-alarm")
			assert.Equal(t, map[string]any{"CacheClusterId": "arrakis-production-redis-" + n}, stacktest.Get(t, a, "dimensions"))
		}
	}
	assert.Len(t, res.ByType(alarmType), 12+2*3)
}

func TestRedisNodesAndMembersMustAgree(t *testing.T) {
	args := argsFor(stacktest.Config(t, "production"), watchedIn("production"))
	args.RedisNodes = 2 // the group reports one member
	in := config.Input{Project: "arrakis", Stack: "production", Values: map[string]string{config.RegionKey: "us-east-1"}}
	_, err := mock.Run(in, func(ctx *pulumi.Context) error {
		_, err := monitoring.New(ctx, "arrakis", args)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the node count given to monitoring and the replication group disagree")
}
