package network

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/component"
	"github.com/arrakis/infrastructure/internal/naming"
)

const typeToken = "arrakis:network:Network"

// Args shapes the network. Values that decide what is built are plain Go
// values.
type Args struct {
	// Region and AccountID scope endpoint service names and IAM trust.
	Region    string
	AccountID string

	CIDR           string
	Zones          []string
	PublicSubnets  []string
	PrivateSubnets []string
	// PerAZNAT puts a NAT gateway in every zone instead of one for the VPC.
	PerAZNAT bool
	// InterfaceEndpoints are service suffixes such as "ecr.api".
	InterfaceEndpoints []string

	// AppPort is the port the API containers listen on.
	AppPort int
	// TaskEgressPorts are the TCP ports tasks may reach on the internet.
	TaskEgressPorts []int
	// LogRetentionDays applies to the flow log group.
	LogRetentionDays int
	// Groups, when set for a tier (alb, tasks, postgres, redis, endpoints),
	// is the name and description its security group keeps (a group taken
	// over from Terraform); both force a replacement when they change.
	Groups map[string]GroupName
}

// GroupName is the physical name and description of a security group.
type GroupName struct{ Name, Description string }

// Network is what other domains may use.
type Network struct {
	pulumi.ResourceState

	VPCID                pulumi.StringOutput      `pulumi:"vpcId"`
	PublicSubnetIDs      pulumi.StringArrayOutput `pulumi:"publicSubnetIds"`
	PrivateSubnetIDs     pulumi.StringArrayOutput `pulumi:"privateSubnetIds"`
	PrivateRouteTableIDs pulumi.StringArrayOutput `pulumi:"privateRouteTableIds"`

	ALBSecurityGroupID      pulumi.StringOutput `pulumi:"albSecurityGroupId"`
	TasksSecurityGroupID    pulumi.StringOutput `pulumi:"tasksSecurityGroupId"`
	PostgresSecurityGroupID pulumi.StringOutput `pulumi:"postgresSecurityGroupId"`
	RedisSecurityGroupID    pulumi.StringOutput `pulumi:"redisSecurityGroupId"`
}

// New builds the network.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Network, error) {
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	n := &Network{}
	if err := ctx.RegisterComponentResource(typeToken, name, n, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: args, names: naming.New(ctx.Stack()), parent: pulumi.Parent(n), n: n}
	if err := component.Build("network", name,
		component.Step{What: "VPC", Do: b.vpc},
		component.Step{What: "default security group", Do: b.lockDefaultSecurityGroup},
		component.Step{What: "flow log", Do: b.flowLog},
		component.Step{What: "security groups", Do: b.securityGroups},
		component.Step{What: "VPC endpoints", Do: b.endpoints},
	); err != nil {
		return nil, err
	}
	return n, ctx.RegisterResourceOutputs(n, pulumi.Map{
		"vpcId":                   n.VPCID,
		"publicSubnetIds":         n.PublicSubnetIDs,
		"privateSubnetIds":        n.PrivateSubnetIDs,
		"privateRouteTableIds":    n.PrivateRouteTableIDs,
		"albSecurityGroupId":      n.ALBSecurityGroupID,
		"tasksSecurityGroupId":    n.TasksSecurityGroupID,
		"postgresSecurityGroupId": n.PostgresSecurityGroupID,
		"redisSecurityGroupId":    n.RedisSecurityGroupID,
	})
}

// builder carries what every step needs.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *Args
	names  naming.Namer
	parent pulumi.ResourceOption
	n      *Network

	vpcCIDR string
	groups  map[tier]pulumi.StringOutput
}

// child is the logical name of a child resource.
func (b *builder) child(role string) string { return b.name + "-" + role }

// tags names a resource in the console; the provider adds the stack tags.
func (b *builder) tags(role string) pulumi.StringMap {
	return pulumi.StringMap{"Name": pulumi.String(b.names.Name(role, naming.LimitDefault))}
}

func (a *Args) validate() error {
	switch {
	case len(a.Zones) < 2:
		return fmt.Errorf("need at least 2 availability zones, got %d", len(a.Zones))
	case len(a.PublicSubnets) != len(a.Zones) || len(a.PrivateSubnets) != len(a.Zones):
		return fmt.Errorf("need one public and one private subnet per zone")
	case a.Region == "" || a.AccountID == "":
		return fmt.Errorf("region and account id are required")
	case a.AppPort <= 0:
		return fmt.Errorf("app port must be positive")
	}
	for t, g := range a.Groups {
		if _, ok := tierDescriptions[tier(t)]; !ok || g.Name == "" || g.Description == "" {
			return fmt.Errorf("group %q: a known tier with a name and a description is required", t)
		}
	}
	return nil
}
