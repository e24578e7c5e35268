package plan

import "strings"

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
	s, _ := v.(string)
	return s
}

// List is the list input at path, nil when absent.
func (r Resource) List(path string) []any {
	v, _ := r.Input(path)
	l, _ := v.([]any)
	return l
}

// Strings are the strings of the list input at path.
func (r Resource) Strings(path string) []string {
	var out []string
	for _, e := range r.List(path) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// Number is the numeric input at path.
func (r Resource) Number(path string) (float64, bool) {
	v, ok := r.Input(path)
	if !ok {
		return 0, false
	}
	f, ok := v.(float64)
	return f, ok
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
