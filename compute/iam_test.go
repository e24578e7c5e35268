package compute_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/compute"
	"github.com/arrakis/infrastructure/internal/awsiam"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

func TestExecutionRolesReadExactlyTheSecretsTheirContainersReference(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		w := wiredFor(stack)
		res, _ := build(t, stack)
		for _, task := range []string{"api", "worker"} {
			exec := stacktest.One(t, res, roleType, "arrakis-"+task+"-execution-role")
			assert.Equal(t, "arrakis-"+stack+"-"+task+"-execution", stacktest.Str(t, exec, "name"))

			managed := stacktest.One(t, res, attachType, "arrakis-"+task+"-execution-managed")
			assert.Equal(t, stacktest.OutputOf(t, exec, "name"), stacktest.Get(t, managed, "role"))
			assert.Equal(t, "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", stacktest.Str(t, managed, "policyArn"))

			inline := stacktest.One(t, res, rolePolType, "arrakis-"+task+"-execution-secrets")
			assert.Equal(t, exec.ID, stacktest.Str(t, inline, "role"))
			doc, err := awsiam.Parse(stacktest.Str(t, inline, "policy"))
			require.NoError(t, err)

			assertNoWildcardActions(t, doc)
			assert.Equal(t, []string{"kms:Decrypt", "secretsmanager:GetSecretValue"}, doc.Actions())
			readable := resourcesOf(doc, "secretsmanager:GetSecretValue")
			assert.ElementsMatch(t, []string{w.appConfig, w.db, w.redis, w.vault}, readable)

			// The same list the task's containers reference: one source.
			referenced, err := compute.ReferencedSecrets(containers(t, res, task)...)
			require.NoError(t, err)
			assert.ElementsMatch(t, referenced, readable)

			assert.Equal(t, []string{w.secretsKey}, resourcesOf(doc, "kms:Decrypt"))
			for _, s := range doc.Statement {
				if s.Action[0] == "kms:Decrypt" {
					assert.Equal(t, awsiam.List{"secretsmanager.us-east-1.amazonaws.com"}, s.Condition["StringEquals"]["kms:ViaService"],
						"the key decrypts through Secrets Manager only")
				}
			}
		}
	})
}

func TestTaskRolesHaveNoPermissions(t *testing.T) {
	res, _ := build(t, "production")
	for _, task := range []string{"api", "worker"} {
		role := stacktest.One(t, res, roleType, "arrakis-"+task+"-task-role")
		assert.Equal(t, "arrakis-production-"+task+"-task", stacktest.Str(t, role, "name"))
		for _, typ := range []string{rolePolType, attachType} {
			for _, p := range res.ByType(typ) {
				assert.NotEqual(t, role.ID, stacktest.Str(t, p, "role"), "%s grants the %s task role something", p.Name, task)
			}
		}
		_, _, inline := role.Get("inlinePolicies")
		assert.False(t, inline)
		_, _, managed := role.Get("managedPolicyArns")
		assert.False(t, managed)
	}
}

func TestRolesTrustOnlyECSTasksOfThisAccount(t *testing.T) {
	res, _ := build(t, "staging")
	roles := res.ByType(roleType)
	require.Len(t, roles, 4, "an execution and a task role per task")
	for _, r := range roles {
		trust, err := awsiam.Parse(stacktest.Str(t, r, "assumeRolePolicy"))
		require.NoError(t, err)
		require.Len(t, trust.Statement, 1, r.Name)
		s := trust.Statement[0]
		assert.Equal(t, "Allow", s.Effect)
		assert.Equal(t, awsiam.List{"ecs-tasks.amazonaws.com"}, s.Principal.Service, r.Name)
		assert.Empty(t, s.Principal.AWS, r.Name)
		assert.Empty(t, s.Principal.Federated, r.Name)
		assert.Equal(t, awsiam.List{"sts:AssumeRole"}, s.Action)
		assert.Equal(t, awsiam.List{mock.Account}, s.Condition["StringEquals"]["aws:SourceAccount"], r.Name)
		if strings.HasSuffix(r.Name, "-task-role") {
			assert.Equal(t, awsiam.List{"arn:aws:ecs:us-east-1:" + mock.Account + ":*"}, s.Condition["ArnLike"]["aws:SourceArn"], r.Name)
		} else {
			assert.NotContains(t, s.Condition, "ArnLike", "%s: no source-ARN guard AWS does not document for execution roles", r.Name)
		}
	}
}

func TestExecutionPolicyWithoutSecretsOnlyDecrypts(t *testing.T) {
	text, err := compute.ExecutionPolicy("us-east-1", nil, "arn:aws:kms:us-east-1:123456789012:key/k").JSON()
	require.NoError(t, err)
	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(text), &raw))
	assert.Len(t, raw["Statement"], 1, "no GetSecretValue statement with an empty resource list")
}

func assertNoWildcardActions(t *testing.T, doc awsiam.Document) {
	t.Helper()
	for _, s := range doc.Statement {
		assert.Empty(t, s.NotAction, "NotAction allows everything else")
		for _, a := range s.Action {
			assert.False(t, strings.Contains(a, "*"), "wildcard action %s", a)
		}
		for _, r := range s.Resource {
			assert.NotEqual(t, "*", r, "statement %s on every resource", s.Sid)
		}
	}
}

// resourcesOf lists the resources the document allows an action on.
func resourcesOf(doc awsiam.Document, action string) []string {
	var out []string
	for _, s := range doc.Statement {
		for _, a := range s.Action {
			if a == action && s.Effect == "Allow" {
				out = append(out, s.Resource...)
			}
		}
	}
	return out
}
