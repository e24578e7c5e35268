package monitoring

import (
	"fmt"
	"strings"

	"github.com/arrakis/infrastructure/internal/config"
)

// Target is the resource whose name an alarm dimension carries. The table
// names targets; the component resolves them to the inputs it was given.
type Target string

// The resources alarms watch.
const (
	Cluster       Target = "cluster"
	APIService    Target = "apiService"
	WorkerService Target = "workerService"
	LoadBalancer  Target = "loadBalancer" // its ARN suffix, app/<name>/<id>
	TargetGroup   Target = "targetGroup"  // its ARN suffix, targetgroup/<name>/<id>
	DBInstance    Target = "dbInstance"   // the DB instance identifier
	RedisMember   Target = "redisMember"  // one member cluster of the replication group
	// A configured service, and its target group's ARN suffix: the
	// alarm's Service names which.
	NamedService     Target = "service"
	NamedTargetGroup Target = "serviceTargetGroup"
	WebACL           Target = "webAcl" // the web ACL's name
	Region           Target = "region" // the stack's region
)

// Dimension is a CloudWatch dimension whose value is the name of a target,
// or a fixed Value.
type Dimension struct {
	Name  string
	Of    Target
	Value string
}

// Rate is a metric-math alarm on 100 × numerator ÷ denominator, both summed
// over the period, in the alarm's namespace and dimensions.
type Rate struct {
	Numerator   string
	Denominator string
}

// Expression is the metric math of the rate: m1 is the numerator, m2 the
// denominator. The numerator is filled with 0 because the load balancer
// publishes no 5xx datapoint when there was no error; periods with fewer
// than minRequests requests read 0, because on a quiet stack one failed
// request out of two would otherwise page at 50 %.
func (r Rate) Expression() string {
	return fmt.Sprintf("IF(m2 >= %d, 100 * FILL(m1, 0) / m2, 0)", minRequests)
}

// minRequests is the least traffic per period for which an error rate means
// something.
const minRequests = 10

// Comparison operators and missing-data treatments CloudWatch accepts.
const (
	Above = "GreaterThanThreshold"
	Below = "LessThanThreshold"

	MissingNotBreaching = "notBreaching"
	MissingBreaching    = "breaching"
	MissingKeepState    = "missing"
)

// Alarm is one CloudWatch alarm, independent of the resources it watches.
type Alarm struct {
	// Role names the alarm: arrakis-<stack>-<role>.
	Role        string
	Description string
	Namespace   string
	// Metric and Statistic (or Percentile, such as p99) describe a single
	// metric; Rate replaces them with metric math.
	Metric     string
	Statistic  string
	Percentile string
	Rate       *Rate
	Dimensions []Dimension
	// Member is the 1-based number of the Redis member cluster a
	// RedisMember dimension refers to.
	Member int
	// Service is the configured service NamedService and
	// NamedTargetGroup dimensions refer to.
	Service string

	Period            int // seconds
	EvaluationPeriods int
	DatapointsToAlarm int
	Threshold         float64
	Comparison        string
	TreatMissingData  string
}

// WatchesServices reports whether the alarm watches the ECS services or the
// load balancer in front of them, which have nothing to report while the
// services are held at zero tasks.
func (a Alarm) WatchesServices() bool {
	for _, d := range a.Dimensions {
		switch d.Of {
		case APIService, WorkerService, LoadBalancer, TargetGroup, NamedService, NamedTargetGroup:
			return true
		}
	}
	return false
}

// Limits are values derived from the stack's sizes rather than configured.
type Limits struct {
	// MaxDBConnections is the database's max_connections.
	MaxDBConnections int
	// RedisNodes is the number of member clusters of the replication group.
	RedisNodes int
	// WAF is whether a web ACL guards the load balancer.
	WAF bool
}

const (
	fiveMinutes = 300
	oneMinute   = 60
)

// Namespaces of the metrics the alarms and the dashboard read.
const (
	nsECS         = "AWS/ECS"
	nsInsights    = "ECS/ContainerInsights"
	nsALB         = "AWS/ApplicationELB"
	nsRDS         = "AWS/RDS"
	nsElastiCache = "AWS/ElastiCache"
	nsWAF         = "AWS/WAFV2"
)

// Dimension sets of each resource.
var (
	apiDims    = []Dimension{{Name: "ClusterName", Of: Cluster}, {Name: "ServiceName", Of: APIService}}
	workerDims = []Dimension{{Name: "ClusterName", Of: Cluster}, {Name: "ServiceName", Of: WorkerService}}
	albDims    = []Dimension{{Name: "LoadBalancer", Of: LoadBalancer}}
	tgDims     = []Dimension{{Name: "LoadBalancer", Of: LoadBalancer}, {Name: "TargetGroup", Of: TargetGroup}}
	dbDims     = []Dimension{{Name: "DBInstanceIdentifier", Of: DBInstance}}
	// ElastiCache publishes Redis metrics per cache node, under the member
	// cluster's CacheClusterId; a cluster-mode-disabled replication group has
	// no ReplicationGroupId-level series for them, so each member gets its
	// own alarms.
	redisDims = []Dimension{{Name: "CacheClusterId", Of: RedisMember}}
)

// Alarms is every alarm of a stack.
//
// Missing data: ECS service metrics stop when a service runs no task, and
// load balancer metrics when there is no traffic, which is not a CPU,
// error or latency problem: those are notBreaching (a service with no
// healthy task is what no-healthy-targets is for, and it treats missing
// data as breaching: no HealthyHostCount means nothing is serving). RDS and
// ElastiCache publish every minute while the instance runs; a gap means a
// reboot or maintenance, so those keep their state (missing) instead of
// paging or clearing.
func Alarms(t config.Thresholds, l Limits) []Alarm {
	alarms := append(
		service("api", "API", apiDims, t.APICPUPercent, t.APIMemoryPercent),
		service("worker", "worker", workerDims, t.WorkerCPUPercent, t.WorkerMemoryPercent)...)
	alarms = append(alarms, []Alarm{
		{
			Role:        "alb-5xx-rate",
			Description: fmt.Sprintf("More than %g %% of the requests to the load balancer failed with a 5xx it generated itself (no healthy target, timeouts)", t.ALB5xxRatePercent),
			Namespace:   nsALB, Rate: &Rate{Numerator: "HTTPCode_ELB_5XX_Count", Denominator: "RequestCount"}, Dimensions: albDims,
			Period: fiveMinutes, EvaluationPeriods: 3, DatapointsToAlarm: 2,
			Threshold: t.ALB5xxRatePercent, Comparison: Above, TreatMissingData: MissingNotBreaching,
		},
		{
			Role:        "api-5xx-rate",
			Description: fmt.Sprintf("More than %g %% of the requests the API answered were 5xx errors", t.Target5xxRatePercent),
			Namespace:   nsALB, Rate: &Rate{Numerator: "HTTPCode_Target_5XX_Count", Denominator: "RequestCount"}, Dimensions: tgDims,
			Period: fiveMinutes, EvaluationPeriods: 3, DatapointsToAlarm: 2,
			Threshold: t.Target5xxRatePercent, Comparison: Above, TreatMissingData: MissingNotBreaching,
		},
		{
			Role:        "api-no-healthy-targets",
			Description: "The API target group has no healthy task: the API is down",
			Namespace:   nsALB, Metric: "HealthyHostCount", Statistic: "Minimum", Dimensions: tgDims,
			Period: oneMinute, EvaluationPeriods: 3, DatapointsToAlarm: 3,
			Threshold: 1, Comparison: Below, TreatMissingData: MissingBreaching,
		},
		{
			Role:        "api-p99-latency",
			Description: fmt.Sprintf("The slowest 1 %% of API responses took more than %g s", t.ResponseTimeP99Seconds),
			Namespace:   nsALB, Metric: "TargetResponseTime", Percentile: "p99", Dimensions: tgDims,
			Period: fiveMinutes, EvaluationPeriods: 3, DatapointsToAlarm: 2,
			Threshold: t.ResponseTimeP99Seconds, Comparison: Above, TreatMissingData: MissingNotBreaching,
		},
		{
			Role:        "rds-cpu-high",
			Description: fmt.Sprintf("PostgreSQL CPU above %g %% for 10 minutes", t.RDSCPUPercent),
			Namespace:   nsRDS, Metric: "CPUUtilization", Statistic: "Average", Dimensions: dbDims,
			Period: fiveMinutes, EvaluationPeriods: 2, DatapointsToAlarm: 2,
			Threshold: t.RDSCPUPercent, Comparison: Above, TreatMissingData: MissingKeepState,
		},
		{
			Role:        "rds-free-storage-low",
			Description: fmt.Sprintf("PostgreSQL has less than %g GiB of free storage; check that storage autoscaling has room below maxAllocatedStorage", t.RDSFreeStorageGiB),
			Namespace:   nsRDS, Metric: "FreeStorageSpace", Statistic: "Minimum", Dimensions: dbDims,
			Period: fiveMinutes, EvaluationPeriods: 1, DatapointsToAlarm: 1,
			Threshold: t.RDSFreeStorageGiB * gib, Comparison: Below, TreatMissingData: MissingKeepState,
		},
		{
			Role: "rds-connections-high",
			Description: fmt.Sprintf("PostgreSQL connections above %g %% of max_connections (%d)",
				t.RDSConnectionsPercent, l.MaxDBConnections),
			Namespace: nsRDS, Metric: "DatabaseConnections", Statistic: "Maximum", Dimensions: dbDims,
			Period: fiveMinutes, EvaluationPeriods: 2, DatapointsToAlarm: 2,
			Threshold: connectionsThreshold(l.MaxDBConnections, t.RDSConnectionsPercent), Comparison: Above, TreatMissingData: MissingKeepState,
		},
	}...)
	for m := 1; m <= l.RedisNodes; m++ {
		alarms = append(alarms, redis(m, t)...)
	}
	if l.WAF {
		// A spike of blocked requests is an attack or a scan in progress,
		// or a rule blocking real traffic (a new client, a rate limit too
		// tight): either way someone should look at the sampled requests.
		alarms = append(alarms, Alarm{
			Role:        "waf-blocked-spike",
			Description: fmt.Sprintf("The web ACL blocked more than %g requests in 5 minutes: an attack, or a rule blocking real clients (check its sampled requests)", t.WAFBlockedPer5Minutes),
			Namespace:   nsWAF, Metric: "BlockedRequests", Statistic: "Sum",
			Dimensions: []Dimension{{Name: "WebACL", Of: WebACL}, {Name: "Region", Of: Region}, {Name: "Rule", Value: "ALL"}},
			Period:     fiveMinutes, EvaluationPeriods: 1, DatapointsToAlarm: 1,
			Threshold: t.WAFBlockedPer5Minutes, Comparison: Above, TreatMissingData: MissingNotBreaching,
		})
	}
	return alarms
}

// service is the CPU and memory alarms of an ECS service: average over
// 5 minutes, two periods in a row, as the Terraform had them.
func service(role, label string, dims []Dimension, cpu, memory float64) []Alarm {
	alarm := func(what, metric string, threshold float64) Alarm {
		return Alarm{
			Role:        role + "-" + strings.ToLower(what) + "-high",
			Description: fmt.Sprintf("The %s service's average %s use is above %g %% for 10 minutes", label, what, threshold),
			Namespace:   nsECS, Metric: metric, Statistic: "Average", Dimensions: dims,
			Period: fiveMinutes, EvaluationPeriods: 2, DatapointsToAlarm: 2,
			Threshold: threshold, Comparison: Above, TreatMissingData: MissingNotBreaching,
		}
	}
	return []Alarm{alarm("CPU", "CPUUtilization", cpu), alarm("memory", "MemoryUtilization", memory)}
}

// ServiceAlarms are a configured service's alarms: CPU and memory as the
// API's; its running tasks below its minimum; and, routed, no healthy
// target and its 5xx rate, as the API's.
//
// Running tasks come from Container Insights, which publishes the count
// every minute while the service exists (0 included): three minutes below
// the minimum is a service that cannot keep its tasks up (crashing, Spot
// capacity gone, a deployment stuck). No data at all means nothing
// reports, which is treated as the outage it most likely is.
func ServiceAlarms(s Service, t config.Thresholds) []Alarm {
	svcDims := []Dimension{{Name: "ClusterName", Of: Cluster}, {Name: "ServiceName", Of: NamedService}}
	tgDims := []Dimension{{Name: "LoadBalancer", Of: LoadBalancer}, {Name: "TargetGroup", Of: NamedTargetGroup}}
	alarms := service(s.Name, s.Name, svcDims, s.CPUPercent, s.MemoryPercent)
	if s.MinRunning > 0 {
		alarms = append(alarms, Alarm{
			Role:        s.Name + "-running-tasks",
			Description: fmt.Sprintf("The %s service has run fewer than %d task(s) for 3 minutes", s.Name, s.MinRunning),
			Namespace:   nsInsights, Metric: "RunningTaskCount", Statistic: "Minimum", Dimensions: svcDims,
			Period: oneMinute, EvaluationPeriods: 3, DatapointsToAlarm: 3,
			Threshold: float64(s.MinRunning), Comparison: Below, TreatMissingData: MissingBreaching,
		})
	}
	if s.Routed {
		alarms = append(alarms,
			Alarm{
				Role:        s.Name + "-no-healthy-targets",
				Description: fmt.Sprintf("The %s target group has no healthy task: %s is down", s.Name, s.Name),
				Namespace:   nsALB, Metric: "HealthyHostCount", Statistic: "Minimum", Dimensions: tgDims,
				Period: oneMinute, EvaluationPeriods: 3, DatapointsToAlarm: 3,
				Threshold: 1, Comparison: Below, TreatMissingData: MissingBreaching,
			},
			Alarm{
				Role:        s.Name + "-5xx-rate",
				Description: fmt.Sprintf("More than %g %% of the requests %s answered were 5xx errors", t.Target5xxRatePercent, s.Name),
				Namespace:   nsALB, Rate: &Rate{Numerator: "HTTPCode_Target_5XX_Count", Denominator: "RequestCount"}, Dimensions: tgDims,
				Period: fiveMinutes, EvaluationPeriods: 3, DatapointsToAlarm: 2,
				Threshold: t.Target5xxRatePercent, Comparison: Above, TreatMissingData: MissingNotBreaching,
			})
	}
	for i := range alarms {
		alarms[i].Service = s.Name
	}
	return alarms
}

// redis is the alarms of one member cluster of the replication group.
func redis(member int, t config.Thresholds) []Alarm {
	node := fmt.Sprintf("redis-%03d", member)
	alarm := func(what, metric, statistic string, threshold float64, periods int, description string) Alarm {
		return Alarm{
			Role:        node + "-" + what,
			Description: fmt.Sprintf("Redis node %s: %s", node, description),
			Namespace:   nsElastiCache, Metric: metric, Statistic: statistic, Dimensions: redisDims, Member: member,
			Period: fiveMinutes, EvaluationPeriods: periods, DatapointsToAlarm: periods,
			Threshold: threshold, Comparison: Above, TreatMissingData: MissingKeepState,
		}
	}
	return []Alarm{
		alarm("engine-cpu-high", "EngineCPUUtilization", "Average", t.RedisEngineCPUPercent, 2,
			fmt.Sprintf("the engine thread is busier than %g %% for 10 minutes", t.RedisEngineCPUPercent)),
		alarm("memory-high", "DatabaseMemoryUsagePercentage", "Average", t.RedisMemoryPercent, 2,
			fmt.Sprintf("data uses more than %g %% of maxmemory; evictions follow", t.RedisMemoryPercent)),
		alarm("evictions", "Evictions", "Sum", t.RedisEvictionsPer5Minute, 1,
			fmt.Sprintf("more than %g keys evicted in 5 minutes", t.RedisEvictionsPer5Minute)),
	}
}
