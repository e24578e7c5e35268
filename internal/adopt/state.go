package adopt

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
)

// State is a Terraform state as `terraform state pull` prints it (format 4).
type State struct {
	Version          int        `json:"version"`
	TerraformVersion string     `json:"terraform_version"`
	Serial           int        `json:"serial"`
	Lineage          string     `json:"lineage"`
	Resources        []Resource `json:"resources"`
}

// Resource is one resource block of the state, with its instances.
type Resource struct {
	Module    string     `json:"module"`
	Mode      string     `json:"mode"`
	Type      string     `json:"type"`
	Name      string     `json:"name"`
	Instances []Instance `json:"instances"`
}

// Instance is one instance of a resource block.
type Instance struct {
	IndexKey   any            `json:"index_key"`
	Attributes map[string]any `json:"attributes"`
}

// Object is one managed (or data) instance with its address.
type Object struct {
	// Address is what Terraform calls it: module.vpc.aws_subnet.public[0].
	Address string
	Module  string
	Mode    string
	Type    string
	Name    string
	Index   any
	Attrs   map[string]any
}

// InputError is a state this command cannot read: it exits 2.
type InputError struct{ msg string }

func (e *InputError) Error() string { return e.msg }

func inputErrorf(format string, args ...any) error { return &InputError{fmt.Sprintf(format, args...)} }

// IsInputError reports whether err is about the input file.
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

// supportedFormat is the state format `terraform state pull` prints since
// Terraform 0.12.
const supportedFormat = 4

// ReadState reads and checks a state file.
func ReadState(path string) (*State, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, inputErrorf("reading the Terraform state: %v", err)
	}
	return ParseState(b, path)
}

// ParseState parses a state; name is what messages call it.
func ParseState(b []byte, name string) (*State, error) {
	var st State
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, inputErrorf("%s is not a Terraform state: malformed JSON: %v", name, err)
	}
	switch {
	case st.Version == 0:
		return nil, inputErrorf("%s is not a Terraform state: it has no \"version\" (expected format %d, as `terraform state pull` prints)", name, supportedFormat)
	case st.Version != supportedFormat:
		return nil, inputErrorf("%s is a Terraform state of format %d; this command reads format %d (Terraform 0.12 and later): pull it with a current Terraform", name, st.Version, supportedFormat)
	case len(st.Resources) == 0:
		return nil, inputErrorf("%s holds no resources: nothing to adopt", name)
	}
	return &st, nil
}

// Objects lists every instance with its address, in state order.
func (s *State) Objects() []Object {
	var out []Object
	for _, r := range s.Resources {
		for _, in := range r.Instances {
			addr := r.Type + "." + r.Name
			if r.Mode == "data" {
				addr = "data." + addr
			}
			if r.Module != "" {
				addr = r.Module + "." + addr
			}
			switch k := in.IndexKey.(type) {
			case float64:
				addr += fmt.Sprintf("[%d]", int(k))
			case string:
				addr += fmt.Sprintf("[%q]", k)
			}
			out = append(out, Object{Address: addr, Module: r.Module, Mode: r.Mode, Type: r.Type, Name: r.Name,
				Index: in.IndexKey, Attrs: in.Attributes})
		}
	}
	return out
}

// Environment is the stack the state belongs to, from the Environment tag
// its resources carry (the Terraform's default tags); "" when none does.
// Two different values are an error.
func (s *State) Environment() (string, error) {
	seen := map[string][]string{}
	for _, o := range s.Objects() {
		if o.Mode != "managed" {
			continue
		}
		for _, k := range []string{"tags_all", "tags"} {
			if tags, ok := o.Attrs[k].(map[string]any); ok {
				if env, ok := tags["Environment"].(string); ok && env != "" {
					seen[env] = append(seen[env], o.Address)
					break
				}
			}
		}
	}
	if len(seen) > 1 {
		envs := slices.Sorted(maps.Keys(seen))
		return "", inputErrorf("the state mixes environments %s (Environment tags); adopt one environment's state at a time", strings.Join(envs, ", "))
	}
	for e := range seen {
		return e, nil
	}
	return "", nil
}

// CheckEnvironment fails when the state belongs to another stack than the
// one it is adopted into.
func (s *State) CheckEnvironment(stack string) error {
	env, err := s.Environment()
	if err != nil {
		return err
	}
	if env != "" && env != stack {
		return inputErrorf("the state is of environment %q (its resources' Environment tag), not of stack %q: adopt each environment into its own stack", env, stack)
	}
	return nil
}

// str reads a string attribute.
func str(attrs map[string]any, k string) string {
	s, _ := attrs[k].(string)
	return s
}
