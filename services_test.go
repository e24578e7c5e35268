package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/awsiam"
	"github.com/arrakis/infrastructure/internal/cli"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/stackfile"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

// servicesStack is a project holding the stack "services": staging with
// testdata/services.yaml (two services, billing behind the load balancer
// and cron on its own) appended verbatim, and a budget that has room for
// them.
func servicesStack(t *testing.T) (dir string, in config.Input) {
	t.Helper()
	services, err := os.ReadFile(filepath.Join(stacktest.Root(t), "testdata", "services.yaml"))
	require.NoError(t, err)
	return stagingAs(t, "services", services)
}

// stagingAs is staging renamed, with a budget of $200 and extra appended
// to its config.
func stagingAs(t *testing.T, stack string, extra []byte) (dir string, in config.Input) {
	t.Helper()
	dir = copyStack(t, "staging", stack, func(b []byte) []byte {
		out := bytes.Replace(b, []byte("monthlyBudgetUsd: 160"), []byte("monthlyBudgetUsd: 200"), 1)
		require.NotEqual(t, b, out, "the staging file sets the budget")
		return append(out, extra...)
	})
	in, err := stackfile.Load(dir, stack)
	require.NoError(t, err)
	return dir, in
}

// The stack file with the two services plans, passes the policy suite, and
// its cost and diagram show both, through the commands `make plan`, `make
// policy`, `make cost` and `make diagram` run.
func TestServicesFromConfigPlanPassPolicyAndShowInCostAndDiagram(t *testing.T) {
	dir, _ := servicesStack(t)
	command := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		code := cli.Main(append(args, "--stack", "services", "--dir", dir), run, &out, &errOut)
		require.Equal(t, 0, code, "%s: %s", args[0], errOut.String())
		return out.String()
	}
	planned := command("plan")
	for _, want := range []string{"aws:ecs/service:Service  arrakis-billing-service", "aws:ecs/service:Service  arrakis-cron-service",
		"aws:lb/listenerRule:ListenerRule  arrakis-billing-route", "/ecs/arrakis-services/cron"} {
		assert.Contains(t, planned, want)
	}
	assert.Contains(t, command("policy"), "0 FAIL")
	costed := command("cost")
	assert.Regexp(t, `ecs/service arrakis-billing-service +Fargate `, costed)
	assert.Regexp(t, `ecs/service arrakis-cron-service +Fargate Spot `, costed)
	drawn := command("diagram")
	assert.Contains(t, drawn, "ECS service arrakis-services-billing")
	assert.Contains(t, drawn, "ECS service arrakis-services-cron")
	assert.Regexp(t, `sg_arrakis_alb_sg -->\|"3000, 4000"\| sg_arrakis_tasks_sg`, drawn, "the load balancer reaches billing's port")
}

// secretARNs are the stack's secrets by their short name (app-config, …).
func secretARNs(t *testing.T, res *mock.Result) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, s := range res.ByType("aws:secretsmanager/secret:Secret") {
		name := stacktest.Str(t, s, "name")
		out[name[strings.LastIndex(name, "/")+1:]] = stacktest.OutputOf(t, s, "arn").(string)
	}
	return out
}

// Every item a configured service gets, for a routed service (billing) and
// an unrouted one on Spot (cron).
func TestEachConfiguredServiceGetsWhatTheAPIHas(t *testing.T) {
	_, in := servicesStack(t)
	res, err := runStack(t, in)
	require.NoError(t, err)
	one := func(typ, name string) *mock.Resource { return stacktest.One(t, res, typ, name) }
	arns := secretARNs(t, res)
	api := one("aws:ecs/service:Service", "arrakis-api-service")
	apiTD := one("aws:ecs/taskDefinition:TaskDefinition", "arrakis-api-taskdef")

	for _, c := range []struct {
		name    string
		secrets []string // what the execution role may read
		env     []string // the variables they inject
		command []string
	}{
		{"billing", []string{"app-config", "db-credentials"}, []string{"DATABASE_URL", "DISCORD_BOT_TOKEN"}, []string{"node", "dist/billing.js"}},
		{"cron", []string{"app-config"}, []string{"DISCORD_BOT_TOKEN"}, []string{"node", "dist/cron.js"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			// Its task: hardened as the API's, logging to its own group.
			td := one("aws:ecs/taskDefinition:TaskDefinition", "arrakis-"+c.name+"-taskdef")
			assert.Equal(t, "arrakis-services-"+c.name, stacktest.Str(t, td, "family"))
			assert.Equal(t, []any{"256", "512"}, []any{stacktest.Str(t, td, "cpu"), stacktest.Str(t, td, "memory")})
			def := containerDefinitions(t, td)[0]
			assert.Equal(t, true, def["readonlyRootFilesystem"])
			assert.Equal(t, false, def["privileged"])
			assert.Equal(t, []any{map[string]any{"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": false}}, def["mountPoints"])
			logs := one("aws:cloudwatch/logGroup:LogGroup", "arrakis-"+c.name+"-logs")
			assert.Equal(t, "/ecs/arrakis-services/"+c.name, stacktest.Str(t, logs, "name"))
			assert.Equal(t, 7, stacktest.Int(t, logs, "retentionInDays"))
			opts := def["logConfiguration"].(map[string]any)["options"].(map[string]any)
			assert.Equal(t, "/ecs/arrakis-services/"+c.name, opts["awslogs-group"])
			assert.Equal(t, containerDefinitions(t, apiTD)[0]["image"], def["image"], "the API's repository and tag")
			var command []string
			for _, p := range def["command"].([]any) {
				command = append(command, p.(string))
			}
			assert.Equal(t, c.command, command)

			// Only the secrets it names reach the container…
			var injected []string
			for _, s := range def["secrets"].([]any) {
				ref := s.(map[string]any)
				injected = append(injected, ref["name"].(string))
				from := ref["valueFrom"].(string)
				assert.True(t, slices.ContainsFunc(c.secrets, func(n string) bool { return strings.HasPrefix(from, arns[n]) }), "%s reads %s", c.name, from)
			}
			for _, v := range c.env {
				assert.Contains(t, injected, v)
			}
			assert.NotContains(t, injected, "VAULT_TOKEN")
			assert.NotContains(t, injected, "REDIS_URL")

			// …and its own execution role reads exactly those, decrypting
			// through Secrets Manager only; its task role is its own.
			exec := one("aws:iam/role:Role", "arrakis-"+c.name+"-execution-role")
			task := one("aws:iam/role:Role", "arrakis-"+c.name+"-task-role")
			assert.Equal(t, stacktest.OutputOf(t, exec, "arn"), stacktest.Get(t, td, "executionRoleArn"))
			assert.Equal(t, stacktest.OutputOf(t, task, "arn"), stacktest.Get(t, td, "taskRoleArn"))
			assert.NotEqual(t, stacktest.Get(t, apiTD, "executionRoleArn"), stacktest.Get(t, td, "executionRoleArn"))
			assert.NotEqual(t, stacktest.Get(t, apiTD, "taskRoleArn"), stacktest.Get(t, td, "taskRoleArn"))
			policyDoc := policyStatements(t, one("aws:iam/rolePolicy:RolePolicy", "arrakis-"+c.name+"-execution-secrets"))
			var want []string
			for _, n := range c.secrets {
				want = append(want, arns[n])
			}
			slices.Sort(want)
			assert.Equal(t, awsiam.List(want), policyDoc["ReadTaskSecrets"].Resource)
			assert.Equal(t, awsiam.List{"secretsmanager:GetSecretValue"}, policyDoc["ReadTaskSecrets"].Action)
			assert.Equal(t, awsiam.List{"kms:Decrypt"}, policyDoc["DecryptTaskSecrets"].Action)
			assert.Equal(t, awsiam.Condition{"StringEquals": {"kms:ViaService": {"secretsmanager.us-east-1.amazonaws.com"}}},
				policyDoc["DecryptTaskSecrets"].Condition)
			assert.Len(t, policyDoc, 2, "nothing else")

			// Its service: private, circuit breaker with rollback, 100/200.
			svc := one("aws:ecs/service:Service", "arrakis-"+c.name+"-service")
			assert.Equal(t, "arrakis-services-"+c.name, stacktest.Str(t, svc, "name"))
			assert.Equal(t, stacktest.Get(t, api, "networkConfiguration"), stacktest.Get(t, svc, "networkConfiguration"))
			assert.Equal(t, true, stacktest.Get(t, svc, "deploymentCircuitBreaker.enable"))
			assert.Equal(t, true, stacktest.Get(t, svc, "deploymentCircuitBreaker.rollback"))
			assert.Equal(t, 100, stacktest.Int(t, svc, "deploymentMinimumHealthyPercent"))
			assert.Equal(t, 1, stacktest.Int(t, svc, "desiredCount"))
			assert.Contains(t, svc.DependsOn, one("aws:iam/rolePolicy:RolePolicy", "arrakis-"+c.name+"-execution-secrets").URN,
				"the service waits for its role to read its secrets")

			// Alarms on the alerts topic, a dashboard row.
			topic := stacktest.OutputOf(t, one("aws:sns/topic:Topic", "arrakis-alerts"), "arn")
			for _, role := range []string{"cpu-high", "memory-high", "running-tasks"} {
				a := one("aws:cloudwatch/metricAlarm:MetricAlarm", "arrakis-"+c.name+"-"+role+"-alarm")
				assert.Equal(t, []any{topic}, stacktest.Get(t, a, "alarmActions"))
				assert.Equal(t, []any{topic}, stacktest.Get(t, a, "okActions"))
				assert.Equal(t, stacktest.Get(t, svc, "name"), alarmDimensions(t, a)[0]["ServiceName"], role)
				assert.Equal(t, true, stacktest.Get(t, a, "actionsEnabled"))
			}
			running := one("aws:cloudwatch/metricAlarm:MetricAlarm", "arrakis-"+c.name+"-running-tasks-alarm")
			assert.Equal(t, "RunningTaskCount", stacktest.Str(t, running, "metricName"))
			assert.Equal(t, 1, stacktest.Int(t, running, "threshold"), "its minimum")
			var body struct {
				Widgets []struct {
					Properties struct{ Title string } `json:"properties"`
				} `json:"widgets"`
			}
			require.NoError(t, json.Unmarshal([]byte(stacktest.Str(t, one("aws:cloudwatch/dashboard:Dashboard", "arrakis-overview"), "dashboardBody")), &body))
			var titles []string
			for _, w := range body.Widgets {
				titles = append(titles, w.Properties.Title)
			}
			assert.Contains(t, titles, c.name+" CPU and memory (%)")
			assert.Contains(t, titles, c.name+" running tasks")
		})
	}

	t.Run("billing is routed and autoscaled", func(t *testing.T) {
		svc := one("aws:ecs/service:Service", "arrakis-billing-service")
		tg := one("aws:lb/targetGroup:TargetGroup", "arrakis-billing-tg")
		assert.Equal(t, "arrakis-services-billing-4000", stacktest.Str(t, tg, "name"))
		assert.Equal(t, 4000, stacktest.Int(t, tg, "port"))
		assert.Equal(t, "/billing/health", stacktest.Str(t, tg, "healthCheck.path"))
		assert.Equal(t, "ip", stacktest.Str(t, tg, "targetType"))

		// A rule of the HTTPS listener, at the priority its name gives.
		rule := one("aws:lb/listenerRule:ListenerRule", "arrakis-billing-route")
		https := one("aws:lb/listener:Listener", "arrakis-https")
		assert.Equal(t, stacktest.OutputOf(t, https, "arn"), stacktest.Get(t, rule, "listenerArn"))
		assert.Equal(t, config.RoutePriority("billing"), stacktest.Int(t, rule, "priority"))
		assert.Equal(t, []any{"/billing/*"}, stacktest.Get(t, rule, "conditions[0].pathPattern.values"))
		assert.Equal(t, stacktest.OutputOf(t, tg, "arn"), stacktest.Get(t, rule, "actions[0].targetGroupArn"))

		// The service sits in the target group on its port, waits for the
		// rule and for both ends of the security-group path to its port.
		assert.Equal(t, stacktest.OutputOf(t, tg, "arn"), stacktest.Get(t, svc, "loadBalancers[0].targetGroupArn"))
		assert.Equal(t, "billing", stacktest.Str(t, svc, "loadBalancers[0].containerName"))
		assert.Equal(t, 4000, stacktest.Int(t, svc, "loadBalancers[0].containerPort"))
		sgOf := func(name string) string {
			return stacktest.One(t, res, "aws:ec2/securityGroup:SecurityGroup", name).ID
		}
		egress := one("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "arrakis-alb-to-tasks-4000")
		ingress := one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "arrakis-tasks-from-alb-4000")
		assert.Equal(t, []any{sgOf("arrakis-alb-sg"), sgOf("arrakis-tasks-sg"), 4000}, []any{stacktest.Str(t, egress, "securityGroupId"), stacktest.Str(t, egress, "referencedSecurityGroupId"), stacktest.Int(t, egress, "fromPort")})
		assert.Equal(t, []any{sgOf("arrakis-tasks-sg"), sgOf("arrakis-alb-sg"), 4000}, []any{stacktest.Str(t, ingress, "securityGroupId"), stacktest.Str(t, ingress, "referencedSecurityGroupId"), stacktest.Int(t, ingress, "toPort")})
		for _, dep := range []*mock.Resource{rule, egress, ingress} {
			assert.Contains(t, svc.DependsOn, dep.URN, "the service waits for %s", dep.Name)
		}
		assert.Equal(t, 90, stacktest.Int(t, svc, "healthCheckGracePeriodSeconds"), "start period 60 s + one more 30 s check")
		def := containerDefinitions(t, one("aws:ecs/taskDefinition:TaskDefinition", "arrakis-billing-taskdef"))[0]
		assert.Equal(t, []any{map[string]any{"containerPort": 4000.0, "protocol": "tcp"}}, def["portMappings"])
		assert.Contains(t, def["healthCheck"].(map[string]any)["command"], "curl -f http://localhost:4000/billing/health || exit 1")

		// On demand (spot is not set), its minimum as the base.
		assert.Equal(t, []any{map[string]any{"capacityProvider": "FARGATE", "base": 1.0, "weight": 1.0}}, stacktest.Get(t, svc, "capacityProviderStrategies"))

		// Target tracking between 1 and 3 tasks; the autoscaler owns the
		// count.
		target := one("aws:appautoscaling/target:Target", "arrakis-billing-scaling-target")
		assert.Equal(t, []int{1, 3}, []int{stacktest.Int(t, target, "minCapacity"), stacktest.Int(t, target, "maxCapacity")})
		assert.Equal(t, "service/arrakis-services-cluster/arrakis-services-billing", stacktest.Str(t, target, "resourceId"))
		for _, role := range []string{"cpu", "memory", "requests"} {
			one("aws:appautoscaling/policy:Policy", "arrakis-billing-"+role+"-scaling")
		}
		requests := one("aws:appautoscaling/policy:Policy", "arrakis-billing-requests-scaling")
		assert.Contains(t, stacktest.Str(t, requests, "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel"),
			"/"+stacktest.OutputOf(t, tg, "arnSuffix").(string))
		assert.Contains(t, svc.IgnoreChanges, "desiredCount")

		// Healthy hosts and 5xx rate on its own target group.
		for _, role := range []string{"no-healthy-targets", "5xx-rate"} {
			a := one("aws:cloudwatch/metricAlarm:MetricAlarm", "arrakis-billing-"+role+"-alarm")
			for _, dims := range alarmDimensions(t, a) {
				assert.Equal(t, stacktest.OutputOf(t, tg, "arnSuffix"), dims["TargetGroup"], role)
			}
		}
	})

	t.Run("cron runs on Spot with no load balancer and no autoscaling", func(t *testing.T) {
		svc := one("aws:ecs/service:Service", "arrakis-cron-service")
		assert.Equal(t, []any{map[string]any{"capacityProvider": "FARGATE_SPOT", "base": 0.0, "weight": 1.0}}, stacktest.Get(t, svc, "capacityProviderStrategies"))
		_, _, routed := svc.Get("loadBalancers")
		assert.False(t, routed)
		assert.Nil(t, res.Find("aws:lb/targetGroup:TargetGroup", "arrakis-cron-tg"))
		assert.Nil(t, res.Find("aws:appautoscaling/target:Target", "arrakis-cron-scaling-target"))
		assert.NotContains(t, svc.IgnoreChanges, "desiredCount")
		assert.Nil(t, res.Find("aws:cloudwatch/metricAlarm:MetricAlarm", "arrakis-cron-no-healthy-targets-alarm"))
		def := containerDefinitions(t, one("aws:ecs/taskDefinition:TaskDefinition", "arrakis-cron-taskdef"))[0]
		assert.Nil(t, def["portMappings"])
	})

	// Nothing of the API or the worker moves: the same stack without the
	// services registers the same resources with the same inputs, and the
	// services only add.
	t.Run("api and worker do not change", func(t *testing.T) {
		_, without := stagingAs(t, "services", nil)
		base, err := runStack(t, without)
		require.NoError(t, err)
		for _, r := range base.Resources() {
			got := res.Find(r.Type, r.Name)
			require.NotNil(t, got, "%s %s", r.Type, r.Name)
			if r.Type == "aws:cloudwatch/dashboard:Dashboard" {
				continue // gains the services' rows
			}
			assert.Equal(t, r.Inputs, got.Inputs, "%s %s", r.Type, r.Name)
			assert.Equal(t, r.DependsOn, got.DependsOn, "%s %s", r.Type, r.Name)
		}
		assert.Greater(t, len(res.Resources()), len(base.Resources()))
	})
}

// policyStatements are a role policy's statements by Sid.
func policyStatements(t *testing.T, p *mock.Resource) map[string]awsiam.Statement {
	t.Helper()
	doc, err := awsiam.Parse(stacktest.Str(t, p, "policy"))
	require.NoError(t, err)
	out := map[string]awsiam.Statement{}
	for _, s := range doc.Statement {
		out[s.Sid] = s
	}
	return out
}

// A configured service's resources are named from its name; no name the
// config accepts may give one of them the URN or the physical name of a
// resource the stack already has (Pulumi refuses a second resource of one
// URN; AWS refuses, or for alarms silently overwrites, a second resource
// of one name). The names to refuse are derived here from the program:
// the names a probe service gets, with the probe's name as a hole, matched
// against every name of the stacks.
func TestServiceNamesNeverCollideWithTheStacksOwn(t *testing.T) {
	const probe = "zqx"
	type template struct{ typ, prefix, suffix string }
	var templates []template
	_, in := stagingAs(t, "staging", []byte(`  arrakis:services:
    `+probe+`: {port: 4500, routes: ["/`+probe+`/*"], desiredCount: 1, minCount: 1, maxCount: 2}
`))
	probed, err := plan.Build(in, run)
	require.NoError(t, err)
	// A resource's names, the stack's name replaced: its URN, and its
	// physical name.
	namesOf := func(p *plan.Plan, r plan.Resource) []string {
		names := []string{r.URN}
		if r.Custom && r.PhysicalName() != "" {
			names = append(names, r.PhysicalName())
		}
		for i := range names {
			names[i] = strings.ReplaceAll(names[i], p.Stack, "<stack>")
		}
		return names
	}
	for _, r := range probed.Resources {
		for _, n := range namesOf(probed, r) {
			if before, after, ok := strings.Cut(n, probe); ok {
				templates = append(templates, template{r.Type, before, after})
			}
		}
	}
	require.Greater(t, len(templates), 20, "the probe's resources")

	stacks := map[string]config.Input{"production": stacktest.Input(t, "production", nil), "staging": stacktest.Input(t, "staging", nil), "adopted": adoptedProduction(t)}
	for what, in := range stacks {
		p, err := plan.Build(in, run)
		require.NoError(t, err)
		taken := map[string]bool{}
		for _, r := range p.Resources {
			for _, n := range namesOf(p, r) {
				for _, tp := range templates {
					if r.Type != tp.typ || len(n) <= len(tp.prefix)+len(tp.suffix) || !strings.HasPrefix(n, tp.prefix) || !strings.HasSuffix(n, tp.suffix) {
						continue
					}
					if name := n[len(tp.prefix) : len(n)-len(tp.suffix)]; !strings.ContainsAny(name, "/:$<>") {
						taken[name] = true
					}
				}
			}
		}
		require.NotEmpty(t, taken)
		for name := range taken {
			t.Run(what+"/"+name, func(t *testing.T) {
				bad := stacktest.Set(t, in, "arrakis:services."+name, map[string]any{"command": []string{"node", "x.js"}})
				_, err := config.Parse(bad)
				require.Error(t, err, "service %q would take a name of the stack's own", name)
				assert.Contains(t, err.Error(), "arrakis:services."+name+":")
			})
		}
	}
}

// Each bad service setting stops the program before anything is
// registered, with an error naming its key path.
func TestBadServiceConfigNamesTheKeyAndRegistersNothing(t *testing.T) {
	_, base := servicesStack(t)
	svc := func(extra map[string]any) map[string]any {
		out := map[string]any{"command": []string{"node", "dist/x.js"}}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	cases := []struct {
		name  string
		path  string
		value any
		key   string // the key the error names, when not path
	}{
		{"unknown key", "arrakis:services.billing.cpuu", 256, ""},
		{"not a mapping", "arrakis:services.cron", "node dist/cron.js", ""},
		{"services not a mapping", "arrakis:services", []string{"billing"}, ""},
		{"name not a DNS label", "arrakis:services.Billing_2", svc(nil), ""},
		{"name too long", "arrakis:services." + strings.Repeat("a", 33), svc(nil), ""},
		{"name of the API", "arrakis:services.api", svc(nil), ""},
		{"name of the worker", "arrakis:services.worker", svc(nil), ""},
		{"name that repeats an alarm's", "arrakis:services.rds", svc(nil), ""},
		{"port of the API", "arrakis:services.billing.port", 3000, ""},
		{"port of the load balancer", "arrakis:services.billing.port", 443, ""},
		{"port of another service", "arrakis:services.cron.port", 4000, ""},
		{"port not a number", "arrakis:services.billing.port", "4000", ""},
		{"routes without a port", "arrakis:services.cron.routes", []string{"/cron/*"}, ""},
		{"routes off the load balancer", "arrakis:services.billing.public", false, "arrakis:services.billing.routes"},
		{"duplicate route", "arrakis:services.gateway", svc(map[string]any{"port": 4100, "routes": []string{"/billing/*"}}), "arrakis:services.gateway.routes"},
		{"overlapping route", "arrakis:services.gateway", svc(map[string]any{"port": 4100, "routes": []string{"/bill*"}}), "arrakis:services.gateway.routes"},
		{"route that takes the API's health check", "arrakis:services.billing.routes", []string{"/*"}, ""},
		{"route that is not a path", "arrakis:services.billing.routes", []string{"billing/*"}, ""},
		{"more routes than a rule takes", "arrakis:services.billing.routes", []string{"/a", "/b", "/c", "/d"}, ""},
		{"more wildcards than a rule takes", "arrakis:services.billing.routes", []string{"/a*?*", "/b*?*"}, ""},
		{"unknown secret", "arrakis:services.billing.secrets", []string{"app-config", "db-password"}, ""},
		{"secret twice", "arrakis:services.cron.secrets", []string{"app-config", "app-config"}, ""},
		{"invalid Fargate CPU", "arrakis:services.billing.cpu", 300, ""},
		{"invalid Fargate pair", "arrakis:services.billing.memory", 4096, ""},
		{"min above max", "arrakis:services.billing.minCount", 4, ""},
		{"desired outside the range", "arrakis:services.billing.desiredCount", 5, ""},
		{"negative count", "arrakis:services.cron.desiredCount", -1, ""},
		{"health path not a path", "arrakis:services.billing.healthPath", "health", ""},
		{"start period beyond ECS's", "arrakis:services.billing.healthCheckGracePeriodSeconds", 301, ""},
		{"empty command part", "arrakis:services.cron.command", []string{"node", ""}, ""},
		{"variable the program sets", "arrakis:services.cron.environment.NODE_ENV", "test", ""},
		{"variable that is a credential", "arrakis:services.cron.environment.STRIPE_API_KEY", "sk_live_x", ""},
		{"variable that an app-config key sets", "arrakis:services.cron.environment.DISCORD_GUILD_ID", "1", ""},
		{"image without a tag", "arrakis:services.cron.image", "nginx", ""},
		{"autoscaling target out of range", "arrakis:services.billing.cpuTarget", 99, ""},
		{"alarm threshold out of range", "arrakis:services.billing.memoryAlarmPercent", 0, ""},
	}
	require.GreaterOrEqual(t, len(cases), 12)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			key := c.key
			if key == "" {
				key = c.path
			}
			msg := rejected(t, stacktest.Set(t, base, c.path, c.value), key)
			assert.NotContains(t, msg, "sk_live_x", "a credential's value is not echoed")
		})
	}
}

// On a stack's first up (no image, no secret values) the configured
// services wait at zero tasks like the API and the worker, and their alarms
// stay silent.
func TestConfiguredServicesWaitForTheFirstImageToo(t *testing.T) {
	_, in := servicesStack(t)
	res := runIn(t, mock.NewStack(), in)
	for _, name := range []string{"billing", "cron"} {
		assert.Equal(t, 0, stacktest.Int(t, stacktest.One(t, res, "aws:ecs/service:Service", "arrakis-"+name+"-service"), "desiredCount"), name)
		for _, role := range []string{"cpu-high", "memory-high", "running-tasks"} {
			a := stacktest.One(t, res, "aws:cloudwatch/metricAlarm:MetricAlarm", "arrakis-"+name+"-"+role+"-alarm")
			assert.Equal(t, false, stacktest.Get(t, a, "actionsEnabled"), a.Name)
		}
	}
	target := stacktest.One(t, res, "aws:appautoscaling/target:Target", "arrakis-billing-scaling-target")
	assert.Equal(t, []int{0, 0}, []int{stacktest.Int(t, target, "minCapacity"), stacktest.Int(t, target, "maxCapacity")})
}

// A service's listener rule priority comes from its name alone: adding or
// removing another service never moves it, so no rule is rewritten (and
// no two rules swap places mid-deploy).
func TestRoutePrioritiesAreStable(t *testing.T) {
	priority := func(in config.Input) int {
		res, err := runStack(t, in)
		require.NoError(t, err)
		return stacktest.Int(t, stacktest.One(t, res, "aws:lb/listenerRule:ListenerRule", "arrakis-billing-route"), "priority")
	}
	_, in := servicesStack(t)
	before := priority(in)
	more := stacktest.Set(t, in, "arrakis:services.gateway", map[string]any{"port": 4100, "routes": []string{"/gateway/*"}})
	var services map[string]any
	require.NoError(t, json.Unmarshal([]byte(in.Values["arrakis:services"]), &services))
	delete(services, "cron")
	fewer := stacktest.Set(t, in, "arrakis:services", services)
	assert.Equal(t, before, priority(more))
	assert.Equal(t, before, priority(fewer))
}

// On a stack taken over from Terraform the API and the worker keep their
// shared roles; a configured service still gets a pair of its own, and the
// shared execution role reads no more than before.
func TestAServiceOnAnAdoptedStackHasItsOwnRoles(t *testing.T) {
	base, err := runStack(t, adoptedProduction(t))
	require.NoError(t, err)
	res, err := runStack(t, stacktest.Set(t, adoptedProduction(t), "arrakis:services.cron", map[string]any{
		"command": []string{"node", "dist/cron.js"}, "secrets": []string{"app-config"},
	}))
	require.NoError(t, err)
	td := stacktest.One(t, res, "aws:ecs/taskDefinition:TaskDefinition", "arrakis-cron-taskdef")
	exec := stacktest.One(t, res, "aws:iam/role:Role", "arrakis-cron-execution-role")
	assert.Equal(t, "arrakis-production-cron-execution", stacktest.Str(t, exec, "name"))
	assert.Equal(t, stacktest.OutputOf(t, exec, "arn"), stacktest.Get(t, td, "executionRoleArn"))
	shared := func(r *mock.Result) any {
		return stacktest.Get(t, stacktest.One(t, r, "aws:iam/rolePolicy:RolePolicy", "arrakis-execution-secrets"), "policy")
	}
	assert.Equal(t, shared(base), shared(res))
	assert.Equal(t, "FARGATE", stacktest.Str(t, stacktest.One(t, res, "aws:ecs/service:Service", "arrakis-api-service"), "launchType"),
		"the adopted launch type stays the API's")
	_, _, ok := stacktest.One(t, res, "aws:ecs/service:Service", "arrakis-cron-service").Get("launchType")
	assert.False(t, ok, "the service uses capacity providers")
}

// A target group's port cannot change: a new port replaces it, and the
// replacement is created before the old group is deleted. With the port in
// its name the new group never collides with the old one.
func TestARoutedServicesNewPortIsANewTargetGroup(t *testing.T) {
	_, in := servicesStack(t)
	for _, port := range []int{4000, 4100} {
		res, err := runStack(t, stacktest.Set(t, in, "arrakis:services.billing.port", port))
		require.NoError(t, err)
		tg := stacktest.One(t, res, "aws:lb/targetGroup:TargetGroup", "arrakis-billing-tg")
		assert.Equal(t, fmt.Sprintf("arrakis-services-billing-%d", port), stacktest.Str(t, tg, "name"))
		assert.Equal(t, port, stacktest.Int(t, tg, "port"))
	}
}
