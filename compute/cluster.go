package compute

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/naming"
)

// Fargate capacity providers.
const (
	Fargate     = "FARGATE"
	FargateSpot = "FARGATE_SPOT"
)

// ContainerInsightsLogGroup is where Container Insights writes a cluster's
// performance events.
func ContainerInsightsLogGroup(cluster string) string {
	return "/aws/ecs/containerinsights/" + cluster + "/performance"
}

// cluster creates the ECS cluster with Container Insights and both Fargate
// capacity providers. The cluster's default strategy is on-demand, so a
// one-off `aws ecs run-task` never lands on Spot by surprise; the services
// set their own.
//
// Container Insights would create its log group itself, outside the stack
// and kept forever; made first, it keeps the stack's retention and goes
// with the stack.
func (b *builder) cluster() error {
	name := b.Names.Name("cluster", naming.LimitDefault)
	insights, err := cloudwatch.NewLogGroup(b.Ctx, b.Child("container-insights-logs"), &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(ContainerInsightsLogGroup(name)),
		RetentionInDays: pulumi.Int(b.args.LogRetentionDays),
	}, b.Parent)
	if err != nil {
		return err
	}
	cluster, err := ecs.NewCluster(b.Ctx, b.Child("cluster"), &ecs.ClusterArgs{
		Name: pulumi.String(name),
		Settings: ecs.ClusterSettingArray{&ecs.ClusterSettingArgs{
			Name:  pulumi.String("containerInsights"),
			Value: pulumi.String("enabled"),
		}},
	}, b.Parent, pulumi.DependsOn([]pulumi.Resource{insights}))
	if err != nil {
		return err
	}
	capacity, err := ecs.NewClusterCapacityProviders(b.Ctx, b.Child("cluster-capacity-providers"), &ecs.ClusterCapacityProvidersArgs{
		ClusterName:       cluster.Name,
		CapacityProviders: pulumi.StringArray{pulumi.String(Fargate), pulumi.String(FargateSpot)},
		DefaultCapacityProviderStrategies: ecs.ClusterCapacityProvidersDefaultCapacityProviderStrategyArray{
			&ecs.ClusterCapacityProvidersDefaultCapacityProviderStrategyArgs{
				CapacityProvider: pulumi.String(Fargate),
				Base:             pulumi.Int(0),
				Weight:           pulumi.Int(1),
			},
		},
	}, b.Parent)
	if err != nil {
		return err
	}
	b.capacity = capacity
	b.c.ClusterName = cluster.Name
	b.c.ClusterARN = cluster.Arn
	return nil
}

// logGroups creates /ecs/arrakis-<stack>/<task> for each task.
func (b *builder) logGroups() error {
	for _, name := range b.args.allTasks() {
		group, err := cloudwatch.NewLogGroup(b.Ctx, b.Child(name+"-logs"), &cloudwatch.LogGroupArgs{
			Name:            pulumi.String(b.Names.LogGroup(name)),
			RetentionInDays: pulumi.Int(b.args.LogRetentionDays),
		}, b.Parent)
		if err != nil {
			return err
		}
		b.tasks[name] = &task{name: name, logGroup: group.Name}
	}
	return nil
}
