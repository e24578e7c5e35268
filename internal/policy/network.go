package policy

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

var networkChecks = []Check{
	{
		ID: "ARK-NET-001", Title: "Every VPC has a flow log of ALL traffic",
		Anchors: []string{"EC2.6", "CKV2_AWS_11"}, Scope: ScopeAll, Severity: High, Subjects: "VPCs",
		Run: func(s *Stack) Outcome {
			return each(s.VPCs(), func(vpc plan.Resource) []string {
				var types []string
				for _, fl := range s.Of(token.FlowLog) {
					if belongsToVPC(fl, vpc) {
						types = append(types, fl.Str("trafficType"))
					}
				}
				if len(types) == 0 {
					return []string{"no flow log records this VPC"}
				}
				return when(!slices.Contains(types, "ALL"), "flow logs record %v traffic, not ALL", types)
			})
		},
	},
	{
		ID: "ARK-NET-002", Title: "The default security group of every VPC is locked (no rules)",
		Anchors: []string{"EC2.2", "CKV2_AWS_12"}, Scope: ScopeAll, Severity: High, Subjects: "VPCs",
		Run: func(s *Stack) Outcome {
			return each(s.VPCs(), func(vpc plan.Resource) []string {
				for _, d := range s.Of(token.DefaultSecurityGroup) {
					if belongsToVPC(d, vpc) {
						return when(len(d.List("ingress"))+len(d.List("egress")) > 0,
							"the default security group %s keeps rules; it must have none", d.Name)
					}
				}
				return []string{"the default security group is not adopted and stripped (no aws:ec2/defaultSecurityGroup for this VPC)"}
			})
		},
	},
	{
		ID: "ARK-NET-003", Title: "Only the load balancer is open to the internet, on 80 and 443",
		Anchors: []string{"EC2.18", "EC2.19", "CKV_AWS_24", "CKV_AWS_25"}, Scope: ScopeAll, Severity: Critical,
		Subjects: "security group rules",
		Run: func(s *Stack) Outcome {
			return eachRule(s, func(r rule) bool { return r.ingress }, func(r rule) string {
				if !r.world() {
					return ""
				}
				if s.tier(r.group) == tierALB && (r.only(80) || r.only(443)) {
					return ""
				}
				return fmt.Sprintf("ingress from %v to %s (%s group) on %s", r.cidrs, r.group, orUnknown(s.tier(r.group)), portText(r))
			})
		},
	},
	{
		ID: "ARK-NET-004", Title: "The data tier accepts only the ECS tasks group, on its own port",
		Anchors: []string{"house:network"}, Scope: ScopeAll, Severity: High, Subjects: "data-tier security groups",
		Run: func(s *Stack) Outcome {
			out := eachGroupRule(s, []string{tierPostgres, tierRedis}, func(r rule) string {
				if !r.ingress || r.peer == "" {
					return ""
				}
				tier := s.tier(r.group)
				if s.tier(r.peer) != tierTasks {
					return fmt.Sprintf("%s ingress from group %s (%s), not the tasks group", tier, r.peer, orUnknown(s.tier(r.peer)))
				}
				port := s.dataPort(tier)
				return whenText(!r.only(port), "%s ingress from the tasks group on %s, not %d (the port it listens on) only", tier, portText(r), port)
			})
			return out
		},
	},
	{
		ID: "ARK-NET-005", Title: "No data-tier rule opens to an address range",
		Anchors: []string{"house:network"}, Scope: ScopeAll, Severity: High, Subjects: "data-tier security groups",
		Run: func(s *Stack) Outcome {
			return eachGroupRule(s, []string{tierPostgres, tierRedis}, func(r rule) string {
				return whenText(len(r.cidrs) > 0 || r.prefixList != "", "%s rule to or from %v%s: only security-group references are allowed",
					s.tier(r.group), r.cidrs, r.prefixList)
			})
		},
	},
	{
		ID: "ARK-NET-006", Title: "The ECS tasks accept traffic only from the load balancer group",
		Anchors: []string{"house:network"}, Scope: ScopeAll, Severity: High, Subjects: "tasks security groups",
		Run: func(s *Stack) Outcome {
			return eachGroupRule(s, []string{tierTasks}, func(r rule) string {
				if !r.ingress {
					return ""
				}
				return whenText(r.peer == "" || s.tier(r.peer) != tierALB,
					"tasks ingress on %s from %v%s, not from the load balancer group", portText(r), r.cidrs, r.peer)
			})
		},
	},
	{
		ID: "ARK-NET-007", Title: "Every VPC has an S3 gateway endpoint on its private route tables",
		Anchors: []string{"house:network"}, Scope: ScopeAll, Severity: Medium, Subjects: "VPCs",
		Run: func(s *Stack) Outcome {
			return each(s.VPCs(), func(vpc plan.Resource) []string {
				want := privateRouteTables(vpc)
				for _, e := range s.Of(token.VPCEndpoint) {
					if !belongsToVPC(e, vpc) || !strings.HasSuffix(e.Str("serviceName"), ".s3") {
						continue
					}
					if e.Str("vpcEndpointType") != "Gateway" {
						return []string{fmt.Sprintf("the S3 endpoint %s is of type %q, not Gateway", e.Name, e.Str("vpcEndpointType"))}
					}
					got := len(e.Strings("routeTableIds"))
					return when(got == 0 || got < want, "the S3 gateway endpoint %s is on %d route tables; the VPC has %d private ones", e.Name, got, want)
				}
				return []string{"no S3 gateway endpoint: image layers and S3 traffic go through the NAT gateway"}
			})
		},
	},
	{
		ID: "ARK-NET-008", Title: "Interface endpoints have private DNS, private subnets and their own security group",
		Anchors: []string{"house:network"}, Scope: ScopeAll, Severity: Medium, Subjects: "interface endpoints",
		Run: func(s *Stack) Outcome {
			return each(interfaceEndpoints(s), func(e plan.Resource) []string {
				var bad []string
				bad = append(bad, when(!e.IsTrue("privateDnsEnabled"), "%s: private DNS is off", e.Str("serviceName"))...)
				bad = append(bad, when(len(e.List("subnetIds")) == 0, "%s: no subnets", e.Str("serviceName"))...)
				groups := e.Strings("securityGroupIds")
				bad = append(bad, when(len(groups) == 0, "%s: no security group (the VPC default group would apply)", e.Str("serviceName"))...)
				for _, g := range groups {
					bad = append(bad, when(s.tier(g) != tierEndpoints, "%s: security group %s is the %s group, not the endpoints' own",
						e.Str("serviceName"), g, orUnknown(s.tier(g)))...)
				}
				return bad
			})
		},
	},
	{
		ID: "ARK-NET-009", Title: "The endpoints group accepts HTTPS from inside the VPC only",
		Anchors: []string{"house:network"}, Scope: ScopeAll, Severity: Medium, Subjects: "endpoint security groups",
		Run: func(s *Stack) Outcome {
			cidrs := vpcCIDRs(s)
			return eachGroupRule(s, []string{tierEndpoints}, func(r rule) string {
				if !r.ingress {
					return ""
				}
				if !r.only(443) {
					return "endpoints ingress on " + portText(r) + ", not 443 only"
				}
				for _, c := range r.cidrs {
					if !insideAny(c, cidrs) {
						return fmt.Sprintf("endpoints ingress from %s, outside the VPC", c)
					}
				}
				return ""
			})
		},
	},
	{
		ID: "ARK-NET-010", Title: "Production has a NAT gateway per availability zone",
		Anchors: []string{"house:network (NAT strategy)"}, Scope: ScopeProduction, Severity: Medium, Subjects: "awsx VPCs",
		Run: eachOf(token.AwsxVPC, func(s *Stack, vpc plan.Resource) []string {
			c := plan.VPCChildren(vpc)
			return when(c.NATGateways < c.Zones, "%d NAT gateway(s) for %d zones: losing the NAT's zone cuts every private subnet off the internet",
				c.NATGateways, c.Zones)
		}),
	},
	{
		ID: "ARK-NET-011", Title: "VPCs resolve DNS and give hostnames (needed by endpoint private DNS)",
		Anchors: []string{"house:network"}, Scope: ScopeAll, Severity: Low, Subjects: "VPCs",
		Run: func(s *Stack) Outcome {
			return each(s.VPCs(), func(vpc plan.Resource) []string {
				return when(vpc.IsFalse("enableDnsSupport") || !vpc.IsTrue("enableDnsHostnames"),
					"enableDnsSupport and enableDnsHostnames must both be true")
			})
		},
	},
	{
		ID: "ARK-NET-012", Title: "Every security group and rule says what it is for",
		Anchors: []string{"CKV_AWS_23"}, Scope: ScopeAll, Severity: Low, Subjects: "security groups",
		Run: func(s *Stack) Outcome {
			out := each(s.Of(token.SecurityGroup), func(sg plan.Resource) []string {
				return when(sg.Str("description") == "", "no description")
			})
			for _, r := range s.rules() {
				if r.description == "" {
					out.Findings = append(out.Findings, finding(r.res, "a rule on "+portText(r)+" has no description"))
				}
			}
			return out
		},
	},
	{
		ID: "ARK-NET-013", Title: "No group allows all protocols out to the internet",
		Anchors: []string{"house:network (least privilege)"}, Scope: ScopeAll, Severity: Medium, Subjects: "security group rules",
		Run: func(s *Stack) Outcome {
			return eachRule(s, func(r rule) bool { return !r.ingress }, func(r rule) string {
				return whenText(r.world() && r.allPorts(), "egress of every protocol to %v from %s (%s group)", r.cidrs, r.group, orUnknown(s.tier(r.group)))
			})
		},
	},
}

// eachRule checks the rules selected by keep; the subjects are those rules.
func eachRule(s *Stack, keep func(rule) bool, fn func(rule) string) Outcome {
	var out Outcome
	for _, r := range s.rules() {
		if !keep(r) {
			continue
		}
		out.Subjects++
		if msg := fn(r); msg != "" {
			out.Findings = append(out.Findings, finding(r.res, msg))
		}
	}
	return out
}

// eachGroupRule checks the rules of the groups of some tiers; the subjects
// are those groups.
func eachGroupRule(s *Stack, tiers []string, fn func(rule) string) Outcome {
	groups := s.groupsOfTier(tiers...)
	out := Outcome{Subjects: len(groups)}
	ids := map[string]bool{}
	for _, g := range groups {
		ids[g.ID] = true
	}
	for _, r := range s.rules() {
		if !ids[r.group] {
			continue
		}
		if msg := fn(r); msg != "" {
			out.Findings = append(out.Findings, finding(r.res, msg))
		}
	}
	return out
}

func whenText(cond bool, format string, args ...any) string {
	if cond {
		return fmt.Sprintf(format, args...)
	}
	return ""
}

// belongsToVPC reports whether r is attached to the VPC: registered with a
// dependency on it (an awsx VPC has no id of its own in the plan) or
// carrying its id.
func belongsToVPC(r, vpc plan.Resource) bool {
	return dependsOn(r, vpc.URN) || (vpc.ID != "" && r.Str("vpcId") == vpc.ID)
}

// privateRouteTables is how many private route tables the VPC has: awsx
// gives each private subnet its own.
func privateRouteTables(vpc plan.Resource) int {
	n := 0
	for _, spec := range vpc.Objects("subnetSpecs") {
		if spec["type"] == "Private" {
			n += len(plan.AsList(spec["cidrBlocks"]))
		}
	}
	if n == 0 && vpc.Type == token.AwsxVPC {
		n = len(vpc.List("availabilityZoneNames"))
	}
	return n
}

func interfaceEndpoints(s *Stack) []plan.Resource {
	var out []plan.Resource
	for _, e := range s.Of(token.VPCEndpoint) {
		if e.Str("vpcEndpointType") == "Interface" {
			out = append(out, e)
		}
	}
	return out
}

func vpcCIDRs(s *Stack) []netip.Prefix {
	var out []netip.Prefix
	for _, v := range s.VPCs() {
		if p, err := netip.ParsePrefix(v.Str("cidrBlock")); err == nil {
			out = append(out, p)
		}
	}
	return out
}

func insideAny(cidr string, within []netip.Prefix) bool {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return false
	}
	for _, w := range within {
		if w.Bits() <= p.Bits() && w.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

func portText(r rule) string {
	switch {
	case r.allPorts():
		return "all protocols"
	case r.from == r.to:
		return fmt.Sprintf("%s/%d", r.protocol, r.from)
	default:
		return fmt.Sprintf("%s/%d-%d", r.protocol, r.from, r.to)
	}
}

func orUnknown(tier string) string {
	if tier == "" {
		return "unknown"
	}
	return tier
}
