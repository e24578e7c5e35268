package adopt

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// SecurityGroupRules is what `aws ec2 describe-security-group-rules`
// prints: the rules of the groups with their ids, which a Terraform state
// does not hold for rules written inline in a group.
type SecurityGroupRules struct {
	Rules []SecurityGroupRule `json:"SecurityGroupRules"`
}

// SecurityGroupRule is one rule of a group.
type SecurityGroupRule struct {
	ID                  string `json:"SecurityGroupRuleId"`
	GroupID             string `json:"GroupId"`
	IsEgress            bool   `json:"IsEgress"`
	IPProtocol          string `json:"IpProtocol"`
	FromPort            int    `json:"FromPort"`
	ToPort              int    `json:"ToPort"`
	CidrIPv4            string `json:"CidrIpv4"`
	ReferencedGroupInfo *struct {
		GroupID string `json:"GroupId"`
	} `json:"ReferencedGroupInfo"`
}

// ReadRules reads the output of describe-security-group-rules.
func ReadRules(path string) (*SecurityGroupRules, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, inputErrorf("reading the security group rules: %v", err)
	}
	var r SecurityGroupRules
	if err := json.Unmarshal(b, &r); err != nil || r.Rules == nil {
		return nil, inputErrorf("%s is not the output of `aws ec2 describe-security-group-rules` (a SecurityGroupRules list): %v", path, err)
	}
	return &r, nil
}

// flow is one rule, written the same way whoever made it.
type flow struct {
	group   string // the group's id
	egress  bool
	proto   string // tcp, udp, -1
	from    int
	to      int
	peer    string // a group id or an IPv4 CIDR
	address string // where it came from, for the report
}

func (f flow) String() string {
	dir, prep := "ingress", "from"
	if f.egress {
		dir, prep = "egress", "to"
	}
	ports := fmt.Sprintf("%s %d", f.proto, f.from)
	if f.proto == "-1" {
		ports = "all"
	} else if f.to != f.from {
		ports = fmt.Sprintf("%s %d-%d", f.proto, f.from, f.to)
	}
	return fmt.Sprintf("%s %s %s %s", dir, ports, prep, f.peer)
}

func (f flow) same(g flow) bool {
	return f.group == g.group && f.egress == g.egress && f.proto == g.proto && f.from == g.from && f.to == g.to && f.peer == g.peer
}

// inlineFlows are the rules Terraform wrote inside its security groups:
// AWS has them, the state has no id for them.
func inlineFlows(m *matcher) []flow {
	var out []flow
	for _, o := range m.ofType("aws_security_group") {
		for _, dir := range []string{"ingress", "egress"} {
			for _, raw := range plan.AsList(o.Attrs[dir]) {
				r, _ := raw.(map[string]any)
				base := flow{group: str(o.Attrs, "id"), egress: dir == "egress", proto: str(r, "protocol"),
					from: int(num(r["from_port"])), to: int(num(r["to_port"]))}
				var peers []string
				for _, c := range plan.AsList(r["cidr_blocks"]) {
					peers = append(peers, fmt.Sprint(c))
				}
				for _, g := range plan.AsList(r["security_groups"]) {
					peers = append(peers, fmt.Sprint(g))
				}
				for _, p := range peers {
					f := base
					f.peer = p
					f.address = fmt.Sprintf("%s (inline %s)", o.Address, f)
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// programFlow is the rule a program rule resource makes, in the running
// resources' ids.
func programFlow(t *target, tr *translator) (flow, bool) {
	s := func(k string) string { v, _ := tr.value(t.Inputs[k]).(string); return v }
	from, _ := t.Number("fromPort")
	to, _ := t.Number("toPort")
	f := flow{group: s("securityGroupId"), egress: t.Type == token.SecurityGroupEgressRule, proto: s("ipProtocol"),
		from: int(from), to: int(to)}
	f.peer = s("cidrIpv4")
	if f.peer == "" {
		f.peer = s("referencedSecurityGroupId")
	}
	return f, strings.HasPrefix(f.group, "sg-")
}

// matchRules pairs the program's rule resources with the rules Terraform
// wrote inline. A program rule AWS already has cannot be created again
// (InvalidPermission.Duplicate): with the account's rule ids it is
// imported, without them it is a conflict. Inline rules the program does
// not have stay in AWS until revoked.
func matchRules(m *matcher, x *targets, known *SecurityGroupRules) ([]matched, []Conflict, []Left) {
	var ms []matched
	tr := m.translator
	inline := inlineFlows(m)
	used := make([]bool, len(inline))
	var conflicts []Conflict
	for _, typ := range []string{token.SecurityGroupIngressRule, token.SecurityGroupEgressRule} {
		for _, t := range x.ofType(typ) {
			pf, ok := programFlow(t, tr)
			if !ok {
				continue // a rule of a group the program creates
			}
			for i, f := range inline {
				if used[i] || !f.same(pf) {
					continue
				}
				used[i] = true
				if id := ruleID(known, f); id != "" {
					ms = append(ms, matched{obj: Object{Address: f.address, Type: "aws_security_group", Mode: "managed", Attrs: map[string]any{"id": id}}, target: t, id: id})
				} else {
					conflicts = append(conflicts, Conflict{URN: t.URN, Type: t.Type,
						Reason: fmt.Sprintf("AWS already has this rule (%s, written inline by Terraform, no id in the state): creating it fails with InvalidPermission.Duplicate; give adopt the rule ids (--sg-rules) to import it", f.address)})
				}
			}
		}
	}
	var extra []Left
	for i, f := range inline {
		if used[i] {
			continue
		}
		revoke := fmt.Sprintf("aws ec2 revoke-security-group-%s --group-id %s --security-group-rule-ids %s", map[bool]string{true: "egress", false: "ingress"}[f.egress], f.group, "<id>")
		if id := ruleID(known, f); id != "" {
			revoke = strings.Replace(revoke, "<id>", id, 1)
		}
		extra = append(extra, Left{Address: f.address, Reason: "a rule the program does not have (its groups allow only what each tier needs): it stays in AWS, unmanaged, until revoked once the program's rules are in place: " + revoke})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].target.URN < ms[j].target.URN })
	return ms, conflicts, extra
}

// ruleID is the id of a rule in the account's list, "" when not there.
func ruleID(known *SecurityGroupRules, f flow) string {
	if known == nil {
		return ""
	}
	for _, r := range known.Rules {
		peer := r.CidrIPv4
		if r.ReferencedGroupInfo != nil {
			peer = r.ReferencedGroupInfo.GroupID
		}
		g := flow{group: r.GroupID, egress: r.IsEgress, proto: r.IPProtocol, from: r.FromPort, to: r.ToPort, peer: peer}
		if r.IPProtocol == "-1" {
			g.from, g.to = 0, 0
		}
		if g.same(f) {
			return r.ID
		}
	}
	return ""
}

// rulesLookupHint is the command that lists the rule ids of the state's
// groups.
func rulesLookupHint(m *matcher) string {
	var ids []string
	for _, o := range m.ofType("aws_security_group") {
		ids = append(ids, str(o.Attrs, "id"))
	}
	sort.Strings(ids)
	return "Terraform wrote the security group rules inline, so the state has no ids for them; list them and give the file to adopt: " +
		"aws ec2 describe-security-group-rules --filters Name=group-id,Values=" + strings.Join(ids, ",") + " > sg-rules.json; " +
		"then adopt … --sg-rules sg-rules.json (make adopt … SG_RULES=sg-rules.json)"
}
