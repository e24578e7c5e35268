package policy

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

var ecsChecks = []Check{
	{
		ID: "ARK-ECS-001", Title: "ECS clusters have Container Insights on",
		Anchors: []string{"ECS.12", "CKV_AWS_65"}, Scope: ScopeAll, Severity: Medium, Subjects: "ECS clusters",
		Run: eachOf(token.ECSCluster, func(_ *Stack, c plan.Resource) []string {
			for _, set := range c.Objects("settings") {
				if set["name"] == "containerInsights" && (set["value"] == "enabled" || set["value"] == "enhanced") {
					return nil
				}
			}
			return []string{"the containerInsights setting is not enabled"}
		}),
	},
	{
		ID: "ARK-ECS-002", Title: "ECS services get no public IP",
		Anchors: []string{"ECS.2", "CKV_AWS_333"}, Scope: ScopeAll, Severity: High, Subjects: "ECS services",
		Run: eachOf(token.ECSService, func(_ *Stack, svc plan.Resource) []string {
			return when(svc.IsTrue("networkConfiguration.assignPublicIp"), "networkConfiguration.assignPublicIp is true")
		}),
	},
	{
		ID: "ARK-ECS-003", Title: "ECS deployments roll back on failure (circuit breaker)",
		Anchors: []string{"house:compute"}, Scope: ScopeAll, Severity: Medium, Subjects: "ECS services",
		Run: eachOf(token.ECSService, func(_ *Stack, svc plan.Resource) []string {
			return when(!svc.IsTrue("deploymentCircuitBreaker.enable") || !svc.IsTrue("deploymentCircuitBreaker.rollback"),
				"deploymentCircuitBreaker must have enable and rollback true")
		}),
	},
	{
		ID: "ARK-ECS-004", Title: "Containers are not privileged",
		Anchors: []string{"ECS.4"}, Scope: ScopeAll, Severity: High, Subjects: "task definitions",
		Run: eachContainer(func(c container) string {
			return whenText(c["privileged"] == true, "container %s is privileged", c.name())
		}),
	},
	{
		ID: "ARK-ECS-005", Title: "Containers have a read-only root filesystem",
		Anchors: []string{"ECS.5", "CKV_AWS_336"}, Scope: ScopeAll, Severity: Medium, Subjects: "task definitions",
		Run: eachContainer(func(c container) string {
			return whenText(c["readonlyRootFilesystem"] != true, "container %s has a writable root filesystem (readonlyRootFilesystem is not true)", c.name())
		}),
	},
	{
		ID: "ARK-ECS-006", Title: "Containers send their logs to CloudWatch",
		Anchors: []string{"ECS.9"}, Scope: ScopeAll, Severity: High, Subjects: "task definitions",
		Run: eachContainer(func(c container) string {
			lc, _ := c["logConfiguration"].(map[string]any)
			opts, _ := lc["options"].(map[string]any)
			return whenText(lc["logDriver"] != "awslogs" || plan.AsString(opts["awslogs-group"]) == "",
				"container %s has no awslogs log configuration with a log group", c.name())
		}),
	},
	{
		ID: "ARK-ECS-007", Title: "No secret in a container's plain environment",
		Anchors: []string{"ECS.8"}, Scope: ScopeAll, Severity: Critical, Subjects: "task definitions",
		Run: eachContainer(func(c container) string {
			injected := map[string]bool{}
			for _, sec := range plan.AsList(c["secrets"]) {
				m, _ := sec.(map[string]any)
				injected[plan.AsString(m["name"])] = true
			}
			var bad []string
			for _, env := range plan.AsList(c["environment"]) {
				m, _ := env.(map[string]any)
				name := plan.AsString(m["name"])
				if config.CredentialName.MatchString(name) || injected[name] || m["value"] == mock.Secret {
					bad = append(bad, name)
				}
			}
			return whenText(len(bad) > 0, "container %s passes %v as plain environment; use the secrets list", c.name(), bad)
		}),
	},
	{
		ID: "ARK-ECS-008", Title: "Tasks have separate execution and task roles",
		Anchors: []string{"house:compute"}, Scope: ScopeAll, Severity: Medium, Subjects: "task definitions",
		Run: eachOf(token.ECSTaskDefinition, func(_ *Stack, td plan.Resource) []string {
			exec, task := td.Str("executionRoleArn"), td.Str("taskRoleArn")
			return when(exec == "" || task == "" || exec == task,
				"executionRoleArn and taskRoleArn must both be set and differ (got %q and %q)", exec, task)
		}),
	},
	{
		ID: "ARK-ECS-009", Title: "Task sizes are valid Fargate CPU/memory pairs",
		Anchors: []string{"house:config"}, Scope: ScopeAll, Severity: High, Subjects: "task definitions",
		Run: eachOf(token.ECSTaskDefinition, func(_ *Stack, td plan.Resource) []string {
			cpu, _ := strconv.Atoi(td.Str("cpu"))
			mem, _ := strconv.Atoi(td.Str("memory"))
			return when(!config.ValidFargate(cpu, mem), "cpu %q with memory %q is not a Fargate size", td.Str("cpu"), td.Str("memory"))
		}),
	},
	{
		ID: "ARK-ECS-010", Title: "Tasks use awsvpc networking on Fargate and do not share the host's process namespace",
		Anchors: []string{"ECS.1", "ECS.3"}, Scope: ScopeAll, Severity: High, Subjects: "task definitions",
		Run: eachOf(token.ECSTaskDefinition, func(_ *Stack, td plan.Resource) []string {
			var bad []string
			bad = append(bad, when(td.Str("networkMode") != "awsvpc", "networkMode is %q, not awsvpc", td.Str("networkMode"))...)
			bad = append(bad, when(!slices.Contains(td.Strings("requiresCompatibilities"), "FARGATE"), "requiresCompatibilities lacks FARGATE")...)
			bad = append(bad, when(td.Str("pidMode") == "host", "pidMode is host")...)
			return bad
		}),
	},
	{
		ID: "ARK-ECS-011", Title: "Fargate services run the latest platform version",
		Anchors: []string{"ECS.10"}, Scope: ScopeAll, Severity: Medium, Subjects: "ECS services",
		Run: eachOf(token.ECSService, func(_ *Stack, svc plan.Resource) []string {
			v := svc.Str("platformVersion")
			return when(v != "" && v != "LATEST", "platformVersion is pinned to %s", v)
		}),
	},
	{
		ID: "ARK-ECS-012", Title: "Autoscaled services leave desiredCount to the autoscaler",
		Anchors: []string{"house:compute"}, Scope: ScopeAll, Severity: Medium, Subjects: "autoscaled ECS services",
		Run: func(s *Stack) Outcome {
			return each(autoscaled(s), func(svc plan.Resource) []string {
				return when(!slices.Contains(svc.IgnoreChanges, "desiredCount"),
					"an autoscaling target scales this service but it does not ignore changes to desiredCount: every deploy resets the scale")
			})
		},
	},
	{
		ID: "ARK-ECS-013", Title: "Services behind a load balancer wait for the container start period",
		Anchors: []string{"house:compute"}, Scope: ScopeAll, Severity: Medium, Subjects: "load-balanced ECS services",
		Run: func(s *Stack) Outcome {
			var behindLB []plan.Resource
			for _, svc := range s.Of(token.ECSService) {
				if len(svc.List("loadBalancers")) > 0 {
					behindLB = append(behindLB, svc)
				}
			}
			return each(behindLB, func(svc plan.Resource) []string {
				grace, _ := svc.Number("healthCheckGracePeriodSeconds")
				start := startPeriod(s, svc.Str("taskDefinition"))
				if grace == 0 {
					return []string{"no healthCheckGracePeriodSeconds: the load balancer's health checks can kill tasks that are still starting"}
				}
				return when(grace < float64(start),
					"healthCheckGracePeriodSeconds %v is shorter than the container health check start period %ds", grace, start)
			})
		},
	},
}

// container is one container definition.
type container map[string]any

func (c container) name() string { return plan.AsString(c["name"]) }

// containers parses a task definition's containerDefinitions JSON.
func containers(td plan.Resource) ([]container, error) {
	raw := td.Str("containerDefinitions")
	if raw == mock.Secret {
		return nil, fmt.Errorf("containerDefinitions is a secret as a whole: a secret value was put into the definitions (use the secrets list)")
	}
	var out []container
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return nil, fmt.Errorf("containerDefinitions is not a JSON list of containers: %v", err)
	}
	return out, nil
}

// eachContainer checks every container of every task definition.
func eachContainer(fn func(container) string) func(*Stack) Outcome {
	return func(s *Stack) Outcome {
		return each(s.Of(token.ECSTaskDefinition), func(td plan.Resource) []string {
			cs, err := containers(td)
			if err != nil {
				return []string{err.Error()}
			}
			var bad []string
			for _, c := range cs {
				if msg := fn(c); msg != "" {
					bad = append(bad, msg)
				}
			}
			return bad
		})
	}
}

// autoscaled are the services an Application Auto Scaling target scales
// (resourceId service/<cluster>/<service>).
func autoscaled(s *Stack) []plan.Resource {
	var out []plan.Resource
	for _, svc := range s.Of(token.ECSService) {
		for _, t := range s.Of(token.ScalableTarget) {
			if t.Str("scalableDimension") == "ecs:service:DesiredCount" && strings.HasSuffix(t.Str("resourceId"), "/"+svc.Str("name")) {
				out = append(out, svc)
				break
			}
		}
	}
	return out
}

// startPeriod is the longest container health check start period of the
// task definition a service runs (by ARN or family).
func startPeriod(s *Stack, taskDef string) int {
	family := taskDef
	if i := strings.LastIndex(family, "/"); i >= 0 {
		family = family[i+1:]
	}
	family, _, _ = strings.Cut(family, ":")
	longest := 0
	for _, td := range s.Of(token.ECSTaskDefinition) {
		if td.Str("family") != family {
			continue
		}
		cs, _ := containers(td)
		for _, c := range cs {
			hc, _ := c["healthCheck"].(map[string]any)
			if p, ok := hc["startPeriod"].(float64); ok && int(p) > longest {
				longest = int(p)
			}
		}
	}
	return longest
}
