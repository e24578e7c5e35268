package mock

import (
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Secret is what a secret value reads as wherever values are shown.
const Secret = "[secret]"

// Masked converts properties to plain JSON-shaped values with every secret
// replaced by "[secret]", and lists the paths of the secrets
// ("masterPassword", "environment[2].value").
func Masked(m resource.PropertyMap) (map[string]any, []string) {
	var paths []string
	out := convert(resource.NewProperty(m), "", true, &paths).(map[string]any)
	sort.Strings(paths)
	return out, paths
}

// Revealed converts properties to plain JSON-shaped values, secrets
// included. For tests only: never print what it returns.
func Revealed(m resource.PropertyMap) map[string]any {
	var paths []string
	return convert(resource.NewProperty(m), "", false, &paths).(map[string]any)
}

func convert(v resource.PropertyValue, path string, mask bool, secrets *[]string) any {
	switch {
	case v.IsSecret():
		*secrets = append(*secrets, path)
		if mask {
			return Secret
		}
		return convert(v.SecretValue().Element, path, mask, secrets)
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			*secrets = append(*secrets, path)
			if mask {
				return Secret
			}
		}
		if !o.Known {
			return "[unknown]"
		}
		return convert(o.Element, path, mask, secrets)
	case v.IsComputed():
		return "[unknown]"
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := make([]any, 0, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			arr = append(arr, convert(e, path+"["+strconv.Itoa(i)+"]", mask, secrets))
		}
		return arr
	case v.IsObject():
		obj := map[string]any{}
		for k, e := range v.ObjectValue() {
			p := string(k)
			if path != "" {
				p = path + "." + p
			}
			obj[string(k)] = convert(e, p, mask, secrets)
		}
		return obj
	case v.IsResourceReference():
		ref := v.ResourceReferenceValue()
		return string(ref.URN)
	case v.IsAsset(), v.IsArchive():
		return "[asset]"
	}
	return nil
}

// Get returns the input at a path such as "ingress[0].fromPort", revealed,
// whether it (or anything containing it) is secret, and whether it exists.
func (r *Resource) Get(path string) (value any, secret bool, ok bool) {
	return get(resource.NewProperty(r.Inputs), path)
}

// Output returns an output property at a path, like Get.
func (r *Resource) Output(path string) (value any, secret bool, ok bool) {
	return get(resource.NewProperty(r.Outputs), path)
}

func get(v resource.PropertyValue, path string) (any, bool, bool) {
	secret := false
	for _, part := range splitPath(path) {
		for v.IsSecret() || v.IsOutput() {
			if v.IsSecret() {
				secret, v = true, v.SecretValue().Element
			} else {
				secret = secret || v.OutputValue().Secret
				v = v.OutputValue().Element
			}
		}
		if i, err := strconv.Atoi(part); err == nil && v.IsArray() {
			if i >= len(v.ArrayValue()) {
				return nil, secret, false
			}
			v = v.ArrayValue()[i]
			continue
		}
		if !v.IsObject() {
			return nil, secret, false
		}
		e, ok := v.ObjectValue()[resource.PropertyKey(part)]
		if !ok {
			return nil, secret, false
		}
		v = e
	}
	var paths []string
	out := convert(v, "", false, &paths)
	return out, secret || len(paths) > 0 && paths[0] == "", true
}

// splitPath turns "a.b[2].c" into a, b, 2, c.
func splitPath(path string) []string {
	path = strings.ReplaceAll(path, "[", ".")
	path = strings.ReplaceAll(path, "]", "")
	return strings.Split(path, ".")
}
