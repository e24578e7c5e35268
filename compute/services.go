package compute

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/naming"
)

// Share is one capacity provider's part of a service's tasks.
type Share struct {
	Provider string
	Base     int
	Weight   int
}

// CapacityStrategy places a service's tasks: the first onDemandBase tasks on
// FARGATE, always; the rest on FARGATE_SPOT when spot is allowed, on FARGATE
// otherwise. A service with no base and spot allowed runs on Spot only.
func CapacityStrategy(onDemandBase int, spot bool) []Share {
	switch {
	case !spot:
		return []Share{{Provider: Fargate, Base: onDemandBase, Weight: 1}}
	case onDemandBase == 0:
		return []Share{{Provider: FargateSpot, Weight: 1}}
	default:
		return []Share{{Provider: Fargate, Base: onDemandBase, Weight: 0}, {Provider: FargateSpot, Weight: 1}}
	}
}

// services runs the API behind the target group and the worker, both in the
// private subnets without public addresses, with the deployment circuit
// breaker rolling back a deployment whose tasks do not become healthy.
//
// Both deploy 100/200: a new task starts before an old one stops. For the
// API that keeps its minimum serving; for the single worker it means jobs
// never stop being taken during a deploy (two workers overlap briefly,
// which the job queue tolerates), and a new worker that fails to start
// leaves the old one running while the breaker rolls back.
func (b *builder) services() error {
	a := b.args
	for _, name := range taskNames {
		t := b.tasks[name]
		args := &ecs.ServiceArgs{
			Name:           pulumi.String(b.Names.Name(name, naming.LimitDefault)),
			Cluster:        b.c.ClusterARN,
			TaskDefinition: t.taskDefinition,
			NetworkConfiguration: &ecs.ServiceNetworkConfigurationArgs{
				Subnets:        a.PrivateSubnetIDs,
				SecurityGroups: pulumi.StringArray{a.TasksSecurityGroupID},
				AssignPublicIp: pulumi.Bool(false),
			},
			DeploymentCircuitBreaker: &ecs.ServiceDeploymentCircuitBreakerArgs{
				Enable:   pulumi.Bool(true),
				Rollback: pulumi.Bool(true),
			},
			DeploymentMinimumHealthyPercent: pulumi.Int(100),
			DeploymentMaximumPercent:        pulumi.Int(200),
			PropagateTags:                   pulumi.String("SERVICE"),
			EnableEcsManagedTags:            pulumi.Bool(true),
			// A deployment is watched by the circuit breaker, not by
			// `pulumi up` blocking until tasks settle.
			WaitForSteadyState: pulumi.Bool(false),
			// A new capacity strategy (spot on or off, a new on-demand
			// base) would otherwise replace the service, and ECS refuses a
			// second service under the same name: with this the provider
			// updates it in place and rolls the tasks onto the new strategy.
			ForceNewDeployment: pulumi.Bool(true),
		}
		opts := []pulumi.ResourceOption{b.Parent, pulumi.DependsOn(append([]pulumi.Resource{b.capacity}, t.ready...))}
		if name == APIContainer {
			args.DesiredCount = pulumi.Int(a.running(a.API.DesiredCount))
			args.CapacityProviderStrategies = strategyArgs(CapacityStrategy(a.API.MinCount, a.API.Spot))
			args.HealthCheckGracePeriodSeconds = pulumi.Int(APIHealth.GracePeriod())
			args.LoadBalancers = ecs.ServiceLoadBalancerArray{&ecs.ServiceLoadBalancerArgs{
				TargetGroupArn: a.TargetGroupARN,
				ContainerName:  pulumi.String(APIContainer),
				ContainerPort:  pulumi.Int(APIHealth.Port),
			}}
			// The autoscaler owns the running count after creation.
			opts = append(opts, pulumi.IgnoreChanges([]string{"desiredCount"}))
		} else {
			args.DesiredCount = pulumi.Int(a.running(a.Worker.DesiredCount))
			args.CapacityProviderStrategies = strategyArgs(CapacityStrategy(0, a.Worker.Spot))
		}
		if lt := a.LaunchTypes[name]; lt != "" {
			// Kept from Terraform: on demand, no capacity providers (and so
			// no Spot) until the launch type is removed from config.
			args.LaunchType = pulumi.String(lt)
			args.CapacityProviderStrategies = nil
		}
		svc, err := ecs.NewService(b.Ctx, b.Child(name+"-service"), args, opts...)
		if err != nil {
			return err
		}
		t.serviceName = svc.Name
	}
	return nil
}

// running is n tasks when the services run, 0 while they wait.
func (a *Args) running(n int) int {
	if !a.Running {
		return 0
	}
	return n
}

func strategyArgs(shares []Share) ecs.ServiceCapacityProviderStrategyArray {
	out := make(ecs.ServiceCapacityProviderStrategyArray, 0, len(shares))
	for _, s := range shares {
		out = append(out, &ecs.ServiceCapacityProviderStrategyArgs{
			CapacityProvider: pulumi.String(s.Provider),
			Base:             pulumi.Int(s.Base),
			Weight:           pulumi.Int(s.Weight),
		})
	}
	return out
}
