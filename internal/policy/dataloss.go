package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/naming"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// statefulTypes are the resources whose loss loses data or breaks every
// deploy: production protects them from `pulumi destroy`.
var statefulTypes = []string{token.RDSInstance, token.ElastiCacheReplicationGroup, token.KMSKey, token.Secret, token.ECRRepository}

// secretPaths are the inputs that carry credentials, by type.
var secretPaths = map[string][]string{
	token.RDSInstance:                 {"password"},
	token.ElastiCacheReplicationGroup: {"authToken"},
	token.SecretVersion:               {"secretString", "secretBinary"},
}

// secretOutputs are the stack outputs that must stay secret.
var secretOutputs = []string{"rdsEndpoint", "redisEndpoint"}

// unnamedTypes have a "name" input that is not a global physical name.
var unnamedTypes = []string{
	token.IAMRolePolicy, token.Route53Record, token.ScalingPolicy,
	token.SNSTopicSubscription, token.ListenerRule,
}

var dataLossChecks = []Check{
	{
		ID: "ARK-DLP-001", Title: "Production stateful resources are protected from deletion",
		Anchors: []string{"house:protect"}, Scope: ScopeProduction, Severity: High,
		Subjects: "stateful resources (RDS, Redis, KMS keys, secrets, ECR)",
		Run: func(s *Stack) Outcome {
			return each(s.Of(statefulTypes...), func(r plan.Resource) []string {
				return when(!r.Protect, "not protected: one `pulumi destroy` or a replacement deletes it")
			})
		},
	},
	{
		ID: "ARK-DLP-002", Title: "Ephemeral stacks can be destroyed with one command",
		Anchors: []string{"house:protect"}, Scope: ScopeEphemeral, Severity: Low, Subjects: "resources",
		Run: func(s *Stack) Outcome {
			return each(s.Plan.Resources, func(r plan.Resource) []string {
				return when(r.Protect || r.RetainOnDelete, "protect or retainOnDelete on an ephemeral stack: `pulumi destroy` leaves it behind")
			})
		},
	},
	{
		ID: "ARK-DLP-003", Title: "Passwords, auth tokens and secret values are Pulumi secrets",
		Anchors: []string{"house:secrets"}, Scope: ScopeAll, Severity: Critical, Subjects: "resources with credential inputs",
		Run: func(s *Stack) Outcome {
			var out Outcome
			for _, r := range s.Plan.Resources {
				var present []string
				for _, p := range secretPaths[r.Type] {
					if _, ok := r.Input(p); ok {
						present = append(present, p)
					}
				}
				if len(present) == 0 {
					continue
				}
				out.Subjects++
				for _, p := range present {
					if !secret(r, p) {
						out.Findings = append(out.Findings, finding(r, p+" is in plain text in the state and the plan"))
					}
				}
			}
			return out
		},
	},
	{
		ID: "ARK-DLP-004", Title: "Endpoint outputs stay secret",
		Anchors: []string{"house:outputs"}, Scope: ScopeAll, Severity: Medium, Subjects: "secret stack outputs",
		Run: func(s *Stack) Outcome {
			var out Outcome
			for _, k := range secretOutputs {
				v, ok := s.Plan.Outputs[k]
				if !ok {
					continue
				}
				out.Subjects++
				if v != mock.Secret {
					out.Findings = append(out.Findings, Finding{Type: "stack output", Name: k, Message: "exported in plain text"})
				}
			}
			return out
		},
	},
	{
		ID: "ARK-NAM-001", Title: "Physical names start with arrakis-<stack>",
		Anchors: []string{"house:naming"}, Scope: ScopeAll, Severity: Low, Subjects: "named resources",
		Run: func(s *Stack) Outcome {
			prefix, hash := naming.New(s.Env.Stack).Prefix(), stackHash(s.Env.Stack)
			var named []plan.Resource
			for _, r := range s.Plan.Resources {
				if r.Custom && r.PhysicalName() != "" && !slices.Contains(unnamedTypes, r.Type) {
					named = append(named, r)
				}
			}
			return each(named, func(r plan.Resource) []string {
				return when(!hasSegmentPrefix(r.PhysicalName(), prefix, hash), "%q does not start with %s", r.PhysicalName(), prefix)
			})
		},
	},
	{
		// Two resources of one type and name: AWS refuses the second
		// ("already exists"), or — alarms, dashboards — lets it silently
		// overwrite the first.
		ID: "ARK-NAM-002", Title: "No two resources of a type share a physical name",
		Anchors: []string{"house:naming"}, Scope: ScopeAll, Severity: High, Subjects: "named resources",
		Run: func(s *Stack) Outcome {
			first := map[[2]string]string{}
			var named []plan.Resource
			for _, r := range s.Plan.Resources {
				if r.Custom && r.PhysicalName() != "" && !slices.Contains(unnamedTypes, r.Type) {
					named = append(named, r)
				}
			}
			return each(named, func(r plan.Resource) []string {
				k := [2]string{r.Type, r.PhysicalName()}
				if other, taken := first[k]; taken {
					return []string{fmt.Sprintf("%q is %s's name too", r.PhysicalName(), other)}
				}
				first[k] = r.Name
				return nil
			})
		},
	},
}

// hasSegmentPrefix reports whether a path segment of name starts with
// prefix (arrakis-prod-api, /ecs/arrakis-prod/api, alias/arrakis-prod-secrets),
// or is a name naming shortened to fit a length limit:
// arrakis-<stack[:k]>-<hash>-<role>.
func hasSegmentPrefix(name, prefix, hash string) bool {
	// WAF delivers logs only to a log group named aws-waf-logs-….
	name = strings.TrimPrefix(name, "aws-waf-logs-")
	for _, seg := range strings.Split(name, "/") {
		if seg == prefix || strings.HasPrefix(seg, prefix+"-") ||
			(strings.HasPrefix(seg, "arrakis-") && strings.Contains(seg, "-"+hash+"-")) {
			return true
		}
	}
	return false
}

// stackHash is the hash naming puts in the names it shortens: asked for a
// name no limit fits, it always shortens (arrakis-<c>-<hash>-x).
func stackHash(stack string) string {
	parts := strings.Split(naming.New(stack).Name("x", 1), "-")
	return parts[len(parts)-2]
}
