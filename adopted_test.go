package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/cli"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/policy"
	"github.com/arrakis/infrastructure/internal/stackfile"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

// adoptedProduction is production with what a Terraform-made production
// keeps (the shape `adopt --write` records).
func adoptedProduction(t *testing.T) config.Input {
	t.Helper()
	return stacktest.Set(t, stacktest.Input(t, "production", nil), "arrakis:adopted", map[string]any{
		"securityGroups": map[string]any{
			"alb":       map[string]any{"name": "arrakis-production-alb-20260111184227185000000005", "description": "Managed by Terraform"},
			"tasks":     map[string]any{"name": "arrakis-production-ecs-tasks-20260111184227185000000006", "description": "Managed by Terraform"},
			"postgres":  map[string]any{"name": "arrakis-production-rds-20260111184227185000000007", "description": "Managed by Terraform"},
			"redis":     map[string]any{"name": "arrakis-production-redis-20260111184227185000000008", "description": "Managed by Terraform"},
			"endpoints": map[string]any{"name": "arrakis-production-vpce-20260111184227185000000004", "description": "Managed by Terraform"},
		},
		"secretNames":      map[string]any{"db-credentials": "arrakis-production/database", "redis-credentials": "arrakis-production/redis"},
		"dbSubnetGroup":    "arrakis-production-db-subnet",
		"dbParameterGroup": map[string]any{"name": "arrakis-production-pg15", "description": "Managed by Terraform"},
		"redisSubnetGroup": "arrakis-production-redis-subnet",
		"launchType":       map[string]any{"api": "FARGATE", "worker": "FARGATE"},
		"roles": map[string]any{
			"execution": "arrakis-production-ecs-execution", "executionPolicy": "arrakis-production-ecs-execution-secrets",
			"task": "arrakis-production-ecs-task",
		},
	})
}

// What arrakis:adopted records reaches the resources: the running names,
// descriptions, launch types and shared roles, so importing them replaces
// nothing.
func TestAdoptedNamesAndShapesAreHonoured(t *testing.T) {
	res, err := runStack(t, adoptedProduction(t))
	require.NoError(t, err)

	for logical, name := range map[string]string{
		"arrakis-alb-sg": "arrakis-production-alb-20260111184227185000000005", "arrakis-tasks-sg": "arrakis-production-ecs-tasks-20260111184227185000000006",
		"arrakis-postgres-sg": "arrakis-production-rds-20260111184227185000000007", "arrakis-redis-sg": "arrakis-production-redis-20260111184227185000000008",
		"arrakis-endpoints-sg": "arrakis-production-vpce-20260111184227185000000004",
	} {
		sg := stacktest.One(t, res, "aws:ec2/securityGroup:SecurityGroup", logical)
		assert.Equal(t, name, stacktest.Str(t, sg, "name"), logical)
		assert.Equal(t, "Managed by Terraform", stacktest.Str(t, sg, "description"), logical)
	}
	assert.Equal(t, "arrakis-production/database", stacktest.Str(t, stacktest.One(t, res, "aws:secretsmanager/secret:Secret", "arrakis-db-credentials"), "name"))
	assert.Equal(t, "arrakis-production/redis", stacktest.Str(t, stacktest.One(t, res, "aws:secretsmanager/secret:Secret", "arrakis-redis-credentials"), "name"))
	assert.Equal(t, "arrakis-production/app-config", stacktest.Str(t, stacktest.One(t, res, "aws:secretsmanager/secret:Secret", "arrakis-app-config"), "name"))

	dbSubnets := stacktest.One(t, res, "aws:rds/subnetGroup:SubnetGroup", "arrakis-postgres-subnets")
	assert.Equal(t, "arrakis-production-db-subnet", stacktest.Str(t, dbSubnets, "name"))
	params := stacktest.One(t, res, "aws:rds/parameterGroup:ParameterGroup", "arrakis-postgres-params")
	assert.Equal(t, []string{"arrakis-production-pg15", "Managed by Terraform"}, []string{stacktest.Str(t, params, "name"), stacktest.Str(t, params, "description")})
	db := stacktest.One(t, res, "aws:rds/instance:Instance", "arrakis-postgres")
	assert.Equal(t, stacktest.OutputOf(t, dbSubnets, "name"), stacktest.Get(t, db, "dbSubnetGroupName"))
	assert.Equal(t, stacktest.OutputOf(t, params, "name"), stacktest.Get(t, db, "parameterGroupName"))
	redisSubnets := stacktest.One(t, res, "aws:elasticache/subnetGroup:SubnetGroup", "arrakis-redis-subnets")
	assert.Equal(t, "arrakis-production-redis-subnet", stacktest.Str(t, redisSubnets, "name"))
	assert.Equal(t, stacktest.OutputOf(t, redisSubnets, "name"), stacktest.Get(t, stacktest.One(t, res, "aws:elasticache/replicationGroup:ReplicationGroup", "arrakis-redis"), "subnetGroupName"))

	for _, name := range []string{"arrakis-api-service", "arrakis-worker-service"} {
		svc := stacktest.One(t, res, "aws:ecs/service:Service", name)
		assert.Equal(t, "FARGATE", stacktest.Str(t, svc, "launchType"), name)
		_, _, hasStrategy := svc.Get("capacityProviderStrategies")
		assert.False(t, hasStrategy, "%s runs on its launch type, not capacity providers", name)
	}

	exec := stacktest.One(t, res, "aws:iam/role:Role", "arrakis-execution-role")
	task := stacktest.One(t, res, "aws:iam/role:Role", "arrakis-task-role")
	assert.Equal(t, "arrakis-production-ecs-execution", stacktest.Str(t, exec, "name"))
	assert.Equal(t, "arrakis-production-ecs-task", stacktest.Str(t, task, "name"))
	assert.Len(t, res.ByType("aws:iam/role:Role"), 4, "the shared pair, the flow log role and the database's monitoring role")
	policy := stacktest.One(t, res, "aws:iam/rolePolicy:RolePolicy", "arrakis-execution-secrets")
	assert.Equal(t, "arrakis-production-ecs-execution-secrets", stacktest.Str(t, policy, "name"))
	assert.Equal(t, exec.ID, stacktest.Str(t, policy, "role"))
	for _, td := range []string{"arrakis-api-taskdef", "arrakis-worker-taskdef"} {
		def := stacktest.One(t, res, "aws:ecs/taskDefinition:TaskDefinition", td)
		assert.Equal(t, stacktest.OutputOf(t, exec, "arn"), stacktest.Get(t, def, "executionRoleArn"), td)
		assert.Equal(t, stacktest.OutputOf(t, task, "arn"), stacktest.Get(t, def, "taskRoleArn"), td)
	}
}

// A bad adopted value is rejected like every other key, naming it.
func TestBadAdoptedValuesAreRejected(t *testing.T) {
	for path, value := range map[string]any{
		"arrakis:adopted.securityGroups.web":        map[string]any{"name": "x", "description": "y"},
		"arrakis:adopted.securityGroups.alb.name":   "sg-123",
		"arrakis:adopted.securityGroups.alb.colour": "red",
		"arrakis:adopted.secretNames.app-config":    "arrakis-production/app",
		"arrakis:adopted.launchType.worker":         "EC2",
		"arrakis:adopted.dbParameterGroup.name":     "1-bad",
		"arrakis:adopted.roles.execution":           "a role with spaces",
		"arrakis:adopted.redisSubnetGroup":          "Upper_Case",
	} {
		t.Run(path, func(t *testing.T) {
			in := adoptedProduction(t)
			in = stacktest.Set(t, in, path, value)
			res, err := runStack(t, in)
			require.Error(t, err)
			want := path
			if path == "arrakis:adopted.securityGroups.alb.colour" {
				want = "arrakis:adopted.securityGroups.alb"
			}
			assert.Contains(t, err.Error(), want)
			assert.Empty(t, res.Resources())
		})
	}
}

// The running production's Terraform state (credentials redacted), as
// `terraform state pull` prints it.
func tfstate(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(stacktest.Root(t), "internal", "adopt", "testdata", "production.tfstate.json"))
	require.NoError(t, err)
	return b
}

// adoptProject is a copy of the project's stack files in a temporary
// directory, with a Terraform state edited by edit.
func adoptProject(t *testing.T, edit func(map[string]any)) (dir, state string) {
	t.Helper()
	dir = t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "Pulumi.production.yaml", "Pulumi.staging.yaml"} {
		b, err := os.ReadFile(filepath.Join(stacktest.Root(t), f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), b, 0o644))
	}
	b := tfstate(t)
	if edit != nil {
		var st map[string]any
		require.NoError(t, json.Unmarshal(b, &st))
		edit(st)
		var err error
		b, err = json.Marshal(st)
		require.NoError(t, err)
	}
	state = filepath.Join(dir, "tfstate.json")
	require.NoError(t, os.WriteFile(state, b, 0o600))
	return dir, state
}

// adoptReport is the JSON report.
type adoptReport struct {
	Stack string `json:"stack"`
	Adopt []struct {
		Address, URN, Type, ID string
		Changes                []string
	} `json:"adopt"`
	Replace []struct {
		Address, URN string
		Attributes   []string
	} `json:"replace"`
	TerraformOnly []struct{ Address, Reason string }   `json:"terraformOnly"`
	Create        []struct{ URN, Type string }         `json:"create"`
	Conflicts     []struct{ URN, Type, Reason string } `json:"conflicts"`
	Warnings      []string                             `json:"warnings"`
}

func runAdopt(t *testing.T, dir string, args ...string) (int, adoptReport, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	args = append([]string{"adopt", "--stack", "production", "--dir", dir, "--out", filepath.Join(dir, "import.json"), "--json"}, args...)
	code := cli.Main(args, run, &out, &errOut)
	var rep adoptReport
	if code != 2 {
		require.NoError(t, json.Unmarshal(out.Bytes(), &rep), "%s", errOut.String())
	}
	return code, rep, out.String(), errOut.String()
}

func urnsOf[T any](items []T, urn func(T) string) []string {
	var out []string
	for _, i := range items {
		out = append(out, urn(i))
	}
	return out
}

// Taking the running production over: as the stack file stands, adoption
// would replace the security groups, the credentials secrets, the subnet
// and parameter groups, the cache (through its subnet group), the ECS
// services and the roles; `--write` records what keeps them, and then
// nothing adopted is replaced, the import file holds every running
// resource under its real id, and everything else is accounted for.
func TestAdoptTheTerraformProduction(t *testing.T) {
	dir, state := adoptProject(t, nil)
	before, err := os.ReadFile(filepath.Join(dir, "Pulumi.production.yaml"))
	require.NoError(t, err)

	code, rep, _, errOut := runAdopt(t, dir, "--tfstate", state)
	assert.Equal(t, 1, code, "replacements exit 1")
	assert.Contains(t, errOut, "would replace running resources")
	var replaced []string
	for _, r := range rep.Replace {
		replaced = append(replaced, r.Address)
	}
	for _, want := range []string{"aws_security_group.alb", "aws_security_group.rds", "aws_secretsmanager_secret.db_credentials",
		"aws_secretsmanager_secret.redis_credentials", "aws_db_parameter_group.main", "aws_db_subnet_group.main",
		"aws_elasticache_subnet_group.main", "aws_elasticache_replication_group.main", "aws_ecs_service.api",
		"aws_ecs_service.worker", "aws_iam_role.ecs_execution"} {
		assert.Contains(t, replaced, want)
	}

	code, rep, _, errOut = runAdopt(t, dir, "--tfstate", state, "--write")
	assert.Equal(t, 0, code, errOut)
	after, err := os.ReadFile(filepath.Join(dir, "Pulumi.production.yaml"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(after), string(before)), "every line of the stack file stays; the settings are added at the end")
	assert.Contains(t, string(after), "arrakis:adopted:")

	code, rep, text, _ := runAdopt(t, dir, "--tfstate", state)
	assert.Equal(t, 0, code)
	assert.Empty(t, rep.Replace, "nothing adopted is replaced")
	assert.Equal(t, "production", rep.Stack)

	// Every running resource is adopted under its real id.
	ids := map[string]string{}
	for _, a := range rep.Adopt {
		ids[a.URN[strings.LastIndex(a.URN, "$")+1:]] = a.ID
	}
	for res, id := range map[string]string{
		"aws:ec2/vpc:Vpc::arrakis-vpc":                                                 "vpc-04747652274a1e539",
		"aws:ec2/subnet:Subnet::arrakis-vpc-public-1":                                  "subnet-0aaffa4573292f91e",
		"aws:ec2/subnet:Subnet::arrakis-vpc-private-2":                                 "subnet-0d3aa8fc8deced420",
		"aws:ec2/natGateway:NatGateway::arrakis-vpc-1":                                 "nat-008854a846842674c",
		"aws:ec2/eip:Eip::arrakis-vpc-1":                                               "eipalloc-033aecff694abbb01",
		"aws:ec2/internetGateway:InternetGateway::arrakis-vpc":                         "igw-030bf835deac7b543",
		"aws:ec2/routeTable:RouteTable::arrakis-vpc-private-1":                         "rtb-041f4a5b5ad3cf536",
		"aws:ec2/route:Route::arrakis-vpc-public-1":                                    "rtb-0980fca8dee1dcce8_0.0.0.0/0",
		"aws:ec2/routeTableAssociation:RouteTableAssociation::arrakis-vpc-public-2":    "subnet-0ef1d6d77cb7a4b92/rtb-0980fca8dee1dcce8",
		"aws:ec2/securityGroup:SecurityGroup::arrakis-tasks-sg":                        "sg-06ce7fbbd5273656f",
		"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup::arrakis-default-sg":        "sg-09e17a32a6a3af3e7",
		"aws:ec2/vpcEndpoint:VpcEndpoint::arrakis-s3-endpoint":                         "vpce-0c751d6c9c2af4f71",
		"aws:lb/loadBalancer:LoadBalancer::arrakis-alb":                                "arn:aws:elasticloadbalancing:us-east-1:891376933289:loadbalancer/app/arrakis-production-alb/62d7b7c37c3debaa",
		"aws:lb/targetGroup:TargetGroup::arrakis-api-tg":                               "arn:aws:elasticloadbalancing:us-east-1:891376933289:targetgroup/arrakis-production-api-tg/1a1201d6486c8216",
		"aws:lb/listener:Listener::arrakis-https":                                      "arn:aws:elasticloadbalancing:us-east-1:891376933289:listener/app/arrakis-production-alb/62d7b7c37c3debaa/a1db21561aa33105",
		"aws:acm/certificate:Certificate::arrakis-certificate":                         "arn:aws:acm:us-east-1:891376933289:certificate/dd9ce588-ef38-4939-99b4-0cc0f356dd22",
		"aws:ecs/cluster:Cluster::arrakis-cluster":                                     "arrakis-production-cluster",
		"aws:ecs/service:Service::arrakis-api-service":                                 "arrakis-production-cluster/arrakis-production-api",
		"aws:ecs/service:Service::arrakis-worker-service":                              "arrakis-production-cluster/arrakis-production-worker",
		"aws:ecr/repository:Repository::arrakis-api-repository":                        "arrakis-production-api",
		"aws:cloudwatch/logGroup:LogGroup::arrakis-api-logs":                           "/ecs/arrakis-production/api",
		"aws:cloudwatch/logGroup:LogGroup::arrakis-container-insights-logs":            "/aws/ecs/containerinsights/arrakis-production-cluster/performance",
		"aws:rds/instance:Instance::arrakis-postgres":                                  "arrakis-production-postgres",
		"aws:rds/parameterGroup:ParameterGroup::arrakis-postgres-params":               "arrakis-production-pg15",
		"aws:rds/subnetGroup:SubnetGroup::arrakis-postgres-subnets":                    "arrakis-production-db-subnet",
		"aws:elasticache/replicationGroup:ReplicationGroup::arrakis-redis":             "arrakis-production-redis",
		"aws:elasticache/subnetGroup:SubnetGroup::arrakis-redis-subnets":               "arrakis-production-redis-subnet",
		"aws:sns/topic:Topic::arrakis-alerts":                                          "arn:aws:sns:us-east-1:891376933289:arrakis-production-alerts",
		"aws:cloudwatch/metricAlarm:MetricAlarm::arrakis-rds-cpu-high-alarm":           "arrakis-production-rds-cpu-high",
		"aws:cloudwatch/dashboard:Dashboard::arrakis-overview":                         "arrakis-production-overview",
		"aws:iam/role:Role::arrakis-execution-role":                                    "arrakis-production-ecs-execution",
		"aws:iam/role:Role::arrakis-task-role":                                         "arrakis-production-ecs-task",
		"aws:iam/rolePolicyAttachment:RolePolicyAttachment::arrakis-execution-managed": "arrakis-production-ecs-execution/arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
		"aws:secretsmanager/secret:Secret::arrakis-app-config":                         "arn:aws:secretsmanager:us-east-1:891376933289:secret:arrakis-production/app-config-c9kSKY",
		"aws:secretsmanager/secret:Secret::arrakis-db-credentials":                     "arn:aws:secretsmanager:us-east-1:891376933289:secret:arrakis-production/database-e58Zhy",
		"aws:secretsmanager/secret:Secret::arrakis-redis-credentials":                  "arn:aws:secretsmanager:us-east-1:891376933289:secret:arrakis-production/redis-PRm8NK",
		"aws:secretsmanager/secret:Secret::arrakis-vault-token":                        "arn:aws:secretsmanager:us-east-1:891376933289:secret:arrakis-production/vault-token-sALVpg",
	} {
		assert.Equal(t, id, ids[res], res)
	}
	// Everything else is accounted for, with a reason.
	only := map[string]string{}
	for _, l := range rep.TerraformOnly {
		only[l.Address] = l.Reason
	}
	for _, addr := range []string{"aws_ecs_task_definition.api", "aws_secretsmanager_secret_version.db_credentials",
		"module.vpc.aws_flow_log.this[0]", "aws_cloudwatch_metric_alarm.alb_5xx_errors", "aws_iam_role_policy.ecs_task",
		"aws_acm_certificate_validation.main", "aws_security_group.alb (inline egress all to 0.0.0.0/0)"} {
		assert.NotEmpty(t, only[addr], addr)
	}
	objects := 0
	for _, r := range jsonResources(t, tfstate(t)) {
		if r["mode"] == "managed" {
			objects += len(r["instances"].([]any))
		}
	}
	// Every managed instance is adopted or stays with Terraform; the two
	// hand-made secrets and the Container Insights log group are adopted
	// on top, and two inline egress rules are listed on their own.
	assert.Equal(t, objects+3+2, len(rep.Adopt)+len(rep.TerraformOnly))

	// The six rules Terraform wrote inline cannot be created again.
	assert.Len(t, rep.Conflicts, 6)
	// The state's passwords are redacted: said, and left out of the file.
	assert.Len(t, rep.Warnings, 3)
	assert.Contains(t, text, "REDACTED")

	info, err := os.Stat(filepath.Join(dir, "import.json"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the import file may hold passwords")
}

func jsonResources(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var st struct {
		Resources []map[string]any `json:"resources"`
	}
	require.NoError(t, json.Unmarshal(b, &st))
	return st.Resources
}

// editResource changes the first instance of a managed resource block.
func editResource(st map[string]any, typ, name string, edit func(attrs map[string]any)) {
	for _, r := range st["resources"].([]any) {
		m := r.(map[string]any)
		if m["type"] == typ && m["name"] == name && m["mode"] == "managed" {
			edit(m["instances"].([]any)[0].(map[string]any)["attributes"].(map[string]any))
		}
	}
}

// A state adopt cannot use exits 2 and names the problem; nothing is
// written.
func TestAdoptRejectsStatesItCannotUse(t *testing.T) {
	for name, c := range map[string]struct {
		content string
		edit    func(map[string]any)
		want    string
	}{
		"malformed":   {content: `{"version": 4, "resources": [`, want: "malformed JSON"},
		"not a state": {content: `{"hello": "world"}`, want: `no "version"`},
		"format 3":    {content: `{"version": 3, "resources": [{}]}`, want: "format 3"},
		"empty":       {content: `{"version": 4, "resources": []}`, want: "holds no resources"},
		"another env": {edit: func(st map[string]any) {
			for _, r := range st["resources"].([]any) {
				for _, in := range r.(map[string]any)["instances"].([]any) {
					if tags, ok := in.(map[string]any)["attributes"].(map[string]any)["tags_all"].(map[string]any); ok {
						tags["Environment"] = "staging"
					}
				}
			}
		}, want: `the state is of environment "staging" (its resources' Environment tag), not of stack "production"`},
	} {
		t.Run(name, func(t *testing.T) {
			dir, state := adoptProject(t, c.edit)
			if c.content != "" {
				require.NoError(t, os.WriteFile(state, []byte(c.content), 0o600))
			}
			for _, extra := range [][]string{nil, {"--write"}} {
				code, _, out, errOut := runAdopt(t, dir, append([]string{"--tfstate", state}, extra...)...)
				assert.Equal(t, 2, code)
				assert.Contains(t, errOut, c.want)
				assert.Empty(t, out)
				_, err := os.Stat(filepath.Join(dir, "import.json"))
				assert.True(t, os.IsNotExist(err), "no import file")
				b, _ := os.ReadFile(filepath.Join(dir, "Pulumi.production.yaml"))
				assert.NotContains(t, string(b), "arrakis:adopted", "the stack file is untouched")
			}
		})
	}
}

// Drift, a resource deleted by hand and an extra resource each show where
// they belong.
func TestAdoptReportsDriftDeletionsAndExtras(t *testing.T) {
	dir, state := adoptProject(t, nil)
	code, _, _, errOut := runAdopt(t, dir, "--tfstate", state, "--write")
	require.Equal(t, 0, code, errOut)

	// Someone edited a group's description after adopt --write wrote it
	// down: the group would be replaced, and adopt says so.
	_, drifted := adoptProject(t, func(st map[string]any) {
		editResource(st, "aws_security_group", "rds", func(a map[string]any) { a["description"] = "Postgres (edited by hand)" })
		editResource(st, "aws_lb_target_group", "api", func(a map[string]any) { a["port"] = 8080.0 })
	})
	code, rep, _, _ := runAdopt(t, dir, "--tfstate", drifted)
	assert.Equal(t, 1, code)
	replaced := map[string][]string{}
	for _, r := range rep.Replace {
		replaced[r.Address] = r.Attributes
	}
	assert.Equal(t, []string{`description: "Postgres (edited by hand)" → "Managed by Terraform"`}, replaced["aws_security_group.rds"])
	assert.Equal(t, []string{"port: 8080 → 3000"}, replaced["aws_lb_target_group.api"])

	// The dashboard deleted by hand is created; an S3 bucket the program
	// does not build stays with Terraform.
	_, changed := adoptProject(t, func(st map[string]any) {
		var kept []any
		for _, r := range st["resources"].([]any) {
			if r.(map[string]any)["type"] != "aws_cloudwatch_dashboard" {
				kept = append(kept, r)
			}
		}
		st["resources"] = append(kept, map[string]any{"mode": "managed", "type": "aws_s3_bucket", "name": "uploads",
			"instances": []any{map[string]any{"attributes": map[string]any{"id": "arrakis-production-uploads", "bucket": "arrakis-production-uploads"}}}})
	})
	code, rep, _, _ = runAdopt(t, dir, "--tfstate", changed)
	assert.Equal(t, 0, code)
	assert.Contains(t, urnsOf(rep.Create, func(c struct{ URN, Type string }) string { return c.URN }),
		"urn:pulumi:production::arrakis::arrakis:monitoring:Monitoring$aws:cloudwatch/dashboard:Dashboard::arrakis-overview")
	only := map[string]string{}
	for _, l := range rep.TerraformOnly {
		only[l.Address] = l.Reason
	}
	assert.Contains(t, only["aws_s3_bucket.uploads"], "a type the program does not build")
}

// With the state's real passwords (as `terraform state pull` prints them)
// the import file keeps them, and nothing the command prints shows them.
// With the account's security group rules, the rules Terraform wrote
// inline are imported by id and nothing conflicts.
func TestAdoptKeepsPasswordsAndImportsInlineRules(t *testing.T) {
	const dbPassword, redisToken = "Sup3rSecretDbPasswordValue0123456", "Redis4uthTokenValueNeverPrinted00"
	dir, state := adoptProject(t, func(st map[string]any) {
		editResource(st, "random_password", "db_password", func(a map[string]any) { a["result"] = dbPassword })
		editResource(st, "random_password", "redis_auth", func(a map[string]any) { a["result"] = redisToken })
	})
	rules := filepath.Join(dir, "sg-rules.json")
	b, err := os.ReadFile(filepath.Join(stacktest.Root(t), "internal", "adopt", "testdata", "sg-rules.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(rules, b, 0o600))

	code, rep, out, errOut := runAdopt(t, dir, "--tfstate", state, "--write", "--sg-rules", rules)
	assert.Equal(t, 0, code, errOut)
	assert.NotContains(t, out+errOut, dbPassword)
	assert.NotContains(t, out+errOut, redisToken)
	assert.Empty(t, rep.Conflicts)
	assert.Len(t, rep.Warnings, 0)
	var file struct {
		Resources []struct{ Type, LogicalName, ID, Parent string }
	}
	b, err = os.ReadFile(filepath.Join(dir, "import.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &file))
	ids := map[string]string{}
	for _, r := range file.Resources {
		ids[r.LogicalName] = r.ID
	}
	assert.Equal(t, dbPassword, ids["arrakis-postgres-password"], "the password is imported as it is: not rotated")
	assert.Equal(t, redisToken, ids["arrakis-redis-auth-token"])
	assert.Equal(t, "sgr-0a1b2c3d4e5f60003", ids["arrakis-tasks-from-alb"])
	only := map[string]string{}
	for _, l := range rep.TerraformOnly {
		only[l.Address] = l.Reason
	}
	assert.Contains(t, only["aws_security_group.alb (inline egress all to 0.0.0.0/0)"],
		"aws ec2 revoke-security-group-egress --group-id sg-0d922e863a072bfcc --security-group-rule-ids sgr-0a1b2c3d4e5f60008")
}

// The production plan with the settings `adopt --write` derives from the
// running production's state: what the first `up` after the import
// builds. Refreshed by `make golden`; the policy suite holds on it too.
func TestAdoptedProductionPlanSnapshot(t *testing.T) {
	dir, state := adoptProject(t, nil)
	code, _, _, errOut := runAdopt(t, dir, "--tfstate", state, "--write")
	require.Equal(t, 0, code, errOut)

	p, err := cli.Plan(dir, "production", run)
	require.NoError(t, err)
	var text bytes.Buffer
	require.NoError(t, p.WriteText(&text))
	path := filepath.Join(stacktest.Root(t), "internal", "plan", "testdata", "golden", "production-adopted.txt")
	if *update {
		require.NoError(t, os.WriteFile(path, text.Bytes(), 0o644))
	} else {
		want, err := os.ReadFile(path)
		require.NoError(t, err, "no snapshot: run make golden")
		assert.True(t, bytes.Equal(want, text.Bytes()), "%s is out of date: review the change, then run make golden", path)
	}

	in, err := stackfile.Load(dir, "production")
	require.NoError(t, err)
	cfg, err := config.Parse(in)
	require.NoError(t, err)
	rep := policy.Evaluate(p.Plan, policy.EnvOf(cfg))
	var report bytes.Buffer
	require.NoError(t, rep.WriteText(&report))
	assert.True(t, rep.OK(), "policy violations on the adopted production:\n%s", report.String())
}
