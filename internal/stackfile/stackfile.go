// Package stackfile reads a stack's configuration the way the Pulumi CLI
// hands it to the program: the project's config defaults from Pulumi.yaml,
// overridden by the values of Pulumi.<stack>.yaml. It lets the offline plan
// and the tests run the program for a stack with no Pulumi CLI.
//
// Secure values cannot be decrypted without the stack's secrets provider;
// they become config.OfflinePlaceholder and stay marked secret.
package stackfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/arrakis/infrastructure/internal/config"
)

// Load returns the configuration of stack from the project in dir.
func Load(dir, stack string) (config.Input, error) {
	project, defaults, err := loadProject(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		return config.Input{}, err
	}
	path := filepath.Join(dir, "Pulumi."+stack+".yaml")
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return config.Input{}, fmt.Errorf("stack %q has no config file: %s does not exist (stacks here: %s)",
			stack, path, strings.Join(Stacks(dir), ", "))
	}
	if err != nil {
		return config.Input{}, err
	}
	var file struct {
		Config map[string]any `yaml:"config"`
	}
	if err := yaml.Unmarshal(data, &file); err != nil {
		return config.Input{}, fmt.Errorf("reading %s: %w", path, err)
	}

	in := config.Input{Project: project, Stack: stack, Values: map[string]string{}, Secret: map[string]bool{}}
	for k, v := range defaults {
		in.Values[k] = v
	}
	for k, v := range file.Config {
		full := qualify(project, k)
		s, secret, err := encode(v)
		if err != nil {
			return config.Input{}, fmt.Errorf("%s: %s: %w", path, k, err)
		}
		in.Values[full] = s
		in.Secret[full] = secret
	}
	return in, nil
}

// Stacks lists the stacks that have a config file in dir.
func Stacks(dir string) []string {
	matches, _ := filepath.Glob(filepath.Join(dir, "Pulumi.*.yaml"))
	var stacks []string
	for _, m := range matches {
		stacks = append(stacks, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m), "Pulumi."), ".yaml"))
	}
	sort.Strings(stacks)
	return stacks
}

// loadProject reads the project name and the config defaults of Pulumi.yaml.
func loadProject(path string) (string, map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, fmt.Errorf("reading the project file: %w", err)
	}
	var project struct {
		Name   string         `yaml:"name"`
		Config map[string]any `yaml:"config"`
	}
	if err := yaml.Unmarshal(data, &project); err != nil {
		return "", nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if project.Name == "" {
		return "", nil, fmt.Errorf("%s has no project name", path)
	}
	defaults := map[string]string{}
	for k, decl := range project.Config {
		var v any
		switch d := decl.(type) {
		case map[string]any:
			// A declaration: {type, description, default | value, secret}.
			if val, ok := d["value"]; ok {
				v = val
			} else if def, ok := d["default"]; ok {
				v = def
			} else {
				continue
			}
		default:
			v = d // shorthand: the value itself
		}
		s, _, err := encode(v)
		if err != nil {
			return "", nil, fmt.Errorf("%s: config %s: %w", path, k, err)
		}
		defaults[qualify(project.Name, k)] = s
	}
	return project.Name, defaults, nil
}

// qualify puts a bare key in the project's namespace, as Pulumi does.
func qualify(project, k string) string {
	if strings.Contains(k, ":") {
		return k
	}
	return project + ":" + k
}

// encode renders a YAML config value as the string the engine passes:
// scalars as text, mappings and lists as JSON. Secure values become the
// offline placeholder.
func encode(v any) (string, bool, error) {
	v, secret := unsecure(v)
	switch x := v.(type) {
	case string:
		return x, secret, nil
	case map[string]any, []any:
		b, err := json.Marshal(x)
		return string(b), secret, err
	case nil:
		return "", secret, nil
	default:
		return fmt.Sprint(x), secret, nil
	}
}

// unsecure replaces every {secure: …} value with the placeholder and reports
// whether there was one.
func unsecure(v any) (any, bool) {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["secure"]; ok && len(x) == 1 {
			return config.OfflinePlaceholder, true
		}
		out, secret := map[string]any{}, false
		for k, e := range x {
			var s bool
			out[k], s = unsecure(e)
			secret = secret || s
		}
		return out, secret
	case []any:
		out, secret := make([]any, len(x)), false
		for i, e := range x {
			var s bool
			out[i], s = unsecure(e)
			secret = secret || s
		}
		return out, secret
	default:
		return v, false
	}
}
