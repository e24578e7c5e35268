package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/cli"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/cost"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/plan"
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

var update = flag.Bool("update", false, "rewrite the plan snapshots (make golden)")

// The committed snapshots show, in review, every change to what a stack
// builds and what it costs (the plan's output, with its cost section).
// `make golden` refreshes them.
func TestPlanSnapshots(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			p, err := cli.Plan(Root(t), stack, run)
			require.NoError(t, err)
			var text, doc bytes.Buffer
			require.NoError(t, p.WriteText(&text))
			require.NoError(t, p.WriteJSON(&doc))
			for ext, got := range map[string][]byte{"txt": text.Bytes(), "json": doc.Bytes()} {
				path := filepath.Join(Root(t), "internal", "plan", "testdata", "golden", stack+"."+ext)
				if *update {
					require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
					require.NoError(t, os.WriteFile(path, got, 0o644))
					continue
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "no snapshot: run make golden")
				if !bytes.Equal(want, got) {
					t.Errorf("%s is out of date: what %s builds changed. Review the change, then run make golden.", path, stack)
				}
			}
		})
	}
}

// The plan is the same for every run: ids and ARNs are derived, not random.
func TestPlanIsDeterministic(t *testing.T) {
	var first string
	for range 3 {
		p, err := plan.ForStack(Root(t), "production", run)
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, p.WriteJSON(&b))
		if first == "" {
			first = b.String()
		}
		assert.Equal(t, first, b.String())
	}
}

func TestPlanCommand(t *testing.T) {
	root := Root(t)
	runCLI := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := cli.Main(append(args, "--dir", root), run, &out, &errOut)
		return code, out.String(), errOut.String()
	}

	est, err := cli.Plan(root, "staging", run)
	require.NoError(t, err)
	total := fmt.Sprintf("%.2f", est.Cost.Total)

	code, out, _ := runCLI("plan", "--stack", "staging")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "Stack arrakis/staging:")
	assert.Contains(t, out, "Resources by type:")
	assert.Contains(t, out, "Monthly cost estimate of stack staging")
	assert.Regexp(t, `Total\s+`+regexp.QuoteMeta(total)+"\n", out, "the text carries the estimate's total")

	code, out, _ = runCLI("plan", "--stack", "staging", "--json")
	assert.Equal(t, 0, code)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, "staging", doc["stack"])
	require.IsType(t, map[string]any{}, doc["cost"], "the JSON carries a top-level cost field")
	priced := doc["cost"].(map[string]any)
	assert.Equal(t, est.Cost.Total, priced["total"], "the same figure as the text")
	assert.Equal(t, 200.0, priced["budget"])
	assert.NotEmpty(t, priced["lines"])

	code, out, _ = runCLI("plan", "--stack", "production", "--diff", "staging")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "Only in production")
	prod, err := cli.Plan(root, "production", run)
	require.NoError(t, err)
	assert.Contains(t, out, fmt.Sprintf("Monthly cost: production $%.2f, staging $%s; production − staging = +$%.2f",
		prod.Cost.Total, total, prod.Cost.Total-est.Cost.Total))

	code, out, _ = runCLI("cost", "--stack", "production")
	assert.Equal(t, 0, code, "production is within its budget")
	assert.Contains(t, out, "Budget (arrakis:cost.monthlyBudgetUsd)")
	assert.Contains(t, out, "within budget")

	code, out, _ = runCLI("diagram", "--stack", "production")
	assert.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "flowchart LR\n"))

	code, _, errOut := runCLI("plan", "--stack", "qa")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "Pulumi.qa.yaml does not exist")

	code, _, errOut = runCLI("plan")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--stack is required")
}

func TestPlanOfABadStackGivesTheProgramsError(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "Pulumi.staging.yaml"} {
		b, err := os.ReadFile(filepath.Join(Root(t), f))
		require.NoError(t, err)
		if f == "Pulumi.staging.yaml" {
			b = bytes.Replace(b, []byte("backupRetentionDays: 1"), []byte("backupRetentionDays: 90"), 1)
			f = "Pulumi.broken.yaml"
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), b, 0o644))
	}
	var out, errOut bytes.Buffer
	code := cli.Main([]string{"plan", "--stack", "broken", "--dir", dir}, run, &out, &errOut)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut.String(), "arrakis:database.backupRetentionDays: got 90; must be between 1 and 35 days")
	assert.Empty(t, out.String())
}

// copyStack writes the project file and a copy of stack's file, renamed to
// as and edited by edit, into a temporary project.
func copyStack(t *testing.T, stack, as string, edit func([]byte) []byte) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "README.md", "Pulumi." + stack + ".yaml"} {
		b, err := os.ReadFile(filepath.Join(Root(t), f))
		require.NoError(t, err)
		if f == "Pulumi."+stack+".yaml" {
			b = bytes.Replace(b, []byte("Environment: "+stack), []byte("Environment: "+as), 1)
			b, f = edit(b), "Pulumi."+as+".yaml"
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), b, 0o644))
	}
	return dir
}

// The budget gate: `cost` fails, naming the key and both figures, when the
// estimate exceeds the stack's arrakis:cost.monthlyBudgetUsd.
func TestCostFailsAboveTheBudget(t *testing.T) {
	dir := copyStack(t, "staging", "tight", func(b []byte) []byte {
		out := bytes.Replace(b, []byte("monthlyBudgetUsd: 200"), []byte("monthlyBudgetUsd: 10"), 1)
		require.NotEqual(t, b, out, "the staging file sets the budget")
		return out
	})
	p, err := plan.ForStack(dir, "tight", run)
	require.NoError(t, err)
	e, err := cost.Of(p)
	require.NoError(t, err)
	require.Greater(t, e.Total, 10.0)

	var out, errOut bytes.Buffer
	code := cli.Main([]string{"cost", "--stack", "tight", "--dir", dir}, run, &out, &errOut)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut.String(), "arrakis:cost.monthlyBudgetUsd")
	assert.Contains(t, errOut.String(), fmt.Sprintf("the monthly estimate $%.2f exceeds the budget $10.00", e.Total))
	assert.Contains(t, out.String(), "OVER BUDGET", "the table is printed before the failure")

	dir = copyStack(t, "staging", "roomy", func(b []byte) []byte { return b })
	code = cli.Main([]string{"cost", "--stack", "roomy", "--dir", dir}, run, &out, &errOut)
	assert.Equal(t, 0, code)
}

// Every resource either stack builds is priced or known to be free: a new
// resource type must be added to internal/cost before it merges.
func TestEveryResourceIsPriced(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			p, err := cli.Plan(Root(t), stack, run)
			require.NoError(t, err)
			assert.Empty(t, p.Cost.Unpriced, "add these types to internal/cost (priced, or free with a reason)")
			assert.Positive(t, p.Cost.Total)
			assert.LessOrEqual(t, p.Cost.Total, p.Cost.Budget, "%s is over its budget", stack)
		})
	}
}

// README.md's diagram and cost figures are generated from the program;
// `make readme` refreshes them after a reviewed change.
func TestReadmeIsCurrent(t *testing.T) {
	var out, errOut bytes.Buffer
	code := cli.Main([]string{"readme", "--check", "--dir", Root(t)}, run, &out, &errOut)
	assert.Equal(t, 0, code, "%s", errOut.String())

	// And the check can fail: a README with a stale diagram.
	dir := copyStack(t, "staging", "staging", func(b []byte) []byte { return b })
	prod, err := os.ReadFile(filepath.Join(Root(t), "Pulumi.production.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.production.yaml"),
		bytes.Replace(prod, []byte("natGateways: single"), []byte("natGateways: perAz"), 1), 0o644))
	code = cli.Main([]string{"readme", "--check", "--dir", dir}, run, &out, &errOut)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut.String(), "README.md is out of date")
}
