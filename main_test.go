package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/mock"
	. "github.com/arrakis/infrastructure/internal/stacktest"
)

// runStack runs the whole program for a stack's raw config.
func runStack(t *testing.T, in config.Input) (*mock.Result, error) {
	t.Helper()
	return mock.Run(in, run)
}

func TestBothStacksBuild(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			res, err := runStack(t, Input(t, stack, nil))
			require.NoError(t, err)
			vpc := One(t, res, "awsx:ec2:Vpc", "arrakis-vpc")
			assert.Equal(t, OutputOf(t, vpc, "vpcId"), res.Outputs["vpcId"].Value)
		})
	}
}

// Each bad value must stop the program before anything is registered, with
// an error naming the key.
func TestBadConfigNamesTheKeyAndRegistersNothing(t *testing.T) {
	cases := []struct {
		path  string
		value any
		key   string // the key the error must name, when not path itself
	}{
		{path: "arrakis:network.cidr", value: "10.0.0.0/33"},
		{path: "arrakis:network.cidr", value: "10.0.0.1/16"},
		{path: "arrakis:network.cidr", value: "10.0.0.0/8"},
		{path: "arrakis:network.availabilityZones", value: []string{"us-east-1a"}},
		{path: "arrakis:network.availabilityZones", value: []string{"us-east-1a", "us-east-1a"}},
		{path: "arrakis:network.availabilityZones", value: []string{"us-east-1a", "us-west-2b"}},
		{path: "arrakis:network.publicSubnets", value: []string{"10.0.101.0/24"}},
		{path: "arrakis:network.privateSubnets", value: []string{"10.0.1.0/24", "10.9.2.0/24"}},
		{path: "arrakis:network.privateSubnets", value: []string{"10.0.1.0/24", "10.0.101.0/25"}},
		{path: "arrakis:network.privateSubnets", value: []string{"10.0.1.0/24", "nonsense"}},
		{path: "arrakis:network.natGateways", value: "two"},
		{path: "arrakis:network.interfaceEndpoints", value: []string{"ecr.apii"}},
		{path: "arrakis:network.interfaceEndpoints", value: []string{"s3"}},
		{path: "arrakis:network.taskEgressPorts", value: []int{70000}},
		{path: "arrakis:api.cpu", value: 300},
		{path: "arrakis:api.memory", value: 512},
		{path: "arrakis:api.cpu", value: "512"},
		{path: "arrakis:api.minCount", value: -1},
		{path: "arrakis:api.maxCount", value: 1, key: "arrakis:api.desiredCount"},
		{path: "arrakis:api.imageTag", value: "-bad tag"},
		{path: "arrakis:api.cpuTarget", value: 150},
		{path: "arrakis:worker.memory", value: 4096},
		{path: "arrakis:worker.desiredCount", value: -2},
		{path: "arrakis:worker.spot", value: "yes"},
		{path: "arrakis:app.configKeys", value: []string{"lower-case"}},
		{path: "arrakis:app.configKeys", value: []string{"DATABASE_URL"}},
		{path: "arrakis:app.logLevel", value: "verbose"},
		{path: "arrakis:database.instanceClass", value: "t3.small"},
		{path: "arrakis:database.engineVersion", value: "16.1"},
		{path: "arrakis:database.engineVersion", value: 15.1},
		{path: "arrakis:database.allocatedStorage", value: 10},
		{path: "arrakis:database.maxAllocatedStorage", value: 20},
		{path: "arrakis:database.backupRetentionDays", value: 0},
		{path: "arrakis:database.backupRetentionDays", value: 36},
		{path: "arrakis:database.backupWindow", value: "3am"},
		{path: "arrakis:database.maintenanceWindow", value: "mon:03:30-mon:04:30"},
		{path: "arrakis:redis.nodeType", value: "t3.micro"},
		{path: "arrakis:redis.engineVersion", value: "5.0.6"},
		{path: "arrakis:redis.nodes", value: 0},
		{path: "arrakis:redis.snapshotRetentionDays", value: 40},
		{path: "arrakis:redis.snapshotWindow", value: "02:00-02:30"},
		{path: "arrakis:edge.domainName", value: "not a domain"},
		{path: "arrakis:edge.domainName", value: "localhost"},
		{path: "arrakis:edge.hostedZoneId", value: "zone-1"},
		{path: "arrakis:monitoring.logRetentionDays", value: 10},
		{path: "arrakis:monitoring.alarmEmails", value: []string{"oncall"}},
		{path: "arrakis:monitoring.thresholds.apiCpuPercent", value: 120},
		{path: "arrakis:secrets.recoveryWindowDays", value: 0},
		{path: "arrakis:secrets.recoveryWindowDays", value: 45},
		{path: "arrakis:cost.monthlyBudgetUsd", value: -5},
		{path: "arrakis:tier", value: "prod"},
		{path: "arrakis:database.backupRetentionDay", value: 7},
		{path: "arrakis:databse", value: map[string]any{"multiAz": true}},
		{path: "arrakis:network.cidr.extra", value: 1, key: "arrakis:network.cidr"},
		{path: "aws:region", value: "", key: "aws:region"},
		{path: "aws:defaultTags", value: map[string]any{"tags": map[string]any{"Project": "Arrakis"}}, key: "aws:defaultTags.tags.Environment"},
	}
	require.GreaterOrEqual(t, len(cases), 25)
	for _, c := range cases {
		t.Run(c.path+"="+strings.ReplaceAll(jsonText(c.value), "/", "∕"), func(t *testing.T) {
			in := Set(t, Input(t, "production", nil), c.path, c.value)
			res, err := runStack(t, in)
			require.Error(t, err)
			key := c.key
			if key == "" {
				key = c.path
			}
			assert.Contains(t, err.Error(), key+":", "the error names the key")
			assert.Contains(t, err.Error(), `invalid configuration for stack "production"`)
			assert.Empty(t, res.Resources(), "a bad value registers nothing")
			assert.Empty(t, res.Invokes(), "a bad value calls nothing")
		})
	}
}

func TestSeedSecretsMustBeSecretAndStayHidden(t *testing.T) {
	in := Input(t, "staging", nil)
	in.Values["arrakis:appConfigSeed"] = `{"BGT_ADDRESS":"s3cr3t-value"}`
	in.Secret = map[string]bool{"arrakis:appConfigSeed": true}
	_, err := runStack(t, in)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "arrakis:appConfigSeed: got [secret]")
	assert.Contains(t, err.Error(), "missing: BERACHAIN_RPC_URLS")
	assert.NotContains(t, err.Error(), "s3cr3t-value", "the error never shows a secret")

	in.Secret = map[string]bool{}
	_, err = runStack(t, in)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "must be a secret")
	assert.NotContains(t, err.Error(), "s3cr3t-value")
}

func jsonText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}
