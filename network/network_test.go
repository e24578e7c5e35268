package network_test

import (
	"fmt"
	"sort"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/awsiam"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
	"github.com/arrakis/infrastructure/internal/stacktest"
	"github.com/arrakis/infrastructure/network"
)

const (
	vpcType      = "awsx:ec2:Vpc"
	sgType       = "aws:ec2/securityGroup:SecurityGroup"
	ingressType  = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	egressType   = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	endpointType = "aws:ec2/vpcEndpoint:VpcEndpoint"
)

// argsFor is a stack's network.Args, with the account and the ports main.go
// adds (the API's 3000, PostgreSQL's 5432, Redis's 6379).
func argsFor(cfg *config.Config) *network.Args {
	a := network.FromConfig(cfg)
	a.AccountID = mock.Account
	a.Ports = network.Ports{App: 3000, Postgres: 5432, Redis: 6379}
	return a
}

func build(t *testing.T, stack string) (*mock.Result, *network.Network) {
	t.Helper()
	args := argsFor(stacktest.Config(t, stack))
	return stacktest.Build(t, stack, func(ctx *pulumi.Context) (*network.Network, error) { return network.New(ctx, "arrakis", args) })
}

// Expected values per stack, from the spec (not from the stack files, so a
// changed stack file shows up here).
var want = map[string]struct {
	cidr, nat        string
	public, private  []string
	endpoints        []string
	logRetentionDays int
}{
	"production": {"10.0.0.0/16", "Single", []string{"10.0.101.0/24", "10.0.102.0/24"}, []string{"10.0.1.0/24", "10.0.2.0/24"}, []string{"ecr.api", "ecr.dkr", "logs"}, 30},
	"staging":    {"10.1.0.0/16", "Single", []string{"10.1.101.0/24", "10.1.102.0/24"}, []string{"10.1.1.0/24", "10.1.2.0/24"}, nil, 7},
}

func TestVPCHasExactlyTheConfiguredLayout(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		w := want[stack]
		res, n := build(t, stack)
		vpc := stacktest.One(t, res, vpcType, "arrakis-vpc")
		assert.True(t, vpc.Remote, "awsx VPC is a remote component")
		assert.Equal(t, w.cidr, stacktest.Str(t, vpc, "cidrBlock"))
		assert.Equal(t, []string{"us-east-1a", "us-east-1b"}, stacktest.Strings(t, vpc, "availabilityZoneNames"))
		assert.Equal(t, "Auto", stacktest.Str(t, vpc, "subnetStrategy"), "Legacy would ignore the explicit CIDR blocks")
		assert.Equal(t, "Public", stacktest.Str(t, vpc, "subnetSpecs[0].type"))
		assert.Equal(t, w.public, stacktest.Strings(t, vpc, "subnetSpecs[0].cidrBlocks"))
		assert.Equal(t, "Private", stacktest.Str(t, vpc, "subnetSpecs[1].type"))
		assert.Equal(t, w.private, stacktest.Strings(t, vpc, "subnetSpecs[1].cidrBlocks"))
		assert.Len(t, stacktest.Get(t, vpc, "subnetSpecs"), 2, "no isolated subnets")
		assert.Equal(t, w.nat, stacktest.Str(t, vpc, "natGateways.strategy"), "one NAT gateway, the seed's cost choice")
		assert.Equal(t, true, stacktest.Get(t, vpc, "enableDnsHostnames"))
		assert.Equal(t, true, stacktest.Get(t, vpc, "enableDnsSupport"))

		vpcID, err := mock.Await(n.VPCID)
		require.NoError(t, err)
		assert.Equal(t, stacktest.OutputOf(t, vpc, "vpcId"), vpcID.Value)
	})
}

func TestPerAZNATAsksAwsxForOneGatewayPerZone(t *testing.T) {
	res := stacktest.Run(t, "production", func(ctx *pulumi.Context) error {
		args := argsFor(stacktest.Config(t, "production"))
		args.Network.NATGateways = config.NATPerAZ
		_, err := network.New(ctx, "arrakis", args)
		return err
	})
	assert.Equal(t, "OnePerAz", stacktest.Str(t, stacktest.One(t, res, vpcType, "arrakis-vpc"), "natGateways.strategy"))
}

func TestS3IsAGatewayEndpointOnThePrivateRouteTables(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, n := build(t, stack)
		s3 := stacktest.One(t, res, endpointType, "arrakis-s3-endpoint")
		assert.Equal(t, "com.amazonaws.us-east-1.s3", stacktest.Str(t, s3, "serviceName"))
		assert.Equal(t, "Gateway", stacktest.Str(t, s3, "vpcEndpointType"))

		// The route tables AWS associates with the private subnets, and
		// only those.
		vpc := stacktest.One(t, res, vpcType, "arrakis-vpc")
		var wantTables []string
		for _, subnet := range stacktest.OutputOf(t, vpc, "privateSubnetIds").([]any) {
			wantTables = append(wantTables, routeTableOf(t, res, subnet.(string)))
		}
		require.Len(t, wantTables, 2)
		assert.Equal(t, wantTables, stacktest.Strings(t, s3, "routeTableIds"))

		got, err := mock.Await(n.PrivateRouteTableIDs)
		require.NoError(t, err)
		assert.Equal(t, wantTables, got.Value)
	})
}

// routeTableOf checks that the program asked AWS for the route table of a
// subnet, and returns what the mock answered.
func routeTableOf(t *testing.T, res *mock.Result, subnet string) string {
	t.Helper()
	asked := false
	for _, inv := range res.Invokes() {
		if inv.Token == "aws:ec2/getRouteTable:getRouteTable" && inv.Args["subnetId"].StringValue() == subnet {
			asked = true
		}
	}
	require.True(t, asked, "no route table lookup for subnet %s", subnet)
	out, err := res.Call(pulumi.MockCallArgs{Token: "aws:ec2/getRouteTable:getRouteTable", Args: mapOf("subnetId", subnet)})
	require.NoError(t, err)
	return out["routeTableId"].StringValue()
}

func TestInterfaceEndpointsArePrivateWithTheirOwnHTTPSGroup(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		w := want[stack]
		res, _ := build(t, stack)
		vpc := stacktest.One(t, res, vpcType, "arrakis-vpc")
		private := stacktest.OutputOf(t, vpc, "privateSubnetIds")

		var services []string
		for _, ep := range res.ByType(endpointType) {
			if stacktest.Str(t, ep, "vpcEndpointType") != "Interface" {
				continue
			}
			services = append(services, stacktest.Str(t, ep, "serviceName"))
			assert.Equal(t, true, stacktest.Get(t, ep, "privateDnsEnabled"), ep.Name)
			assert.Equal(t, private, stacktest.Get(t, ep, "subnetIds"), "%s sits in the private subnets", ep.Name)
			assert.Equal(t, []string{groupID(t, res, "arrakis-endpoints-sg")}, stacktest.Strings(t, ep, "securityGroupIds"), ep.Name)
		}
		var wantServices []string
		for _, s := range w.endpoints {
			wantServices = append(wantServices, network.ServiceName("us-east-1", s))
		}
		sort.Strings(services)
		assert.Equal(t, wantServices, services)

		if len(w.endpoints) == 0 {
			assert.Nil(t, res.Find(sgType, "arrakis-endpoints-sg"), "no endpoint group without endpoints")
			return
		}
		rule := stacktest.One(t, res, ingressType, "arrakis-endpoints-https-from-vpc")
		assert.Equal(t, groupID(t, res, "arrakis-endpoints-sg"), stacktest.Str(t, rule, "securityGroupId"))
		assert.Equal(t, 443, stacktest.Int(t, rule, "fromPort"))
		assert.Equal(t, 443, stacktest.Int(t, rule, "toPort"))
		assert.Equal(t, w.cidr, stacktest.Str(t, rule, "cidrIpv4"))
	})
}

func TestFlowLogRecordsAllTrafficThroughATightlyTrustedRole(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack)
		vpc := stacktest.One(t, res, vpcType, "arrakis-vpc")
		group := stacktest.One(t, res, "aws:cloudwatch/logGroup:LogGroup", "arrakis-flow-logs")
		role := stacktest.One(t, res, "aws:iam/role:Role", "arrakis-flow-logs-role")
		flow := stacktest.One(t, res, "aws:ec2/flowLog:FlowLog", "arrakis-flow-log")

		assert.Equal(t, want[stack].logRetentionDays, stacktest.Int(t, group, "retentionInDays"))
		assert.Equal(t, "ALL", stacktest.Str(t, flow, "trafficType"))
		assert.Equal(t, stacktest.OutputOf(t, vpc, "vpcId"), stacktest.Get(t, flow, "vpcId"))
		assert.Equal(t, "cloud-watch-logs", stacktest.Str(t, flow, "logDestinationType"))
		assert.Equal(t, stacktest.OutputOf(t, group, "arn"), stacktest.Get(t, flow, "logDestination"))
		assert.Equal(t, stacktest.OutputOf(t, role, "arn"), stacktest.Get(t, flow, "iamRoleArn"))

		trust, err := awsiam.Parse(stacktest.Str(t, role, "assumeRolePolicy"))
		require.NoError(t, err)
		require.Len(t, trust.Statement, 1)
		st := trust.Statement[0]
		assert.Equal(t, awsiam.List{"vpc-flow-logs.amazonaws.com"}, st.Principal.Service)
		assert.Empty(t, st.Principal.AWS)
		assert.Equal(t, awsiam.List{"sts:AssumeRole"}, st.Action)
		assert.Equal(t, awsiam.List{mock.Account}, st.Condition["StringEquals"]["aws:SourceAccount"])
		assert.Equal(t, awsiam.List{"arn:aws:ec2:us-east-1:" + mock.Account + ":vpc-flow-log/*"}, st.Condition["ArnLike"]["aws:SourceArn"],
			"only this account's flow logs, in this region, may use the role")

		policy, err := awsiam.Parse(stacktest.Str(t, stacktest.One(t, res, "aws:iam/rolePolicy:RolePolicy", "arrakis-flow-logs-write"), "policy"))
		require.NoError(t, err)
		arn := stacktest.OutputOf(t, group, "arn").(string)
		for _, s := range policy.Statement {
			assert.ElementsMatch(t, awsiam.List{arn, arn + ":*"}, s.Resource, "writes to its own log group only")
		}
	})
}

func TestDefaultSecurityGroupIsLockedWithoutRules(t *testing.T) {
	res, _ := build(t, "production")
	sg := stacktest.One(t, res, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "arrakis-default-sg")
	for _, k := range []string{"ingress", "egress"} {
		v, _, ok := sg.Get(k)
		assert.True(t, !ok || len(v.([]any)) == 0, "default security group has %s rules: %v", k, v)
	}
}

// flow is a security-group rule reduced to what it allows.
type flow struct {
	group, direction string
	port             int
	peer             string // a group's logical name, or a CIDR
}

func TestSecurityGroupChainIsLeastPrivilege(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack)
		names := map[string]string{} // group id -> logical name
		for _, sg := range res.ByType(sgType) {
			names[sg.ID] = sg.Name
			assert.Regexp(t, "^arrakis-"+stack+"-", stacktest.Str(t, sg, "name"))
			assert.NotEmpty(t, stacktest.Str(t, sg, "description"))
		}
		var got []flow
		for typ, dir := range map[string]string{ingressType: "in", egressType: "out"} {
			for _, r := range res.ByType(typ) {
				f := flow{group: names[stacktest.Str(t, r, "securityGroupId")], direction: dir, port: stacktest.Int(t, r, "fromPort")}
				assert.Equal(t, f.port, stacktest.Int(t, r, "toPort"), "%s opens one port", r.Name)
				assert.Equal(t, "tcp", stacktest.Str(t, r, "ipProtocol"), r.Name)
				if v, _, ok := r.Get("referencedSecurityGroupId"); ok {
					f.peer = names[v.(string)]
				} else {
					f.peer = stacktest.Str(t, r, "cidrIpv4")
				}
				got = append(got, f)
			}
		}
		expected := []flow{
			{"arrakis-alb-sg", "in", 443, "0.0.0.0/0"},
			{"arrakis-alb-sg", "in", 80, "0.0.0.0/0"},
			{"arrakis-alb-sg", "out", 3000, "arrakis-tasks-sg"},
			{"arrakis-tasks-sg", "in", 3000, "arrakis-alb-sg"},
			{"arrakis-tasks-sg", "out", 5432, "arrakis-postgres-sg"},
			{"arrakis-tasks-sg", "out", 6379, "arrakis-redis-sg"},
			{"arrakis-tasks-sg", "out", 443, "0.0.0.0/0"},
			{"arrakis-tasks-sg", "out", 8200, "0.0.0.0/0"},
			{"arrakis-postgres-sg", "in", 5432, "arrakis-tasks-sg"},
			{"arrakis-redis-sg", "in", 6379, "arrakis-tasks-sg"},
		}
		if len(want[stack].endpoints) > 0 {
			expected = append(expected, flow{"arrakis-endpoints-sg", "in", 443, want[stack].cidr})
		}
		assert.ElementsMatch(t, expected, got)

		// The data tier is reachable from the tasks' group and nothing else.
		for _, f := range got {
			if f.group == "arrakis-postgres-sg" || f.group == "arrakis-redis-sg" {
				assert.Equal(t, "arrakis-tasks-sg", f.peer, "data tier rule %+v", f)
			}
		}
	})
}

func TestRulesTable(t *testing.T) {
	rules := network.Rules(network.Ports{App: 3000, Postgres: 5432, Redis: 6379}, []int{443}, "10.0.0.0/16", false)
	var world []string
	for _, r := range rules {
		assert.True(t, (r.Peer == "") != (r.CIDR == ""), "%s has exactly one source", r.Role)
		if r.Ingress && r.CIDR == network.Internet {
			world = append(world, fmt.Sprintf("%s:%d", r.Role, r.Port))
		}
	}
	assert.ElementsMatch(t, []string{"alb-https-from-internet:443", "alb-http-from-internet:80"}, world,
		"only the load balancer is open to the internet")
}

func TestNewRejectsArgsItCannotBuild(t *testing.T) {
	stacktest.RejectsEach(t, "production", func() *network.Args { return argsFor(stacktest.Config(t, "production")) }, map[string]func(*network.Args){
		"one zone":                func(a *network.Args) { a.Network.AvailabilityZones = a.Network.AvailabilityZones[:1] },
		"missing subnet":          func(a *network.Args) { a.Network.PrivateSubnets = a.Network.PrivateSubnets[:1] },
		"no account":              func(a *network.Args) { a.AccountID = "" },
		"no app port":             func(a *network.Args) { a.Ports.App = 0 },
		"no redis port":           func(a *network.Args) { a.Ports.Redis = 0 },
		"unknown tier":            func(a *network.Args) { a.Groups = map[string]network.GroupName{"web": {Name: "x", Description: "y"}} },
		"service on the app port": func(a *network.Args) { a.Ports.Services = []int{a.Ports.App} },
		"service port twice":      func(a *network.Args) { a.Ports.Services = []int{4000, 4000} },
	}, "network arrakis", func(ctx *pulumi.Context, a *network.Args) error {
		_, err := network.New(ctx, "arrakis", a)
		return err
	})
}

// Two private subnets on one route table (the Terraform module's shape,
// until the first `up` after adoption gives each its own) attach the S3
// endpoint to that table once: AWS takes a route table once per endpoint.
func TestEndpointRouteTablesAreListedOnce(t *testing.T) {
	assert.Equal(t, []string{"rtb-1"}, network.Distinct([]string{"rtb-1", "rtb-1"}))
	assert.Equal(t, []string{"rtb-2", "rtb-1"}, network.Distinct([]string{"rtb-2", "rtb-1", "rtb-2"}))
}

// awsx makes its public subnets hand out public addresses to whatever is
// launched in them; nothing there needs one (the NAT gateway has its
// elastic IP, the load balancer manages its own), so the VPC's transform
// turns it off on every subnet awsx creates. The plan runs the transform
// through the program's callback server, as the engine does with the
// plugin's children.
func TestNoSubnetHandsOutPublicAddresses(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		p, err := plan.Build(stacktest.Input(t, stack, nil), func(ctx *pulumi.Context) error {
			_, err := network.New(ctx, "arrakis", argsFor(stacktest.Config(t, stack)))
			return err
		})
		require.NoError(t, err)
		vpc := p.Find(token.AwsxVPC)[0]
		var subnets int
		for _, c := range vpc.Children {
			if c.Type == token.Subnet {
				subnets++
				assert.Equal(t, false, c.Inputs["mapPublicIpOnLaunch"], c.Name)
				assert.NotEmpty(t, c.Inputs["cidrBlock"], "the transform keeps the other inputs")
			}
		}
		assert.Equal(t, 2*len(stacktest.Config(t, stack).Network.AvailabilityZones), subnets)
	})
}
