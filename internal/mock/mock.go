package mock

import (
	"fmt"
	"sort"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Account is the AWS account id the mock answers with.
const Account = "123456789012"

// Resource is one registered resource, as the engine saw it.
type Resource struct {
	URN    string
	Type   string
	Name   string
	Parent string
	Custom bool
	// Remote marks a remote component (such as awsx:ec2:Vpc).
	Remote bool
	// Read marks a resource the program reads rather than registers.
	Read bool
	ID   string
	// Inputs are the input properties; secret values stay wrapped as secrets.
	Inputs resource.PropertyMap
	// Outputs are what the mock answered.
	Outputs resource.PropertyMap

	Protect             bool
	RetainOnDelete      bool
	DeleteBeforeReplace bool
	DependsOn           []string
	IgnoreChanges       []string
	ReplaceOnChanges    []string
	Provider            string
	// Transforms is how many transforms the program put on the resource.
	Transforms int
	// Children are, for a remote component the recorder has a model of
	// (ChildrenOf), the resources its plugin creates, as the program's
	// transforms leave them.
	Children []Child
}

// Invoke is one function call the program made, with the mock's answer.
type Invoke struct {
	Token  string
	Args   resource.PropertyMap
	Result resource.PropertyMap
}

// Recorder is a pulumi.MockResourceMonitor that keeps what it is asked.
type Recorder struct {
	Project string
	Stack   string
	Region  string
	// World is what already exists when the program runs; Deployed unless
	// set otherwise.
	World World
	// PlainGenerated makes generated passwords come back as plain values,
	// so a test can show the program keeps them secret by itself, not only
	// because the provider's SDK marks them.
	PlainGenerated bool
	// ChildrenOf, when set, models what a remote component's plugin creates
	// (nil for the resources it knows nothing of): the recorder runs the
	// program's transforms over them and keeps them as the resource's
	// Children.
	ChildrenOf func(r *Resource) []Child

	mu        sync.Mutex
	resources []*Resource
	invokes   []Invoke
	subnets   map[string]string // subnet id -> route table id, from the awsx VPC fake
	vpcs      []string
	fail      map[string]error // resource name -> error to answer with
}

var _ pulumi.MockResourceMonitor = (*Recorder)(nil)

// NewRecorder returns a Recorder for one stack, answering for region.
func NewRecorder(project, stack, region string) *Recorder {
	return &Recorder{Project: project, Stack: stack, Region: region, World: Deployed(),
		subnets: map[string]string{}, fail: map[string]error{}}
}

// FailOn makes the registration of the named resource fail with err.
func (r *Recorder) FailOn(name string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail[name] = err
}

// NewResource records a registration and answers with fake outputs.
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.fail[args.Name]; err != nil {
		return "", nil, err
	}
	res := &Resource{
		Type:   args.TypeToken,
		Name:   args.Name,
		Custom: args.Custom,
		Inputs: args.Inputs.Copy(),
	}
	if rpc := args.RegisterRPC; rpc != nil {
		res.Parent = rpc.GetParent()
		res.Remote = rpc.GetRemote()
		res.Protect = rpc.GetProtect()
		res.RetainOnDelete = rpc.GetRetainOnDelete()
		res.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
		res.DependsOn = append([]string(nil), rpc.GetDependencies()...)
		res.IgnoreChanges = append([]string(nil), rpc.GetIgnoreChanges()...)
		res.ReplaceOnChanges = append([]string(nil), rpc.GetReplaceOnChanges()...)
		res.Provider = rpc.GetProvider()
		res.Transforms = len(rpc.GetTransforms())
		sort.Strings(res.DependsOn)
	} else if rpc := args.ReadRPC; rpc != nil {
		res.Read = true
		res.Parent = rpc.GetParent()
		res.DependsOn = append([]string(nil), rpc.GetDependencies()...)
		res.Provider = rpc.GetProvider()
		sort.Strings(res.DependsOn)
	}
	res.URN = r.urn(res.Parent, res.Type, res.Name)
	for _, other := range r.resources {
		if other.URN == res.URN && !res.Read {
			// As the engine: two resources of one URN would be one in state.
			return "", nil, fmt.Errorf("duplicate resource URN '%s'; try giving it a unique name", res.URN)
		}
	}
	if res.Remote && r.ChildrenOf != nil {
		children, err := transformChildren(args.RegisterRPC.GetTransforms(), r.ChildrenOf(res))
		if err != nil {
			return "", nil, err
		}
		res.Children = children
	}
	id, outs := r.fake(res)
	res.ID, res.Outputs = id, outs
	r.resources = append(r.resources, res)
	if !args.Custom && !res.Remote {
		return "", outs, nil
	}
	return id, outs, nil
}

// Call answers an invoke.
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	answer, ok := invokes[args.Token]
	if !ok {
		r.invokes = append(r.invokes, Invoke{Token: args.Token, Args: args.Args.Copy()})
		return nil, fmt.Errorf("mock: no answer for invoke %s; add one to internal/mock", args.Token)
	}
	result, err := answer(r, args.Args)
	r.invokes = append(r.invokes, Invoke{Token: args.Token, Args: args.Args.Copy(), Result: result.Copy()})
	return result, err
}

// Resources returns the recorded resources in registration order.
func (r *Recorder) Resources() []*Resource {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*Resource(nil), r.resources...)
}

// Invokes returns the recorded invokes.
func (r *Recorder) Invokes() []Invoke {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Invoke(nil), r.invokes...)
}

// ByType returns the resources of one type token.
func (r *Recorder) ByType(typ string) []*Resource {
	var out []*Resource
	for _, res := range r.Resources() {
		if res.Type == typ {
			out = append(out, res)
		}
	}
	return out
}

// Find returns the resource of a type with a logical name, or nil.
func (r *Recorder) Find(typ, name string) *Resource {
	for _, res := range r.Resources() {
		if res.Type == typ && res.Name == name {
			return res
		}
	}
	return nil
}

// ByURN returns the resource with a URN, or nil.
func (r *Recorder) ByURN(urn string) *Resource {
	for _, res := range r.Resources() {
		if res.URN == urn {
			return res
		}
	}
	return nil
}

// urn computes the URN the mock engine gives a resource.
func (r *Recorder) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(r.Stack), tokens.PackageName(r.Project), parentType, tokens.Type(typ), name))
}
