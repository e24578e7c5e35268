// Package stacktest holds the helpers every test of this repository shares:
// loading the real stack files, running a program under the recording mock,
// and reading what it registered.
package stacktest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stackfile"
)

// Stacks are the stacks the repository defines.
var Stacks = []string{"production", "staging"}

// Root is the repository root (the directory holding Pulumi.yaml).
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "Pulumi.yaml")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir, "no Pulumi.yaml above the test directory")
		dir = parent
	}
}

// Input is a real stack's raw configuration, with overrides applied
// (key -> raw value; objects as JSON text).
func Input(t testing.TB, stack string, overrides map[string]string) config.Input {
	t.Helper()
	in, err := stackfile.Load(Root(t), stack)
	require.NoError(t, err)
	for k, v := range overrides {
		in.Values[k] = v
	}
	return in
}

// Config is a real stack's validated configuration.
func Config(t testing.TB, stack string) *config.Config {
	t.Helper()
	cfg, err := config.Parse(Input(t, stack, nil))
	require.NoError(t, err)
	return cfg
}

// Run runs program under the mock for stack (region us-east-1, no config)
// and fails the test on error.
func Run(t testing.TB, stack string, program pulumi.RunFunc) *mock.Result {
	t.Helper()
	in := config.Input{Project: "arrakis", Stack: stack, Values: map[string]string{config.RegionKey: "us-east-1"}}
	res, err := mock.Run(in, program)
	require.NoError(t, err)
	return res
}

// One returns the only resource of a type with a logical name.
func One(t testing.TB, res *mock.Result, typ, name string) *mock.Resource {
	t.Helper()
	r := res.Find(typ, name)
	require.NotNil(t, r, "no %s named %s was registered", typ, name)
	return r
}

// Get reads a revealed input value and fails if it is missing.
func Get(t testing.TB, r *mock.Resource, path string) any {
	t.Helper()
	v, _, ok := r.Get(path)
	require.True(t, ok, "%s %s has no input %s", r.Type, r.Name, path)
	return v
}

// Str reads a string input.
func Str(t testing.TB, r *mock.Resource, path string) string {
	t.Helper()
	v, ok := Get(t, r, path).(string)
	require.True(t, ok, "%s %s input %s is not a string", r.Type, r.Name, path)
	return v
}

// Int reads a number input as an int.
func Int(t testing.TB, r *mock.Resource, path string) int {
	t.Helper()
	v, ok := Get(t, r, path).(float64)
	require.True(t, ok, "%s %s input %s is not a number", r.Type, r.Name, path)
	return int(v)
}

// Strings reads a list of strings input.
func Strings(t testing.TB, r *mock.Resource, path string) []string {
	t.Helper()
	raw, ok := Get(t, r, path).([]any)
	require.True(t, ok, "%s %s input %s is not a list", r.Type, r.Name, path)
	out := make([]string, len(raw))
	for i, e := range raw {
		out[i], ok = e.(string)
		require.True(t, ok, "%s %s input %s[%d] is not a string", r.Type, r.Name, path, i)
	}
	return out
}

// OutputOf reads an output property of a resource.
func OutputOf(t testing.TB, r *mock.Resource, path string) any {
	t.Helper()
	v, _, ok := r.Output(path)
	require.True(t, ok, "%s %s has no output %s", r.Type, r.Name, path)
	return v
}

// Set changes one setting of a stack's raw config: path is a key such as
// arrakis:tier, or a key and a field path such as
// arrakis:database.backupRetentionDays; value is any JSON value.
func Set(t testing.TB, in config.Input, path string, value any) config.Input {
	t.Helper()
	out := in
	out.Values = map[string]string{}
	for k, v := range in.Values {
		out.Values[k] = v
	}
	key, field, nested := strings.Cut(path, ".")
	if !nested {
		if s, ok := value.(string); ok {
			out.Values[key] = s
		} else {
			b, err := json.Marshal(value)
			require.NoError(t, err)
			out.Values[key] = string(b)
		}
		return out
	}
	obj := map[string]any{}
	if raw := out.Values[key]; raw != "" {
		require.NoError(t, json.Unmarshal([]byte(raw), &obj), "%s is not an object", key)
	}
	setField(obj, strings.Split(field, "."), value)
	b, err := json.Marshal(obj)
	require.NoError(t, err)
	out.Values[key] = string(b)
	return out
}

func setField(obj map[string]any, path []string, value any) {
	if len(path) == 1 {
		obj[path[0]] = value
		return
	}
	sub, ok := obj[path[0]].(map[string]any)
	if !ok {
		sub = map[string]any{}
		obj[path[0]] = sub
	}
	setField(sub, path[1:], value)
}

// Rejected runs program for stack; it must fail before registering
// anything. It returns the error, for the test to check its words.
func Rejected(t testing.TB, stack string, program pulumi.RunFunc) error {
	t.Helper()
	in := config.Input{Project: "arrakis", Stack: stack, Values: map[string]string{config.RegionKey: "us-east-1"}}
	res, err := mock.Run(in, program)
	require.Error(t, err)
	require.Empty(t, res.Resources(), "nothing is registered when the program fails")
	return err
}

// Await waits for an output, which must be known, and returns its value.
func Await(t testing.TB, o pulumi.Output) any {
	t.Helper()
	v, err := mock.Await(o)
	require.NoError(t, err)
	require.True(t, v.Known, "the output is known")
	return v.Value
}
