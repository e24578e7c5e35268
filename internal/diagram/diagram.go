package diagram

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// internet is the address range of the whole IPv4 internet.
const internet = "0.0.0.0/0"

// Mermaid renders the plan as a Mermaid flowchart (without the code fence).
func Mermaid(p *plan.Plan) string {
	d := &drawing{p: p, groups: map[string]*group{}, cidrs: map[string]string{}}
	d.collect()
	return d.render()
}

type drawing struct {
	p      *plan.Plan
	groups map[string]*group // by security group id
	order  []*group
	edges  []*edge
	vpc    *plan.Resource
	nats   []string          // NAT node ids
	cidrs  map[string]string // address range by node id
}

// group is a security group and the resources attached to it.
type group struct {
	id, node, label string
	public          bool
	members         []member
}

type member struct{ node, label string }

// edge is allowed traffic from one node to another on some ports.
type edge struct {
	from, to string
	ports    []string
	dashed   bool
}

func (d *drawing) collect() {
	for i, r := range d.p.Resources {
		switch r.Type {
		case token.AwsxVPC:
			d.vpc = &d.p.Resources[i]
		case token.SecurityGroup:
			g := &group{id: r.ID, node: nodeID("sg", r.Name), label: "security group " + display(r)}
			d.groups[r.ID] = g
			d.order = append(d.order, g)
		}
	}
	if d.vpc != nil {
		c := plan.VPCChildren(*d.vpc)
		for i := 0; i < c.NATGateways; i++ {
			d.nats = append(d.nats, fmt.Sprintf("nat_%d", i))
		}
	}
	// Members: every resource whose inputs name a group's id.
	for _, r := range d.p.Resources {
		if !r.Custom || r.Type == token.SecurityGroup || isRule(r) {
			continue
		}
		if g := d.groupOf(r); g != nil {
			g.members = append(g.members, member{node: nodeID("r", r.Name), label: describe(r)})
		}
	}
	for _, r := range d.p.Resources {
		if isRule(r) {
			d.rule(r)
		}
	}
}

// isRule reports whether r is a standalone security group rule.
func isRule(r plan.Resource) bool {
	return r.Type == token.SecurityGroupIngressRule || r.Type == token.SecurityGroupEgressRule
}

// groupOf is the first group (in plan order) whose id appears in r's inputs.
func (d *drawing) groupOf(r plan.Resource) *group {
	ids := map[string]bool{}
	collectStrings(r.Inputs, ids)
	for _, g := range d.order {
		if ids[g.id] {
			return g
		}
	}
	return nil
}

// rule turns a security-group rule into an edge.
func (d *drawing) rule(r plan.Resource) {
	own := d.groups[r.Str("securityGroupId")]
	if own == nil {
		return
	}
	ports := portText(r)
	peer := ""
	if g := d.groups[r.Str("referencedSecurityGroupId")]; g != nil {
		peer = g.node
	}
	cidr := r.Str("cidrIpv4")
	if r.Type == token.SecurityGroupIngressRule {
		if cidr == internet {
			own.public = true
			peer = "internet"
		} else if peer == "" && cidr != "" {
			peer = d.cidrNode(cidr)
		}
		if peer != "" {
			d.addEdge(peer, own.node, ports)
		}
		return
	}
	if cidr == internet && len(d.nats) > 0 {
		for _, nat := range d.nats {
			d.addEdge(own.node, nat, ports)
			d.addEdge(nat, "internet", ports)
		}
		return
	}
	if peer == "" && cidr == internet {
		peer = "internet"
	} else if peer == "" && cidr != "" {
		peer = d.cidrNode(cidr)
	}
	if peer != "" {
		d.addEdge(own.node, peer, ports)
	}
}

// cidrNode names an address range other than the internet.
func (d *drawing) cidrNode(cidr string) string {
	n := nodeID("cidr", cidr)
	d.cidrs[n] = cidr
	return n
}

func (d *drawing) addEdge(from, to, ports string) {
	for _, e := range d.edges {
		if e.from == from && e.to == to {
			for _, p := range e.ports {
				if p == ports {
					return
				}
			}
			e.ports = append(e.ports, ports)
			return
		}
	}
	d.edges = append(d.edges, &edge{from: from, to: to, ports: []string{ports}})
}

// portText is a rule's protocol and ports ("443", "1000-2000", "all").
func portText(r plan.Resource) string {
	if proto := r.Str("ipProtocol"); proto == "-1" || proto == "all" {
		return "all traffic"
	}
	from, _ := r.Number("fromPort")
	to, _ := r.Number("toPort")
	if from == to {
		return fmt.Sprintf("%g", from)
	}
	return fmt.Sprintf("%g-%g", from, to)
}

func collectStrings(v any, out map[string]bool) {
	switch x := v.(type) {
	case string:
		out[x] = true
	case []any:
		for _, e := range x {
			collectStrings(e, out)
		}
	case map[string]any:
		for _, e := range x {
			collectStrings(e, out)
		}
	}
}

var unsafe = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// nodeID is a Mermaid node id made of safe characters.
func nodeID(kind, name string) string { return kind + "_" + unsafe.ReplaceAllString(name, "_") }

// display is a resource's physical name, or its logical name.
func display(r plan.Resource) string {
	if n := r.PhysicalName(); n != "" {
		return n
	}
	return r.Name
}

// describe labels a resource attached to a security group.
func describe(r plan.Resource) string {
	switch r.Type {
	case token.LoadBalancer:
		return "load balancer " + display(r)
	case token.ECSService:
		n, _ := r.Number("desiredCount")
		return fmt.Sprintf("ECS service %s<br/>%g tasks", display(r), n)
	case token.RDSInstance:
		return "RDS PostgreSQL " + display(r) + "<br/>" + r.Str("instanceClass")
	case token.ElastiCacheReplicationGroup:
		n, _ := r.Number("numCacheClusters")
		return fmt.Sprintf("ElastiCache Redis %s<br/>%g × %s", display(r), n, r.Str("nodeType"))
	case token.VPCEndpoint:
		return strings.ToLower(r.Str("vpcEndpointType")) + " endpoint " + endpointService(r.Str("serviceName"))
	}
	parts := strings.Split(r.Type, ":")
	return parts[len(parts)-1] + " " + display(r)
}

// endpointService is the service of an endpoint service name
// (com.amazonaws.us-east-1.ecr.api → ecr.api).
func endpointService(name string) string {
	s := strings.TrimPrefix(name, "com.amazonaws.")
	if i := strings.Index(s, "."); i >= 0 {
		s = s[i+1:]
	}
	return s
}
