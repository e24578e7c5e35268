package compute

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/health"
)

// The containers of the two tasks.
const (
	APIContainer    = "api"
	WorkerContainer = "worker"
)

// AppPort is the port the API listens on: the load balancer's target
// group, the tasks' security group and the container all use it.
const AppPort = config.APIPort

// APIHealth is how the API's health is checked, by its container and by the
// load balancer: GET /health answers 200. Node starts in well under a
// minute; the service ignores the load balancer for APIHealth.GracePeriod().
var APIHealth = health.Check{
	Path: "/health", Port: AppPort,
	Interval: 30, Timeout: 5, Retries: 3, StartPeriod: 60,
	HealthyThreshold: 2, UnhealthyThreshold: 3, Matcher: "200",
}

// tmpVolume is a task-local scratch volume at /tmp: the root filesystem is
// read-only, and Node and its libraries expect a writable /tmp.
const tmpVolume = "tmp"

// ContainerDefinition is one element of an ECS task definition's
// containerDefinitions, with the fields this program sets.
type ContainerDefinition struct {
	Name                   string            `json:"name"`
	Image                  string            `json:"image"`
	Essential              bool              `json:"essential"`
	Command                []string          `json:"command,omitempty"`
	PortMappings           []PortMapping     `json:"portMappings,omitempty"`
	HealthCheck            *HealthCheck      `json:"healthCheck,omitempty"`
	Environment            []KeyValue        `json:"environment"`
	Secrets                []SecretRef       `json:"secrets"`
	LogConfiguration       *LogConfiguration `json:"logConfiguration"`
	MountPoints            []MountPoint      `json:"mountPoints,omitempty"`
	Privileged             bool              `json:"privileged"`
	ReadonlyRootFilesystem bool              `json:"readonlyRootFilesystem"`
}

// PortMapping publishes a container port (awsvpc: host port = container port).
type PortMapping struct {
	ContainerPort int    `json:"containerPort"`
	Protocol      string `json:"protocol"`
}

// HealthCheck is the container health check ECS runs.
type HealthCheck struct {
	Command     []string `json:"command"`
	Interval    int      `json:"interval"`
	Timeout     int      `json:"timeout"`
	Retries     int      `json:"retries"`
	StartPeriod int      `json:"startPeriod"`
}

// KeyValue is a plain environment variable.
type KeyValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// SecretRef injects a Secrets Manager value as an environment variable.
// ValueFrom is a secret ARN, optionally followed by :<json-key>:: to pick
// one key of a JSON secret.
type SecretRef struct {
	Name      string `json:"name"`
	ValueFrom string `json:"valueFrom"`
}

// LogConfiguration sends the container's output to CloudWatch Logs.
type LogConfiguration struct {
	LogDriver string            `json:"logDriver"`
	Options   map[string]string `json:"options"`
}

// MountPoint mounts a task volume into the container.
type MountPoint struct {
	SourceVolume  string `json:"sourceVolume"`
	ContainerPath string `json:"containerPath"`
	ReadOnly      bool   `json:"readOnly"`
}

// SecretARNs are the Secrets Manager secrets the containers read.
type SecretARNs struct {
	AppConfig        string
	DBCredentials    string
	RedisCredentials string
	VaultToken       string
}

// Spec is what both containers are made from.
type Spec struct {
	// Image is <repository url>:<tag>.
	Image    string
	Region   string
	LogGroup string
	App      config.App
	Secrets  SecretARNs
}

// APIDefinition is the API container: it serves AppPort and reports its
// health as APIHealth says.
func APIDefinition(s Spec) ContainerDefinition {
	h := APIHealth
	port := strconv.Itoa(h.Port)
	c := base(APIContainer, s)
	c.PortMappings = []PortMapping{{ContainerPort: h.Port, Protocol: "tcp"}}
	c.HealthCheck = containerHealthCheck(h)
	c.Environment = append([]KeyValue{
		{Name: "PORT", Value: port},
		{Name: "API_PORT", Value: port},
		{Name: "API_HOST", Value: "0.0.0.0"},
	}, c.Environment...)
	sortEnv(c.Environment)
	return c
}

// containerHealthCheck is the check ECS runs inside a container: GET the
// health path on localhost.
func containerHealthCheck(h health.Check) *HealthCheck {
	return &HealthCheck{
		Command:  []string{"CMD-SHELL", "curl -f http://localhost:" + strconv.Itoa(h.Port) + h.Path + " || exit 1"},
		Interval: h.Interval, Timeout: h.Timeout, Retries: h.Retries, StartPeriod: h.StartPeriod,
	}
}

// WorkerDefinition is the background job runner: the same image, its own
// entry point, no port.
func WorkerDefinition(s Spec) ContainerDefinition {
	c := base(WorkerContainer, s)
	c.Command = []string{"node", "dist/jobs/worker.js"}
	return c
}

// base is what the two containers share: image, environment, secrets, logs
// and the hardening. The root filesystem is read-only with a task-local
// /tmp, which is all a Node service writes to; an app that starts writing
// elsewhere needs a mount here, or it fails at start and the circuit
// breaker rolls the deployment back. The user is the image's own (its
// Dockerfile's USER), so the container runs as CI tested it.
func base(name string, s Spec) ContainerDefinition {
	env := []KeyValue{
		{Name: "NODE_ENV", Value: s.App.NodeEnv},
		{Name: "LOG_LEVEL", Value: s.App.LogLevel},
		{Name: "VAULT_NAMESPACE", Value: "admin"},
		{Name: "DISABLE_PII_SCRUBBING", Value: "false"},
		{Name: "FEATURE_VAULT_ENABLED", Value: strconv.FormatBool(s.App.FeatureVaultEnabled)},
		{Name: "FEATURE_BILLING_ENABLED", Value: strconv.FormatBool(s.App.FeatureBillingEnabled)},
		{Name: "FEATURE_REDIS_ENABLED", Value: "true"},
		{Name: "FEATURE_TELEGRAM_ENABLED", Value: strconv.FormatBool(s.App.FeatureTelegramEnabled)},
	}
	sortEnv(env)
	return ContainerDefinition{
		Name:        name,
		Image:       s.Image,
		Essential:   true,
		Environment: env,
		Secrets:     secretRefs(s.Secrets, s.App.ConfigKeys),
		LogConfiguration: &LogConfiguration{LogDriver: "awslogs", Options: map[string]string{
			"awslogs-group":         s.LogGroup,
			"awslogs-region":        s.Region,
			"awslogs-stream-prefix": name,
		}},
		MountPoints:            []MountPoint{{SourceVolume: tmpVolume, ContainerPath: "/tmp"}},
		Privileged:             false,
		ReadonlyRootFilesystem: true,
	}
}

// secretRefs injects the vault token whole, the connection URLs from the
// `url` key of the credentials secrets, and every app-config key as the
// variable of the same name.
func secretRefs(arns SecretARNs, configKeys []string) []SecretRef {
	return secretRefsOf(arns, configKeys, config.SecretNames)
}

// secretRefsOf is secretRefs for the named secrets only (of
// config.SecretNames).
func secretRefsOf(arns SecretARNs, configKeys, names []string) []SecretRef {
	refs := []SecretRef{}
	if slices.Contains(names, "vault-token") {
		refs = append(refs, SecretRef{Name: "VAULT_TOKEN", ValueFrom: arns.VaultToken})
	}
	if slices.Contains(names, "db-credentials") {
		refs = append(refs, SecretRef{Name: "DATABASE_URL", ValueFrom: JSONKey(arns.DBCredentials, "url")})
	}
	if slices.Contains(names, "redis-credentials") {
		refs = append(refs, SecretRef{Name: "REDIS_URL", ValueFrom: JSONKey(arns.RedisCredentials, "url")})
	}
	if slices.Contains(names, "app-config") {
		for _, k := range configKeys {
			refs = append(refs, SecretRef{Name: k, ValueFrom: JSONKey(arns.AppConfig, k)})
		}
	}
	return refs
}

// JSONKey is the valueFrom that picks one key of a JSON secret (the
// AWSCURRENT version).
func JSONKey(secretARN, key string) string { return secretARN + ":" + key + "::" }

// SecretOf is the secret ARN a valueFrom reads: a Secrets Manager ARN has
// seven colon-separated parts; a JSON key, version stage and version id
// follow it.
func SecretOf(valueFrom string) (string, error) {
	parts := strings.Split(valueFrom, ":")
	if len(parts) < 7 || parts[0] != "arn" || parts[2] != "secretsmanager" || parts[5] != "secret" {
		return "", fmt.Errorf("valueFrom %q is not a Secrets Manager secret", valueFrom)
	}
	return strings.Join(parts[:7], ":"), nil
}

// ReferencedSecrets are the secrets the containers read, sorted, each once.
func ReferencedSecrets(defs ...ContainerDefinition) ([]string, error) {
	seen := map[string]bool{}
	for _, d := range defs {
		for _, s := range d.Secrets {
			arn, err := SecretOf(s.ValueFrom)
			if err != nil {
				return nil, fmt.Errorf("container %s, secret %s: %w", d.Name, s.Name, err)
			}
			seen[arn] = true
		}
	}
	arns := make([]string, 0, len(seen))
	for a := range seen {
		arns = append(arns, a)
	}
	sort.Strings(arns)
	return arns, nil
}

func sortEnv(env []KeyValue) {
	sort.Slice(env, func(i, j int) bool { return env[i].Name < env[j].Name })
}
