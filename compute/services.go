package compute

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/health"
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

// services runs each task as a service in the private subnets without
// public addresses, with the deployment circuit breaker rolling back a
// deployment whose tasks do not become healthy: the API and the routed
// configured services behind their target groups, the worker and the
// other services on their own.
//
// All deploy 100/200: a new task starts before an old one stops. For the
// API that keeps its minimum serving; for the single worker it means jobs
// never stop being taken during a deploy (two workers overlap briefly,
// which the job queue tolerates), and a new worker that fails to start
// leaves the old one running while the breaker rolls back.
func (b *builder) services() error {
	a := b.args
	for _, name := range a.allTasks() {
		t, p := b.tasks[name], a.placement(name)
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
			ForceNewDeployment:         pulumi.Bool(true),
			DesiredCount:               pulumi.Int(a.running(p.desired)),
			CapacityProviderStrategies: strategyArgs(p.strategy),
		}
		opts := []pulumi.ResourceOption{b.Parent, pulumi.DependsOn(append([]pulumi.Resource{b.capacity}, t.ready...))}
		if p.targetGroup != nil {
			args.HealthCheckGracePeriodSeconds = pulumi.Int(p.health.GracePeriod())
			args.LoadBalancers = ecs.ServiceLoadBalancerArray{&ecs.ServiceLoadBalancerArgs{
				TargetGroupArn: p.targetGroup,
				ContainerName:  pulumi.String(name),
				ContainerPort:  pulumi.Int(p.health.Port),
			}}
		}
		if p.autoscaled {
			// The autoscaler owns the running count after creation.
			opts = append(opts, pulumi.IgnoreChanges([]string{"desiredCount"}))
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

// placement is how a task's service runs.
type placement struct {
	desired  int
	strategy []Share
	// targetGroup, when the service is behind the load balancer, resolves
	// once the load balancer forwards to it and may reach the tasks;
	// health is how the target group checks them.
	targetGroup pulumi.StringInput
	health      health.Check
	// autoscaled services leave their count to Application Auto Scaling.
	autoscaled bool
	// scaling is the task range and targets of an autoscaled service.
	scaling scaling
}

// scaling is an autoscaled service's range and targets.
type scaling struct {
	min, max              int
	cpu, memory, requests int
	targetGroupARNSuffix  pulumi.StringInput // for the requests target
}

// placement says how a task runs: the API autoscaled behind its target
// group with an on-demand base of its minimum; the worker on its own, on
// Spot when allowed; a configured service like the API when routed (its
// minimum on demand) and like the worker otherwise, autoscaled when its
// maximum is above its minimum.
func (a *Args) placement(name string) placement {
	switch name {
	case APIContainer:
		return placement{
			desired: a.API.DesiredCount, strategy: CapacityStrategy(a.API.MinCount, a.API.Spot),
			targetGroup: a.TargetGroupARN, health: APIHealth, autoscaled: true,
			scaling: scaling{
				min: a.API.MinCount, max: a.API.MaxCount,
				cpu: a.API.CPUTarget, memory: a.API.MemoryTarget, requests: a.API.RequestsPerTarget,
				targetGroupARNSuffix: a.TargetGroupARNSuffix,
			},
		}
	case WorkerContainer:
		return placement{desired: a.Worker.DesiredCount, strategy: CapacityStrategy(0, a.Worker.Spot)}
	}
	s, _ := a.service(name)
	p := placement{desired: s.DesiredCount, strategy: CapacityStrategy(0, s.Spot), autoscaled: s.Autoscaled()}
	p.scaling = scaling{min: s.MinCount, max: s.MaxCount, cpu: s.CPUTarget, memory: s.MemoryTarget}
	if s.Routed() {
		p.strategy = CapacityStrategy(s.MinCount, s.Spot)
		p.health = ServiceHealth(s.Service)
		// The service waits for its target group to be forwarded to and
		// for the rule that lets the load balancer reach its port.
		p.targetGroup = pulumi.All(s.TargetGroupARN, s.IngressRule).ApplyT(func(v []any) string {
			return v[0].(string)
		}).(pulumi.StringOutput)
		p.scaling.requests, p.scaling.targetGroupARNSuffix = s.RequestsPerTarget, s.TargetGroupARNSuffix
	}
	return p
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
