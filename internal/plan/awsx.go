package plan

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"

	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// Children counts what a remote awsx VPC creates inside the plugin — under
// the mock engine none of it exists, so it is derived from the inputs the
// way awsx lays it out: per zone, a subnet and a route table (with its
// association and routes) per subnet spec; an internet gateway; NAT
// gateways with one elastic IP each, one for the VPC (Single) or one per
// zone (OnePerAz).
type Children struct {
	Zones, Subnets, RouteTables, NATGateways, ElasticIPs, InternetGateways int

	// NATStrategy is the VPC's natGateways.strategy, or awsx's default.
	NATStrategy string
}

// VPCChildren derives the children of an awsx VPC from its inputs.
func VPCChildren(r Resource) Children {
	zones := len(r.List("availabilityZoneNames"))
	specs := r.List("subnetSpecs")
	c := Children{Zones: zones, Subnets: zones * len(specs), InternetGateways: 1}
	c.RouteTables = c.Subnets
	c.NATStrategy = "OnePerAz" // awsx's default when public and private subnets exist
	if v, ok := r.Input("natGateways.strategy"); ok {
		if s, ok := v.(string); ok {
			c.NATStrategy = s
		}
	}
	switch c.NATStrategy {
	case "Single":
		c.NATGateways = 1
	case "OnePerAz":
		c.NATGateways = zones
	}
	c.ElasticIPs = c.NATGateways
	return c
}

func (c Children) String() string {
	parts := []string{
		"1 VPC",
		plural(c.InternetGateways, "internet gateway"),
		plural(c.Subnets, "subnet"),
		plural(c.RouteTables, "route table") + " with associations and routes",
		plural(c.NATGateways, "NAT gateway"),
		plural(c.ElasticIPs, "elastic IP"),
	}
	return strings.Join(parts, ", ")
}

func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// Child is one resource an awsx VPC creates inside the plugin, as awsx
// v2.22.0 names and parents it (awsx/ec2/vpc.ts, subnetDistributorNew.ts):
// its type, logical name, the URN of its parent and its own URN, and the
// inputs that decide what it is.
type Child struct {
	Type, Name  string
	URN, Parent string
	Inputs      map[string]any
}

// VPCChildResources lists the children of an awsx VPC with explicit
// cidrBlocks, the layout this program uses:
//
//   - the aws VPC, named like the component, under it; the internet
//     gateway under the aws VPC;
//   - per zone n (1-based, in the order of availabilityZoneNames), per
//     subnet spec (public before private): a subnet <vpc>-<type>-<n> under
//     the aws VPC, and under the subnet a route table of the same name,
//     which holds the subnet's association and its default route (public:
//     to the internet gateway; private: to the NAT gateway);
//   - NAT gateways <vpc>-<n>, each with an elastic IP of the same name,
//     under the public subnet of their zone: in zone 1 only with the Single
//     strategy.
//
// Under the mock engine none of them exists; the Terraform adoption places
// the running VPC's resources at these URNs.
func VPCChildResources(vpc Resource) []Child {
	var out []Child
	add := func(parent, typ, name string, inputs map[string]any) string {
		c := Child{Type: typ, Name: name, Parent: parent, URN: childURN(parent, typ, name), Inputs: inputs}
		out = append(out, c)
		return c.URN
	}
	zones := vpc.List("availabilityZoneNames")
	awsVPC := add(vpc.URN, token.VPC, vpc.Name, map[string]any{
		"cidrBlock": vpc.Inputs["cidrBlock"], "enableDnsHostnames": vpc.Inputs["enableDnsHostnames"],
		"enableDnsSupport": vpc.Inputs["enableDnsSupport"],
	})
	add(awsVPC, token.InternetGateway, vpc.Name, map[string]any{})
	nats := VPCChildren(vpc).NATGateways
	type spec struct {
		typ   string
		cidrs []any
	}
	var specs []spec
	for _, s := range vpc.Objects("subnetSpecs") {
		specs = append(specs, spec{typ: AsString(s["type"]), cidrs: AsList(s["cidrBlocks"])})
	}
	sort.SliceStable(specs, func(i, j int) bool { return specs[i].typ == "Public" && specs[j].typ != "Public" })
	for z, zone := range zones {
		n := z + 1
		for _, s := range specs {
			name := fmt.Sprintf("%s-%s-%d", vpc.Name, strings.ToLower(s.typ), n)
			inputs := map[string]any{"availabilityZone": zone, "mapPublicIpOnLaunch": s.typ == "Public"}
			if z < len(s.cidrs) {
				inputs["cidrBlock"] = s.cidrs[z]
			}
			subnet := add(awsVPC, token.Subnet, name, inputs)
			table := add(subnet, token.RouteTable, name, map[string]any{})
			add(table, token.RouteTableAssociation, name, map[string]any{})
			route := map[string]any{"destinationCidrBlock": "0.0.0.0/0"}
			add(table, token.Route, name, route)
			if s.typ == "Public" && z < nats {
				add(subnet, token.EIP, fmt.Sprintf("%s-%d", vpc.Name, n), map[string]any{"domain": "vpc"})
				add(subnet, token.NATGateway, fmt.Sprintf("%s-%d", vpc.Name, n), map[string]any{})
			}
		}
	}
	return out
}

// childURN is the URN of a child of the resource whose URN is parent.
func childURN(parent, typ, name string) string {
	p := resource.URN(parent)
	return string(resource.NewURN(p.Stack(), p.Project(), p.QualifiedType(), tokens.Type(typ), name))
}

// ChildResources are the resources the awsx VPC's plugin creates: as the
// program's transforms left them when the plan ran them, else as awsx
// lays them out (VPCChildResources).
func ChildResources(vpc Resource) []Child {
	if len(vpc.Children) > 0 {
		return vpc.Children
	}
	return VPCChildResources(vpc)
}

// pluginChildren models, for the mock, what the awsx VPC's plugin creates,
// so the recorder can run the program's transforms over it.
func pluginChildren(r *mock.Resource) []mock.Child {
	if r.Type != token.AwsxVPC {
		return nil
	}
	inputs, _ := mock.Masked(r.Inputs)
	var out []mock.Child
	for _, c := range VPCChildResources(Resource{URN: r.URN, Type: r.Type, Name: r.Name, Inputs: inputs}) {
		out = append(out, mock.Child{Type: c.Type, Name: c.Name, Parent: c.Parent, Inputs: resource.NewPropertyMapFromMap(c.Inputs)})
	}
	return out
}

// Transformed says, child by child, what the program's transforms change
// in what awsx would create: "<type> <name>: <input> <awsx's> → <the
// program's>".
func Transformed(vpc Resource) []string {
	var out []string
	model := map[string]Child{}
	for _, c := range VPCChildResources(vpc) {
		model[c.URN] = c
	}
	for _, c := range vpc.Children {
		before := model[c.URN]
		for _, k := range slices.Sorted(maps.Keys(c.Inputs)) {
			if was, now := before.Inputs[k], c.Inputs[k]; !reflect.DeepEqual(was, now) {
				out = append(out, fmt.Sprintf("%s %s: %s %v → %v", c.Type, c.Name, k, was, now))
			}
		}
	}
	return out
}
