package monitoring_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/stacktest"
	"github.com/arrakis/infrastructure/monitoring"
)

// graphed is one metric of a dashboard widget, read back from the JSON.
type graphed struct {
	namespace, name string
	dims            map[string]string
}

// parseWidgets reads a dashboard body: widget title -> its metrics.
func parseWidgets(t *testing.T, body string) map[string][]graphed {
	t.Helper()
	var d struct {
		Widgets []struct {
			Type       string `json:"type"`
			Width      int    `json:"width"`
			Properties struct {
				Title   string  `json:"title"`
				Region  string  `json:"region"`
				View    string  `json:"view"`
				Period  int     `json:"period"`
				Stat    string  `json:"stat"`
				Metrics [][]any `json:"metrics"`
			} `json:"properties"`
		} `json:"widgets"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &d), "the dashboard body is JSON")
	out := map[string][]graphed{}
	for _, w := range d.Widgets {
		p := w.Properties
		assert.Equal(t, "metric", w.Type, p.Title)
		assert.Equal(t, "us-east-1", p.Region, p.Title)
		assert.Equal(t, "timeSeries", p.View, p.Title)
		assert.Equal(t, 300, p.Period, p.Title)
		assert.NotEmpty(t, p.Stat, p.Title)
		assert.Positive(t, w.Width, p.Title)
		require.NotEmpty(t, p.Metrics, p.Title)
		require.NotContains(t, out, p.Title, "widget titles are unique")
		for _, row := range p.Metrics {
			require.GreaterOrEqual(t, len(row), 2, p.Title)
			g := graphed{namespace: row[0].(string), name: row[1].(string), dims: map[string]string{}}
			rest := row[2:]
			if len(rest)%2 == 1 { // trailing options object
				_, ok := rest[len(rest)-1].(map[string]any)
				require.True(t, ok, "%s: the odd last element is the options", p.Title)
				rest = rest[:len(rest)-1]
			}
			for i := 0; i < len(rest); i += 2 {
				g.dims[rest[i].(string)] = rest[i+1].(string)
			}
			out[p.Title] = append(out[p.Title], g)
		}
	}
	return out
}

func TestDashboardGraphsOnlyThisStacksResources(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, m := build(t, stack, nil)
		w := watchedIn(stack)
		dash := stacktest.One(t, res, dashboardType, "arrakis-overview")
		assert.Equal(t, "arrakis-"+stack+"-overview", stacktest.Str(t, dash, "dashboardName"))
		body := stacktest.Str(t, dash, "dashboardBody")
		widgets := parseWidgets(t, body)

		// Each dimension names a resource of this stack, by the name it
		// was given.
		ours := map[string]string{
			"ClusterName": w.cluster, "LoadBalancer": w.alb, "TargetGroup": w.targetGroup,
			"DBInstanceIdentifier": w.db, "CacheClusterId": w.redis[0],
		}
		seen := map[string]bool{}
		namespaces := map[string]bool{}
		for title, metrics := range widgets {
			for _, g := range metrics {
				require.NotEmpty(t, g.dims, "%s %s is scoped to a resource", title, g.name)
				namespaces[g.namespace] = true
				for k, v := range g.dims {
					if k == "ServiceName" {
						assert.Contains(t, []string{w.api, w.worker}, v, title)
					} else {
						assert.Equal(t, ours[k], v, "%s: %s", title, k)
					}
					seen[v] = true
				}
			}
		}
		for _, name := range []string{w.cluster, w.api, w.worker, w.alb, w.targetGroup, w.db, w.redis[0]} {
			assert.True(t, seen[name], "the dashboard graphs %s", name)
		}
		assert.Equal(t, map[string]bool{"AWS/ECS": true, "ECS/ContainerInsights": true, "AWS/ApplicationELB": true,
			"AWS/RDS": true, "AWS/ElastiCache": true}, namespaces)
		other := map[string]string{"production": "staging", "staging": "production"}[stack]
		assert.NotContains(t, body, other, "no other stack's resources")

		name, err := awaitString(m.DashboardName)
		require.NoError(t, err)
		assert.Equal(t, "arrakis-"+stack+"-overview", name)
		url, err := awaitString(m.DashboardURL)
		require.NoError(t, err)
		assert.Equal(t, "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=arrakis-"+stack+"-overview", url)
	})
}

func TestDashboardCoversEveryTier(t *testing.T) {
	body, err := monitoring.DashboardBody("us-east-1", monitoring.Resources{
		Cluster: "c", APIService: "a", WorkerService: "w", LoadBalancer: "app/l/1", TargetGroup: "targetgroup/t/1",
		Database: "d", RedisMembers: []string{"r-002", "r-001"},
	}, 192)
	require.NoError(t, err)
	widgets := parseWidgets(t, body)
	metrics := map[string]bool{}
	for _, ms := range widgets {
		for _, g := range ms {
			metrics[g.namespace+" "+g.name] = true
		}
	}
	for _, m := range []string{
		"AWS/ECS CPUUtilization", "AWS/ECS MemoryUtilization", "ECS/ContainerInsights RunningTaskCount",
		"AWS/ApplicationELB RequestCount", "AWS/ApplicationELB HTTPCode_ELB_5XX_Count", "AWS/ApplicationELB HTTPCode_Target_5XX_Count",
		"AWS/ApplicationELB TargetResponseTime", "AWS/ApplicationELB HealthyHostCount",
		"AWS/RDS CPUUtilization", "AWS/RDS DatabaseConnections", "AWS/RDS FreeStorageSpace",
		"AWS/ElastiCache EngineCPUUtilization", "AWS/ElastiCache DatabaseMemoryUsagePercentage",
		"AWS/ElastiCache Evictions", "AWS/ElastiCache CurrConnections",
	} {
		assert.True(t, metrics[m], "the dashboard graphs %s", m)
	}
	var members []string
	for _, g := range widgets["Redis engine CPU (%)"] {
		members = append(members, g.dims["CacheClusterId"])
	}
	assert.Equal(t, []string{"r-001", "r-002"}, members, "one line per member, in member order")
	assert.True(t, strings.Contains(body, `"label":"max_connections","value":192`), "the connections graph shows the limit")
}
