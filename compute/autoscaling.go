package compute

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/appautoscaling"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/naming"
)

// Target tracking cooldowns (seconds): scale out fast when load comes,
// scale in slowly so a brief lull does not drop the capacity a burst needs.
const (
	scaleOutCooldown = 60
	scaleInCooldown  = 300
)

// Predefined target tracking metrics.
const (
	MetricCPU      = "ECSServiceAverageCPUUtilization"
	MetricMemory   = "ECSServiceAverageMemoryUtilization"
	MetricRequests = "ALBRequestCountPerTarget"
)

// ScalingPolicy is one target tracking policy of a service.
type ScalingPolicy struct {
	Role   string // part of the policy's name
	Metric string
	Target float64
}

// ScalingPolicies are the API's targets: average CPU, average memory and
// requests per task.
func ScalingPolicies(api config.API) []ScalingPolicy {
	return scaling{cpu: api.CPUTarget, memory: api.MemoryTarget, requests: api.RequestsPerTarget}.policies()
}

// policies are the targets of an autoscaled service: average CPU and
// memory, and requests per task when it is behind the load balancer.
func (s scaling) policies() []ScalingPolicy {
	out := []ScalingPolicy{
		{Role: "cpu", Metric: MetricCPU, Target: float64(s.cpu)},
		{Role: "memory", Metric: MetricMemory, Target: float64(s.memory)},
	}
	if s.requests > 0 {
		out = append(out, ScalingPolicy{Role: "requests", Metric: MetricRequests, Target: float64(s.requests)})
	}
	return out
}

// autoscaling keeps each autoscaled service's task count between its
// minimum and maximum, tracking each target; the service ignores
// desiredCount so the two never fight. While the services wait (no image
// or secrets yet) the range is 0–0, so nothing scales out; raising the
// minimum later makes Application Auto Scaling start the tasks.
func (b *builder) autoscaling() error {
	a := b.args
	for _, name := range a.allTasks() {
		p := a.placement(name)
		if !p.autoscaled {
			continue
		}
		target, err := appautoscaling.NewTarget(b.Ctx, b.Child(name+"-scaling-target"), &appautoscaling.TargetArgs{
			ServiceNamespace:  pulumi.String("ecs"),
			ScalableDimension: pulumi.String("ecs:service:DesiredCount"),
			ResourceId:        pulumi.Sprintf("service/%s/%s", b.c.ClusterName, b.tasks[name].serviceName),
			MinCapacity:       pulumi.Int(a.running(p.scaling.min)),
			MaxCapacity:       pulumi.Int(a.running(p.scaling.max)),
		}, b.Parent)
		if err != nil {
			return err
		}
		for _, pol := range p.scaling.policies() {
			metric := &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs{
				PredefinedMetricType: pulumi.String(pol.Metric),
			}
			if pol.Metric == MetricRequests {
				// app/<alb>/<id>/targetgroup/<tg>/<id>
				metric.ResourceLabel = pulumi.Sprintf("%s/%s", a.ALBARNSuffix, p.scaling.targetGroupARNSuffix)
			}
			if _, err := appautoscaling.NewPolicy(b.Ctx, b.Child(name+"-"+pol.Role+"-scaling"), &appautoscaling.PolicyArgs{
				Name:              pulumi.String(b.Names.Name(name+"-"+pol.Role, naming.LimitDefault)),
				PolicyType:        pulumi.String("TargetTrackingScaling"),
				ServiceNamespace:  target.ServiceNamespace,
				ScalableDimension: target.ScalableDimension,
				ResourceId:        target.ResourceId,
				TargetTrackingScalingPolicyConfiguration: &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs{
					PredefinedMetricSpecification: metric,
					TargetValue:                   pulumi.Float64(pol.Target),
					ScaleOutCooldown:              pulumi.Int(scaleOutCooldown),
					ScaleInCooldown:               pulumi.Int(scaleInCooldown),
				},
			}, b.Parent); err != nil {
				return err
			}
		}
	}
	return nil
}
