package compute_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/compute"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

// Expected values per stack, from the spec (not from the stack files, so a
// changed stack file shows up here).
var want = map[string]struct {
	apiCPU, apiMemory, apiDesired, apiMin, apiMax int
	workerCPU, workerMemory                       int
	apiStrategy, workerStrategy                   []any
	mutability                                    string
	protect                                       bool
	retention                                     int
}{
	"production": {
		512, 1024, 2, 2, 4, 256, 512,
		[]any{share("FARGATE", 2, 1)},
		[]any{share("FARGATE_SPOT", 0, 1)},
		"IMMUTABLE", true, 30,
	},
	"staging": {
		256, 512, 1, 1, 2, 256, 512,
		[]any{share("FARGATE", 1, 0), share("FARGATE_SPOT", 0, 1)},
		[]any{share("FARGATE_SPOT", 0, 1)},
		"MUTABLE", false, 7,
	},
}

func share(provider string, base, weight int) map[string]any {
	return map[string]any{"capacityProvider": provider, "base": float64(base), "weight": float64(weight)}
}

func TestClusterHasContainerInsightsAndBothFargateProviders(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, c := build(t, stack)
		cluster := stacktest.One(t, res, clusterType, "arrakis-cluster")
		assert.Equal(t, "arrakis-"+stack+"-cluster", stacktest.Str(t, cluster, "name"))
		assert.Equal(t, []any{map[string]any{"name": "containerInsights", "value": "enabled"}}, stacktest.Get(t, cluster, "settings"))

		cp := stacktest.One(t, res, capacityType, "arrakis-cluster-capacity-providers")
		assert.Equal(t, stacktest.OutputOf(t, cluster, "name"), stacktest.Get(t, cp, "clusterName"))
		assert.Equal(t, []string{"FARGATE", "FARGATE_SPOT"}, stacktest.Strings(t, cp, "capacityProviders"))
		assert.Equal(t, []any{share("FARGATE", 0, 1)}, stacktest.Get(t, cp, "defaultCapacityProviderStrategies"),
			"a one-off task runs on demand")

		assert.Equal(t, stacktest.OutputOf(t, cluster, "name"), stacktest.Await(t, c.ClusterName))
		assert.Equal(t, stacktest.OutputOf(t, cluster, "arn"), stacktest.Await(t, c.ClusterARN))
	})
}

func TestRepositoryScansKeepsTenImagesAndIsProtectedInProduction(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		w := want[stack]
		res, c := build(t, stack)
		repo := stacktest.One(t, res, repoType, "arrakis-api-repository")
		assert.Equal(t, "arrakis-"+stack+"-api", stacktest.Str(t, repo, "name"))
		assert.Equal(t, true, stacktest.Get(t, repo, "imageScanningConfiguration.scanOnPush"))
		assert.Equal(t, w.mutability, stacktest.Str(t, repo, "imageTagMutability"))
		assert.Equal(t, "AES256", stacktest.Str(t, repo, "encryptionConfigurations[0].encryptionType"))
		assert.Equal(t, w.protect, repo.Protect, "protect in production only")
		assert.Equal(t, !w.protect, stacktest.Get(t, repo, "forceDelete"), "staging destroys with images inside")

		lifecycle := stacktest.One(t, res, lifecycleType, "arrakis-api-repository-lifecycle")
		assert.Equal(t, stacktest.OutputOf(t, repo, "name"), stacktest.Get(t, lifecycle, "repository"))
		assert.JSONEq(t, `{"rules":[{"rulePriority":1,"description":"Keep the newest 10 images",
			"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":10},
			"action":{"type":"expire"}}]}`, stacktest.Str(t, lifecycle, "policy"))

		assert.Equal(t, stacktest.OutputOf(t, repo, "repositoryUrl"), stacktest.Await(t, c.RepositoryURL))
		assert.Equal(t, stacktest.OutputOf(t, repo, "name"), stacktest.Await(t, c.RepositoryName))

		// Nothing else of compute is stateful enough to protect.
		for _, r := range res.Resources() {
			if r != repo {
				assert.False(t, r.Protect, "%s %s is protected", r.Type, r.Name)
			}
		}
	})
}

func TestLogGroupsHaveTheSpecNamesAndRetention(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, c := build(t, stack)
		for task, out := range map[string]pulumi.StringOutput{"api": c.APILogGroupName, "worker": c.WorkerLogGroupName} {
			group := stacktest.One(t, res, logGroupType, "arrakis-"+task+"-logs")
			assert.Equal(t, "/ecs/arrakis-"+stack+"/"+task, stacktest.Str(t, group, "name"))
			assert.Equal(t, want[stack].retention, stacktest.Int(t, group, "retentionInDays"))
			assert.Equal(t, stacktest.OutputOf(t, group, "name"), stacktest.Await(t, out))
		}
	})
}

func TestTaskDefinitionsAreFargateSizedFromConfigUnderTheirOwnRoles(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		w := want[stack]
		res, _ := build(t, stack)
		sizes := map[string][2]int{"api": {w.apiCPU, w.apiMemory}, "worker": {w.workerCPU, w.workerMemory}}
		for task, size := range sizes {
			td := stacktest.One(t, res, taskDefType, "arrakis-"+task+"-taskdef")
			assert.Equal(t, "arrakis-"+stack+"-"+task, stacktest.Str(t, td, "family"))
			assert.Equal(t, []string{"FARGATE"}, stacktest.Strings(t, td, "requiresCompatibilities"))
			assert.Equal(t, "awsvpc", stacktest.Str(t, td, "networkMode"))
			assert.Equal(t, []string{itoa(size[0]), itoa(size[1])}, []string{stacktest.Str(t, td, "cpu"), stacktest.Str(t, td, "memory")})
			assert.Equal(t, map[string]any{"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"}, stacktest.Get(t, td, "runtimePlatform"))
			assert.Equal(t, []any{map[string]any{"name": "tmp"}}, stacktest.Get(t, td, "volumes"))

			exec := stacktest.One(t, res, roleType, "arrakis-"+task+"-execution-role")
			app := stacktest.One(t, res, roleType, "arrakis-"+task+"-task-role")
			assert.Equal(t, stacktest.OutputOf(t, exec, "arn"), stacktest.Get(t, td, "executionRoleArn"))
			assert.Equal(t, stacktest.OutputOf(t, app, "arn"), stacktest.Get(t, td, "taskRoleArn"))
			assert.NotEqual(t, stacktest.Get(t, td, "executionRoleArn"), stacktest.Get(t, td, "taskRoleArn"))
		}
	})
}

func TestServicesRunPrivatelyWithCircuitBreakerAndConfiguredCapacity(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		w, in := want[stack], wiredFor(stack)
		res, c := build(t, stack)
		cluster := stacktest.One(t, res, clusterType, "arrakis-cluster")
		capacity := stacktest.One(t, res, capacityType, "arrakis-cluster-capacity-providers")
		for task, exp := range map[string]struct {
			desired  int
			strategy []any
		}{"api": {w.apiDesired, w.apiStrategy}, "worker": {1, w.workerStrategy}} {
			svc := stacktest.One(t, res, serviceType, "arrakis-"+task+"-service")
			td := stacktest.One(t, res, taskDefType, "arrakis-"+task+"-taskdef")
			assert.Equal(t, "arrakis-"+stack+"-"+task, stacktest.Str(t, svc, "name"))
			assert.Equal(t, stacktest.OutputOf(t, cluster, "arn"), stacktest.Get(t, svc, "cluster"))
			assert.Equal(t, stacktest.OutputOf(t, td, "arn"), stacktest.Get(t, svc, "taskDefinition"))
			assert.Equal(t, exp.desired, stacktest.Int(t, svc, "desiredCount"))
			assert.Equal(t, exp.strategy, stacktest.Get(t, svc, "capacityProviderStrategies"))
			_, _, hasLaunchType := svc.Get("launchType")
			assert.False(t, hasLaunchType, "capacity providers, not a launch type")
			assert.Equal(t, map[string]any{
				"subnets": toAny(in.privateSubnets), "securityGroups": []any{in.tasksSG}, "assignPublicIp": false,
			}, stacktest.Get(t, svc, "networkConfiguration"))
			assert.Equal(t, map[string]any{"enable": true, "rollback": true}, stacktest.Get(t, svc, "deploymentCircuitBreaker"))
			assert.Equal(t, 100, stacktest.Int(t, svc, "deploymentMinimumHealthyPercent"))
			assert.Equal(t, 200, stacktest.Int(t, svc, "deploymentMaximumPercent"))
			assert.Equal(t, "SERVICE", stacktest.Str(t, svc, "propagateTags"))
			assert.Equal(t, true, stacktest.Get(t, svc, "enableEcsManagedTags"))
			assert.Equal(t, false, stacktest.Get(t, svc, "waitForSteadyState"))

			// Spot is only asked for once the cluster offers it, and no
			// task starts before its execution role may read its secrets.
			assert.Contains(t, svc.DependsOn, capacity.URN)
			assert.Contains(t, svc.DependsOn, stacktest.One(t, res, rolePolType, "arrakis-"+task+"-execution-secrets").URN)
			assert.Contains(t, svc.DependsOn, stacktest.One(t, res, attachType, "arrakis-"+task+"-execution-managed").URN)
		}

		worker := stacktest.One(t, res, serviceType, "arrakis-worker-service")
		_, _, hasLB := worker.Get("loadBalancers")
		assert.False(t, hasLB, "the worker takes no traffic")
		assert.Empty(t, worker.IgnoreChanges, "nothing scales the worker")

		assert.Equal(t, "arrakis-"+stack+"-api", stacktest.Await(t, c.APIServiceName))
		assert.Equal(t, "arrakis-"+stack+"-worker", stacktest.Await(t, c.WorkerServiceName))
	})
}

// The load balancer reaches the API container: the service registers the
// container named in the target group binding, on the port that container
// publishes, in the target group edge created.
func TestAPIServiceWiresTheTargetGroupToTheContainerPort(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack)
		svc := stacktest.One(t, res, serviceType, "arrakis-api-service")
		lbs := stacktest.Get(t, svc, "loadBalancers").([]any)
		require.Len(t, lbs, 1)
		binding := lbs[0].(map[string]any)
		assert.Equal(t, wiredFor(stack).targetGroupARN, binding["targetGroupArn"])
		assert.Equal(t, "api", binding["containerName"])
		assert.Equal(t, 3000.0, binding["containerPort"])

		var published []int
		for _, c := range containers(t, res, "api") {
			if c.Name == binding["containerName"] {
				for _, p := range c.PortMappings {
					published = append(published, p.ContainerPort)
				}
			}
		}
		assert.Equal(t, []int{3000}, published)

		assert.GreaterOrEqual(t, stacktest.Int(t, svc, "healthCheckGracePeriodSeconds"), containers(t, res, "api")[0].HealthCheck.StartPeriod,
			"the grace period covers the container's start period")
		assert.Equal(t, []string{"desiredCount"}, svc.IgnoreChanges, "the autoscaler owns the count")
	})
}

func TestAPIScalesOnCPUMemoryAndRequestsWithinTheConfiguredRange(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		w, in := want[stack], wiredFor(stack)
		res, _ := build(t, stack)
		target := stacktest.One(t, res, targetType, "arrakis-api-scaling-target")
		assert.Equal(t, "ecs", stacktest.Str(t, target, "serviceNamespace"))
		assert.Equal(t, "ecs:service:DesiredCount", stacktest.Str(t, target, "scalableDimension"))
		assert.Equal(t, "service/arrakis-"+stack+"-cluster/arrakis-"+stack+"-api", stacktest.Str(t, target, "resourceId"))
		assert.Equal(t, []int{w.apiMin, w.apiMax}, []int{stacktest.Int(t, target, "minCapacity"), stacktest.Int(t, target, "maxCapacity")})

		metrics := map[string]map[string]any{}
		for _, p := range res.ByType(policyType) {
			assert.Equal(t, "TargetTrackingScaling", stacktest.Str(t, p, "policyType"))
			assert.Equal(t, stacktest.OutputOf(t, target, "resourceId"), stacktest.Get(t, p, "resourceId"))
			assert.Equal(t, "ecs:service:DesiredCount", stacktest.Str(t, p, "scalableDimension"))
			assert.Equal(t, "ecs", stacktest.Str(t, p, "serviceNamespace"))
			assert.Equal(t, 60, stacktest.Int(t, p, "targetTrackingScalingPolicyConfiguration.scaleOutCooldown"))
			assert.Equal(t, 300, stacktest.Int(t, p, "targetTrackingScalingPolicyConfiguration.scaleInCooldown"))
			spec := stacktest.Get(t, p, "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification").(map[string]any)
			spec["target"] = stacktest.Get(t, p, "targetTrackingScalingPolicyConfiguration.targetValue")
			metrics[spec["predefinedMetricType"].(string)] = spec
		}
		assert.Equal(t, map[string]map[string]any{
			"ECSServiceAverageCPUUtilization":    {"predefinedMetricType": "ECSServiceAverageCPUUtilization", "target": 70.0},
			"ECSServiceAverageMemoryUtilization": {"predefinedMetricType": "ECSServiceAverageMemoryUtilization", "target": 80.0},
			"ALBRequestCountPerTarget": {"predefinedMetricType": "ALBRequestCountPerTarget", "target": 1000.0,
				"resourceLabel": in.albSuffix + "/" + in.tgSuffix},
		}, metrics)
	})
}

func TestEveryChildBelongsToTheComponent(t *testing.T) {
	res, c := build(t, "production")
	urn := string(stacktest.Await(t, c.URN()).(pulumi.URN))
	for _, r := range res.Resources() {
		if r.Type == "arrakis:compute:Compute" {
			continue
		}
		assert.Equal(t, urn, r.Parent, "%s %s", r.Type, r.Name)
	}
}

func TestNamesFitTheirLimitsForA40CharacterStack(t *testing.T) {
	stack := "feature-" + strings.Repeat("x", 27) + "-pr42"
	require.Len(t, stack, 40)
	args := argsFor(stacktest.Config(t, "staging"), wiredFor("staging"))
	res := stacktest.Run(t, stack, func(ctx *pulumi.Context) error {
		_, err := compute.New(ctx, "arrakis", args)
		return err
	})
	roles := res.ByType(roleType)
	require.Len(t, roles, 4)
	seen := map[string]bool{}
	for _, r := range roles {
		name := stacktest.Str(t, r, "name")
		assert.LessOrEqual(t, len(name), 64, name)
		assert.Regexp(t, `^[a-zA-Z0-9+=,.@_-]+$`, name)
		assert.False(t, seen[name], "role name %s is used twice", name)
		seen[name] = true
	}
	for _, typ := range []string{clusterType, serviceType, repoType} {
		for _, r := range res.ByType(typ) {
			assert.True(t, strings.HasPrefix(stacktest.Str(t, r, "name"), "arrakis-"+stack+"-"))
		}
	}
}

func TestNewRejectsArgsItCannotBuild(t *testing.T) {
	stacktest.RejectsEach(t, "production", func() *compute.Args { return argsFor(stacktest.Config(t, "production"), wiredFor("production")) }, map[string]func(*compute.Args){
		"no account":        func(a *compute.Args) { a.AccountID = "" },
		"no vault secret":   func(a *compute.Args) { a.VaultTokenSecretARN = nil },
		"no image tag":      func(a *compute.Args) { a.ImageTag = "" },
		"min above max":     func(a *compute.Args) { a.API.MinCount = 5 },
		"spot launch type":  func(a *compute.Args) { a.LaunchTypes = map[string]string{"worker": "EC2"} },
		"half shared roles": func(a *compute.Args) { a.SharedRoles = &compute.SharedRoles{Execution: "x"} },
		"service named api": func(a *compute.Args) { a.Services = []compute.Service{{Name: "api"}} },
		"service twice":     func(a *compute.Args) { a.Services = []compute.Service{{Name: "cron"}, {Name: "cron"}} },
		"routed service without its target group": func(a *compute.Args) {
			a.Services = []compute.Service{{Name: "billing", Service: config.Service{Port: 4000, Routes: []string{"/billing/*"}}}}
		},
	}, "compute arrakis", func(ctx *pulumi.Context, a *compute.Args) error {
		_, err := compute.New(ctx, "arrakis", a)
		return err
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// Container Insights writes its performance events to a log group AWS would
// create outside the stack, without retention: the stack creates it first,
// with the stack's retention, so destroy removes it and its cost is known.
func TestContainerInsightsLogGroupBelongsToTheStack(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack)
		group := stacktest.One(t, res, logGroupType, "arrakis-container-insights-logs")
		assert.Equal(t, "/aws/ecs/containerinsights/arrakis-"+stack+"-cluster/performance", stacktest.Str(t, group, "name"))
		assert.Equal(t, want[stack].retention, stacktest.Int(t, group, "retentionInDays"))
		cluster := stacktest.One(t, res, clusterType, "arrakis-cluster")
		assert.Contains(t, cluster.DependsOn, group.URN, "the group exists before Container Insights writes to it")
	})
}

// A change of capacity strategy (api.spot, worker.spot, api.minCount, the
// base) would replace a service under the same name, which ECS refuses; with
// forceNewDeployment the provider updates it in place and rolls the tasks.
func TestCapacityChangesUpdateServicesInPlace(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack)
		for _, name := range []string{"arrakis-api-service", "arrakis-worker-service"} {
			assert.Equal(t, true, stacktest.Get(t, stacktest.One(t, res, serviceType, name), "forceNewDeployment"), name)
		}
	})
}
