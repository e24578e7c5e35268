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

// ScalingPolicy is one target tracking policy of the API.
type ScalingPolicy struct {
	Role   string // part of the policy's name
	Metric string
	Target float64
}

// ScalingPolicies are the API's targets: average CPU, average memory and
// requests per task.
func ScalingPolicies(api config.API) []ScalingPolicy {
	return []ScalingPolicy{
		{Role: "cpu", Metric: MetricCPU, Target: float64(api.CPUTarget)},
		{Role: "memory", Metric: MetricMemory, Target: float64(api.MemoryTarget)},
		{Role: "requests", Metric: MetricRequests, Target: float64(api.RequestsPerTarget)},
	}
}

// autoscaling keeps the API's task count between its minimum and maximum,
// tracking each target; the service ignores desiredCount so the two never
// fight. While the services wait (no image or secrets yet) the range is
// 0–0, so nothing scales out; raising the minimum later makes Application
// Auto Scaling start the tasks.
func (b *builder) autoscaling() error {
	a := b.args
	target, err := appautoscaling.NewTarget(b.Ctx, b.Child("api-scaling-target"), &appautoscaling.TargetArgs{
		ServiceNamespace:  pulumi.String("ecs"),
		ScalableDimension: pulumi.String("ecs:service:DesiredCount"),
		ResourceId:        pulumi.Sprintf("service/%s/%s", b.c.ClusterName, b.tasks[APIContainer].serviceName),
		MinCapacity:       pulumi.Int(a.running(a.API.MinCount)),
		MaxCapacity:       pulumi.Int(a.running(a.API.MaxCount)),
	}, b.Parent)
	if err != nil {
		return err
	}
	for _, p := range ScalingPolicies(a.API) {
		metric := &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs{
			PredefinedMetricType: pulumi.String(p.Metric),
		}
		if p.Metric == MetricRequests {
			// app/<alb>/<id>/targetgroup/<tg>/<id>
			metric.ResourceLabel = pulumi.Sprintf("%s/%s", a.ALBARNSuffix, a.TargetGroupARNSuffix)
		}
		if _, err := appautoscaling.NewPolicy(b.Ctx, b.Child("api-"+p.Role+"-scaling"), &appautoscaling.PolicyArgs{
			Name:              pulumi.String(b.Names.Name("api-"+p.Role, naming.LimitDefault)),
			PolicyType:        pulumi.String("TargetTrackingScaling"),
			ServiceNamespace:  target.ServiceNamespace,
			ScalableDimension: target.ScalableDimension,
			ResourceId:        target.ResourceId,
			TargetTrackingScalingPolicyConfiguration: &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs{
				PredefinedMetricSpecification: metric,
				TargetValue:                   pulumi.Float64(p.Target),
				ScaleOutCooldown:              pulumi.Int(scaleOutCooldown),
				ScaleInCooldown:               pulumi.Int(scaleInCooldown),
			},
		}, b.Parent); err != nil {
			return err
		}
	}
	return nil
}
