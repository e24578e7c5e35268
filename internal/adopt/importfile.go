package adopt

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// ImportFile is the document `pulumi import --file` reads.
type ImportFile struct {
	NameTable map[string]string `json:"nameTable"`
	Resources []ImportEntry     `json:"resources"`
}

// ImportEntry is one resource to import, or a component to hang imported
// resources under.
type ImportEntry struct {
	Type string `json:"type"`
	// Name is the entry's handle in this file (parent references it);
	// LogicalName is the resource's name in the stack.
	Name        string `json:"name"`
	LogicalName string `json:"logicalName"`
	ID          string `json:"id,omitempty"`
	Parent      string `json:"parent,omitempty"`
	Component   bool   `json:"component,omitempty"`
	Remote      bool   `json:"remote,omitempty"`
	Version     string `json:"version,omitempty"`
}

// JSON is the file's content.
func (f ImportFile) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

var handleChars = regexp.MustCompile(`[^A-Za-z0-9]+`)

// handle is an entry's unique name in the file: its type and logical name
// as an identifier (the stack's components all share the logical name
// arrakis, and the awsx children share theirs across types).
func handle(t *target) string {
	typ := t.Type
	if i := strings.Index(typ, "/"); i >= 0 {
		typ = typ[strings.Index(typ, ":")+1:]
	}
	return strings.Trim(handleChars.ReplaceAllString(typ+"_"+t.Name, "_"), "_")
}

// importFile lists the program's components, then every matched resource
// under its parent's entry. Every parent is in the file, so the import
// works on a new, empty stack.
//
// A parent that does not exist yet (the awsx route table of a zone whose
// subnet Terraform associated with a shared table) is stood in for by an
// imported resource of the same type under the same kind of parent: a URN
// carries its parent's type, not its name, so the child's URN is the one
// the program gives it, and the next `up` re-parents it in place.
func importFile(x *targets, ms []matched, opts Options) (ImportFile, error) {
	f := ImportFile{NameTable: map[string]string{}, Resources: []ImportEntry{}}
	in := map[string]string{} // URN -> handle of entries in the file
	imported := map[string]*target{}
	for _, mm := range ms {
		imported[mm.target.URN] = mm.target
	}
	var components []*target
	for _, t := range x.all {
		if !t.Custom {
			components = append(components, t)
		}
	}
	// Components first, parents before children (the plan's order is by
	// URN, in which a parent's URN is not always first).
	for len(components) > 0 {
		progress := false
		for i := 0; i < len(components); i++ {
			c := components[i]
			if c.Parent != "" && in[c.Parent] == "" && x.byURN[c.Parent] != nil {
				continue
			}
			e := ImportEntry{Type: c.Type, Name: handle(c), LogicalName: c.Name, Component: true, Parent: in[c.Parent]}
			if c.Remote {
				e.Remote, e.Version = true, opts.AwsxVersion
			}
			f.Resources = append(f.Resources, e)
			in[c.URN] = e.Name
			components = append(components[:i], components[i+1:]...)
			i--
			progress = true
		}
		if !progress {
			return f, fmt.Errorf("components %v have parents outside the plan", components)
		}
	}
	var pending []matched
	for _, mm := range ms {
		if mm.id == "" || mm.id == redacted {
			continue // no value to import (a redacted password): see the report's warnings
		}
		pending = append(pending, mm)
	}
	for len(pending) > 0 {
		progress := false
		for i := 0; i < len(pending); i++ {
			mm := pending[i]
			parent, ok := parentHandle(x, mm.target, in, imported)
			if !ok {
				continue
			}
			e := ImportEntry{Type: mm.target.Type, Name: handle(mm.target), LogicalName: mm.target.Name, ID: mm.id, Parent: parent}
			f.Resources = append(f.Resources, e)
			in[mm.target.URN] = e.Name
			pending = append(pending[:i], pending[i+1:]...)
			i--
			progress = true
		}
		if !progress {
			var urns []string
			for _, mm := range pending {
				urns = append(urns, mm.target.URN)
			}
			return f, fmt.Errorf("no parent in the import file for %s", strings.Join(urns, ", "))
		}
	}
	return f, nil
}

// parentHandle is the entry a resource hangs under: its parent's, or a
// stand-in's (see importFile); ok is false while neither is in the file
// yet.
func parentHandle(x *targets, t *target, in map[string]string, imported map[string]*target) (string, bool) {
	if t.Parent == "" || x.byURN[t.Parent] == nil {
		return "", true // the stack itself
	}
	if h := in[t.Parent]; h != "" {
		return h, true
	}
	if imported[t.Parent] != nil {
		return "", false // imported, not placed yet
	}
	// Of the stand-ins, the one named most like the missing parent (the
	// public table for a public subnet's association), for the reader.
	want, name := resource.URN(t.Parent).QualifiedType(), resource.URN(t.Parent).Name()
	best, bestLen := "", -1
	for _, urn := range slices.Sorted(maps.Keys(in)) {
		u := resource.URN(urn)
		if u.QualifiedType() != want {
			continue
		}
		n := 0
		for n < len(name) && n < len(u.Name()) && name[n] == u.Name()[n] {
			n++
		}
		if n > bestLen {
			best, bestLen = in[urn], n
		}
	}
	return best, best != ""
}
