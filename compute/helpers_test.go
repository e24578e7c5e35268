package compute_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/compute"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

const (
	clusterType   = "aws:ecs/cluster:Cluster"
	capacityType  = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"
	serviceType   = "aws:ecs/service:Service"
	taskDefType   = "aws:ecs/taskDefinition:TaskDefinition"
	repoType      = "aws:ecr/repository:Repository"
	lifecycleType = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
	logGroupType  = "aws:cloudwatch/logGroup:LogGroup"
	roleType      = "aws:iam/role:Role"
	rolePolType   = "aws:iam/rolePolicy:RolePolicy"
	attachType    = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	targetType    = "aws:appautoscaling/target:Target"
	policyType    = "aws:appautoscaling/policy:Policy"
)

// wired are the values other domains hand over, as the real resources
// would report them, for one stack.
type wired struct {
	privateSubnets              []string
	tasksSG                     string
	targetGroupARN, albSuffix   string
	tgSuffix                    string
	appConfig, db, redis, vault string
	secretsKey                  string
}

func wiredFor(stack string) wired {
	secret := func(leaf, suffix string) string {
		return "arn:aws:secretsmanager:us-east-1:123456789012:secret:arrakis-" + stack + "/" + leaf + "-" + suffix
	}
	return wired{
		privateSubnets: []string{"subnet-0a9b8c7d6e5f40001", "subnet-0a9b8c7d6e5f40002"},
		tasksSG:        "sg-0123456789abcdef0",
		targetGroupARN: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/arrakis-" + stack + "-api-tg/73e2d6bc24d8a067",
		albSuffix:      "app/arrakis-" + stack + "-alb/50dc6c495c0c9188",
		tgSuffix:       "targetgroup/arrakis-" + stack + "-api-tg/73e2d6bc24d8a067",
		appConfig:      secret("app-config", "AbCdEf"),
		db:             secret("db-credentials", "Gh1jKl"),
		redis:          secret("redis-credentials", "Mn2pQr"),
		vault:          secret("vault-token", "St3uVw"),
		secretsKey:     "arn:aws:kms:us-east-1:123456789012:key/1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
	}
}

// argsFor is a stack's compute.Args, wired as main.go wires them, running
// the image 3f2c1ab.
func argsFor(cfg *config.Config, w wired) *compute.Args {
	a := compute.FromConfig(cfg)
	a.AccountID = mock.Account
	a.ImageTag, a.Running = "3f2c1ab", true
	a.PrivateSubnetIDs = pulumi.ToStringArray(w.privateSubnets)
	a.TasksSecurityGroupID = pulumi.String(w.tasksSG)
	a.TargetGroupARN = pulumi.String(w.targetGroupARN)
	a.ALBARNSuffix = pulumi.String(w.albSuffix)
	a.TargetGroupARNSuffix = pulumi.String(w.tgSuffix)
	a.AppConfigSecretARN = pulumi.String(w.appConfig)
	a.DBCredentialsSecretARN = pulumi.String(w.db)
	a.RedisCredentialsSecretARN = pulumi.String(w.redis)
	a.VaultTokenSecretARN = pulumi.String(w.vault)
	a.SecretsKeyARN = pulumi.String(w.secretsKey)
	return a
}

// build runs compute.New for a stack.
func build(t *testing.T, stack string) (*mock.Result, *compute.Compute) {
	t.Helper()
	args := argsFor(stacktest.Config(t, stack), wiredFor(stack))
	return stacktest.Build(t, stack, func(ctx *pulumi.Context) (*compute.Compute, error) { return compute.New(ctx, "arrakis", args) })
}

// containers parses the recorded container definitions of a task.
func containers(t *testing.T, res *mock.Result, task string) []compute.ContainerDefinition {
	t.Helper()
	var defs []compute.ContainerDefinition
	require.NoError(t, json.Unmarshal([]byte(stacktest.Str(t, stacktest.One(t, res, taskDefType, "arrakis-"+task+"-taskdef"), "containerDefinitions")), &defs))
	return defs
}
