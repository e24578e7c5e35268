package stackfile

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	pconfig "github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// applyProjectConfig does to a stack's config what the CLI does before a
// run (workspace.ValidateStackConfigAndApplyProjectConfig in pulumi/pkg):
// every key Pulumi.yaml declares and the stack does not set takes the
// declaration's `value` or `default`; a project key with neither is missing;
// then every set key the project declares with a `type` must be of that type,
// and one declared `secret` must be encrypted. Stack environments, the other
// half of the CLI's merge, are refused by Load. The messages are the CLI's
// (lower-cased: Load puts the file's path in front).
func applyProjectConfig(stack string, project *workspace.Project, cfg pconfig.Map) error {
	name := project.Name.String()
	names := make([]string, 0, len(project.Config))
	for k := range project.Config {
		names = append(names, k)
	}
	sort.Strings(names)

	var missing []string
	for _, k := range names {
		decl := project.Config[k]
		key, err := projectKey(name, k)
		if err != nil {
			return err
		}
		_, set, err := cfg.Get(key, true)
		if err != nil {
			return fmt.Errorf("getting stack config value for key '%v': %w", key, err)
		}
		if set {
			continue
		}
		v := decl.Value
		if decl.Default != nil {
			v = decl.Default
		}
		if v == nil {
			if key.Namespace() == name {
				missing = append(missing, k)
			}
			continue
		}
		value, err := projectValue(v)
		if err != nil {
			return fmt.Errorf("project config '%s': %w", k, err)
		}
		if err := cfg.Set(key, value, true); err != nil {
			return err
		}
	}
	if len(missing) > 0 {
		return missingKeys(stack, missing)
	}

	for _, k := range names {
		decl := project.Config[k]
		if !decl.IsExplicitlyTyped() {
			continue
		}
		key, _ := projectKey(name, k) // parsed above
		v, _, err := cfg.Get(key, true)
		if err != nil {
			return fmt.Errorf("getting stack config value for key '%v': %w", key, err)
		}
		if decl.Secret && !v.Secure() {
			return fmt.Errorf("stack '%v' with configuration key '%v' must be encrypted as it's secret", stack, k)
		}
		if v.Secure() {
			// The CLI checks the decrypted value; offline only its
			// placeholder is known, which would fail any type but string.
			continue
		}
		text, err := v.Value(pconfig.NopDecrypter)
		if err != nil {
			return err
		}
		var content any = text
		if v.Object() {
			if err := json.Unmarshal([]byte(text), &content); err != nil {
				return fmt.Errorf("configuration key '%v': %w", k, err)
			}
		}
		if !workspace.ValidateConfigValue(decl.TypeName(), decl.Items, content) {
			return fmt.Errorf("stack '%v' with configuration key '%v' must be of type '%v'",
				stack, k, workspace.InferFullTypeName(decl.TypeName(), decl.Items))
		}
	}
	return nil
}

// projectKey is the config key a Pulumi.yaml declaration names: bare names
// are in the project's namespace, `aws:region` keeps its own.
func projectKey(project, k string) (pconfig.Key, error) {
	if strings.Contains(k, ":") {
		return pconfig.ParseKey(k)
	}
	return pconfig.MustMakeKey(project, k), nil
}

// projectValue is a declaration's value as the CLI stores it: strings,
// integers and booleans as their text, anything else as a JSON object value.
func projectValue(v any) (pconfig.Value, error) {
	switch v.(type) {
	case string, int, bool:
		return pconfig.NewValue(fmt.Sprintf("%v", v)), nil
	}
	simple, err := workspace.SimplifyMarshalledValue(v)
	if err != nil {
		return pconfig.Value{}, err
	}
	text, err := json.Marshal(simple)
	if err != nil {
		return pconfig.Value{}, err
	}
	return pconfig.NewObjectValue(string(text)), nil
}

func missingKeys(stack string, keys []string) error {
	quoted := make([]string, len(keys))
	for i, k := range keys {
		quoted[i] = "'" + k + "'"
	}
	noun, list := "value", quoted[0]
	if len(quoted) > 1 {
		noun = "values"
		list = strings.Join(quoted[:len(quoted)-1], ", ") + " and " + quoted[len(quoted)-1]
	}
	return fmt.Errorf("stack '%v' is missing configuration %s %s", stack, noun, list)
}
