package compute_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/compute"
	. "github.com/arrakis/infrastructure/internal/stacktest"
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
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			res, c := build(t, stack)
			cluster := One(t, res, clusterType, "arrakis-cluster")
			assert.Equal(t, "arrakis-"+stack+"-cluster", Str(t, cluster, "name"))
			assert.Equal(t, []any{map[string]any{"name": "containerInsights", "value": "enabled"}}, Get(t, cluster, "settings"))

			cp := One(t, res, capacityType, "arrakis-cluster-capacity-providers")
			assert.Equal(t, OutputOf(t, cluster, "name"), Get(t, cp, "clusterName"))
			assert.Equal(t, []string{"FARGATE", "FARGATE_SPOT"}, Strings(t, cp, "capacityProviders"))
			assert.Equal(t, []any{share("FARGATE", 0, 1)}, Get(t, cp, "defaultCapacityProviderStrategies"),
				"a one-off task runs on demand")

			assert.Equal(t, OutputOf(t, cluster, "name"), Await(t, c.ClusterName))
			assert.Equal(t, OutputOf(t, cluster, "arn"), Await(t, c.ClusterARN))
		})
	}
}

func TestRepositoryScansKeepsTenImagesAndIsProtectedInProduction(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			w := want[stack]
			res, c := build(t, stack)
			repo := One(t, res, repoType, "arrakis-api-repository")
			assert.Equal(t, "arrakis-"+stack+"-api", Str(t, repo, "name"))
			assert.Equal(t, true, Get(t, repo, "imageScanningConfiguration.scanOnPush"))
			assert.Equal(t, w.mutability, Str(t, repo, "imageTagMutability"))
			assert.Equal(t, "AES256", Str(t, repo, "encryptionConfigurations[0].encryptionType"))
			assert.Equal(t, w.protect, repo.Protect, "protect in production only")
			assert.Equal(t, !w.protect, Get(t, repo, "forceDelete"), "staging destroys with images inside")

			lifecycle := One(t, res, lifecycleType, "arrakis-api-repository-lifecycle")
			assert.Equal(t, OutputOf(t, repo, "name"), Get(t, lifecycle, "repository"))
			assert.JSONEq(t, `{"rules":[{"rulePriority":1,"description":"Keep the newest 10 images",
				"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":10},
				"action":{"type":"expire"}}]}`, Str(t, lifecycle, "policy"))

			assert.Equal(t, OutputOf(t, repo, "repositoryUrl"), Await(t, c.RepositoryURL))
			assert.Equal(t, OutputOf(t, repo, "name"), Await(t, c.RepositoryName))

			// Nothing else of compute is stateful enough to protect.
			for _, r := range res.Resources() {
				if r != repo {
					assert.False(t, r.Protect, "%s %s is protected", r.Type, r.Name)
				}
			}
		})
	}
}

func TestLogGroupsHaveTheSpecNamesAndRetention(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			res, c := build(t, stack)
			for task, out := range map[string]pulumi.StringOutput{"api": c.APILogGroupName, "worker": c.WorkerLogGroupName} {
				group := One(t, res, logGroupType, "arrakis-"+task+"-logs")
				assert.Equal(t, "/ecs/arrakis-"+stack+"/"+task, Str(t, group, "name"))
				assert.Equal(t, want[stack].retention, Int(t, group, "retentionInDays"))
				assert.Equal(t, OutputOf(t, group, "name"), Await(t, out))
			}
		})
	}
}

func TestTaskDefinitionsAreFargateSizedFromConfigUnderTheirOwnRoles(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			w := want[stack]
			res, _ := build(t, stack)
			sizes := map[string][2]int{"api": {w.apiCPU, w.apiMemory}, "worker": {w.workerCPU, w.workerMemory}}
			for task, size := range sizes {
				td := One(t, res, taskDefType, "arrakis-"+task+"-taskdef")
				assert.Equal(t, "arrakis-"+stack+"-"+task, Str(t, td, "family"))
				assert.Equal(t, []string{"FARGATE"}, Strings(t, td, "requiresCompatibilities"))
				assert.Equal(t, "awsvpc", Str(t, td, "networkMode"))
				assert.Equal(t, []string{itoa(size[0]), itoa(size[1])}, []string{Str(t, td, "cpu"), Str(t, td, "memory")})
				assert.Equal(t, map[string]any{"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"}, Get(t, td, "runtimePlatform"))
				assert.Equal(t, []any{map[string]any{"name": "tmp"}}, Get(t, td, "volumes"))

				exec := One(t, res, roleType, "arrakis-"+task+"-execution-role")
				app := One(t, res, roleType, "arrakis-"+task+"-task-role")
				assert.Equal(t, OutputOf(t, exec, "arn"), Get(t, td, "executionRoleArn"))
				assert.Equal(t, OutputOf(t, app, "arn"), Get(t, td, "taskRoleArn"))
				assert.NotEqual(t, Get(t, td, "executionRoleArn"), Get(t, td, "taskRoleArn"))
			}
		})
	}
}

func TestServicesRunPrivatelyWithCircuitBreakerAndConfiguredCapacity(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			w, in := want[stack], wiredFor(stack)
			res, c := build(t, stack)
			cluster := One(t, res, clusterType, "arrakis-cluster")
			capacity := One(t, res, capacityType, "arrakis-cluster-capacity-providers")
			for task, exp := range map[string]struct {
				desired  int
				strategy []any
			}{"api": {w.apiDesired, w.apiStrategy}, "worker": {1, w.workerStrategy}} {
				svc := One(t, res, serviceType, "arrakis-"+task+"-service")
				td := One(t, res, taskDefType, "arrakis-"+task+"-taskdef")
				assert.Equal(t, "arrakis-"+stack+"-"+task, Str(t, svc, "name"))
				assert.Equal(t, OutputOf(t, cluster, "arn"), Get(t, svc, "cluster"))
				assert.Equal(t, OutputOf(t, td, "arn"), Get(t, svc, "taskDefinition"))
				assert.Equal(t, exp.desired, Int(t, svc, "desiredCount"))
				assert.Equal(t, exp.strategy, Get(t, svc, "capacityProviderStrategies"))
				_, _, hasLaunchType := svc.Get("launchType")
				assert.False(t, hasLaunchType, "capacity providers, not a launch type")
				assert.Equal(t, map[string]any{
					"subnets": toAny(in.privateSubnets), "securityGroups": []any{in.tasksSG}, "assignPublicIp": false,
				}, Get(t, svc, "networkConfiguration"))
				assert.Equal(t, map[string]any{"enable": true, "rollback": true}, Get(t, svc, "deploymentCircuitBreaker"))
				assert.Equal(t, 100, Int(t, svc, "deploymentMinimumHealthyPercent"))
				assert.Equal(t, 200, Int(t, svc, "deploymentMaximumPercent"))
				assert.Equal(t, "SERVICE", Str(t, svc, "propagateTags"))
				assert.Equal(t, true, Get(t, svc, "enableEcsManagedTags"))
				assert.Equal(t, false, Get(t, svc, "waitForSteadyState"))

				// Spot is only asked for once the cluster offers it, and no
				// task starts before its execution role may read its secrets.
				assert.Contains(t, svc.DependsOn, capacity.URN)
				assert.Contains(t, svc.DependsOn, One(t, res, rolePolType, "arrakis-"+task+"-execution-secrets").URN)
				assert.Contains(t, svc.DependsOn, One(t, res, attachType, "arrakis-"+task+"-execution-managed").URN)
			}

			worker := One(t, res, serviceType, "arrakis-worker-service")
			_, _, hasLB := worker.Get("loadBalancers")
			assert.False(t, hasLB, "the worker takes no traffic")
			assert.Empty(t, worker.IgnoreChanges, "nothing scales the worker")

			assert.Equal(t, "arrakis-"+stack+"-api", Await(t, c.APIServiceName))
			assert.Equal(t, "arrakis-"+stack+"-worker", Await(t, c.WorkerServiceName))
		})
	}
}

// The load balancer reaches the API container: the service registers the
// container named in the target group binding, on the port that container
// publishes, in the target group edge created.
func TestAPIServiceWiresTheTargetGroupToTheContainerPort(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			res, _ := build(t, stack)
			svc := One(t, res, serviceType, "arrakis-api-service")
			lbs := Get(t, svc, "loadBalancers").([]any)
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

			assert.GreaterOrEqual(t, Int(t, svc, "healthCheckGracePeriodSeconds"), containers(t, res, "api")[0].HealthCheck.StartPeriod,
				"the grace period covers the container's start period")
			assert.Equal(t, []string{"desiredCount"}, svc.IgnoreChanges, "the autoscaler owns the count")
		})
	}
}

func TestAPIScalesOnCPUMemoryAndRequestsWithinTheConfiguredRange(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			w, in := want[stack], wiredFor(stack)
			res, _ := build(t, stack)
			target := One(t, res, targetType, "arrakis-api-scaling-target")
			assert.Equal(t, "ecs", Str(t, target, "serviceNamespace"))
			assert.Equal(t, "ecs:service:DesiredCount", Str(t, target, "scalableDimension"))
			assert.Equal(t, "service/arrakis-"+stack+"-cluster/arrakis-"+stack+"-api", Str(t, target, "resourceId"))
			assert.Equal(t, []int{w.apiMin, w.apiMax}, []int{Int(t, target, "minCapacity"), Int(t, target, "maxCapacity")})

			metrics := map[string]map[string]any{}
			for _, p := range res.ByType(policyType) {
				assert.Equal(t, "TargetTrackingScaling", Str(t, p, "policyType"))
				assert.Equal(t, OutputOf(t, target, "resourceId"), Get(t, p, "resourceId"))
				assert.Equal(t, "ecs:service:DesiredCount", Str(t, p, "scalableDimension"))
				assert.Equal(t, "ecs", Str(t, p, "serviceNamespace"))
				assert.Equal(t, 60, Int(t, p, "targetTrackingScalingPolicyConfiguration.scaleOutCooldown"))
				assert.Equal(t, 300, Int(t, p, "targetTrackingScalingPolicyConfiguration.scaleInCooldown"))
				spec := Get(t, p, "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification").(map[string]any)
				spec["target"] = Get(t, p, "targetTrackingScalingPolicyConfiguration.targetValue")
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
}

func TestEveryChildBelongsToTheComponent(t *testing.T) {
	res, c := build(t, "production")
	urn := string(Await(t, c.URN()).(pulumi.URN))
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
	args := argsFor(Config(t, "staging"), wiredFor("staging"))
	res := Run(t, stack, func(ctx *pulumi.Context) error {
		_, err := compute.New(ctx, "arrakis", args)
		return err
	})
	roles := res.ByType(roleType)
	require.Len(t, roles, 4)
	seen := map[string]bool{}
	for _, r := range roles {
		name := Str(t, r, "name")
		assert.LessOrEqual(t, len(name), 64, name)
		assert.Regexp(t, `^[a-zA-Z0-9+=,.@_-]+$`, name)
		assert.False(t, seen[name], "role name %s is used twice", name)
		seen[name] = true
	}
	for _, typ := range []string{clusterType, serviceType, repoType} {
		for _, r := range res.ByType(typ) {
			assert.True(t, strings.HasPrefix(Str(t, r, "name"), "arrakis-"+stack+"-"))
		}
	}
}

func TestNewRejectsArgsItCannotBuild(t *testing.T) {
	RejectsEach(t, "production", func() *compute.Args { return argsFor(Config(t, "production"), wiredFor("production")) }, map[string]func(*compute.Args){
		"no account":        func(a *compute.Args) { a.AccountID = "" },
		"no vault secret":   func(a *compute.Args) { a.VaultTokenSecretARN = nil },
		"no image tag":      func(a *compute.Args) { a.ImageTag = "" },
		"min above max":     func(a *compute.Args) { a.API.MinCount = 5 },
		"spot launch type":  func(a *compute.Args) { a.LaunchTypes = map[string]string{"worker": "EC2"} },
		"half shared roles": func(a *compute.Args) { a.SharedRoles = &compute.SharedRoles{Execution: "x"} },
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
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			res, _ := build(t, stack)
			group := One(t, res, logGroupType, "arrakis-container-insights-logs")
			assert.Equal(t, "/aws/ecs/containerinsights/arrakis-"+stack+"-cluster/performance", Str(t, group, "name"))
			assert.Equal(t, want[stack].retention, Int(t, group, "retentionInDays"))
			cluster := One(t, res, clusterType, "arrakis-cluster")
			assert.Contains(t, cluster.DependsOn, group.URN, "the group exists before Container Insights writes to it")
		})
	}
}

// A change of capacity strategy (api.spot, worker.spot, api.minCount, the
// base) would replace a service under the same name, which ECS refuses; with
// forceNewDeployment the provider updates it in place and rolls the tasks.
func TestCapacityChangesUpdateServicesInPlace(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			res, _ := build(t, stack)
			for _, name := range []string{"arrakis-api-service", "arrakis-worker-service"} {
				assert.Equal(t, true, Get(t, One(t, res, serviceType, name), "forceNewDeployment"), name)
			}
		})
	}
}
