// Package component holds what every domain component does the same way:
// registering the component, naming and parenting its children, protecting
// the ones that hold data, building them step by step (each failure naming
// the component and the step), and registering its outputs.
package component

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/naming"
)

// Base is what every domain's builder starts from.
type Base struct {
	Ctx *pulumi.Context
	// Name is the component's logical name; children are Name-<role>.
	Name string
	// Names gives the stack's physical names.
	Names naming.Namer
	// Parent makes a resource a child of the component.
	Parent  pulumi.ResourceOption
	protect bool
}

// Register registers the component c of type token typ and returns the
// base its children are built from. protect is whether the stack protects
// the resources that hold data (see Stateful).
func Register(ctx *pulumi.Context, typ, name string, c pulumi.ComponentResource, protect bool, opts ...pulumi.ResourceOption) (Base, error) {
	if err := ctx.RegisterComponentResource(typ, name, c, opts...); err != nil {
		return Base{}, err
	}
	return Base{Ctx: ctx, Name: name, Names: naming.New(ctx.Stack()), Parent: pulumi.Parent(c), protect: protect}, nil
}

// Child is the logical name of a child resource.
func (b Base) Child(role string) string { return b.Name + "-" + role }

// NameOr is kept, a physical name a resource taken over from Terraform
// keeps, or else the stack's name for role, arrakis-<stack>-<role>.
func (b Base) NameOr(kept, role string, limit int) string {
	if kept != "" {
		return kept
	}
	return b.Names.Name(role, limit)
}

// Opts are a child's options: its parent, then extra.
func (b Base) Opts(extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{b.Parent}, extra...)
}

// Stateful are the options of a child whose loss loses data: protected
// when the stack is.
func (b Base) Stateful(extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	opts := b.Opts(extra...)
	if b.protect {
		opts = append(opts, pulumi.Protect(true))
	}
	return opts
}

// Protected reports whether the stack protects what holds data.
func (b Base) Protected() bool { return b.protect }

// Spec is what a domain component is: its type token, the word its errors
// start with ("network"), and whether the stack protects what holds data.
type Spec struct {
	Type, Kind string
	Protect    bool
}

// New is the life of a domain component of type T: its arguments are
// checked (validate; its error reads "<kind> <name>: …"), the component is
// registered, the steps the builder gives are run in order, and its outputs
// registered. builder receives the Base and the component once it is
// registered.
func New[T any, PT interface {
	*T
	pulumi.ComponentResource
}](ctx *pulumi.Context, spec Spec, name string, validate func() error, builder func(Base, PT) []Step, opts ...pulumi.ResourceOption) (PT, error) {
	if err := validate(); err != nil {
		return nil, fmt.Errorf("%s %s: %w", spec.Kind, name, err)
	}
	c := PT(new(T))
	base, err := Register(ctx, spec.Type, name, c, spec.Protect, opts...)
	if err != nil {
		return nil, err
	}
	if err := Build(spec.Kind, name, builder(base, c)...); err != nil {
		return nil, err
	}
	return c, RegisterOutputs(ctx, c)
}

// Step is one part of a component: what it creates, and the function that
// creates it.
type Step struct {
	What string
	Do   func() error
}

// Build runs the steps in order and stops at the first failure, which reads
// "<kind> <name>: creating <what>: <cause>".
func Build(kind, name string, steps ...Step) error {
	for _, s := range steps {
		if err := s.Do(); err != nil {
			return fmt.Errorf("%s %s: creating %s: %w", kind, name, s.What, err)
		}
	}
	return nil
}

// RegisterOutputs registers the outputs of the component c, a pointer to
// its struct: every field tagged `pulumi:"<name>"`, so the registered map
// is the struct and cannot drift from it. A field left unset (an output the
// stack does not have) is left out.
func RegisterOutputs(ctx *pulumi.Context, c pulumi.ComponentResource) error {
	v := reflect.ValueOf(c).Elem()
	outs := pulumi.Map{}
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("pulumi"), ",")
		f := v.Field(i)
		if name == "" || f.IsZero() {
			continue
		}
		in, ok := f.Interface().(pulumi.Input)
		if !ok {
			return fmt.Errorf("output %s of %T is a %s, not a Pulumi output", name, c, f.Type())
		}
		outs[name] = in
	}
	return ctx.RegisterResourceOutputs(c, outs)
}
