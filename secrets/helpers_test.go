package secrets_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stacktest"
	"github.com/arrakis/infrastructure/secrets"
)

const (
	keyType     = "aws:kms/key:Key"
	aliasType   = "aws:kms/alias:Alias"
	secretType  = "aws:secretsmanager/secret:Secret"
	versionType = "aws:secretsmanager/secretVersion:SecretVersion"
)

// What the data domain would hand over. The password and token hold every
// character that needs escaping in a URL or in HTML-safe JSON.
const (
	dbHost    = "arrakis-test-postgres.c0abc.us-east-1.rds.amazonaws.com"
	dbPass    = `p@ss/w:rd?#&<>%[]`
	redisHost = "master.arrakis-test-redis.abc123.use1.cache.amazonaws.com"
	redisAuth = `tok&en<>#$^!-with-at-least-16`
)

// Seeds for the operator-owned secrets.
const vaultSeed = "hvs.seeded-vault-token"

// argsFor maps a stack's config to secrets.Args the way main.go does, with
// plain (not secret) connection values: the component must make them secret.
func argsFor(cfg *config.Config) *secrets.Args {
	a := secrets.FromConfig(cfg)
	a.AccountID = mock.Account
	a.DB = secrets.DB{
		Host: pulumi.String(dbHost), Port: pulumi.Int(5432),
		Name: pulumi.String("arrakis"), Username: pulumi.String("arrakis_admin"), Password: pulumi.String(dbPass),
	}
	a.Redis = secrets.Redis{Host: pulumi.String(redisHost), Port: pulumi.Int(6379), AuthToken: pulumi.String(redisAuth)}
	return a
}

// seeded is a stack's config with both seeds set as secret config values.
func seeded(t *testing.T, stack string) (*config.Config, string) {
	t.Helper()
	app := map[string]string{}
	for _, k := range config.DefaultAppConfigKeys {
		app[k] = "seed-" + k
	}
	appJSON, err := json.Marshal(app)
	require.NoError(t, err)
	in := stacktest.Input(t, stack, map[string]string{
		"arrakis:appConfigSeed":  string(appJSON),
		"arrakis:vaultTokenSeed": vaultSeed,
	})
	in.Secret = map[string]bool{"arrakis:appConfigSeed": true, "arrakis:vaultTokenSeed": true}
	cfg, err := config.Parse(in)
	require.NoError(t, err)
	return cfg, string(appJSON)
}

// run builds the component for a stack from a config.
func run(t *testing.T, stack string, cfg *config.Config, mutate func(*secrets.Args)) (*mock.Result, *secrets.Secrets) {
	t.Helper()
	args := argsFor(cfg)
	if mutate != nil {
		mutate(args)
	}
	return stacktest.Build(t, stack, func(ctx *pulumi.Context) (*secrets.Secrets, error) { return secrets.New(ctx, "arrakis", args) })
}

// build builds the component from a stack's own config (no seeds).
func build(t *testing.T, stack string) (*mock.Result, *secrets.Secrets) {
	t.Helper()
	return run(t, stack, stacktest.Config(t, stack), nil)
}
