package plan

import (
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stackfile"
)

// Plan is what one stack would register.
type Plan struct {
	Project   string         `json:"project"`
	Stack     string         `json:"stack"`
	Resources []Resource     `json:"resources"`
	Outputs   map[string]any `json:"outputs"`
}

// Resource is one registered resource.
type Resource struct {
	URN  string `json:"urn"`
	Type string `json:"type"`
	Name string `json:"name"`
	// ID is the provider id the mock answered with: a deterministic
	// placeholder of the real id's shape ("sg-…", an ARN, a name). Other
	// resources' inputs hold it where they are wired to this one, which is
	// how checks follow the wiring. Empty for components.
	ID     string `json:"id,omitempty"`
	Parent string `json:"parent"`
	Custom bool   `json:"custom"`
	Remote bool   `json:"remote,omitempty"`
	// Read marks a resource the program only reads (the stack's reference
	// to its own previous deployment): nothing is created.
	Read           bool `json:"read,omitempty"`
	Protect        bool `json:"protect"`
	RetainOnDelete bool `json:"retainOnDelete"`
	// DeleteBeforeReplace: a replacement deletes this resource before it
	// creates the new one (which then takes its name).
	DeleteBeforeReplace bool           `json:"deleteBeforeReplace,omitempty"`
	DependsOn           []string       `json:"dependsOn"`
	IgnoreChanges       []string       `json:"ignoreChanges,omitempty"`
	Inputs              map[string]any `json:"inputs"`
	SecretInputs        []string       `json:"secretInputs"`
	// Children are, for the awsx VPC, the resources its plugin creates, as
	// the program's transforms leave them (see VPCChildResources).
	Children []Child `json:"children,omitempty"`
}

// ForStack runs program for the stack whose config files are in dir, in
// its steady state (deployed before, image and secrets present).
func ForStack(dir, stack string, program pulumi.RunFunc) (*Plan, error) {
	return ForStackIn(mock.Deployed(), dir, stack, program)
}

// ForStackIn runs program for a stack in a given world, such as
// mock.NewStack() for the view of a stack's first `up`.
func ForStackIn(world mock.World, dir, stack string, program pulumi.RunFunc) (*Plan, error) {
	in, err := stackfile.Load(dir, stack)
	if err != nil {
		return nil, err
	}
	return BuildIn(world, in, program)
}

// Build runs program under the mock engine for a raw stack config, in the
// steady state.
func Build(in config.Input, program pulumi.RunFunc) (*Plan, error) {
	return BuildIn(mock.Deployed(), in, program)
}

// BuildIn runs program under the mock engine for a raw stack config, in a
// given world.
func BuildIn(world mock.World, in config.Input, program pulumi.RunFunc) (*Plan, error) {
	res, err := mock.RunWith(NewRecorder(world, in), in, program)
	if err != nil {
		return nil, err
	}
	return FromResult(res), nil
}

// NewRecorder is the mock recorder a plan runs the program under: for the
// stack of in, in world, with a model of what the awsx VPC's plugin
// creates, so the program's transforms of those children show.
func NewRecorder(world mock.World, in config.Input) *mock.Recorder {
	rec := mock.NewRecorder(in.Project, in.Stack, mock.RegionOf(in))
	rec.World = world
	rec.ChildrenOf = pluginChildren
	return rec
}

// FromResult turns what the mock recorded into a Plan.
func FromResult(res *mock.Result) *Plan {
	p := &Plan{Project: res.Project, Stack: res.Stack, Resources: []Resource{}, Outputs: map[string]any{}}
	stackURN := string(resource.DefaultRootStackURN(tokens.QName(res.Stack), tokens.PackageName(res.Project)))
	for _, r := range res.Resources() {
		inputs, secrets := mock.Masked(r.Inputs)
		if secrets == nil {
			secrets = []string{}
		}
		id := ""
		if r.Custom {
			id = r.ID // the mock names components too; the engine never sees it
		}
		parent := r.Parent
		if parent == stackURN {
			parent = ""
		}
		deps := []string{}
		for _, d := range r.DependsOn {
			if d != stackURN {
				deps = append(deps, d)
			}
		}
		var children []Child
		for _, c := range r.Children {
			in, _ := mock.Masked(c.Inputs)
			children = append(children, Child{Type: c.Type, Name: c.Name, Parent: c.Parent, URN: childURN(c.Parent, c.Type, c.Name), Inputs: in})
		}
		p.Resources = append(p.Resources, Resource{
			URN: r.URN, Type: r.Type, Name: r.Name, ID: id, Parent: parent,
			Custom: r.Custom, Remote: r.Remote, Read: r.Read, Protect: r.Protect, RetainOnDelete: r.RetainOnDelete, DeleteBeforeReplace: r.DeleteBeforeReplace,
			DependsOn: deps, IgnoreChanges: r.IgnoreChanges,
			Inputs: inputs, SecretInputs: secrets, Children: children,
		})
	}
	// Registration order depends on goroutine scheduling; URN order does not.
	sort.Slice(p.Resources, func(i, j int) bool { return p.Resources[i].URN < p.Resources[j].URN })
	for name, v := range res.Outputs {
		p.Outputs[name] = maskOutput(v)
	}
	return p
}

// maskOutput renders an awaited stack output, secrets masked.
func maskOutput(v mock.Value) any {
	if v.Secret {
		return mock.Secret
	}
	if !v.Known {
		return "[unknown]"
	}
	return v.Value
}

// CountByType is the number of resources of each type: custom resources and
// remote components (such as the awsx VPC), not this program's components.
func (p *Plan) CountByType() map[string]int {
	counts := map[string]int{}
	for _, r := range p.Resources {
		if r.Custom || r.Remote {
			counts[r.Type]++
		}
	}
	return counts
}

// Find returns the resources of a type, in the plan's order (by URN).
func (p *Plan) Find(typ string) []Resource {
	var out []Resource
	for _, r := range p.Resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// PhysicalName is the name the resource has in AWS, when the program sets
// one.
func (r Resource) PhysicalName() string {
	for _, k := range physicalNameKeys {
		if s := r.Str(k); s != "" {
			return s
		}
	}
	return ""
}

// physicalNameKeys are the input properties that name a resource in AWS.
var physicalNameKeys = []string{"name", "identifier", "replicationGroupId", "family", "dashboardName", "bucket", "alarmName"}

// unstack replaces the stack name in s, so two stacks' values compare.
func unstack(s, stack string) string {
	if stack == "" {
		return s
	}
	return strings.ReplaceAll(s, stack, "<stack>")
}
