package monitoring

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/naming"
)

// createAlarms creates one CloudWatch alarm per entry of the table, with
// alarm and OK actions to the alerts topic.
func (b *builder) createAlarms() error {
	actions := pulumi.Array{b.m.AlertsTopicARN}
	var names pulumi.StringArray
	for _, a := range b.alarms {
		args := &cloudwatch.MetricAlarmArgs{
			Name:               pulumi.String(b.Names.Name(a.Role, naming.LimitDefault)),
			AlarmDescription:   pulumi.String(a.Description),
			ActionsEnabled:     pulumi.Bool(b.args.ServicesRunning || !a.WatchesServices()),
			AlarmActions:       actions,
			OkActions:          actions,
			ComparisonOperator: pulumi.String(a.Comparison),
			Threshold:          pulumi.Float64(a.Threshold),
			EvaluationPeriods:  pulumi.Int(a.EvaluationPeriods),
			DatapointsToAlarm:  pulumi.Int(a.DatapointsToAlarm),
			TreatMissingData:   pulumi.String(a.TreatMissingData),
		}
		dims, err := b.dimensions(a)
		if err != nil {
			return fmt.Errorf("alarm %s: %w", a.Role, err)
		}
		switch {
		case a.Rate != nil:
			// Period, namespace and statistic belong to the queries here:
			// CloudWatch rejects them on an alarm with metric queries.
			metric := func(id, name string) cloudwatch.MetricAlarmMetricQueryArgs {
				return cloudwatch.MetricAlarmMetricQueryArgs{
					Id:         pulumi.String(id),
					ReturnData: pulumi.Bool(false),
					Metric: cloudwatch.MetricAlarmMetricQueryMetricArgs{
						Namespace:  pulumi.String(a.Namespace),
						MetricName: pulumi.String(name),
						Dimensions: dims,
						Period:     pulumi.Int(a.Period),
						Stat:       pulumi.String("Sum"),
					},
				}
			}
			args.MetricQueries = cloudwatch.MetricAlarmMetricQueryArray{
				metric("m1", a.Rate.Numerator),
				metric("m2", a.Rate.Denominator),
				cloudwatch.MetricAlarmMetricQueryArgs{
					Id:         pulumi.String("e1"),
					Expression: pulumi.String(a.Rate.Expression()),
					Label:      pulumi.String(a.Rate.Numerator + " per 100 " + a.Rate.Denominator),
					ReturnData: pulumi.Bool(true),
				},
			}
		default:
			args.Namespace = pulumi.String(a.Namespace)
			args.MetricName = pulumi.String(a.Metric)
			args.Period = pulumi.Int(a.Period)
			args.Dimensions = dims
			if a.Percentile != "" {
				args.ExtendedStatistic = pulumi.String(a.Percentile)
			} else {
				args.Statistic = pulumi.String(a.Statistic)
			}
		}
		alarm, err := cloudwatch.NewMetricAlarm(b.Ctx, b.Child(a.Role+"-alarm"), args, b.Parent)
		if err != nil {
			return fmt.Errorf("alarm %s: %w", a.Role, err)
		}
		names = append(names, alarm.Name)
	}
	b.m.AlarmNames = names.ToStringArrayOutput()
	return nil
}

// dimensions resolves an alarm's dimensions to the names of the resources
// this stack was given.
func (b *builder) dimensions(a Alarm) (pulumi.StringMap, error) {
	dims := pulumi.StringMap{}
	for _, d := range a.Dimensions {
		if d.Value != "" {
			dims[d.Name] = pulumi.String(d.Value)
			continue
		}
		v, err := b.resolve(d.Of, a)
		if err != nil {
			return nil, err
		}
		dims[d.Name] = v
	}
	return dims, nil
}

// resolve is the name of a target of an alarm (which names the Redis
// member or the configured service the target means).
func (b *builder) resolve(t Target, alarm Alarm) (pulumi.StringInput, error) {
	a, member := b.args, alarm.Member
	switch t {
	case Cluster:
		return a.ClusterName, nil
	case APIService:
		return a.APIServiceName, nil
	case WorkerService:
		return a.WorkerServiceName, nil
	case LoadBalancer:
		return a.ALBARNSuffix, nil
	case TargetGroup:
		return a.TargetGroupARNSuffix, nil
	case DBInstance:
		return a.DBInstanceIdentifier, nil
	case NamedService, NamedTargetGroup:
		for _, s := range a.Services {
			if s.Name == alarm.Service && t == NamedService {
				return s.ServiceName, nil
			}
			if s.Name == alarm.Service && s.Routed {
				return s.TargetGroupARNSuffix, nil
			}
		}
		return nil, fmt.Errorf("no service %q for dimension target %q", alarm.Service, t)
	case WebACL:
		return a.WebACLName, nil
	case Region:
		return pulumi.String(a.Region), nil
	case RedisMember:
		return a.RedisMemberClusters.ToStringArrayOutput().ApplyT(func(ids []string) (string, error) {
			return memberCluster(ids, member)
		}).(pulumi.StringOutput), nil
	}
	return nil, fmt.Errorf("no resource for dimension target %q", t)
}

// memberCluster is the member-th member cluster id in AWS's numbering
// (<group>-001, -002, …). The provider returns the members as a set, in no
// fixed order, so they are sorted first: alarm redis-002 always watches
// member -002.
func memberCluster(ids []string, member int) (string, error) {
	if member < 1 || member > len(ids) {
		return "", fmt.Errorf("redis member %d is watched but the replication group has %d member clusters %v: the node count given to monitoring and the replication group disagree",
			member, len(ids), ids)
	}
	sorted := append([]string(nil), ids...)
	sort.Strings(sorted)
	return sorted[member-1], nil
}
