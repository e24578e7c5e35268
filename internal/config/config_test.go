package config_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

func TestStackFilesLoadCleanly(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		cfg, err := config.Parse(stacktest.Input(t, stack, nil))
		require.NoError(t, err)
		assert.Equal(t, "us-east-1", cfg.Region)
		assert.Equal(t, map[string]string{"Project": "Arrakis", "Environment": stack, "ManagedBy": "Pulumi"}, cfg.DefaultTags)
	})
}

// The stacks differ where the spec says staging is smaller, and nowhere a
// security property would weaken.
func TestStacksMatchTheSpecTable(t *testing.T) {
	prod, staging := stacktest.Config(t, "production"), stacktest.Config(t, "staging")

	assert.Equal(t, config.TierProduction, prod.Tier)
	assert.Equal(t, config.TierEphemeral, staging.Tier)
	assert.Equal(t, "10.0.0.0/16", prod.Network.CIDR)
	assert.Equal(t, "10.1.0.0/16", staging.Network.CIDR)
	assert.Equal(t, config.NATSingle, prod.Network.NATGateways)
	assert.Equal(t, []string{"ecr.api", "ecr.dkr", "logs"}, prod.Network.InterfaceEndpoints)

	assert.Equal(t, config.API{CPU: 512, Memory: 1024, DesiredCount: 2, MinCount: 2, MaxCount: 4,
		CPUTarget: 70, MemoryTarget: 80, RequestsPerTarget: 1000}, prod.API)
	assert.Equal(t, []int{256, 512, 1, 1, 2}, []int{staging.API.CPU, staging.API.Memory, staging.API.DesiredCount, staging.API.MinCount, staging.API.MaxCount})
	assert.Equal(t, config.Worker{CPU: 256, Memory: 512, DesiredCount: 1, Spot: true}, prod.Worker)

	assert.Equal(t, "db.t3.small", prod.Database.InstanceClass)
	assert.Equal(t, "db.t3.micro", staging.Database.InstanceClass)
	assert.Equal(t, "15.15", prod.Database.EngineVersion)
	assert.Equal(t, []int{20, 100, 7}, []int{prod.Database.AllocatedStorage, prod.Database.MaxAllocatedStorage, prod.Database.BackupRetentionDays})
	assert.Equal(t, []int{20, 50, 1}, []int{staging.Database.AllocatedStorage, staging.Database.MaxAllocatedStorage, staging.Database.BackupRetentionDays})
	assert.True(t, prod.Database.DeletionProtection)
	assert.False(t, staging.Database.DeletionProtection)
	assert.Equal(t, []int{7, 1}, []int{prod.Redis.SnapshotRetentionDays, staging.Redis.SnapshotRetentionDays})
	assert.Equal(t, "api.arrakis.community", prod.Edge.DomainName)
	assert.Equal(t, "staging.api.arrakis.community", staging.Edge.DomainName)
	assert.Equal(t, []int{30, 7}, []int{prod.Monitoring.LogRetentionDays, staging.Monitoring.LogRetentionDays})
}

// Omitted keys take the production values of the seed: a stack that gives
// only the required keys is configured like production.
func TestOmittedKeysTakeProductionValues(t *testing.T) {
	full := stacktest.Input(t, "production", nil)
	minimal := full
	minimal.Values = map[string]string{}
	for _, k := range []string{"aws:region", "aws:defaultTags"} {
		minimal.Values[k] = full.Values[k]
	}
	minimal = stacktest.Set(t, minimal, "arrakis:edge.domainName", "api.arrakis.community")
	minimal = stacktest.Set(t, minimal, "arrakis:monitoring.alarmEmails", []string{"platform-alerts@arrakis.community"})

	got, err := config.Parse(minimal)
	require.NoError(t, err)
	assert.Equal(t, stacktest.Config(t, "production"), got)
}

func TestEveryProblemIsReportedAtOnce(t *testing.T) {
	in := stacktest.Input(t, "staging", nil)
	in = stacktest.Set(t, in, "arrakis:api.cpu", 300)
	in = stacktest.Set(t, in, "arrakis:redis.nodes", 9)
	in = stacktest.Set(t, in, "arrakis:edge.domainName", "")
	_, err := config.Parse(in)
	var verr *config.ValidationError
	require.ErrorAs(t, err, &verr)
	var keys []string
	for _, p := range verr.Problems {
		keys = append(keys, p.Key)
	}
	assert.ElementsMatch(t, []string{"arrakis:api.cpu", "arrakis:redis.nodes", "arrakis:edge.domainName"}, keys)
	assert.Contains(t, err.Error(), "(3 problems)")
}

func TestUnknownKeysAreRejectedWithASuggestion(t *testing.T) {
	for path, want := range map[string]string{
		"arrakis:api.desiredcount":             `arrakis:api.desiredcount: got 3; unknown setting (did you mean "desiredCount"?)`,
		"arrakis:netwrk":                       `arrakis:netwrk: got 3; unknown key (did you mean "network"?)`,
		"arrakis:monitoring.thresholds.apiCpu": `unknown setting`,
	} {
		in := stacktest.Set(t, stacktest.Input(t, "staging", nil), path, 3)
		_, err := config.Parse(in)
		require.Error(t, err, path)
		assert.Contains(t, err.Error(), want)
	}
	// A dotted top-level key is the classic mistake of `pulumi config set`
	// without --path.
	in := stacktest.Input(t, "staging", nil)
	in.Values["arrakis:database.multiAz"] = "true"
	_, err := config.Parse(in)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pulumi config set --path")
}

func TestSecretValuesNeverAppearInErrors(t *testing.T) {
	in := stacktest.Input(t, "staging", nil)
	in.Values["arrakis:vaultTokenSeeed"] = "hvs.very-secret"
	in.Secret["arrakis:vaultTokenSeeed"] = true
	in.Values["arrakis:edge"] = `{"domainName":"hvs.other-secret..x"}`
	in.Secret["arrakis:edge"] = true
	_, err := config.Parse(in)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "very-secret")
	assert.NotContains(t, err.Error(), "other-secret")
	assert.Contains(t, err.Error(), "arrakis:vaultTokenSeeed: got [secret]")
}

func TestSeedsAreSecretOutputs(t *testing.T) {
	in := stacktest.Input(t, "staging", nil)
	in.Values["arrakis:vaultTokenSeed"] = "hvs.token"
	in.Secret["arrakis:vaultTokenSeed"] = true
	cfg, err := config.Parse(in)
	require.NoError(t, err)
	assert.True(t, cfg.Secrets.VaultTokenSeed.IsSet())
	assert.False(t, cfg.Secrets.AppConfigSeed.IsSet())
	assert.Equal(t, "[secret]", cfg.Secrets.VaultTokenSeed.String())
	assert.NotContains(t, strings.ToLower(fmtAll(cfg)), "hvs.token")
}

func TestEphemeralStacksMayDeleteSecretsAtOnce(t *testing.T) {
	_, err := config.Parse(stacktest.Set(t, stacktest.Input(t, "staging", nil), "arrakis:secrets.recoveryWindowDays", 0))
	assert.NoError(t, err)
	_, err = config.Parse(stacktest.Set(t, stacktest.Input(t, "production", nil), "arrakis:secrets.recoveryWindowDays", 0))
	assert.ErrorContains(t, err, "arrakis:secrets.recoveryWindowDays: got 0")
}

func TestMissingStackFileSaysWhichFile(t *testing.T) {
	_, err := loadStack(t, "qa")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Pulumi.qa.yaml does not exist")
	assert.Contains(t, err.Error(), "production, staging")
}
