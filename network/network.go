package network

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/component"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/naming"
)

const typeToken = "arrakis:network:Network"

// Args shapes the network. The stack's network settings come as config
// validated them; the ports come from the domains that listen on them.
type Args struct {
	// Network is the CIDR, availability zones, public and private subnets,
	// NAT strategy, interface endpoints and the ports tasks reach on the
	// internet.
	Network config.Network

	// Region and AccountID scope endpoint service names and IAM trust.
	Region    string
	AccountID string
	// LogRetentionDays applies to the flow log group.
	LogRetentionDays int
	// Groups, when set for a tier (alb, tasks, postgres, redis, endpoints),
	// is the name and description its security group keeps (a group taken
	// over from Terraform); both force a replacement when they change.
	Groups map[string]GroupName

	// Ports are the ports the tiers listen on: the API's (compute owns it)
	// and the data stores' (data owns them).
	Ports Ports
}

// Ports are the TCP ports the tiers' rules open: the API's, the data
// stores', and those of the services behind the load balancer.
type Ports struct {
	App, Postgres, Redis int
	Services             []int
}

// GroupName is the physical name and description of a security group.
type GroupName struct{ Name, Description string }

// FromConfig is the part of Args a stack's config decides; the caller adds
// the account and the ports.
func FromConfig(cfg *config.Config) *Args {
	groups := map[string]GroupName{}
	for tier, g := range cfg.Adopted.SecurityGroups {
		groups[tier] = GroupName(g)
	}
	return &Args{Network: cfg.Network, Region: cfg.Region, LogRetentionDays: cfg.Monitoring.LogRetentionDays, Groups: groups}
}

// Network is what other domains may use.
type Network struct {
	pulumi.ResourceState

	VPCID                pulumi.StringOutput      `pulumi:"vpcId"`
	PublicSubnetIDs      pulumi.StringArrayOutput `pulumi:"publicSubnetIds"`
	PrivateSubnetIDs     pulumi.StringArrayOutput `pulumi:"privateSubnetIds"`
	PrivateRouteTableIDs pulumi.StringArrayOutput `pulumi:"privateRouteTableIds"`

	// ServiceIngressRules are, by port, the ids of the rules that let the
	// load balancer reach a service's tasks: a service waits for its rule.
	ServiceIngressRules pulumi.StringMapOutput `pulumi:"serviceIngressRules"`

	ALBSecurityGroupID      pulumi.StringOutput `pulumi:"albSecurityGroupId"`
	TasksSecurityGroupID    pulumi.StringOutput `pulumi:"tasksSecurityGroupId"`
	PostgresSecurityGroupID pulumi.StringOutput `pulumi:"postgresSecurityGroupId"`
	RedisSecurityGroupID    pulumi.StringOutput `pulumi:"redisSecurityGroupId"`
}

// New builds the network.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Network, error) {
	return component.New(ctx, component.Spec{Type: typeToken, Kind: "network"}, name, args.validate,
		func(base component.Base, n *Network) []component.Step {
			return (&builder{Base: base, args: args, n: n}).steps()
		}, opts...)
}

// steps build the network in order.
func (b *builder) steps() []component.Step {
	return []component.Step{
		{What: "VPC", Do: b.vpc},
		{What: "default security group", Do: b.lockDefaultSecurityGroup},
		{What: "flow log", Do: b.flowLog},
		{What: "security groups", Do: b.securityGroups},
		{What: "VPC endpoints", Do: b.endpoints},
	}
}

// builder carries what every step needs.
type builder struct {
	component.Base
	args *Args
	n    *Network

	groups map[tier]pulumi.StringOutput
}

// tags names a resource in the console; the provider adds the stack tags.
func (b *builder) tags(role string) pulumi.StringMap {
	return pulumi.StringMap{"Name": pulumi.String(b.Names.Name(role, naming.LimitDefault))}
}

func (a *Args) validate() error {
	n := a.Network
	zones := len(n.AvailabilityZones)
	switch {
	case zones < 2:
		return fmt.Errorf("need at least 2 availability zones, got %d", zones)
	case len(n.PublicSubnets) != zones || len(n.PrivateSubnets) != zones:
		return fmt.Errorf("need one public and one private subnet per zone")
	case a.Region == "" || a.AccountID == "":
		return fmt.Errorf("region and account id are required")
	case a.Ports.App <= 0 || a.Ports.Postgres <= 0 || a.Ports.Redis <= 0:
		return fmt.Errorf("the app, PostgreSQL and Redis ports are required, got %+v", a.Ports)
	}
	for t, g := range a.Groups {
		if _, ok := tierDescriptions[tier(t)]; !ok || g.Name == "" || g.Description == "" {
			return fmt.Errorf("group %q: a known tier with a name and a description is required", t)
		}
	}
	seen := map[int]bool{a.Ports.App: true}
	for _, p := range a.Ports.Services {
		if p <= 0 || p > 65535 || seen[p] {
			return fmt.Errorf("service port %d: each must be a TCP port of its own, not the app's %d", p, a.Ports.App)
		}
		seen[p] = true
	}
	return nil
}
