package policy

import (
	"strings"

	"github.com/arrakis/infrastructure/internal/naming"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// Security group tiers. A group's tier comes from what it is attached to
// (the load balancer, the ECS services, the database, the cache, the
// endpoints); a group nothing in the plan uses yet falls back to the role
// in its physical name (arrakis-<stack>-<role>), so the chain is checked as
// soon as the network exists.
const (
	tierALB       = "alb"
	tierTasks     = "tasks"
	tierPostgres  = "postgres"
	tierRedis     = "redis"
	tierEndpoints = "endpoints"
)

// dataPort is the port a data tier listens on, as the plan's database or
// cache says; 0 when the plan has none.
func (s *Stack) dataPort(tier string) int {
	typ := map[string]string{tierPostgres: token.RDSInstance, tierRedis: token.ElastiCacheReplicationGroup}[tier]
	for _, r := range s.Of(typ) {
		if p, ok := r.Number("port"); ok {
			return int(p)
		}
	}
	return 0
}

func securityGroupRoles(s *Stack) map[string]string {
	roles := map[string]string{}
	attach := func(tier string, types []string, path string) {
		for _, r := range s.Of(types...) {
			if r.Type == token.VPCEndpoint && r.Str("vpcEndpointType") != "Interface" {
				continue
			}
			for _, id := range r.Strings(path) {
				if _, taken := roles[id]; !taken {
					roles[id] = tier
				}
			}
		}
	}
	attach(tierALB, []string{token.LoadBalancer}, "securityGroups")
	attach(tierTasks, []string{token.ECSService}, "networkConfiguration.securityGroups")
	attach(tierPostgres, []string{token.RDSInstance}, "vpcSecurityGroupIds")
	attach(tierRedis, []string{token.ElastiCacheReplicationGroup}, "securityGroupIds")
	attach(tierEndpoints, []string{token.VPCEndpoint}, "securityGroupIds")

	prefix := naming.New(s.Env.Stack).Prefix() + "-"
	for _, sg := range s.Of(token.SecurityGroup) {
		if _, taken := roles[sg.ID]; taken || sg.ID == "" {
			continue
		}
		if role, ok := strings.CutPrefix(sg.Str("name"), prefix); ok {
			roles[sg.ID] = role
		}
	}
	return roles
}

// tier is the tier of a security group id ("" when unknown).
func (s *Stack) tier(groupID string) string { return s.sgRoles[groupID] }

// groupsOfTier are the security groups of a tier.
func (s *Stack) groupsOfTier(tiers ...string) []plan.Resource {
	var out []plan.Resource
	for _, sg := range s.Of(token.SecurityGroup) {
		for _, t := range tiers {
			if s.tier(sg.ID) == t {
				out = append(out, sg)
			}
		}
	}
	return out
}

// rule is one security group rule, whichever resource declares it: a
// standalone vpc.SecurityGroupIngressRule/EgressRule, an
// ec2.SecurityGroupRule, or an inline block of an ec2.SecurityGroup.
type rule struct {
	res         plan.Resource // the resource that declares it
	ingress     bool
	group       string // id of the group the rule belongs to
	protocol    string
	from, to    int
	cidrs       []string // IPv4 and IPv6 sources/destinations
	peer        string   // the referenced security group id
	prefixList  string
	description string
}

// world reports whether the rule opens to any address.
func (r rule) world() bool {
	for _, c := range r.cidrs {
		if c == "0.0.0.0/0" || c == "::/0" {
			return true
		}
	}
	return false
}

// allPorts reports whether the rule covers every protocol.
func (r rule) allPorts() bool { return r.protocol == "-1" || r.protocol == "all" }

// only reports whether the rule covers exactly one TCP port.
func (r rule) only(port int) bool { return !r.allPorts() && r.from == port && r.to == port }

// rules are every security group rule of the plan.
func (s *Stack) rules() []rule {
	var out []rule
	for _, r := range s.Of(token.SecurityGroupIngressRule, token.SecurityGroupEgressRule) {
		ru := rule{res: r, ingress: r.Type == token.SecurityGroupIngressRule, group: r.Str("securityGroupId"),
			protocol: r.Str("ipProtocol"), peer: r.Str("referencedSecurityGroupId"),
			prefixList: r.Str("prefixListId"), description: r.Str("description")}
		ru.from, ru.to = ports(r.Inputs, ru.protocol)
		for _, k := range []string{"cidrIpv4", "cidrIpv6"} {
			if c := r.Str(k); c != "" {
				ru.cidrs = append(ru.cidrs, c)
			}
		}
		out = append(out, ru)
	}
	for _, r := range s.Of(token.SecurityGroupRule) {
		ru := rule{res: r, ingress: r.Str("type") == "ingress", group: r.Str("securityGroupId"),
			protocol: r.Str("protocol"), peer: r.Str("sourceSecurityGroupId"), description: r.Str("description")}
		if r.IsTrue("self") {
			ru.peer = ru.group
		}
		ru.from, ru.to = ports(r.Inputs, ru.protocol)
		ru.cidrs = append(r.Strings("cidrBlocks"), r.Strings("ipv6CidrBlocks")...)
		if pl := r.Strings("prefixListIds"); len(pl) > 0 {
			ru.prefixList = pl[0]
		}
		out = append(out, ru)
	}
	for _, sg := range s.Of(token.SecurityGroup) {
		out = append(out, inlineRules(sg)...)
	}
	return out
}

// inlineRules are the ingress and egress blocks of a security group.
func inlineRules(sg plan.Resource) []rule {
	var out []rule
	for _, dir := range []string{"ingress", "egress"} {
		for _, b := range sg.Objects(dir) {
			ru := rule{res: sg, ingress: dir == "ingress", group: sg.ID, description: plan.AsString(b["description"])}
			ru.protocol = plan.AsString(b["protocol"])
			ru.from, ru.to = ports(b, ru.protocol)
			for _, k := range []string{"cidrBlocks", "ipv6CidrBlocks"} {
				for _, c := range plan.AsList(b[k]) {
					ru.cidrs = append(ru.cidrs, plan.AsString(c))
				}
			}
			if groups := plan.AsList(b["securityGroups"]); len(groups) > 0 {
				ru.peer = plan.AsString(groups[0])
			}
			if b["self"] == true {
				ru.peer = sg.ID
			}
			out = append(out, ru)
		}
	}
	return out
}

func ports(m map[string]any, protocol string) (int, int) {
	if protocol == "-1" || protocol == "all" {
		return 0, 65535
	}
	from, _ := m["fromPort"].(float64)
	to, _ := m["toPort"].(float64)
	return int(from), int(to)
}
