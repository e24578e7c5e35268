package network

import (
	"context"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	awsx "github.com/pulumi/pulumi-awsx/sdk/v2/go/awsx/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// vpc creates the awsx VPC with exactly the configured zones and subnets.
func (b *builder) vpc() error {
	a := b.args
	strategy := awsx.NatGatewayStrategySingle
	if a.Network.NATGateways == config.NATPerAZ {
		strategy = awsx.NatGatewayStrategyOnePerAz
	}
	cidr := a.Network.CIDR
	// The Auto strategy honours explicit cidrBlocks; Legacy (the default)
	// silently ignores them and lays out its own subnets.
	subnetStrategy := awsx.SubnetAllocationStrategyAuto
	vpc, err := awsx.NewVpc(b.Ctx, b.Child("vpc"), &awsx.VpcArgs{
		CidrBlock:             &cidr,
		AvailabilityZoneNames: a.Network.AvailabilityZones,
		SubnetStrategy:        &subnetStrategy,
		SubnetSpecs: []awsx.SubnetSpecArgs{
			{Type: awsx.SubnetTypePublic, CidrBlocks: a.Network.PublicSubnets},
			{Type: awsx.SubnetTypePrivate, CidrBlocks: a.Network.PrivateSubnets},
		},
		NatGateways:        &awsx.NatGatewayConfigurationArgs{Strategy: strategy},
		EnableDnsHostnames: pulumi.Bool(true), // awsx defaults it to false; private DNS for endpoints needs it
		EnableDnsSupport:   pulumi.Bool(true),
		Tags:               b.tags("vpc"),
	}, b.Parent, pulumi.Transforms([]pulumi.ResourceTransform{NoPublicAddressesOnLaunch}))
	if err != nil {
		return err
	}
	b.n.VPCID = vpc.VpcId
	b.n.PublicSubnetIDs = vpc.PublicSubnetIds
	b.n.PrivateSubnetIDs = vpc.PrivateSubnetIds
	b.n.PrivateRouteTableIDs = b.privateRouteTables(vpc)
	return nil
}

// privateRouteTables looks up the route table of each private subnet. awsx
// returns its route tables only as resource references, which carry no
// subnet type; asking AWS which table each private subnet uses is exact.
// Subnets may share a table (a network taken over from Terraform, until
// `up` gives each its own): each table is listed once.
func (b *builder) privateRouteTables(vpc *awsx.Vpc) pulumi.StringArrayOutput {
	ids := make(pulumi.StringArray, len(b.args.Network.PrivateSubnets))
	for i := range b.args.Network.PrivateSubnets {
		rt := ec2.LookupRouteTableOutput(b.Ctx, ec2.LookupRouteTableOutputArgs{
			SubnetId: vpc.PrivateSubnetIds.Index(pulumi.Int(i)),
		}, pulumi.Parent(b.n))
		ids[i] = rt.RouteTableId()
	}
	return ids.ToStringArrayOutput().ApplyT(Distinct).(pulumi.StringArrayOutput)
}

// Distinct is ids without repeats, in their first order.
func Distinct(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// lockDefaultSecurityGroup takes over the VPC's default security group and
// leaves it without rules, so nothing can use it by accident.
func (b *builder) lockDefaultSecurityGroup() error {
	_, err := ec2.NewDefaultSecurityGroup(b.Ctx, b.Child("default-sg"), &ec2.DefaultSecurityGroupArgs{
		VpcId: b.n.VPCID,
		Tags:  b.tags("default-locked"),
	}, b.Parent)
	return err
}

// NoPublicAddressesOnLaunch is the VPC's transform of what awsx creates:
// awsx makes its public subnets give every network interface launched in
// them a public address (mapPublicIpOnLaunch), and nothing there needs one
// — the NAT gateway has its elastic IP, the load balancer manages its own
// addresses, and a task or instance placed there by mistake should not be
// reachable from the internet. The engine runs it on each child the awsx
// plugin registers; a subnet gets mapPublicIpOnLaunch false (changed in
// place on a running subnet), every other child is left alone.
func NoPublicAddressesOnLaunch(_ context.Context, args *pulumi.ResourceTransformArgs) *pulumi.ResourceTransformResult {
	if args.Type != token.Subnet {
		return nil
	}
	props := pulumi.Map{}
	for k, v := range args.Props {
		props[k] = v
	}
	props["mapPublicIpOnLaunch"] = pulumi.Bool(false)
	return &pulumi.ResourceTransformResult{Props: props, Opts: args.Opts}
}
