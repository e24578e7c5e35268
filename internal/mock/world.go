package mock

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// PlaceholderImageTag is the image tag a deployed stack runs in the offline
// plan, where no real deployment exists.
const PlaceholderImageTag = "offline-placeholder"

// World is what the account and the state backend already hold when the
// program runs: the outputs of the stack's previous deployment, and which
// secrets exist with a value. The program looks both up before it decides
// whether the services may start.
type World struct {
	// Previous are the stack outputs of the last deployment; nil for a
	// stack never deployed.
	Previous map[string]any
	// SecretsWithValue are the secrets, by name, that exist and hold a
	// current value. AllSecretsSet makes every secret asked about one.
	SecretsWithValue []string
	AllSecretsSet    bool
}

// Deployed is a stack in its steady state, the offline plan's default: it
// was deployed before with an image, and its secrets hold values.
func Deployed() World {
	return World{Previous: map[string]any{"imageTag": PlaceholderImageTag}, AllSecretsSet: true}
}

// NewStack is a stack before its first `up`: no deployment, no secret.
func NewStack() World { return World{} }

func (w World) secretHasValue(name string) bool {
	return w.AllSecretsSet || slices.Contains(w.SecretsWithValue, name)
}

// stackReference answers the read of a stack reference with the previous
// deployment's outputs.
func (r *Recorder) stackReference(res *Resource) resource.PropertyMap {
	outs := resource.PropertyMap{"name": resource.NewProperty(str(res.Inputs, "name"))}
	prev := r.World.Previous
	if prev == nil {
		prev = map[string]any{}
	}
	outs["outputs"] = resource.NewPropertyValue(prev)
	outs["secretOutputNames"] = resource.NewPropertyValue([]any{})
	return outs
}

// getSecrets answers ListSecrets filtered by name: the secrets of the world
// whose name starts with a filter value (Secrets Manager matches name
// filters by prefix).
func getSecrets(r *Recorder, args resource.PropertyMap) (resource.PropertyMap, error) {
	var arns, names []any
	for _, f := range objects(args, "filters") {
		if str(f, "name") != "name" {
			return nil, fmt.Errorf("mock: getSecrets filters by name only, got %q", str(f, "name"))
		}
		for _, prefix := range stringList(f, "values") {
			for _, name := range r.worldSecrets() {
				if strings.HasPrefix(name, prefix) && !slices.Contains(names, any(name)) {
					names = append(names, name)
					arns = append(arns, secretARN(r, name))
				}
			}
		}
	}
	return resource.NewPropertyMapFromMap(map[string]any{"arns": arns, "names": names, "id": r.Region}), nil
}

// getSecretVersions answers ListSecretVersionIds: one AWSCURRENT version for
// a secret with a value, none for one without.
func getSecretVersions(r *Recorder, args resource.PropertyMap) (resource.PropertyMap, error) {
	id := str(args, "secretId")
	if !slices.Contains(r.worldSecrets(), id) {
		return nil, fmt.Errorf("mock: ResourceNotFoundException: Secrets Manager can't find the specified secret %q", id)
	}
	versions := []any{}
	if r.World.secretHasValue(id) {
		versions = append(versions, map[string]any{
			"versionId": uuid(id), "versionStages": []any{"AWSCURRENT"},
			"createdTime": "2026-11-02T09:00:00Z", "lastAccessedDate": "2026-11-30T00:00:00Z",
		})
	}
	return resource.NewPropertyMapFromMap(map[string]any{
		"arn": secretARN(r, id), "name": id, "secretId": id, "id": secretARN(r, id), "versions": versions,
	}), nil
}

// worldSecrets are the secrets that exist: every secret of a deployed stack
// (it created them), and those the world names.
func (r *Recorder) worldSecrets() []string {
	names := append([]string(nil), r.World.SecretsWithValue...)
	if r.World.Previous != nil || r.World.AllSecretsSet {
		for _, leaf := range []string{"app-config", "db-credentials", "redis-credentials", "vault-token"} {
			names = append(names, "arrakis-"+r.Stack+"/"+leaf)
		}
	}
	return names
}

func secretARN(r *Recorder, name string) string {
	return fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-%s", r.Region, Account, name, hexID(name, 6))
}

func objects(m resource.PropertyMap, k string) []resource.PropertyMap {
	v, ok := m[resource.PropertyKey(k)]
	if !ok || !v.IsArray() {
		return nil
	}
	var out []resource.PropertyMap
	for _, e := range v.ArrayValue() {
		if e.IsObject() {
			out = append(out, e.ObjectValue())
		}
	}
	return out
}
