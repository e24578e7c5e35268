package plan

import (
	"fmt"
	"strings"
)

// AwsxVPCType is the type token of the awsx VPC component.
const AwsxVPCType = "awsx:ec2:Vpc"

// Children counts what a remote awsx VPC creates inside the plugin — under
// the mock engine none of it exists, so it is derived from the inputs the
// way awsx lays it out: per zone, a subnet and a route table (with its
// association and routes) per subnet spec; an internet gateway; NAT
// gateways with one elastic IP each, one for the VPC (Single) or one per
// zone (OnePerAz).
type Children struct {
	Zones, Subnets, RouteTables, NATGateways, ElasticIPs, InternetGateways int
}

// VPCChildren derives the children of an awsx VPC from its inputs.
func VPCChildren(r Resource) Children {
	zones := len(asList(r.Inputs["availabilityZoneNames"]))
	specs := asList(r.Inputs["subnetSpecs"])
	c := Children{Zones: zones, Subnets: zones * len(specs), InternetGateways: 1}
	c.RouteTables = c.Subnets
	strategy := "OnePerAz" // awsx's default when public and private subnets exist
	if nat, ok := r.Inputs["natGateways"].(map[string]any); ok {
		if s, ok := nat["strategy"].(string); ok {
			strategy = s
		}
	}
	switch strategy {
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

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
