package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/arrakis/infrastructure/internal/plan/token"
	"github.com/arrakis/infrastructure/internal/textout"
)

// WriteText renders the plan as a tree by component: each resource with its
// type, logical name, physical name, options and settings, then the count
// of resources per type and the stack outputs.
func (p *Plan) WriteText(w io.Writer) error {
	out := textout.New(w)
	counts := p.CountByType()
	total := 0
	for _, n := range counts {
		total += n
	}
	out.Printf("Stack %s/%s: %d resources (offline plan: values the cloud computes are placeholders)\n",
		p.Project, p.Stack, total)

	children := map[string][]Resource{}
	for _, r := range p.Resources {
		children[r.Parent] = append(children[r.Parent], r)
	}
	for _, c := range children {
		sort.SliceStable(c, func(i, j int) bool {
			if c[i].Type != c[j].Type {
				return c[i].Type < c[j].Type
			}
			return c[i].Name < c[j].Name
		})
	}
	for _, r := range children[""] {
		out.Printf("\n")
		p.writeResource(out, r, children, "")
	}

	out.Printf("\nResources by type:\n")
	for _, t := range slices.Sorted(maps.Keys(counts)) {
		out.Printf("  %-62s %3d\n", t, counts[t])
	}
	out.Printf("  %-62s %3d\n", "total", total)

	out.Printf("\nOutputs:\n")
	for _, k := range slices.Sorted(maps.Keys(p.Outputs)) {
		out.Printf("  %s: %s\n", k, inline(p.Outputs[k]))
	}
	return out.Err()
}

func (p *Plan) writeResource(out *textout.Writer, r Resource, children map[string][]Resource, indent string) {
	head := r.Type + "  " + r.Name
	if name := r.PhysicalName(); name != "" {
		head += "  → " + name
	}
	var flags []string
	switch {
	case r.Remote:
		flags = append(flags, "remote component")
	case r.Read:
		flags = append(flags, "read: nothing is created")
	case !r.Custom:
		flags = append(flags, "component")
	}
	if r.Protect {
		flags = append(flags, "protect")
	}
	if r.RetainOnDelete {
		flags = append(flags, "retainOnDelete")
	}
	if r.DeleteBeforeReplace {
		flags = append(flags, "deleteBeforeReplace")
	}
	if len(r.IgnoreChanges) > 0 {
		flags = append(flags, "ignoreChanges: "+strings.Join(r.IgnoreChanges, ", "))
	}
	if len(flags) > 0 {
		head += "  [" + strings.Join(flags, "; ") + "]"
	}
	out.Printf("%s%s\n", indent, head)
	if r.Type == token.AwsxVPC {
		out.Printf("%s    (awsx creates: %s)\n", indent, VPCChildren(r).String())
		for _, t := range Transformed(r) {
			out.Printf("%s    (the program's transform: %s)\n", indent, t)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(r.Inputs)) {
		if k == "tags" || k == "tagsAll" {
			continue
		}
		if doc, ok := jsonDocument(r.Inputs[k]); ok {
			// Policies, container definitions, dashboards: shown in full so a
			// review sees every changed line.
			out.Printf("%s    %s: (JSON)\n", indent, k)
			for _, line := range strings.Split(doc, "\n") {
				out.Printf("%s      %s\n", indent, line)
			}
			continue
		}
		out.Printf("%s    %s: %s\n", indent, k, inline(r.Inputs[k]))
	}
	for _, c := range children[r.URN] {
		p.writeResource(out, c, children, indent+"  ")
	}
}

// inline renders a value on one line: strings as they are, everything else
// as compact JSON.
func inline(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // <tag> and & read as written
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// jsonDocument reports whether v is a string holding a JSON object or array,
// and returns it indented.
func jsonDocument(v any) (string, bool) {
	s, ok := v.(string)
	if !ok || !(strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[")) {
		return "", false
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(s), "", "  "); err != nil {
		return "", false
	}
	return buf.String(), true
}

// WriteJSON writes the plan as one indented JSON document.
func (p *Plan) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}
