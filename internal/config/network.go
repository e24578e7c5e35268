package config

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

func validateNetwork(cfg *Config, ps *problems) {
	n := &cfg.Network
	vpc, err := netip.ParsePrefix(n.CIDR)
	vpcOK := err == nil && vpc.Addr().Is4() && vpc == vpc.Masked()
	switch {
	case !vpcOK:
		ps.add(key("network", "cidr"), n.CIDR, "must be an IPv4 network in CIDR notation such as 10.0.0.0/16 (host bits zero)")
	case vpc.Bits() < 16 || vpc.Bits() > 28:
		ps.add(key("network", "cidr"), n.CIDR, "must be between /16 and /28, the sizes a VPC may have")
		vpcOK = false
	}

	zones := n.AvailabilityZones
	if len(zones) < 2 {
		ps.add(key("network", "availabilityZones"), zones, "must list at least 2 availability zones")
	}
	seen := map[string]bool{}
	for _, z := range zones {
		switch {
		case cfg.Region != "" && !zoneInRegion(z, cfg.Region):
			ps.add(key("network", "availabilityZones"), z, "each zone must lie in aws:region %s (e.g. %sa)", cfg.Region, cfg.Region)
		case seen[z]:
			ps.add(key("network", "availabilityZones"), z, "each zone may appear once")
		}
		seen[z] = true
	}

	var all []namedPrefix
	for _, tier := range []struct {
		name  string
		cidrs []string
	}{{"publicSubnets", n.PublicSubnets}, {"privateSubnets", n.PrivateSubnets}} {
		if len(tier.cidrs) != len(zones) {
			ps.add(key("network", tier.name), tier.cidrs, "must list one subnet per availability zone (%d)", len(zones))
		}
		for i, c := range tier.cidrs {
			p, err := netip.ParsePrefix(c)
			k := key("network", tier.name)
			switch {
			case err != nil || !p.Addr().Is4() || p != p.Masked():
				ps.add(k, c, "each subnet must be an IPv4 network in CIDR notation such as 10.0.1.0/24 (host bits zero)")
				continue
			case p.Bits() > 28:
				ps.add(k, c, "each subnet must be /28 or larger")
			case vpcOK && (p.Bits() < vpc.Bits() || !vpc.Contains(p.Addr())):
				ps.add(k, c, "each subnet must lie inside the VPC %s", n.CIDR)
			}
			all = append(all, namedPrefix{fmt.Sprintf("%s[%d]", tier.name, i), p})
		}
	}
	for i := range all {
		for j := i + 1; j < len(all); j++ {
			if all[i].p.Overlaps(all[j].p) {
				ps.add(key("network", strings.Split(all[j].name, "[")[0]), all[j].p.String(),
					"subnets must not overlap; it overlaps %s %s", all[i].name, all[i].p)
			}
		}
	}

	if n.NATGateways != NATSingle && n.NATGateways != NATPerAZ {
		ps.add(key("network", "natGateways"), string(n.NATGateways), "must be %q (one NAT gateway) or %q (one per zone)", NATSingle, NATPerAZ)
	}

	seenPort := map[int]bool{}
	for _, p := range n.TaskEgressPorts {
		switch {
		case p < 1 || p > 65535:
			ps.add(key("network", "taskEgressPorts"), p, "each port must be between 1 and 65535")
		case seenPort[p]:
			ps.add(key("network", "taskEgressPorts"), p, "each port may appear once")
		}
		seenPort[p] = true
	}

	seenEP := map[string]bool{}
	for _, e := range n.InterfaceEndpoints {
		k := key("network", "interfaceEndpoints")
		switch {
		case e == "s3":
			ps.add(k, e, "S3 is reached through the gateway endpoint the program always creates (free, on the private route tables); list interface endpoints only")
		case !endpointSvcPattern.MatchString(e) || !slices.Contains(InterfaceEndpointServices, e):
			ps.add(k, e, "each entry must be one of %s", strings.Join(InterfaceEndpointServices, ", "))
		case seenEP[e]:
			ps.add(k, e, "each endpoint may appear once")
		}
		seenEP[e] = true
	}
}

type namedPrefix struct {
	name string
	p    netip.Prefix
}

// zoneInRegion reports whether z is an availability zone name of region,
// such as us-east-1a in us-east-1.
func zoneInRegion(z, region string) bool {
	suffix, ok := strings.CutPrefix(z, region)
	return ok && len(suffix) == 1 && suffix[0] >= 'a' && suffix[0] <= 'z'
}
