package plan

import (
	"strconv"
	"strings"
)

// Input is the input at a dotted path ("networkConfiguration.subnets"),
// and whether it is set (a null counts as unset).
func (r Resource) Input(path string) (any, bool) {
	var cur any = r.Inputs
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok || cur == nil {
			return nil, false
		}
	}
	return cur, true
}

// Str is the string input at path, "" when absent or not a string.
func (r Resource) Str(path string) string {
	v, _ := r.Input(path)
	return AsString(v)
}

// List is the list input at path, nil when absent.
func (r Resource) List(path string) []any {
	v, _ := r.Input(path)
	return AsList(v)
}

// Strings are the strings of the list input at path.
func (r Resource) Strings(path string) []string {
	v, _ := r.Input(path)
	return AsStrings(v)
}

// Objects are the objects (blocks) of the list input at path.
func (r Resource) Objects(path string) []map[string]any {
	var out []map[string]any
	for _, e := range r.List(path) {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// Number is the numeric input at path, read as AsNumber reads a value.
func (r Resource) Number(path string) (float64, bool) {
	v, _ := r.Input(path)
	return AsNumber(v)
}

// Bool is the boolean input at path; set is false when it is absent.
// "true"/"false" strings count, as some provider inputs are strings.
func (r Resource) Bool(path string) (value, set bool) {
	v, ok := r.Input(path)
	if !ok {
		return false, false
	}
	switch b := v.(type) {
	case bool:
		return b, true
	case string:
		return b == "true", b == "true" || b == "false"
	}
	return false, false
}

// IsTrue reports whether the boolean input at path is set to true.
func (r Resource) IsTrue(path string) bool {
	v, set := r.Bool(path)
	return set && v
}

// IsFalse reports whether the boolean input at path is set to false. An
// unset input is neither true nor false: the provider's default applies.
func (r Resource) IsFalse(path string) bool {
	v, set := r.Bool(path)
	return set && !v
}

// The values inside an input — the fields of a block, the elements of a
// list — are read by the same rules as the inputs themselves.

// AsString is v as a string, "" when it is not one.
func AsString(v any) string {
	s, _ := v.(string)
	return s
}

// AsList is v as a list, nil when it is not one.
func AsList(v any) []any {
	l, _ := v.([]any)
	return l
}

// AsStrings are the strings of v, a list; nil when it is not one.
func AsStrings(v any) []string {
	var out []string
	for _, e := range AsList(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// AsNumber is v as a number: a JSON number, or a numeric string, as some
// provider inputs are strings (an ECS task definition's cpu and memory).
func AsNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	}
	return 0, false
}
