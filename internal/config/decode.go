package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// overlayObject lays the JSON object raw over dst, a pointer to a struct that
// already holds the defaults. Every key must name a field (by its json tag)
// and carry a value of the field's type; anything else is a problem.
func overlayObject(path, raw string, dst any, ps *problems) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &obj); err != nil || obj == nil {
		ps.add(path, rawJSON(raw), "must be a mapping of settings (set it with `pulumi config set --path %s.<setting> <value>`)", path)
		return
	}
	v := reflect.ValueOf(dst).Elem()
	if v.Kind() == reflect.Map {
		overlayMap(path, json.RawMessage(raw), v, ps)
		return
	}
	overlay(path, obj, v, ps)
}

// overlayMap fills f, a map of names to settings structs, from raw: each
// entry is read like a section, so its keys are checked and named in full.
func overlayMap(path string, raw json.RawMessage, f reflect.Value, ps *problems) {
	var entries map[string]json.RawMessage
	if err := json.Unmarshal(raw, &entries); err != nil {
		ps.add(path, rawJSON(raw), "must be a mapping of names to settings")
		return
	}
	m := reflect.MakeMap(f.Type())
	for _, name := range sortedKeys(entries) {
		var sub map[string]json.RawMessage
		ep := path + "." + name
		if err := json.Unmarshal(entries[name], &sub); err != nil || sub == nil {
			ps.add(ep, rawJSON(entries[name]), "must be a mapping of settings")
			continue
		}
		ev := reflect.New(f.Type().Elem()).Elem()
		overlay(ep, sub, ev, ps)
		if d, ok := ev.Addr().Interface().(interface{ fill(set map[string]bool) }); ok {
			set := map[string]bool{}
			for k := range sub {
				set[k] = true
			}
			d.fill(set)
		}
		m.SetMapIndex(reflect.ValueOf(name), ev)
	}
	f.Set(m)
}

func overlay(path string, obj map[string]json.RawMessage, v reflect.Value, ps *problems) {
	fields := map[string]reflect.Value{}
	var names []string
	t := v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		fields[name] = v.Field(i)
		names = append(names, name)
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p, raw := path+"."+k, obj[k]
		f, ok := fields[k]
		if !ok {
			if moved, ok := movedSettings[p]; ok {
				ps.add(p, rawJSON(raw), "%s", moved)
				continue
			}
			ps.add(p, rawJSON(raw), "unknown setting%s; %s accepts: %s", suggest(k, names), path, strings.Join(names, ", "))
			continue
		}
		if bytes.Equal(raw, []byte("null")) {
			ps.add(p, rawJSON("null"), "must be %s (remove the key to take the default)", kindName(f.Type()))
			continue
		}
		if f.Kind() == reflect.Map && f.Type().Elem().Kind() == reflect.Struct {
			overlayMap(p, raw, f, ps)
			continue
		}
		if f.Kind() == reflect.Struct {
			var sub map[string]json.RawMessage
			if err := json.Unmarshal(raw, &sub); err != nil {
				ps.add(p, rawJSON(raw), "must be a mapping of settings")
				continue
			}
			overlay(p, sub, f, ps)
			continue
		}
		nv := reflect.New(f.Type())
		dec := json.NewDecoder(bytes.NewReader(raw))
		// A mapping of settings (adopted.securityGroups.alb) takes only the
		// keys its type names, like every other setting.
		dec.DisallowUnknownFields()
		if err := dec.Decode(nv.Interface()); err != nil {
			ps.add(p, rawJSON(raw), "must be %s%s", kindName(f.Type()), hint(raw, f.Type()))
			continue
		}
		f.Set(nv.Elem())
	}
}

// movedSettings are settings the program no longer reads from config, with
// where they went.
var movedSettings = map[string]string{
	key("api", "imageTag"): "the image tag is no longer config (every deploy would rewrite the committed file): " +
		"give it per run as `make up IMAGE_TAG=<tag>` or " + ImageTagEnv + "=<tag>; without one the running tag is kept. Remove this setting",
}

// kindName says in words what a field accepts.
func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int:
		return "a whole number"
	case reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "a list of " + strings.TrimPrefix(kindName(t.Elem()), "a ") + "s"
	case reflect.Map:
		return "a mapping of names to " + strings.TrimPrefix(kindName(t.Elem()), "a ") + "s"
	case reflect.Struct:
		return "a mapping of settings"
	case reflect.Pointer:
		return kindName(t.Elem())
	default:
		return t.String()
	}
}

// hint explains the classic YAML trap: an unquoted version number.
func hint(raw json.RawMessage, t reflect.Type) string {
	if t.Kind() == reflect.String && len(raw) > 0 && (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')) {
		return fmt.Sprintf(" (quote it: YAML reads an unquoted %s as a number)", raw)
	}
	return ""
}

// suggest names the closest known setting, for typos.
func suggest(k string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := distance(strings.ToLower(k), strings.ToLower(n)); d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// distance is the Levenshtein distance of two short strings.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
