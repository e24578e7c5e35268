package monitoring

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/component"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/naming"
)

const typeToken = "arrakis:monitoring:Monitoring"

// Args shapes the monitoring. Values that decide what is built (how many
// subscriptions and Redis alarms, the thresholds) are plain Go values; the
// names of the watched resources are Pulumi inputs from the other domains.
type Args struct {
	// Region and AccountID scope the policies and the dashboard.
	Region    string
	AccountID string

	// AlarmEmails each get an e-mail subscription to the alerts topic.
	AlarmEmails []string
	Thresholds  config.Thresholds
	// DBInstanceClass gives max_connections, which rdsConnectionsPercent is
	// a share of.
	DBInstanceClass string
	// DBAllocatedStorageGiB bounds the free-storage threshold.
	DBAllocatedStorageGiB int
	// RedisNodes is the number of member clusters of the replication group:
	// each gets its own Redis alarms.
	RedisNodes int
	// Protect guards the topic's KMS key against deletion (production).
	Protect bool
	// ServicesRunning is false while the services are held at zero tasks
	// (a new stack without its image or secrets): the alarms that watch
	// them, which would fire on a service that is meant to be empty, send
	// nothing until it is true.
	ServicesRunning bool

	// ClusterName, APIServiceName and WorkerServiceName are the ECS names.
	ClusterName       pulumi.StringInput
	APIServiceName    pulumi.StringInput
	WorkerServiceName pulumi.StringInput
	// ALBARNSuffix (app/<name>/<id>) and TargetGroupARNSuffix
	// (targetgroup/<name>/<id>) are the load balancer metric dimensions.
	ALBARNSuffix         pulumi.StringInput
	TargetGroupARNSuffix pulumi.StringInput
	DBInstanceIdentifier pulumi.StringInput
	// RedisMemberClusters are the member cluster ids of the replication
	// group (<group>-001, …), RedisNodes of them.
	RedisMemberClusters pulumi.StringArrayInput
}

// Monitoring is what other domains and the stack outputs may use.
type Monitoring struct {
	pulumi.ResourceState

	AlertsTopicARN pulumi.StringOutput      `pulumi:"alertsTopicArn"`
	AlertsKeyARN   pulumi.StringOutput      `pulumi:"alertsKeyArn"`
	DashboardName  pulumi.StringOutput      `pulumi:"dashboardName"`
	DashboardURL   pulumi.StringOutput      `pulumi:"dashboardUrl"`
	AlarmNames     pulumi.StringArrayOutput `pulumi:"alarmNames"`
}

// New builds the monitoring of a stack.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Monitoring, error) {
	limits, err := args.plan()
	if err != nil {
		return nil, fmt.Errorf("monitoring %s: %w", name, err)
	}
	m := &Monitoring{}
	if err := ctx.RegisterComponentResource(typeToken, name, m, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: args, names: naming.New(ctx.Stack()), parent: pulumi.Parent(m), m: m,
		limits: limits, alarms: Alarms(args.Thresholds, limits)}
	if err := component.Build("monitoring", name,
		component.Step{What: "alerts topic", Do: b.topic},
		component.Step{What: "alarms", Do: b.createAlarms},
		component.Step{What: "dashboard", Do: b.dashboard},
	); err != nil {
		return nil, err
	}
	return m, ctx.RegisterResourceOutputs(m, pulumi.Map{
		"alertsTopicArn": m.AlertsTopicARN,
		"alertsKeyArn":   m.AlertsKeyARN,
		"dashboardName":  m.DashboardName,
		"dashboardUrl":   m.DashboardURL,
		"alarmNames":     m.AlarmNames,
	})
}

// builder carries what every step needs.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *Args
	names  naming.Namer
	parent pulumi.ResourceOption
	m      *Monitoring
	limits Limits
	alarms []Alarm
}

// child is the logical name of a child resource.
func (b *builder) child(role string) string { return b.name + "-" + role }

// plan checks the arguments and derives the limits the alarms need.
func (a *Args) plan() (Limits, error) {
	var errs []error
	if a.Region == "" || a.AccountID == "" {
		errs = append(errs, errors.New("region and account id are required"))
	}
	for _, in := range []struct {
		what  string
		value any
	}{
		{"ClusterName", a.ClusterName}, {"APIServiceName", a.APIServiceName}, {"WorkerServiceName", a.WorkerServiceName},
		{"ALBARNSuffix", a.ALBARNSuffix}, {"TargetGroupARNSuffix", a.TargetGroupARNSuffix},
		{"DBInstanceIdentifier", a.DBInstanceIdentifier}, {"RedisMemberClusters", a.RedisMemberClusters},
	} {
		if in.value == nil {
			errs = append(errs, fmt.Errorf("%s is required", in.what))
		}
	}
	if a.RedisNodes < 1 {
		errs = append(errs, fmt.Errorf("arrakis:redis.nodes: got %d; at least one Redis node is watched", a.RedisNodes))
	}
	if free := a.Thresholds.RDSFreeStorageGiB; a.DBAllocatedStorageGiB > 0 && free >= float64(a.DBAllocatedStorageGiB) {
		errs = append(errs, fmt.Errorf("arrakis:monitoring.thresholds.rdsFreeStorageGiB: got %g; must be below arrakis:database.allocatedStorage (%d GiB), or the alarm fires on an empty database",
			free, a.DBAllocatedStorageGiB))
	}
	if _, err := subscriptionRoles(a.AlarmEmails); err != nil {
		errs = append(errs, err)
	}
	maxConns, err := MaxConnections(a.DBInstanceClass)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return Limits{}, errors.Join(errs...)
	}
	return Limits{MaxDBConnections: maxConns, RedisNodes: a.RedisNodes}, nil
}
