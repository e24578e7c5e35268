package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/config"
	. "github.com/arrakis/infrastructure/internal/stacktest"
)

// adoptedProduction is production with what a Terraform-made production
// keeps (the shape `adopt --write` records).
func adoptedProduction(t *testing.T) config.Input {
	t.Helper()
	return Set(t, Input(t, "production", nil), "arrakis:adopted", map[string]any{
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
		sg := One(t, res, "aws:ec2/securityGroup:SecurityGroup", logical)
		assert.Equal(t, name, Str(t, sg, "name"), logical)
		assert.Equal(t, "Managed by Terraform", Str(t, sg, "description"), logical)
	}
	assert.Equal(t, "arrakis-production/database", Str(t, One(t, res, "aws:secretsmanager/secret:Secret", "arrakis-db-credentials"), "name"))
	assert.Equal(t, "arrakis-production/redis", Str(t, One(t, res, "aws:secretsmanager/secret:Secret", "arrakis-redis-credentials"), "name"))
	assert.Equal(t, "arrakis-production/app-config", Str(t, One(t, res, "aws:secretsmanager/secret:Secret", "arrakis-app-config"), "name"))

	dbSubnets := One(t, res, "aws:rds/subnetGroup:SubnetGroup", "arrakis-postgres-subnets")
	assert.Equal(t, "arrakis-production-db-subnet", Str(t, dbSubnets, "name"))
	params := One(t, res, "aws:rds/parameterGroup:ParameterGroup", "arrakis-postgres-params")
	assert.Equal(t, []string{"arrakis-production-pg15", "Managed by Terraform"}, []string{Str(t, params, "name"), Str(t, params, "description")})
	db := One(t, res, "aws:rds/instance:Instance", "arrakis-postgres")
	assert.Equal(t, OutputOf(t, dbSubnets, "name"), Get(t, db, "dbSubnetGroupName"))
	assert.Equal(t, OutputOf(t, params, "name"), Get(t, db, "parameterGroupName"))
	redisSubnets := One(t, res, "aws:elasticache/subnetGroup:SubnetGroup", "arrakis-redis-subnets")
	assert.Equal(t, "arrakis-production-redis-subnet", Str(t, redisSubnets, "name"))
	assert.Equal(t, OutputOf(t, redisSubnets, "name"), Get(t, One(t, res, "aws:elasticache/replicationGroup:ReplicationGroup", "arrakis-redis"), "subnetGroupName"))

	for _, name := range []string{"arrakis-api-service", "arrakis-worker-service"} {
		svc := One(t, res, "aws:ecs/service:Service", name)
		assert.Equal(t, "FARGATE", Str(t, svc, "launchType"), name)
		_, _, hasStrategy := svc.Get("capacityProviderStrategies")
		assert.False(t, hasStrategy, "%s runs on its launch type, not capacity providers", name)
	}

	exec := One(t, res, "aws:iam/role:Role", "arrakis-execution-role")
	task := One(t, res, "aws:iam/role:Role", "arrakis-task-role")
	assert.Equal(t, "arrakis-production-ecs-execution", Str(t, exec, "name"))
	assert.Equal(t, "arrakis-production-ecs-task", Str(t, task, "name"))
	assert.Len(t, res.ByType("aws:iam/role:Role"), 3, "the shared pair and the flow log role")
	policy := One(t, res, "aws:iam/rolePolicy:RolePolicy", "arrakis-execution-secrets")
	assert.Equal(t, "arrakis-production-ecs-execution-secrets", Str(t, policy, "name"))
	assert.Equal(t, exec.ID, Str(t, policy, "role"))
	for _, td := range []string{"arrakis-api-taskdef", "arrakis-worker-taskdef"} {
		def := One(t, res, "aws:ecs/taskDefinition:TaskDefinition", td)
		assert.Equal(t, OutputOf(t, exec, "arn"), Get(t, def, "executionRoleArn"), td)
		assert.Equal(t, OutputOf(t, task, "arn"), Get(t, def, "taskRoleArn"), td)
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
			in = Set(t, in, path, value)
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
