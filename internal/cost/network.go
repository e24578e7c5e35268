package cost

import (
	"fmt"

	"github.com/arrakis/infrastructure/internal/plan"
)

// priceVPC prices what the awsx VPC creates inside its plugin: NAT gateways
// (from its strategy) with one elastic IP — a public IPv4 address — each,
// and the traffic they process. The VPC, subnets, route tables and internet
// gateway are free.
func priceVPC(_ *index, r plan.Resource) ([]Line, []string, error) {
	c := plan.VPCChildren(r)
	switch c.NATStrategy {
	case "None", "Single", "OnePerAz":
	default:
		return nil, nil, fmt.Errorf("unknown NAT gateway strategy %q", c.NATStrategy)
	}
	n := float64(c.NATGateways)
	if c.NATGateways == 0 {
		return []Line{{Resource: label(r), Category: categoryFree, Basis: "no charge (VPC, subnets, route tables, internet gateway; no NAT)"}}, nil, nil
	}
	return []Line{
		{
			Resource: label(r), Category: categoryNAT,
			Basis:   fmt.Sprintf("%d (%s over %d zones) %s × $%s", c.NATGateways, c.NATStrategy, c.Zones, hours, num(natHour)),
			Monthly: cents(n * HoursPerMonth * natHour),
		},
		{
			Resource: label(r), Category: categoryNATData, Assumption: true,
			Basis:   fmt.Sprintf("assumption: %s GB/month through each of %d × $%s/GB", num(natGBPerGateway), c.NATGateways, num(natGB)),
			Monthly: cents(n * natGBPerGateway * natGB),
		},
		{
			Resource: label(r), Category: categoryIPv4,
			Basis:   fmt.Sprintf("%d NAT elastic IP %s × $%s", c.ElasticIPs, hours, num(ipv4Hour)),
			Monthly: cents(float64(c.ElasticIPs) * HoursPerMonth * ipv4Hour),
		},
	}, nil, nil
}

// priceEndpoint prices an interface endpoint per zone it has a network
// interface in (one per subnet); gateway endpoints (S3) are free.
func priceEndpoint(x *index, r plan.Resource) ([]Line, []string, error) {
	switch t := r.Str("vpcEndpointType"); t {
	case "Gateway":
		return []Line{{Resource: label(r), Category: categoryFree, Basis: "no charge (gateway endpoint)"}}, nil, nil
	case "Interface":
	default:
		return nil, nil, fmt.Errorf("endpoint type %q has no price", t)
	}
	zones := len(r.List("subnetIds"))
	if zones == 0 {
		return nil, nil, fmt.Errorf("interface endpoint without subnetIds: cannot tell how many zones it spans")
	}
	x.interfaceEndpoints++
	return []Line{{
		Resource: label(r), Category: categoryEndpoint,
		Basis:   fmt.Sprintf("%d zones %s × $%s", zones, hours, usd(endpointHour)),
		Monthly: cents(float64(zones) * HoursPerMonth * endpointHour),
	}}, nil, nil
}

// priceLoadBalancer prices an application load balancer: its hours, a
// baseline of capacity units, one public IPv4 address per zone when it is
// internet-facing (AWS gives an internet-facing ALB a public address in each
// subnet it is enabled in), and what it sends to the internet.
func priceLoadBalancer(_ *index, r plan.Resource) ([]Line, []string, error) {
	if t := r.Str("loadBalancerType"); t != "" && t != "application" {
		return nil, nil, fmt.Errorf("load balancer type %q has no price (application only)", t)
	}
	lines := []Line{
		{
			Resource: label(r), Category: categoryALB,
			Basis:   fmt.Sprintf("1 %s × $%s", hours, num(albHour)),
			Monthly: cents(HoursPerMonth * albHour),
		},
		{
			Resource: label(r), Category: categoryLCU, Assumption: true,
			Basis:   fmt.Sprintf("assumption: %s LCU %s × $%s", num(albLCU), hours, num(albLCUHour)),
			Monthly: cents(albLCU * HoursPerMonth * albLCUHour),
		},
	}
	if r.IsTrue("internal") {
		return lines, nil, nil
	}
	zones := len(r.List("subnets")) + len(r.List("subnetMappings"))
	if zones == 0 {
		return nil, nil, fmt.Errorf("internet-facing load balancer without subnets: cannot tell how many public addresses it has")
	}
	lines = append(lines,
		Line{
			Resource: label(r), Category: categoryIPv4,
			Basis:   fmt.Sprintf("%d addresses (one per public subnet) %s × $%s", zones, hours, num(ipv4Hour)),
			Monthly: cents(float64(zones) * HoursPerMonth * ipv4Hour),
		},
		Line{
			Resource: label(r), Category: categoryEgress, Assumption: true,
			Basis: fmt.Sprintf("assumption: %s GB/month to clients × $%s/GB (AWS's 100 GB/month free allowance is per account, not counted)",
				num(internetEgressGB), usd(egressGB)),
			Monthly: cents(internetEgressGB * egressGB),
		})
	return lines, nil, nil
}

// priceWebACL prices a WAF web ACL: the ACL, each of its rules (a managed
// rule group is one), and the requests it inspects.
func priceWebACL(_ *index, r plan.Resource) ([]Line, []string, error) {
	rules := len(r.List("rules"))
	return []Line{
		{
			Resource: label(r), Category: categoryWAF,
			Basis:   fmt.Sprintf("1 web ACL × $%s + %d rules × $%s", usd(wafACLMonth), rules, usd(wafRuleMonth)),
			Monthly: cents(wafACLMonth + float64(rules)*wafRuleMonth),
		},
		{
			Resource: label(r), Category: categoryWAF, Assumption: true,
			Basis:   fmt.Sprintf("assumption: %s million requests/month × $%s", num(wafRequestsMillions), usd(wafMillionRequests)),
			Monthly: cents(wafRequestsMillions * wafMillionRequests),
		},
	}, nil, nil
}
