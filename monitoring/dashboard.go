package monitoring

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/naming"
)

// Resources are the names the dashboard's metrics carry.
type Resources struct {
	Cluster       string
	APIService    string
	WorkerService string
	LoadBalancer  string // ARN suffix
	TargetGroup   string // ARN suffix
	Database      string
	RedisMembers  []string
	// Services are the configured services, each a row of its own.
	Services []ServiceResources
}

// ServiceResources are the names a configured service's metrics carry.
type ServiceResources struct {
	Name        string
	ServiceName string
	// TargetGroup is the ARN suffix of its target group; "" when the
	// service is not behind the load balancer.
	TargetGroup string
}

// dashboard creates the overview dashboard. Its body needs the names of
// resources other domains create, so it is marshalled once they are known.
func (b *builder) dashboard() error {
	a := b.args
	inputs := []any{a.ClusterName, a.APIServiceName, a.WorkerServiceName,
		a.ALBARNSuffix, a.TargetGroupARNSuffix, a.DBInstanceIdentifier, a.RedisMemberClusters}
	const fixed = 7
	for _, s := range a.Services {
		tg := pulumi.StringInput(pulumi.String(""))
		if s.Routed {
			tg = s.TargetGroupARNSuffix
		}
		inputs = append(inputs, s.ServiceName, tg)
	}
	body := pulumi.All(inputs...).ApplyT(func(v []any) (string, error) {
		var r Resources
		members, ok := v[6].([]string)
		if !ok {
			return "", fmt.Errorf("redis member clusters: got %T, want a list of strings", v[6])
		}
		r.RedisMembers = members
		str := func(i int) (string, error) {
			s, ok := v[i].(string)
			if !ok {
				return "", fmt.Errorf("dashboard input %d: got %T, want a string", i, v[i])
			}
			return s, nil
		}
		var err error
		for i, dst := range []*string{&r.Cluster, &r.APIService, &r.WorkerService, &r.LoadBalancer, &r.TargetGroup, &r.Database} {
			if *dst, err = str(i); err != nil {
				return "", err
			}
		}
		for i, s := range a.Services {
			sr := ServiceResources{Name: s.Name}
			if sr.ServiceName, err = str(fixed + 2*i); err != nil {
				return "", err
			}
			if sr.TargetGroup, err = str(fixed + 2*i + 1); err != nil {
				return "", err
			}
			r.Services = append(r.Services, sr)
		}
		return DashboardBody(a.Region, r, b.limits.MaxDBConnections)
	}).(pulumi.StringOutput)
	dash, err := cloudwatch.NewDashboard(b.Ctx, b.Child("overview"), &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(b.Names.Name("overview", naming.LimitDefault)),
		DashboardBody: body,
	}, b.Parent)
	if err != nil {
		return err
	}
	b.m.DashboardName = dash.DashboardName
	b.m.DashboardURL = dash.DashboardName.ApplyT(func(name string) string {
		return DashboardURL(a.Region, name)
	}).(pulumi.StringOutput)
	return nil
}

// DashboardURL is the console address of a dashboard.
func DashboardURL(region, name string) string {
	return fmt.Sprintf("https://%s.console.aws.amazon.com/cloudwatch/home?region=%s#dashboards:name=%s",
		region, region, url.PathEscape(name))
}

// DashboardBody is the overview dashboard: one row per tier, each graph over
// 5-minute periods.
func DashboardBody(region string, r Resources, maxDBConnections int) (string, error) {
	api := dims("ClusterName", r.Cluster, "ServiceName", r.APIService)
	worker := dims("ClusterName", r.Cluster, "ServiceName", r.WorkerService)
	lb := dims("LoadBalancer", r.LoadBalancer)
	tg := dims("LoadBalancer", r.LoadBalancer, "TargetGroup", r.TargetGroup)
	db := dims("DBInstanceIdentifier", r.Database)
	members := append([]string(nil), r.RedisMembers...)
	sort.Strings(members)
	perMember := func(metricName string) []metric {
		var out []metric
		for _, m := range members {
			out = append(out, metric{Namespace: nsElastiCache, Name: metricName, Dims: dims("CacheClusterId", m), Label: m})
		}
		return out
	}

	rows := [][]properties{
		{
			{Title: "API CPU and memory (%)", Stat: "Average", Metrics: []metric{
				{Namespace: nsECS, Name: "CPUUtilization", Dims: api, Label: "CPU"},
				{Namespace: nsECS, Name: "MemoryUtilization", Dims: api, Label: "memory"},
			}},
			{Title: "Worker CPU and memory (%)", Stat: "Average", Metrics: []metric{
				{Namespace: nsECS, Name: "CPUUtilization", Dims: worker, Label: "CPU"},
				{Namespace: nsECS, Name: "MemoryUtilization", Dims: worker, Label: "memory"},
			}},
			{Title: "Running tasks", Stat: "Average", Metrics: []metric{
				{Namespace: nsInsights, Name: "RunningTaskCount", Dims: api, Label: "API"},
				{Namespace: nsInsights, Name: "RunningTaskCount", Dims: worker, Label: "worker"},
			}},
		},
		{
			{Title: "Requests", Stat: "Sum", Metrics: []metric{
				{Namespace: nsALB, Name: "RequestCount", Dims: lb, Label: "requests"},
			}},
			{Title: "5xx responses", Stat: "Sum", Metrics: []metric{
				{Namespace: nsALB, Name: "HTTPCode_ELB_5XX_Count", Dims: lb, Label: "from the load balancer"},
				{Namespace: nsALB, Name: "HTTPCode_Target_5XX_Count", Dims: tg, Label: "from the API"},
			}},
			{Title: "API response time (s)", Stat: "p99", Metrics: []metric{
				{Namespace: nsALB, Name: "TargetResponseTime", Dims: tg, Stat: "p50", Label: "p50"},
				{Namespace: nsALB, Name: "TargetResponseTime", Dims: tg, Stat: "p99", Label: "p99"},
			}},
			{Title: "API targets", Stat: "Minimum", Metrics: []metric{
				{Namespace: nsALB, Name: "HealthyHostCount", Dims: tg, Label: "healthy"},
				{Namespace: nsALB, Name: "UnHealthyHostCount", Dims: tg, Stat: "Maximum", Label: "unhealthy"},
			}},
		},
		{
			{Title: "PostgreSQL CPU (%)", Stat: "Average", Metrics: []metric{
				{Namespace: nsRDS, Name: "CPUUtilization", Dims: db, Label: "CPU"},
			}},
			{Title: "PostgreSQL connections", Stat: "Maximum", Metrics: []metric{
				{Namespace: nsRDS, Name: "DatabaseConnections", Dims: db, Label: "connections"},
			}, Annotations: &annotations{Horizontal: []line{{Label: "max_connections", Value: float64(maxDBConnections)}}}},
			{Title: "PostgreSQL free storage (bytes)", Stat: "Minimum", Metrics: []metric{
				{Namespace: nsRDS, Name: "FreeStorageSpace", Dims: db, Label: "free"},
			}},
		},
		{
			{Title: "Redis engine CPU (%)", Stat: "Average", Metrics: perMember("EngineCPUUtilization")},
			{Title: "Redis memory (% of maxmemory)", Stat: "Average", Metrics: perMember("DatabaseMemoryUsagePercentage")},
			{Title: "Redis evictions", Stat: "Sum", Metrics: perMember("Evictions")},
			{Title: "Redis connections", Stat: "Maximum", Metrics: perMember("CurrConnections")},
		},
	}

	for _, svc := range r.Services {
		rows = append(rows, serviceRow(svc, r))
	}

	var d board
	for y, row := range rows {
		width := gridWidth / len(row)
		for x, p := range row {
			p.View, p.Region, p.Period = "timeSeries", region, fiveMinutes
			d.Widgets = append(d.Widgets, widget{
				Type: "metric", X: x * width, Y: y * rowHeight, Width: width, Height: rowHeight, Properties: p,
			})
		}
	}
	out, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("marshalling the dashboard: %w", err)
	}
	return string(out), nil
}

// serviceRow is a configured service's row: CPU and memory, running
// tasks, and — behind the load balancer — its requests, 5xx responses and
// targets.
func serviceRow(s ServiceResources, r Resources) []properties {
	svc := dims("ClusterName", r.Cluster, "ServiceName", s.ServiceName)
	row := []properties{
		{Title: s.Name + " CPU and memory (%)", Stat: "Average", Metrics: []metric{
			{Namespace: nsECS, Name: "CPUUtilization", Dims: svc, Label: "CPU"},
			{Namespace: nsECS, Name: "MemoryUtilization", Dims: svc, Label: "memory"},
		}},
		{Title: s.Name + " running tasks", Stat: "Average", Metrics: []metric{
			{Namespace: nsInsights, Name: "RunningTaskCount", Dims: svc, Label: s.Name},
		}},
	}
	if s.TargetGroup == "" {
		return row
	}
	tg := dims("LoadBalancer", r.LoadBalancer, "TargetGroup", s.TargetGroup)
	return append(row,
		properties{Title: s.Name + " requests and 5xx", Stat: "Sum", Metrics: []metric{
			{Namespace: nsALB, Name: "RequestCount", Dims: tg, Label: "requests"},
			{Namespace: nsALB, Name: "HTTPCode_Target_5XX_Count", Dims: tg, Label: "5xx"},
		}},
		properties{Title: s.Name + " targets", Stat: "Minimum", Metrics: []metric{
			{Namespace: nsALB, Name: "HealthyHostCount", Dims: tg, Label: "healthy"},
			{Namespace: nsALB, Name: "UnHealthyHostCount", Dims: tg, Stat: "Maximum", Label: "unhealthy"},
		}},
	)
}

// The dashboard grid is 24 units wide.
const (
	gridWidth = 24
	rowHeight = 6
)

// board is a CloudWatch dashboard body.
type board struct {
	Widgets []widget `json:"widgets"`
}

type widget struct {
	Type       string     `json:"type"`
	X          int        `json:"x"`
	Y          int        `json:"y"`
	Width      int        `json:"width"`
	Height     int        `json:"height"`
	Properties properties `json:"properties"`
}

type properties struct {
	Title       string       `json:"title"`
	View        string       `json:"view"`
	Region      string       `json:"region"`
	Stat        string       `json:"stat"`
	Period      int          `json:"period"`
	Metrics     []metric     `json:"metrics"`
	Annotations *annotations `json:"annotations,omitempty"`
}

type annotations struct {
	Horizontal []line `json:"horizontal"`
}

type line struct {
	Label string  `json:"label"`
	Value float64 `json:"value"`
}

// metric is one graphed metric. CloudWatch writes it as an array:
// [namespace, name, dimension, value, …, {options}].
type metric struct {
	Namespace string
	Name      string
	Dims      [][2]string
	Stat      string // overrides the widget's statistic
	Label     string
}

type metricOptions struct {
	Stat  string `json:"stat,omitempty"`
	Label string `json:"label,omitempty"`
}

// MarshalJSON writes the array form.
func (m metric) MarshalJSON() ([]byte, error) {
	row := []any{m.Namespace, m.Name}
	for _, d := range m.Dims {
		row = append(row, d[0], d[1])
	}
	if opts := (metricOptions{Stat: m.Stat, Label: m.Label}); opts != (metricOptions{}) {
		row = append(row, opts)
	}
	return json.Marshal(row)
}

// dims pairs dimension names with values: dims("A", "a", "B", "b").
func dims(kv ...string) [][2]string {
	out := make([][2]string, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, [2]string{kv[i], kv[i+1]})
	}
	return out
}
