package policy

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/arrakis/infrastructure/internal/awsiam"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

var iamChecks = []Check{
	{
		ID: "ARK-IAM-001", Title: "Roles trust one expected AWS service, only on behalf of this account",
		Anchors: []string{"house:compute (trust)"}, Scope: ScopeAll, Severity: High, Subjects: "IAM roles",
		Run: eachOf(token.IAMRole, func(_ *Stack, r plan.Resource) []string {
			doc, err := parsePolicy(r.Str("assumeRolePolicy"))
			if err != nil {
				return []string{"assumeRolePolicy: " + err.Error()}
			}
			var bad []string
			for _, st := range doc.Statement {
				if st.Effect == "Allow" {
					bad = append(bad, trustProblems(st)...)
				}
			}
			return bad
		}),
	},
	{
		ID: "ARK-IAM-002", Title: "No policy allows every action of a service",
		Anchors: []string{"IAM.1", "IAM.21", "CKV_AWS_63"}, Scope: ScopeAll, Severity: High, Subjects: "IAM policies",
		Run: eachStatement(func(st statement) string {
			var wild []string
			for _, a := range st.Action {
				if a == "*" || strings.HasSuffix(a, ":*") {
					wild = append(wild, a)
				}
			}
			if len(st.NotAction) > 0 {
				return "Allow with NotAction grants everything else"
			}
			return whenText(len(wild) > 0, "allows %v", wild)
		}),
	},
	{
		ID: "ARK-IAM-003", Title: "Secrets Manager and KMS actions never apply to every resource",
		Anchors: []string{"KMS.2", "CKV_AWS_356"}, Scope: ScopeAll, Severity: High, Subjects: "IAM policies",
		Run: eachStatement(func(st statement) string {
			if !st.Resource.has("*") {
				return ""
			}
			var sensitive []string
			for _, a := range st.Action {
				if strings.HasPrefix(a, "secretsmanager:") || strings.HasPrefix(a, "kms:") {
					sensitive = append(sensitive, a)
				}
			}
			return whenText(len(sensitive) > 0, "%v on Resource \"*\"", sensitive)
		}),
	},
	{
		ID: "ARK-IAM-004", Title: "Secret reads name exact secrets and keys of this stack",
		Anchors: []string{"house:compute (execution role)"}, Scope: ScopeAll, Severity: High, Subjects: "IAM policies",
		Run: func(s *Stack) Outcome {
			return eachStatement(func(st statement) string {
				var bad []string
				for _, a := range st.Action {
					var want string
					switch {
					case strings.HasPrefix(a, "secretsmanager:"):
						want = token.Secret
					case a == "kms:Decrypt":
						want = token.KMSKey
					default:
						continue
					}
					for _, res := range st.Resource {
						r, ok := s.ByID(res)
						if strings.ContainsAny(res, "*?") || !ok || r.Type != want {
							bad = append(bad, fmt.Sprintf("%s on %s", a, res))
						}
					}
				}
				return whenText(len(bad) > 0, "%v: resources must be the exact ARNs of this stack's secrets and key", bad)
			})(s)
		},
	},
	{
		ID: "ARK-IAM-005", Title: "No role gets an administrator or full-access managed policy",
		Anchors: []string{"IAM.1"}, Scope: ScopeAll, Severity: Critical, Subjects: "managed policy attachments",
		Run: eachOf(token.IAMRolePolicyAttachment, func(_ *Stack, a plan.Resource) []string {
			arn := a.Str("policyArn")
			name := arn[strings.LastIndex(arn, "/")+1:]
			return when(name == "AdministratorAccess" || name == "PowerUserAccess" || strings.HasSuffix(name, "FullAccess"),
				"attaches %s", arn)
		}),
	},
}

// statement is one policy statement, read leniently: Principal may be "*".
type statement struct {
	Effect    string           `json:"Effect"`
	Principal json.RawMessage  `json:"Principal"`
	Action    awsiam.List      `json:"Action"`
	NotAction awsiam.List      `json:"NotAction"`
	Resource  stringSet        `json:"Resource"`
	Condition awsiam.Condition `json:"Condition"`
}

// stringSet is a string-or-list JSON value.
type stringSet awsiam.List

func (l *stringSet) UnmarshalJSON(b []byte) error { return (*awsiam.List)(l).UnmarshalJSON(b) }

func (l stringSet) has(v string) bool {
	for _, e := range l {
		if e == v {
			return true
		}
	}
	return false
}

type document struct {
	Statement []statement `json:"Statement"`
}

// parsePolicy reads a policy document held as a JSON string input.
func parsePolicy(text string) (document, error) {
	var d document
	if text == "" {
		return d, fmt.Errorf("empty policy")
	}
	if err := json.Unmarshal([]byte(text), &d); err != nil {
		return d, fmt.Errorf("not a policy document: %v", err)
	}
	return d, nil
}

// principal reads a statement's Principal: "*" or {"Service": …, "AWS": …}.
func (st statement) principal() (everyone bool, p awsiam.Principal) {
	if len(st.Principal) == 0 {
		return false, p
	}
	var star string
	if json.Unmarshal(st.Principal, &star) == nil {
		return star == "*", p
	}
	_ = json.Unmarshal(st.Principal, &p)
	return len(p.AWS) == 1 && p.AWS[0] == "*", p
}

// trustProblems are what is wrong with one Allow statement of a trust
// policy.
func trustProblems(st statement) []string {
	everyone, p := st.principal()
	switch {
	case everyone:
		return []string{"trusts every principal (\"*\")"}
	case len(p.AWS) > 0:
		return []string{fmt.Sprintf("trusts AWS principals %v; roles here are for AWS services", []string(p.AWS))}
	case len(p.Federated) > 0:
		return federatedProblems(st, p)
	case len(p.Service) != 1:
		return []string{fmt.Sprintf("trusts %d services; a role serves one", len(p.Service))}
	}
	var bad []string
	if !slices.Contains(awsiam.RoleServices, p.Service[0]) {
		bad = append(bad, fmt.Sprintf("trusts %s, not a service this program expects", p.Service[0]))
	}
	if len(st.Action) != 1 || st.Action[0] != "sts:AssumeRole" {
		bad = append(bad, fmt.Sprintf("allows %v; only sts:AssumeRole", []string(st.Action)))
	}
	if !conditionOn(st.Condition, "aws:SourceAccount") {
		bad = append(bad, "no aws:SourceAccount condition (confused-deputy guard)")
	}
	return bad
}

// federatedProblems accepts web-identity federation (CI's OIDC role) only
// when the token's audience and subject are pinned.
func federatedProblems(st statement, p awsiam.Principal) []string {
	provider := p.Federated[0]
	host := provider[strings.Index(provider, "oidc-provider/")+len("oidc-provider/"):]
	var bad []string
	if len(st.Action) != 1 || st.Action[0] != "sts:AssumeRoleWithWebIdentity" {
		bad = append(bad, fmt.Sprintf("federated trust allows %v", []string(st.Action)))
	}
	if !conditionOn(st.Condition, host+":aud") || !conditionOn(st.Condition, host+":sub") {
		bad = append(bad, "federated trust does not pin the token's audience and subject")
	}
	return bad
}

func conditionOn(c awsiam.Condition, key string) bool {
	for _, kv := range c {
		if len(kv[key]) > 0 {
			return true
		}
	}
	return false
}

// eachStatement checks the Allow statements of every inline and managed
// policy of the plan.
func eachStatement(fn func(statement) string) func(*Stack) Outcome {
	return func(s *Stack) Outcome {
		return each(s.Of(token.IAMRolePolicy, token.IAMPolicy), func(r plan.Resource) []string {
			doc, err := parsePolicy(r.Str("policy"))
			if err != nil {
				return []string{"policy: " + err.Error()}
			}
			var bad []string
			for _, st := range doc.Statement {
				if st.Effect != "Allow" {
					continue
				}
				if msg := fn(st); msg != "" {
					bad = append(bad, msg)
				}
			}
			return bad
		})
	}
}

// stackRoleChecks hold the stacks' roles to what only they must meet: the
// bootstrap's own roles (the CI roles an administrator creates) are not
// under the boundary they define.
var stackRoleChecks = []Check{
	{
		ID: "ARK-IAM-006", Title: "Every role a stack creates carries the CI permissions boundary",
		Anchors: []string{"house:ci (no escalation)"}, Scope: ScopeAll, Severity: High, Subjects: "IAM roles",
		Run: eachOf(token.IAMRole, func(s *Stack, r plan.Resource) []string {
			b := r.Str("permissionsBoundary")
			return when(!strings.HasSuffix(b, ":policy/"+awsiam.BoundaryName) || !strings.HasPrefix(b, "arn:aws:iam::"),
				"permissionsBoundary is %q, not the bootstrap's %s: the CI deploy roles may create and change roles only with it", b, awsiam.BoundaryName)
		}),
	},
}
