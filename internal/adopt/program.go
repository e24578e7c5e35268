package adopt

import (
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// Program is what the program registers for the stack, as the offline plan
// shows it, with the placeholder outputs the mock answered (so that the
// placeholders other resources' inputs hold can be told apart and
// translated to the running resources' ids).
type Program struct {
	Plan *plan.Plan
	// Outputs are the mock's outputs of each resource, by URN.
	Outputs map[string]map[string]any
	// RouteTables maps the placeholder route table id the program looked up
	// for a subnet to that subnet's placeholder id.
	RouteTables map[string]string
}

// target is one resource the program registers: a resource of the plan, or
// a child of the awsx VPC (which the plan cannot show: it runs in the awsx
// plugin). Its ID is the mock's placeholder id.
type target struct {
	plan.Resource
	// Outputs are the mock's outputs of a resource of the plan.
	Outputs map[string]any
}

// targets indexes what the program registers.
type targets struct {
	all    []*target
	byKey  map[string]*target // type + " " + logical name
	byURN  map[string]*target
	vpc    *target // the awsx component
	prog   Program
	prefix string // arrakis-<stack>
}

func key(typ, name string) string { return typ + " " + name }

func newTargets(p Program) *targets {
	x := &targets{byKey: map[string]*target{}, byURN: map[string]*target{}, prog: p}
	for _, r := range p.Plan.Resources {
		if r.Read {
			continue
		}
		t := &target{Resource: r, Outputs: p.Outputs[r.URN]}
		x.add(t)
		if r.Type == token.AwsxVPC {
			x.vpc = t
			for _, c := range plan.ChildResources(r) {
				x.add(&target{Resource: plan.Resource{URN: c.URN, Type: c.Type, Name: c.Name, Parent: c.Parent, Custom: true, Inputs: c.Inputs}})
			}
		}
	}
	return x
}

func (x *targets) add(t *target) {
	x.all = append(x.all, t)
	x.byKey[key(t.Type, t.Name)] = t
	x.byURN[t.URN] = t
}

// ofType lists the program's resources of a type.
func (x *targets) ofType(typ string) []*target {
	var out []*target
	for _, t := range x.all {
		if t.Type == typ {
			out = append(out, t)
		}
	}
	return out
}

// named finds the resource of a type whose input at prop is value.
func (x *targets) named(typ, prop, value string) *target {
	for _, t := range x.ofType(typ) {
		if t.Str(prop) == value && value != "" {
			return t
		}
	}
	return nil
}

// only is the one resource of a type, or nil when there are none or several.
func (x *targets) only(typ string) *target {
	ts := x.ofType(typ)
	if len(ts) != 1 {
		return nil
	}
	return ts[0]
}

// child is a resource of the program's component by role: the component's
// logical name ("arrakis") + "-" + role.
func (x *targets) child(typ, role string) *target {
	for _, t := range x.ofType(typ) {
		if len(t.Name) > len(role) && t.Name[len(t.Name)-len(role)-1:] == "-"+role {
			return t
		}
	}
	return nil
}
