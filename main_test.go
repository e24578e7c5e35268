package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/cli"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/cost"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/policy"
	"github.com/arrakis/infrastructure/internal/stacktest"
	"github.com/arrakis/infrastructure/secrets"
)

// runStack runs the whole program for a stack's raw config.
func runStack(t *testing.T, in config.Input) (*mock.Result, error) {
	t.Helper()
	return mock.Run(in, run)
}

func TestBothStacksBuild(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, err := runStack(t, stacktest.Input(t, stack, nil))
		require.NoError(t, err)
		vpc := stacktest.One(t, res, "awsx:ec2:Vpc", "arrakis-vpc")
		assert.Equal(t, stacktest.OutputOf(t, vpc, "vpcId"), res.Outputs["vpcId"].Value)
	})
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
		{path: "arrakis:edge.certificateArn", value: "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-4697-8877-665544332211"},
		{path: "arrakis:edge.certificateArn", value: "api.arrakis.community"},
		{path: "arrakis:edge.waf.rateLimitPer5Minutes", value: 50},
		{path: "arrakis:edge.waf.enabled", value: "yes"},
		{path: "arrakis:database.monitoringIntervalSeconds", value: 45},
		{path: "arrakis:monitoring.thresholds.wafBlockedRequestsPer5Minutes", value: 0},
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
			key := c.key
			if key == "" {
				key = c.path
			}
			rejected(t, stacktest.Set(t, stacktest.Input(t, "production", nil), c.path, c.value), key)
		})
	}
}

// rejected runs the program for a stack's config, which must stop it before
// anything is registered or called, with an error naming key; it returns
// the error's text.
func rejected(t *testing.T, in config.Input, key string) string {
	t.Helper()
	res, err := runStack(t, in)
	require.Error(t, err)
	assert.Contains(t, err.Error(), key+":", "the error names the key")
	assert.Contains(t, err.Error(), `invalid configuration for stack "`+in.Stack+`"`)
	assert.Empty(t, res.Resources(), "a bad value registers nothing")
	assert.Empty(t, res.Invokes(), "a bad value calls nothing")
	return err.Error()
}

func TestSeedSecretsMustBeSecretAndStayHidden(t *testing.T) {
	in := stacktest.Input(t, "staging", nil)
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
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		p, err := cli.Plan(stacktest.Root(t), stack, run)
		require.NoError(t, err)
		var text, doc bytes.Buffer
		require.NoError(t, p.WriteText(&text))
		require.NoError(t, p.WriteJSON(&doc))
		for ext, got := range map[string][]byte{"txt": text.Bytes(), "json": doc.Bytes()} {
			path := filepath.Join(stacktest.Root(t), "internal", "plan", "testdata", "golden", stack+"."+ext)
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

// The plan is the same for every run: ids and ARNs are derived, not random.
func TestPlanIsDeterministic(t *testing.T) {
	var first string
	for range 3 {
		p, err := plan.ForStack(stacktest.Root(t), "production", run)
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
	root := stacktest.Root(t)
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
	assert.Equal(t, 160.0, priced["budget"])
	assert.NotEmpty(t, priced["lines"])

	// The view of a stack's first `up`: no task starts, and the outputs say why.
	code, out, _ = runCLI("plan", "--stack", "staging", "--first-up")
	assert.Equal(t, 0, code)
	assert.Regexp(t, `arrakis-worker-service[^\n]*\n(\s+[^\n]*\n)*?\s+desiredCount: 0\n`, out)
	assert.Contains(t, out, "servicesWaitingFor: [\"an image in arrakis-staging-api")
	code, out, _ = runCLI("plan", "--stack", "staging")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "servicesWaitingFor: []", "by default the plan shows the steady state")

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
		b, err := os.ReadFile(filepath.Join(stacktest.Root(t), f))
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

func TestDataEndpointsAreSecretStackOutputs(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, err := runStack(t, stacktest.Input(t, stack, nil))
		require.NoError(t, err)
		db := stacktest.One(t, res, "aws:rds/instance:Instance", "arrakis-postgres")
		redis := stacktest.One(t, res, "aws:elasticache/replicationGroup:ReplicationGroup", "arrakis-redis")

		for name, want := range map[string]any{
			"rdsEndpoint":   stacktest.OutputOf(t, db, "endpoint"),
			"redisEndpoint": stacktest.OutputOf(t, redis, "primaryEndpointAddress").(string) + ":6379",
		} {
			out := res.Outputs[name]
			assert.True(t, out.Secret, "%s is a secret output", name)
			assert.Equal(t, want, out.Value, name)
		}
		for name, leaf := range map[string]string{
			"dbCredentialsSecretArn":    "db-credentials",
			"redisCredentialsSecretArn": "redis-credentials",
		} {
			sec := stacktest.One(t, res, "aws:secretsmanager/secret:Secret", "arrakis-"+leaf)
			assert.Equal(t, "arrakis-"+stack+"/"+leaf, stacktest.Str(t, sec, "name"))
			assert.Equal(t, stacktest.OutputOf(t, sec, "arn"), res.Outputs[name].Value, name)
		}
	})
}

// The credential secrets hold what RDS, ElastiCache and the generators
// answered, and the stores sit behind the network's private subnets and
// security groups.
func TestDataAndSecretsAreWiredTogether(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, err := runStack(t, stacktest.Input(t, stack, nil))
		require.NoError(t, err)
		private := stacktest.OutputOf(t, stacktest.One(t, res, "awsx:ec2:Vpc", "arrakis-vpc"), "privateSubnetIds")
		sgID := func(name string) []string {
			return []string{stacktest.One(t, res, "aws:ec2/securityGroup:SecurityGroup", name).ID}
		}

		db := stacktest.One(t, res, "aws:rds/instance:Instance", "arrakis-postgres")
		assert.Equal(t, private, stacktest.Get(t, stacktest.One(t, res, "aws:rds/subnetGroup:SubnetGroup", "arrakis-postgres-subnets"), "subnetIds"))
		assert.Equal(t, sgID("arrakis-postgres-sg"), stacktest.Strings(t, db, "vpcSecurityGroupIds"))
		dbPassword := stacktest.OutputOf(t, stacktest.One(t, res, "random:index/randomPassword:RandomPassword", "arrakis-postgres-password"), "result").(string)

		var dbc secrets.DBCredentials
		credentials(t, res, "db-credentials", &dbc)
		assert.Equal(t, stacktest.OutputOf(t, db, "address"), dbc.Host)
		assert.EqualValues(t, stacktest.OutputOf(t, db, "port"), dbc.Port)
		assert.Equal(t, "arrakis", dbc.Database)
		assert.Equal(t, "arrakis_admin", dbc.Username)
		assert.Equal(t, dbPassword, dbc.Password)
		u, err := url.Parse(dbc.URL)
		require.NoError(t, err)
		pw, _ := u.User.Password()
		assert.Equal(t, []string{"postgresql", stacktest.OutputOf(t, db, "endpoint").(string), "/arrakis", "arrakis_admin", dbPassword, "require"},
			[]string{u.Scheme, u.Host, u.Path, u.User.Username(), pw, u.Query().Get("sslmode")})

		redis := stacktest.One(t, res, "aws:elasticache/replicationGroup:ReplicationGroup", "arrakis-redis")
		assert.Equal(t, private, stacktest.Get(t, stacktest.One(t, res, "aws:elasticache/subnetGroup:SubnetGroup", "arrakis-redis-subnets"), "subnetIds"))
		assert.Equal(t, sgID("arrakis-redis-sg"), stacktest.Strings(t, redis, "securityGroupIds"))
		token := stacktest.OutputOf(t, stacktest.One(t, res, "random:index/randomPassword:RandomPassword", "arrakis-redis-auth-token"), "result").(string)

		var rc secrets.RedisCredentials
		credentials(t, res, "redis-credentials", &rc)
		host := stacktest.OutputOf(t, redis, "primaryEndpointAddress").(string)
		assert.Equal(t, host, rc.Host)
		assert.Equal(t, 6379, rc.Port)
		assert.Equal(t, token, rc.Auth)
		u, err = url.Parse(rc.URL)
		require.NoError(t, err)
		auth, _ := u.User.Password()
		assert.Equal(t, []string{"rediss", host + ":6379", token}, []string{u.Scheme, u.Host, auth})
	})
}

// credentials parses the JSON of a credential secret, which must be a secret
// input of a version of that secret.
func credentials(t *testing.T, res *mock.Result, leaf string, into any) {
	t.Helper()
	v := stacktest.One(t, res, "aws:secretsmanager/secretVersion:SecretVersion", "arrakis-"+leaf+"-value")
	assert.Equal(t, stacktest.One(t, res, "aws:secretsmanager/secret:Secret", "arrakis-"+leaf).ID, stacktest.Str(t, v, "secretId"))
	raw, secret, ok := v.Get("secretString")
	require.True(t, ok)
	assert.True(t, secret, "%s is a secret", leaf)
	require.NoError(t, json.Unmarshal([]byte(raw.(string)), into))
}

// Production protects every stateful resource; staging protects nothing, so
// one `pulumi destroy` removes it.
// Production protects exactly its stateful resources; staging protects
// nothing, so one `pulumi destroy` tears it down.
func TestProtectOnlyInProduction(t *testing.T) {
	want := []string{
		"aws:ecr/repository:Repository arrakis-api-repository",
		"aws:elasticache/replicationGroup:ReplicationGroup arrakis-redis",
		"aws:kms/key:Key arrakis-alerts-key",
		"aws:kms/key:Key arrakis-secrets-key",
		"aws:rds/instance:Instance arrakis-postgres",
		"random:index/randomPassword:RandomPassword arrakis-postgres-password",
		"random:index/randomPassword:RandomPassword arrakis-redis-auth-token",
		"aws:secretsmanager/secret:Secret arrakis-app-config",
		"aws:secretsmanager/secret:Secret arrakis-db-credentials",
		"aws:secretsmanager/secret:Secret arrakis-redis-credentials",
		"aws:secretsmanager/secret:Secret arrakis-vault-token",
	}
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, err := runStack(t, stacktest.Input(t, stack, nil))
		require.NoError(t, err)
		var protected []string
		for _, r := range res.Resources() {
			assert.False(t, r.RetainOnDelete, "%s %s", r.Type, r.Name)
			if r.Protect {
				protected = append(protected, r.Type+" "+r.Name)
			}
		}
		if stack == "staging" {
			assert.Empty(t, protected)
		} else {
			assert.ElementsMatch(t, want, protected)
		}
	})
}

// Outputs of one domain arrive where another domain uses them.
func TestDomainsAreWiredTogether(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, err := runStack(t, stacktest.Input(t, stack, nil))
		require.NoError(t, err)
		out := func(typ, name, path string) any { return stacktest.OutputOf(t, stacktest.One(t, res, typ, name), path) }
		sg := func(name string) string { return stacktest.One(t, res, "aws:ec2/securityGroup:SecurityGroup", name).ID }
		vpc := stacktest.One(t, res, "awsx:ec2:Vpc", "arrakis-vpc")
		private, public := stacktest.OutputOf(t, vpc, "privateSubnetIds"), stacktest.OutputOf(t, vpc, "publicSubnetIds")

		// network → edge and data
		alb := stacktest.One(t, res, "aws:lb/loadBalancer:LoadBalancer", "arrakis-alb")
		assert.Equal(t, public, stacktest.Get(t, alb, "subnets"))
		assert.Equal(t, []string{sg("arrakis-alb-sg")}, stacktest.Strings(t, alb, "securityGroups"))
		db := stacktest.One(t, res, "aws:rds/instance:Instance", "arrakis-postgres")
		assert.Equal(t, []string{sg("arrakis-postgres-sg")}, stacktest.Strings(t, db, "vpcSecurityGroupIds"))
		assert.Equal(t, private, stacktest.Get(t, stacktest.One(t, res, "aws:rds/subnetGroup:SubnetGroup", "arrakis-postgres-subnets"), "subnetIds"))
		redis := stacktest.One(t, res, "aws:elasticache/replicationGroup:ReplicationGroup", "arrakis-redis")
		assert.Equal(t, []string{sg("arrakis-redis-sg")}, stacktest.Strings(t, redis, "securityGroupIds"))

		// network and edge → compute: the service behind the target group,
		// on the container's port, in the private subnets.
		api := stacktest.One(t, res, "aws:ecs/service:Service", "arrakis-api-service")
		tg := stacktest.One(t, res, "aws:lb/targetGroup:TargetGroup", "arrakis-api-tg")
		assert.Equal(t, stacktest.OutputOf(t, tg, "arn"), stacktest.Get(t, api, "loadBalancers[0].targetGroupArn"))
		assert.Equal(t, "api", stacktest.Str(t, api, "loadBalancers[0].containerName"))
		assert.Equal(t, stacktest.Int(t, tg, "port"), stacktest.Int(t, api, "loadBalancers[0].containerPort"))
		containers := containerDefinitions(t, stacktest.One(t, res, "aws:ecs/taskDefinition:TaskDefinition", "arrakis-api-taskdef"))
		assert.Equal(t, float64(stacktest.Int(t, tg, "port")), containers[0]["portMappings"].([]any)[0].(map[string]any)["containerPort"])
		for _, name := range []string{"arrakis-api-service", "arrakis-worker-service"} {
			svc := stacktest.One(t, res, "aws:ecs/service:Service", name)
			assert.Equal(t, private, stacktest.Get(t, svc, "networkConfiguration.subnets"), name)
			assert.Equal(t, []string{sg("arrakis-tasks-sg")}, stacktest.Strings(t, svc, "networkConfiguration.securityGroups"), name)
		}

		// secrets → compute: every injected secret is one of the stack's.
		stackSecrets := map[string]bool{}
		for _, s := range res.ByType("aws:secretsmanager/secret:Secret") {
			stackSecrets[stacktest.OutputOf(t, s, "arn").(string)] = true
		}
		for _, td := range []string{"arrakis-api-taskdef", "arrakis-worker-taskdef"} {
			for _, c := range containerDefinitions(t, stacktest.One(t, res, "aws:ecs/taskDefinition:TaskDefinition", td)) {
				for _, ref := range c["secrets"].([]any) {
					from := ref.(map[string]any)["valueFrom"].(string)
					arn := from
					if i := strings.Index(from, ":secret:"); i >= 0 {
						if j := strings.Index(from[i+len(":secret:"):], ":"); j >= 0 {
							arn = from[:i+len(":secret:")+j]
						}
					}
					assert.True(t, stackSecrets[arn], "%s reads %s, not a secret of this stack", td, from)
				}
			}
		}

		// everything → monitoring: each alarm watches this stack's resources
		// and notifies its topic.
		topic := out("aws:sns/topic:Topic", "arrakis-alerts", "arn")
		names := map[string]any{
			"ClusterName":          out("aws:ecs/cluster:Cluster", "arrakis-cluster", "name"),
			"LoadBalancer":         stacktest.OutputOf(t, alb, "arnSuffix"),
			"TargetGroup":          stacktest.OutputOf(t, tg, "arnSuffix"),
			"DBInstanceIdentifier": stacktest.OutputOf(t, db, "identifier"),
			"WebACL":               stacktest.Get(t, stacktest.One(t, res, "aws:wafv2/webAcl:WebAcl", "arrakis-web-acl"), "name"),
			"Region":               "us-east-1",
			"Rule":                 "ALL",
		}
		members := stacktest.OutputOf(t, redis, "memberClusters").([]any)
		services := []any{stacktest.Get(t, api, "name"), stacktest.Get(t, stacktest.One(t, res, "aws:ecs/service:Service", "arrakis-worker-service"), "name")}
		alarms := res.ByType("aws:cloudwatch/metricAlarm:MetricAlarm")
		require.NotEmpty(t, alarms)
		for _, a := range alarms {
			assert.Equal(t, []any{topic}, stacktest.Get(t, a, "alarmActions"), a.Name)
			assert.Equal(t, []any{topic}, stacktest.Get(t, a, "okActions"), a.Name)
			for _, dims := range alarmDimensions(t, a) {
				for k, v := range dims {
					switch k {
					case "ServiceName":
						assert.Contains(t, services, v, a.Name)
					case "CacheClusterId":
						assert.Contains(t, members, v, a.Name)
					default:
						require.Contains(t, names, k, "%s has an unexpected dimension", a.Name)
						assert.Equal(t, names[k], v, "%s %s", a.Name, k)
					}
				}
			}
		}
	})
}

func TestEveryStackOutputOfTheSpecIsExported(t *testing.T) {
	secret := map[string]bool{"rdsEndpoint": true, "redisEndpoint": true}
	for _, stack := range stacktest.Stacks {
		res, err := runStack(t, stacktest.Input(t, stack, nil))
		require.NoError(t, err)
		for _, name := range []string{"vpcId", "ecsClusterName", "albDnsName", "apiUrl", "ecrRepositoryUrl",
			"rdsEndpoint", "redisEndpoint", "dashboardUrl", "certificateValidationRecords",
			"dbCredentialsSecretArn", "redisCredentialsSecretArn", "alertsTopicArn"} {
			v, ok := res.Outputs[name]
			require.True(t, ok, "%s: output %s missing", stack, name)
			assert.Equal(t, secret[name], v.Secret, "%s: output %s secret", stack, name)
			assert.NotEmpty(t, v.Value, "%s: output %s", stack, name)
		}
		assert.Equal(t, "https://"+stacktest.Config(t, stack).Edge.DomainName, res.Outputs["apiUrl"].Value)
	}
}

func containerDefinitions(t *testing.T, td *mock.Resource) []map[string]any {
	t.Helper()
	var defs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(stacktest.Str(t, td, "containerDefinitions")), &defs))
	return defs
}

// alarmDimensions are the dimension maps of an alarm: its own, or those of
// each metric of its metric math.
func alarmDimensions(t *testing.T, a *mock.Resource) []map[string]any {
	t.Helper()
	if d, _, ok := a.Get("dimensions"); ok {
		return []map[string]any{d.(map[string]any)}
	}
	var out []map[string]any
	for _, q := range stacktest.Get(t, a, "metricQueries").([]any) {
		if m, ok := q.(map[string]any)["metric"].(map[string]any); ok {
			out = append(out, m["dimensions"].(map[string]any))
		}
	}
	return out
}

// The policy suite (internal/policy) holds on both stacks: every violation
// is fixed or written down as an exception, and no exception is stale.
// `make policy STACK=…` prints the same report.
func TestPolicy(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		p, err := plan.ForStack(stacktest.Root(t), stack, run)
		require.NoError(t, err)
		rep := policy.Evaluate(p, policy.EnvOf(stacktest.Config(t, stack)))
		var text bytes.Buffer
		require.NoError(t, rep.WriteText(&text))
		assert.True(t, rep.OK(), "policy violations on %s:\n%s", stack, text.String())
		assert.Empty(t, rep.Stale, "stale exceptions on %s: remove them from internal/policy/exceptions.go\n%s", stack, text.String())
		assert.Positive(t, rep.Count(policy.StatusPass), "the suite examined the stack")
	})

	t.Run("command", func(t *testing.T) {
		var out, errOut bytes.Buffer
		code := cli.Main([]string{"policy", "--stack", "staging", "--dir", stacktest.Root(t)}, run, &out, &errOut)
		assert.Equal(t, 0, code, errOut.String())
		assert.Contains(t, out.String(), "Policy report for arrakis/staging (tier ephemeral)")
		assert.Contains(t, out.String(), "— OK")

		// A program with a public database fails the command.
		public := func(ctx *pulumi.Context) error {
			var db pulumi.CustomResourceState
			return ctx.RegisterResource("aws:rds/instance:Instance", "arrakis-postgres", pulumi.Map{
				"identifier": pulumi.String("arrakis-staging-postgres"), "publiclyAccessible": pulumi.Bool(true),
			}, &db)
		}
		out.Reset()
		errOut.Reset()
		code = cli.Main([]string{"policy", "--stack", "staging", "--dir", stacktest.Root(t)}, public, &out, &errOut)
		assert.Equal(t, 1, code)
		assert.Regexp(t, `ARK-RDS-001 +critical .*arrakis-postgres +publiclyAccessible is true`, out.String())
		assert.Contains(t, errOut.String(), "policy check(s) failed on stack staging: ARK-RDS-001")

		code = cli.Main([]string{"policy", "--dir", stacktest.Root(t)}, run, &out, &errOut)
		assert.Equal(t, 2, code)
	})
}

// copyStack writes the project file and a copy of stack's file, renamed to
// as and edited by edit, into a temporary project.
func copyStack(t *testing.T, stack, as string, edit func([]byte) []byte) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "README.md", "Pulumi." + stack + ".yaml"} {
		b, err := os.ReadFile(filepath.Join(stacktest.Root(t), f))
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
		out := bytes.Replace(b, []byte("monthlyBudgetUsd: 160"), []byte("monthlyBudgetUsd: 10"), 1)
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
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		p, err := cli.Plan(stacktest.Root(t), stack, run)
		require.NoError(t, err)
		assert.Empty(t, p.Cost.Unpriced, "add these types to internal/cost (priced, or free with a reason)")
		assert.Positive(t, p.Cost.Total)
		assert.LessOrEqual(t, p.Cost.Total, p.Cost.Budget, "%s is over its budget", stack)
	})
}

// README.md's diagram and cost figures are generated from the program;
// `make readme` refreshes them after a reviewed change.
func TestReadmeIsCurrent(t *testing.T) {
	var out, errOut bytes.Buffer
	code := cli.Main([]string{"readme", "--check", "--dir", stacktest.Root(t)}, run, &out, &errOut)
	assert.Equal(t, 0, code, "%s", errOut.String())

	// And the check can fail: a README with a stale diagram.
	dir := copyStack(t, "staging", "staging", func(b []byte) []byte { return b })
	prod, err := os.ReadFile(filepath.Join(stacktest.Root(t), "Pulumi.production.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.production.yaml"),
		bytes.Replace(prod, []byte("natGateways: single"), []byte("natGateways: perAz"), 1), 0o644))
	code = cli.Main([]string{"readme", "--check", "--dir", dir}, run, &out, &errOut)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut.String(), "README.md is out of date")
}

// ECS refuses CreateService for a target group no load balancer forwards to
// ("target group … does not have an associated load balancer"), and the
// HTTPS listener waits for certificate validation, so the service must wait
// for the listener, as must the request-count scaling policy that names the
// target group.
func TestLoadBalancedServicesWaitForTheirListener(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, err := runStack(t, stacktest.Input(t, stack, nil))
		require.NoError(t, err)
		https := stacktest.One(t, res, "aws:lb/listener:Listener", "arrakis-https")
		tg := stacktest.One(t, res, "aws:lb/targetGroup:TargetGroup", "arrakis-api-tg")
		require.Equal(t, stacktest.OutputOf(t, tg, "arn"), stacktest.Get(t, https, "defaultActions[0].targetGroupArn"), "the listener forwards to the API's target group")

		api := stacktest.One(t, res, "aws:ecs/service:Service", "arrakis-api-service")
		assert.Contains(t, api.DependsOn, https.URN, "the API service waits for the listener")
		requests := stacktest.One(t, res, "aws:appautoscaling/policy:Policy", "arrakis-api-requests-scaling")
		assert.Contains(t, requests.DependsOn, https.URN, "the request-count policy waits for the listener")
	})
}

// arrakis:edge.certificateArn reaches the listener; the stack requests no
// certificate and exports no validation record.
func TestAnExistingCertificateFromConfigIsServed(t *testing.T) {
	arn := "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-4697-8877-665544332211"
	res, err := runStack(t, stacktest.Set(t, stacktest.Input(t, "staging", nil), "arrakis:edge.certificateArn", arn))
	require.NoError(t, err)
	assert.Empty(t, res.ByType("aws:acm/certificate:Certificate"))
	assert.Equal(t, arn, stacktest.Str(t, stacktest.One(t, res, "aws:lb/listener:Listener", "arrakis-https"), "certificateArn"))
	assert.Empty(t, res.Outputs["certificateValidationRecords"].Value)
}

// Every value whose change would replace a named resource under the same
// name is pinned in a reviewed file per stack: an edit to one (a security
// group's description, the target group's port, the parameter group's
// description) fails here with what it would do, instead of failing `up`
// with "already exists". `make golden` refreshes the files after a reviewed
// change that renames the resource too.
func TestValuesThatReplaceNamedResourcesArePinned(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		p, err := plan.ForStack(stacktest.Root(t), stack, run)
		require.NoError(t, err)
		path := filepath.Join(stacktest.Root(t), "internal", "plan", "testdata", "golden", stack+".replacing.txt")
		got := p.PinsText()
		if *update {
			require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			return
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err, "no pins: run make golden")
		if string(want) != got {
			wantLines := map[string]bool{}
			for _, l := range strings.Split(string(want), "\n") {
				wantLines[l] = true
			}
			var changed []string
			for _, l := range strings.Split(got, "\n") {
				if !wantLines[l] {
					changed = append(changed, "  "+l)
				}
			}
			t.Errorf("%s: these values force the replacement of a named resource, which AWS refuses under the same name "+
				"(\"already exists\"); change the name with them (or make the resource deleteBeforeReplace if it can go first), "+
				"then run make golden:\n%s", stack, strings.Join(changed, "\n"))
		}
	})
}

// Values both stacks happen to share are read, not assumed: each, set to
// something neither stack uses, reaches the resource it shapes.
func TestSharedValuesReachTheirResources(t *testing.T) {
	envOf := func(t *testing.T, res *mock.Result, task string) map[string]string {
		env := map[string]string{}
		for _, kv := range containerDefinitions(t, stacktest.One(t, res, "aws:ecs/taskDefinition:TaskDefinition", "arrakis-"+task+"-taskdef"))[0]["environment"].([]any) {
			m := kv.(map[string]any)
			env[m["name"].(string)] = m["value"].(string)
		}
		return env
	}
	for _, c := range []struct {
		path  string
		value any
		check func(t *testing.T, res *mock.Result)
	}{
		{"arrakis:database.multiAz", true, func(t *testing.T, res *mock.Result) {
			assert.Equal(t, true, stacktest.Get(t, stacktest.One(t, res, "aws:rds/instance:Instance", "arrakis-postgres"), "multiAz"))
		}},
		{"arrakis:database.backupWindow", "05:00-06:00", func(t *testing.T, res *mock.Result) {
			assert.Equal(t, "05:00-06:00", stacktest.Str(t, stacktest.One(t, res, "aws:rds/instance:Instance", "arrakis-postgres"), "backupWindow"))
		}},
		{"arrakis:database.engineVersion", "15.16", func(t *testing.T, res *mock.Result) {
			assert.Equal(t, "15.16", stacktest.Str(t, stacktest.One(t, res, "aws:rds/instance:Instance", "arrakis-postgres"), "engineVersion"))
		}},
		{"arrakis:redis.engineVersion", "7.0", func(t *testing.T, res *mock.Result) {
			assert.Equal(t, "7.0", stacktest.Str(t, stacktest.One(t, res, "aws:elasticache/replicationGroup:ReplicationGroup", "arrakis-redis"), "engineVersion"))
		}},
		{"arrakis:redis.nodes", 2, func(t *testing.T, res *mock.Result) {
			g := stacktest.One(t, res, "aws:elasticache/replicationGroup:ReplicationGroup", "arrakis-redis")
			assert.Equal(t, []any{2.0, true}, []any{stacktest.Get(t, g, "numCacheClusters"), stacktest.Get(t, g, "automaticFailoverEnabled")})
			assert.NotNil(t, res.Find("aws:cloudwatch/metricAlarm:MetricAlarm", "arrakis-redis-002-evictions-alarm"), "the second node is watched")
		}},
		{"arrakis:worker.spot", false, func(t *testing.T, res *mock.Result) {
			assert.Equal(t, []any{map[string]any{"capacityProvider": "FARGATE", "base": 0.0, "weight": 1.0}},
				stacktest.Get(t, stacktest.One(t, res, "aws:ecs/service:Service", "arrakis-worker-service"), "capacityProviderStrategies"))
		}},
		{"arrakis:worker.memory", 2048, func(t *testing.T, res *mock.Result) {
			assert.Equal(t, "2048", stacktest.Str(t, stacktest.One(t, res, "aws:ecs/taskDefinition:TaskDefinition", "arrakis-worker-taskdef"), "memory"))
		}},
		{"arrakis:api.cpuTarget", 60, func(t *testing.T, res *mock.Result) {
			assert.Equal(t, 60, stacktest.Int(t, stacktest.One(t, res, "aws:appautoscaling/policy:Policy", "arrakis-api-cpu-scaling"), "targetTrackingScalingPolicyConfiguration.targetValue"))
		}},
		{"arrakis:app.featureBillingEnabled", true, func(t *testing.T, res *mock.Result) {
			assert.Equal(t, "true", envOf(t, res, "worker")["FEATURE_BILLING_ENABLED"])
		}},
		{"arrakis:network.taskEgressPorts", []int{443}, func(t *testing.T, res *mock.Result) {
			assert.Nil(t, res.Find("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "arrakis-tasks-to-internet-8200"))
			assert.NotNil(t, res.Find("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "arrakis-tasks-to-internet-443"))
		}},
		{"arrakis:monitoring.thresholds.apiCpuPercent", 65, func(t *testing.T, res *mock.Result) {
			assert.Equal(t, 65, stacktest.Int(t, stacktest.One(t, res, "aws:cloudwatch/metricAlarm:MetricAlarm", "arrakis-api-cpu-high-alarm"), "threshold"))
		}},
		{"arrakis:redis.snapshotWindow", "01:00-02:00", func(t *testing.T, res *mock.Result) {
			assert.Equal(t, "01:00-02:00", stacktest.Str(t, stacktest.One(t, res, "aws:elasticache/replicationGroup:ReplicationGroup", "arrakis-redis"), "snapshotWindow"))
		}},
	} {
		t.Run(c.path, func(t *testing.T) {
			for _, stack := range stacktest.Stacks {
				res, err := runStack(t, stacktest.Set(t, stacktest.Input(t, stack, nil), c.path, c.value))
				require.NoError(t, err, stack)
				c.check(t, res)
			}
		})
	}
}
