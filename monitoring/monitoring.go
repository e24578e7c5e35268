package monitoring

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/component"
	"github.com/arrakis/infrastructure/internal/config"
)

const typeToken = "arrakis:monitoring:Monitoring"

// Args shapes the monitoring. Values that decide what is built (how many
// subscriptions and Redis alarms, the thresholds) are plain Go values; the
// names of the watched resources are Pulumi inputs from the other domains.
type Args struct {
	// Region and AccountID scope the policies and the dashboard.
	Region    string
	AccountID string

	// Monitoring is the alarm e-mails (each gets a subscription to the
	// alerts topic) and the alarm thresholds.
	Monitoring config.Monitoring
	// DBInstanceClass gives max_connections, which rdsConnectionsPercent is
	// a share of.
	DBInstanceClass string
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
	// WAF says a web ACL guards the load balancer; WebACLName is its name.
	WAF        bool
	WebACLName pulumi.StringInput

	// Services are the services beyond the API and the worker: each gets
	// its alarms and a dashboard row.
	Services []Service
}

// Service is a configured service as the monitoring watches it.
type Service struct {
	Name string
	// MinRunning is the fewest tasks it should run (0: no running-tasks
	// alarm); CPUPercent and MemoryPercent are where its alarms fire.
	MinRunning                int
	CPUPercent, MemoryPercent float64
	// Routed services sit behind the load balancer, in the target group
	// whose ARN suffix is TargetGroupARNSuffix.
	Routed               bool
	ServiceName          pulumi.StringInput
	TargetGroupARNSuffix pulumi.StringInput
}

// FromConfig is the part of Args a stack's config decides; the caller adds
// the account and whether the services run, and wires the watched
// resources.
func FromConfig(cfg *config.Config) *Args {
	a := &Args{
		Region: cfg.Region, Monitoring: cfg.Monitoring, Protect: cfg.Production(),
		DBInstanceClass: cfg.Database.InstanceClass, RedisNodes: cfg.Redis.Nodes,
		WAF: cfg.Edge.WAF.Enabled,
	}
	for _, name := range cfg.ServiceNames() {
		s := cfg.Services[name]
		a.Services = append(a.Services, Service{
			Name: name, MinRunning: s.MinCount, Routed: s.Routed(),
			CPUPercent: s.CPUAlarmPercent, MemoryPercent: s.MemoryAlarmPercent,
		})
	}
	return a
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
	var limits Limits
	validate := func() (err error) {
		limits, err = args.limits()
		return err
	}
	return component.New(ctx, component.Spec{Type: typeToken, Kind: "monitoring", Protect: args.Protect}, name, validate,
		func(base component.Base, m *Monitoring) []component.Step {
			alarms := Alarms(args.Monitoring.Thresholds, limits)
			for _, svc := range args.Services {
				alarms = append(alarms, ServiceAlarms(svc, args.Monitoring.Thresholds)...)
			}
			b := &builder{Base: base, args: args, m: m, limits: limits, alarms: alarms}
			return []component.Step{{What: "alerts topic", Do: b.topic}, {What: "alarms", Do: b.createAlarms}, {What: "dashboard", Do: b.dashboard}}
		}, opts...)
}

// builder carries what every step needs.
type builder struct {
	component.Base
	args   *Args
	m      *Monitoring
	limits Limits
	alarms []Alarm
}

// limits checks the arguments and derives what the alarms need from them.
// Config has validated every value a user gives; an error here is the
// program's.
func (a *Args) limits() (Limits, error) {
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
	seen := map[string]bool{}
	for _, s := range a.Services {
		switch {
		case s.Name == "" || seen[s.Name]:
			errs = append(errs, fmt.Errorf("service %q: each needs a name of its own", s.Name))
		case s.ServiceName == nil || (s.Routed && s.TargetGroupARNSuffix == nil):
			errs = append(errs, fmt.Errorf("service %s: its ECS service name (and, routed, its target group) is required", s.Name))
		case s.MinRunning < 0 || s.CPUPercent <= 0 || s.MemoryPercent <= 0:
			errs = append(errs, fmt.Errorf("service %s: a negative minimum or a threshold that is not positive", s.Name))
		}
		seen[s.Name] = true
	}
	if a.WAF && a.WebACLName == nil {
		errs = append(errs, errors.New("WebACLName is required with a WAF"))
	}
	if a.RedisNodes < 1 {
		errs = append(errs, fmt.Errorf("at least one Redis node is watched, got %d", a.RedisNodes))
	}
	if _, err := subscriptionRoles(a.Monitoring.AlarmEmails); err != nil {
		errs = append(errs, err)
	}
	maxConns, err := MaxConnections(a.DBInstanceClass)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return Limits{}, errors.Join(errs...)
	}
	return Limits{MaxDBConnections: maxConns, RedisNodes: a.RedisNodes, WAF: a.WAF}, nil
}
