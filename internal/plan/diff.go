package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/arrakis/infrastructure/internal/textout"
)

// Diff is a resource-by-resource comparison of two stacks' plans. Resources
// match by type and logical name within their parents; the stack name inside
// values is set aside, so `arrakis-production-alb` and `arrakis-staging-alb`
// compare equal.
type Diff struct {
	A, B    string
	OnlyA   []string
	OnlyB   []string
	Changed []Changed
}

// Changed is a resource present in both stacks whose settings differ.
type Changed struct {
	Resource string
	Settings []Setting
}

// Setting is one differing value; "" means absent.
type Setting struct {
	Path string
	A, B string
}

// Compare compares two plans.
func Compare(a, b *Plan) *Diff {
	d := &Diff{A: a.Stack, B: b.Stack}
	ra, rb := index(a), index(b)
	for _, k := range slices.Sorted(maps.Keys(ra)) {
		other, ok := rb[k]
		if !ok {
			d.OnlyA = append(d.OnlyA, k)
			continue
		}
		fa, fb := flatten(ra[k], a.Stack), flatten(other, b.Stack)
		var settings []Setting
		both := maps.Clone(fa)
		maps.Copy(both, fb)
		for _, p := range slices.Sorted(maps.Keys(both)) {
			if fa[p] != fb[p] {
				settings = append(settings, Setting{Path: p, A: fa[p], B: fb[p]})
			}
		}
		if len(settings) > 0 {
			d.Changed = append(d.Changed, Changed{Resource: k, Settings: settings})
		}
	}
	for _, k := range slices.Sorted(maps.Keys(rb)) {
		if _, ok := ra[k]; !ok {
			d.OnlyB = append(d.OnlyB, k)
		}
	}
	return d
}

// index keys each resource by its URN without the stack and project.
func index(p *Plan) map[string]Resource {
	out := map[string]Resource{}
	for _, r := range p.Resources {
		parts := strings.SplitN(r.URN, "::", 3)
		key := r.URN
		if len(parts) == 3 {
			key = parts[2]
		}
		out[key] = r
	}
	return out
}

// flatten lists a resource's settings as path -> value text, JSON documents
// opened up, the stack name replaced by <stack>.
func flatten(r Resource, stack string) map[string]string {
	out := map[string]string{}
	out["(protect)"] = strconv.FormatBool(r.Protect)
	out["(retainOnDelete)"] = strconv.FormatBool(r.RetainOnDelete)
	out["(ignoreChanges)"] = strings.Join(r.IgnoreChanges, ",")
	for k, v := range r.Inputs {
		walk(k, v, stack, out)
	}
	return out
}

func walk(path string, v any, stack string, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			walk(path+"."+k, e, stack, out)
		}
		if len(x) == 0 {
			out[path] = "{}"
		}
	case []any:
		for i, e := range x {
			walk(path+"["+strconv.Itoa(i)+"]", e, stack, out)
		}
		if len(x) == 0 {
			out[path] = "[]"
		}
	case string:
		var doc any
		if (strings.HasPrefix(x, "{") || strings.HasPrefix(x, "[")) && json.Unmarshal([]byte(x), &doc) == nil {
			walk(path, doc, stack, out)
			return
		}
		out[path] = unstack(x, stack)
	default:
		b, _ := json.Marshal(x)
		out[path] = string(b)
	}
}

// WriteText renders the comparison.
func (d *Diff) WriteText(w io.Writer) error {
	out := textout.New(w)
	out.Printf("Comparing stack %s with stack %s (the stack name in values is shown as <stack>)\n", d.A, d.B)
	for _, side := range []struct {
		stack string
		keys  []string
	}{{d.A, d.OnlyA}, {d.B, d.OnlyB}} {
		out.Printf("\nOnly in %s (%d):\n", side.stack, len(side.keys))
		for _, k := range side.keys {
			out.Printf("  %s\n", display(k))
		}
	}
	out.Printf("\nSettings that differ (%d resources):\n", len(d.Changed))
	for _, c := range d.Changed {
		out.Printf("  %s\n", display(c.Resource))
		for _, s := range c.Settings {
			out.Printf("    %s: %s → %s\n", s.Path, orAbsent(s.A), orAbsent(s.B))
		}
	}
	return out.Err()
}

func orAbsent(s string) string {
	if s == "" {
		return "(absent)"
	}
	return s
}

// String summarises the comparison.
func (d *Diff) String() string {
	return fmt.Sprintf("%s vs %s: %d only in %s, %d only in %s, %d differ",
		d.A, d.B, len(d.OnlyA), d.A, len(d.OnlyB), d.B, len(d.Changed))
}

// display shows a resource key as "<type>  <name>".
func display(key string) string {
	i := strings.LastIndex(key, "::")
	if i < 0 {
		return key
	}
	chain, name := key[:i], key[i+2:]
	if j := strings.LastIndex(chain, "$"); j >= 0 {
		chain = chain[j+1:]
	}
	return chain + "  " + name
}
