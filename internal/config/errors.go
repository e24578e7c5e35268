package config

import (
	"fmt"
	"strings"
)

// Problem is one bad config value: the key path, what was found and what is
// allowed.
type Problem struct {
	// Key is the full path, e.g. arrakis:database.backupRetentionDays.
	Key string
	// Value is the value found, as the user wrote it (or "(not set)").
	Value string
	// Allowed says what would be accepted.
	Allowed string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s: got %s; %s", p.Key, p.Value, p.Allowed)
}

// ValidationError lists every problem of a stack's config. Nothing has been
// registered when it is returned.
type ValidationError struct {
	Stack    string
	Problems []Problem
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid configuration for stack %q (%d problem", e.Stack, len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	b.WriteString("):")
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

// problems collects Problems while a config is read and checked.
type problems struct{ list []Problem }

func (ps *problems) add(key string, value any, allowed string, args ...any) {
	ps.list = append(ps.list, Problem{Key: key, Value: show(value), Allowed: fmt.Sprintf(allowed, args...)})
}

// show renders a value the way a user would have written it.
func show(v any) string {
	switch v := v.(type) {
	case nil:
		return "(not set)"
	case string:
		return fmt.Sprintf("%q", v)
	case []string:
		q := make([]string, len(v))
		for i, s := range v {
			q[i] = fmt.Sprintf("%q", s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case Secret:
		return v.String()
	case rawJSON:
		return string(v)
	default:
		return fmt.Sprint(v)
	}
}

// key builds the full key path of a field.
func key(section string, fields ...string) string {
	k := Namespace + ":" + section
	for _, f := range fields {
		k += "." + f
	}
	return k
}

// rawJSON is a value shown exactly as it was written.
type rawJSON string
