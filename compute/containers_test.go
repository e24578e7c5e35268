package compute_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/compute"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

// rawContainers parses a task's recorded container definitions as plain
// JSON, so a misspelt field shows up.
func rawContainers(t *testing.T, res *mock.Result, task string) []map[string]any {
	t.Helper()
	var defs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(stacktest.Str(t, stacktest.One(t, res, taskDefType, "arrakis-"+task+"-taskdef"), "containerDefinitions")), &defs))
	require.Len(t, defs, 1, "one container per task")
	return defs
}

// pairs turns a list of {name, value|valueFrom} into a map, failing on a
// name given twice.
func pairs(t *testing.T, list any, valueKey string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, e := range list.([]any) {
		kv := e.(map[string]any)
		name := kv["name"].(string)
		require.NotContains(t, out, name, "%s given twice", name)
		out[name] = kv[valueKey].(string)
	}
	return out
}

// secretLooking are names that must never carry a plain value.
var secretLooking = regexp.MustCompile(`(?i)(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PEPPER|SALT|AUTH|CREDENTIAL|URL|DSN)`)

// The secrets both containers receive, and where each comes from.
func wantSecrets(w wired) map[string]string {
	s := map[string]string{
		"VAULT_TOKEN":  w.vault,
		"DATABASE_URL": w.db + ":url::",
		"REDIS_URL":    w.redis + ":url::",
	}
	for _, k := range []string{
		"BGT_ADDRESS", "BERACHAIN_RPC_URLS", "TRIGGER_PROJECT_ID", "TRIGGER_SECRET_KEY",
		"DISCORD_BOT_TOKEN", "DISCORD_GUILD_ID", "DISCORD_CHANNEL_THE_DOOR", "DISCORD_CHANNEL_CENSUS",
		"DISCORD_ROLE_NAIB", "DISCORD_ROLE_FEDAYKIN", "ADMIN_API_KEYS", "API_KEY_PEPPER",
		"RATE_LIMIT_SALT", "WEBHOOK_SECRET",
	} {
		s[k] = w.appConfig + ":" + k + "::"
	}
	return s
}

var sharedEnv = map[string]string{
	"NODE_ENV": "production", "LOG_LEVEL": "info", "VAULT_NAMESPACE": "admin", "DISABLE_PII_SCRUBBING": "false",
	"FEATURE_VAULT_ENABLED": "true", "FEATURE_BILLING_ENABLED": "false", "FEATURE_REDIS_ENABLED": "true",
	"FEATURE_TELEGRAM_ENABLED": "false",
}

func TestAPIContainerDefinition(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack)
		c := rawContainers(t, res, "api")[0]
		repo := stacktest.OutputOf(t, stacktest.One(t, res, repoType, "arrakis-api-repository"), "repositoryUrl").(string)

		assert.Equal(t, "api", c["name"])
		assert.Equal(t, repo+":3f2c1ab", c["image"], "the run's tag of this stack's repository")
		assert.Equal(t, true, c["essential"])
		assert.Equal(t, false, c["privileged"])
		assert.Equal(t, true, c["readonlyRootFilesystem"])
		assert.Equal(t, []any{map[string]any{"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": false}}, c["mountPoints"])
		assert.Equal(t, []any{map[string]any{"containerPort": 3000.0, "protocol": "tcp"}}, c["portMappings"])
		assert.Equal(t, map[string]any{
			"command":  []any{"CMD-SHELL", "curl -f http://localhost:3000/health || exit 1"},
			"interval": 30.0, "timeout": 5.0, "retries": 3.0, "startPeriod": 60.0,
		}, c["healthCheck"])
		assert.NotContains(t, c, "command", "the image's default entry point")
		assert.Equal(t, map[string]any{"logDriver": "awslogs", "options": map[string]any{
			"awslogs-group":         stacktest.OutputOf(t, stacktest.One(t, res, logGroupType, "arrakis-api-logs"), "name"),
			"awslogs-region":        "us-east-1",
			"awslogs-stream-prefix": "api",
		}}, c["logConfiguration"])

		env := map[string]string{"PORT": "3000", "API_PORT": "3000", "API_HOST": "0.0.0.0"}
		for k, v := range sharedEnv {
			env[k] = v
		}
		assert.Equal(t, env, pairs(t, c["environment"], "value"))
		assert.Equal(t, wantSecrets(wiredFor(stack)), pairs(t, c["secrets"], "valueFrom"))
	})
}

func TestWorkerContainerDefinition(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack)
		c := rawContainers(t, res, "worker")[0]
		api := rawContainers(t, res, "api")[0]

		assert.Equal(t, "worker", c["name"])
		assert.Equal(t, api["image"], c["image"], "the same image as the API")
		assert.Equal(t, []any{"node", "dist/jobs/worker.js"}, c["command"])
		assert.NotContains(t, c, "portMappings")
		assert.NotContains(t, c, "healthCheck")
		assert.Equal(t, true, c["essential"])
		assert.Equal(t, false, c["privileged"])
		assert.Equal(t, true, c["readonlyRootFilesystem"])
		assert.Equal(t, map[string]any{"logDriver": "awslogs", "options": map[string]any{
			"awslogs-group":         stacktest.OutputOf(t, stacktest.One(t, res, logGroupType, "arrakis-worker-logs"), "name"),
			"awslogs-region":        "us-east-1",
			"awslogs-stream-prefix": "worker",
		}}, c["logConfiguration"])
		assert.Equal(t, sharedEnv, pairs(t, c["environment"], "value"), "no PORT or API_* for the worker")
		assert.Equal(t, wantSecrets(wiredFor(stack)), pairs(t, c["secrets"], "valueFrom"))
	})
}

func TestNoSecretTravelsAsPlainEnvironment(t *testing.T) {
	for _, stack := range stacktest.Stacks {
		res, _ := build(t, stack)
		for _, task := range []string{"api", "worker"} {
			c := rawContainers(t, res, task)[0]
			env := pairs(t, c["environment"], "value")
			secrets := pairs(t, c["secrets"], "valueFrom")
			for name, value := range env {
				assert.NotRegexp(t, secretLooking, name, "%s/%s: %s looks secret but is plain", stack, task, name)
				assert.NotContains(t, value, "arn:", "%s/%s: %s", stack, task, name)
				assert.NotContains(t, secrets, name, "%s/%s: %s is both plain and secret", stack, task, name)
			}
			for name := range secrets {
				assert.Regexp(t, `^[A-Z][A-Z0-9_]*$`, name)
			}
		}
	}
}

func TestConfigKeysDecideTheAppConfigSecrets(t *testing.T) {
	w := wiredFor("staging")
	s := compute.Spec{
		Image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/arrakis-staging-api:abc1234", Region: "us-east-1",
		LogGroup: "/ecs/arrakis-staging/api",
		App:      config.App{NodeEnv: "production", LogLevel: "debug", ConfigKeys: []string{"DISCORD_BOT_TOKEN", "NEW_KEY"}},
		Secrets:  compute.SecretARNs{AppConfig: w.appConfig, DBCredentials: w.db, RedisCredentials: w.redis, VaultToken: w.vault},
	}
	var names []string
	for _, r := range compute.APIDefinition(s).Secrets {
		names = append(names, r.Name)
	}
	assert.Equal(t, []string{"VAULT_TOKEN", "DATABASE_URL", "REDIS_URL", "DISCORD_BOT_TOKEN", "NEW_KEY"}, names)

	// Without app-config keys, the app-config secret is not read at all,
	// and so not readable.
	s.App.ConfigKeys = nil
	arns, err := compute.ReferencedSecrets(compute.WorkerDefinition(s))
	require.NoError(t, err)
	assert.Equal(t, []string{w.db, w.redis, w.vault}, arns)
}

func TestSecretOf(t *testing.T) {
	arn := "arn:aws:secretsmanager:us-east-1:123456789012:secret:arrakis-production/db-credentials-Gh1jKl"
	for valueFrom, want := range map[string]string{
		arn:                                    arn,
		arn + ":url::":                         arn,
		arn + ":url:AWSPREVIOUS:":              arn,
		compute.JSONKey(arn, "API_KEY_PEPPER"): arn,
	} {
		got, err := compute.SecretOf(valueFrom)
		require.NoError(t, err, valueFrom)
		assert.Equal(t, want, got, valueFrom)
	}
	for _, bad := range []string{
		"arn:aws:ssm:us-east-1:123456789012:parameter/arrakis/db-url",
		"arrakis-production/db-credentials",
		"arn:aws:secretsmanager:us-east-1:123456789012",
	} {
		_, err := compute.SecretOf(bad)
		assert.Error(t, err, bad)
	}
}

func TestCapacityStrategy(t *testing.T) {
	for _, c := range []struct {
		name string
		base int
		spot bool
		want []compute.Share
	}{
		{"on demand only", 2, false, []compute.Share{{Provider: "FARGATE", Base: 2, Weight: 1}}},
		{"on-demand base, spot above it", 1, true, []compute.Share{
			{Provider: "FARGATE", Base: 1, Weight: 0}, {Provider: "FARGATE_SPOT", Weight: 1}}},
		{"spot only", 0, true, []compute.Share{{Provider: "FARGATE_SPOT", Weight: 1}}},
		{"worker on demand", 0, false, []compute.Share{{Provider: "FARGATE", Weight: 1}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := compute.CapacityStrategy(c.base, c.spot)
			assert.Equal(t, c.want, got)
			weight := 0
			for _, s := range got {
				weight += s.Weight
			}
			assert.Positive(t, weight, "ECS needs a provider with weight")
		})
	}
}

func TestLifecyclePolicyKeepsAtLeastOneImage(t *testing.T) {
	_, err := compute.LifecyclePolicy(0)
	assert.Error(t, err)
	p, err := compute.LifecyclePolicy(3)
	require.NoError(t, err)
	assert.True(t, strings.Contains(p, `"countNumber":3`), p)
}
