package diagram

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// writer accumulates Mermaid lines.
type writer struct{ b strings.Builder }

func (w *writer) line(indent int, format string, args ...any) {
	w.b.WriteString(strings.Repeat("  ", indent))
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteByte('\n')
}

func (d *drawing) render() string {
	w := &writer{}
	w.line(0, "flowchart LR")
	w.line(1, `internet(("Internet"))`)
	placed := map[string]bool{} // resources drawn inside a group
	for _, g := range d.order {
		for _, m := range g.members {
			placed[m.node] = true
		}
	}
	if d.vpc != nil {
		d.renderVPC(w, placed)
	} else {
		for _, g := range d.order {
			d.renderGroup(w, 1, g)
		}
		d.renderRanges(w, 1, "")
	}
	d.renderOutside(w)
	for _, e := range d.edges {
		arrow := "-->"
		if e.dashed {
			arrow = "-.->"
		}
		w.line(1, `%s %s|"%s"| %s`, e.from, arrow, quote(strings.Join(e.ports, ", ")), e.to)
	}
	return w.b.String()
}

// renderVPC draws the VPC: one box per subnet tier holding its subnets
// (one per zone), the NAT gateways, and the security groups of that tier.
func (d *drawing) renderVPC(w *writer, placed map[string]bool) {
	v := *d.vpc
	zones := v.Strings("availabilityZoneNames")
	w.line(1, `subgraph vpc["VPC %s · %s"]`, quote(display(v)), quote(v.Str("cidrBlock")))
	for _, spec := range v.Objects("subnetSpecs") {
		typ, cidrs := plan.AsString(spec["type"]), plan.AsStrings(spec["cidrBlocks"])
		w.line(2, `subgraph tier_%s["%s tier"]`, strings.ToLower(typ), quote(typ))
		for i, z := range zones {
			cidr := "auto"
			if i < len(cidrs) {
				cidr = cidrs[i]
			}
			w.line(3, `subnet_%s_%d["%s subnet %s<br/>%s"]`, strings.ToLower(typ), i, quote(strings.ToLower(typ)), quote(z), quote(cidr))
		}
		switch typ {
		case "Public":
			for i, nat := range d.nats {
				zone := ""
				if i < len(zones) {
					zone = zones[i]
				}
				w.line(3, `%s["NAT gateway<br/>%s"]`, nat, quote(zone))
			}
			for _, g := range d.order {
				if g.public {
					d.renderGroup(w, 3, g)
				}
			}
		case "Private":
			for _, g := range d.order {
				if !g.public {
					d.renderGroup(w, 3, g)
				}
			}
			d.renderUngrouped(w, placed)
		}
		w.line(2, "end")
	}
	d.renderRanges(w, 2, v.Str("cidrBlock"))
	w.line(1, "end")
}

// renderRanges draws the address ranges (other than the internet) that
// rules name.
func (d *drawing) renderRanges(w *writer, indent int, vpcCIDR string) {
	for _, n := range slices.Sorted(maps.Keys(d.cidrs)) {
		label := "addresses in " + d.cidrs[n]
		if d.cidrs[n] == vpcCIDR {
			label = "anything in the VPC"
		}
		w.line(indent, `%s(["%s"])`, n, quote(label))
	}
}

// renderUngrouped draws the VPC resources that belong to no security group
// (gateway endpoints; services or stores without a group).
func (d *drawing) renderUngrouped(w *writer, placed map[string]bool) {
	for _, r := range d.p.Resources {
		id := nodeID("r", r.Name)
		if placed[id] {
			continue
		}
		switch r.Type {
		case token.VPCEndpoint, token.LoadBalancer, token.ECSService, token.RDSInstance, token.ElastiCacheReplicationGroup:
			placed[id] = true
			w.line(3, `%s["%s"]`, id, quote(describe(r)))
		}
	}
}

func (d *drawing) renderGroup(w *writer, indent int, g *group) {
	if len(g.members) == 0 {
		w.line(indent, `%s["%s"]`, g.node, quote(g.label))
		return
	}
	w.line(indent, `subgraph %s["%s"]`, g.node, quote(g.label))
	for _, m := range g.members {
		w.line(indent+1, `%s["%s"]`, m.node, quote(m.label))
	}
	w.line(indent, "end")
}

// renderOutside draws the regional services the tasks and alarms use:
// Secrets Manager, the image repository, the alarms and their topic.
func (d *drawing) renderOutside(w *writer) {
	families := map[string]plan.Resource{}
	for _, r := range d.p.Resources {
		if r.Type == token.ECSTaskDefinition {
			families[r.Str("family")] = r
		}
	}
	containers := func(service plan.Resource) string {
		arn := service.Str("taskDefinition")
		family := arn[strings.LastIndex(arn, "/")+1:]
		if i := strings.LastIndex(family, ":"); i >= 0 {
			family = family[:i]
		}
		return families[family].Str("containerDefinitions")
	}

	if secrets := d.p.Find(token.Secret); len(secrets) > 0 {
		var names []string
		for _, s := range secrets {
			names = append(names, quote(display(s)))
		}
		w.line(1, `secrets["Secrets Manager<br/>%s"]`, strings.Join(names, "<br/>"))
		for _, svc := range d.p.Find(token.ECSService) {
			if strings.Contains(containers(svc), ":secretsmanager:") {
				d.edges = append(d.edges, &edge{from: nodeID("r", svc.Name), to: "secrets", ports: []string{"secrets at start"}, dashed: true})
			}
		}
	}
	for _, repo := range d.p.Find(token.ECRRepository) {
		node := nodeID("r", repo.Name)
		w.line(1, `%s["ECR repository %s"]`, node, quote(display(repo)))
		for _, svc := range d.p.Find(token.ECSService) {
			if strings.Contains(containers(svc), "/"+display(repo)+":") {
				d.edges = append(d.edges, &edge{from: node, to: nodeID("r", svc.Name), ports: []string{"image"}, dashed: true})
			}
		}
	}
	alarms := d.p.Find(token.MetricAlarm)
	if len(alarms) > 0 {
		w.line(1, `alarms["CloudWatch alarms ×%d"]`, len(alarms))
	}
	for _, t := range d.p.Find(token.SNSTopic) {
		node := nodeID("r", t.Name)
		w.line(1, `%s["SNS topic %s"]`, node, quote(display(t)))
		if len(alarms) > 0 && notifies(alarms, display(t)) {
			d.edges = append(d.edges, &edge{from: "alarms", to: node, ports: []string{"alarm and OK actions"}})
		}
		subs, protocols := 0, map[string]bool{}
		for _, s := range d.p.Find(token.SNSTopicSubscription) {
			if strings.HasSuffix(s.Str("topic"), ":"+display(t)) {
				subs++
				protocols[s.Str("protocol")] = true
			}
		}
		if subs > 0 {
			sub := node + "_subscribers"
			kind := "subscription"
			if len(protocols) == 1 && protocols["email"] {
				kind = "e-mail subscription"
			}
			if subs > 1 {
				kind += "s"
			}
			w.line(1, `%s(["%d %s"])`, sub, subs, kind)
			d.edges = append(d.edges, &edge{from: node, to: sub, ports: []string{"notifications"}})
		}
	}
}

// notifies reports whether any alarm's actions name the topic.
func notifies(alarms []plan.Resource, topic string) bool {
	for _, a := range alarms {
		for _, action := range a.Strings("alarmActions") {
			if strings.HasSuffix(action, ":"+topic) {
				return true
			}
		}
	}
	return false
}

// quote makes text safe inside a quoted Mermaid label.
func quote(s string) string { return strings.ReplaceAll(s, `"`, "#quot;") }
