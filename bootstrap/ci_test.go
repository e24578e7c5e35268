package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/awsiam"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/plan/token"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

const (
	repository = "arrakis/infrastructure"
	subKey     = "token.actions.githubusercontent.com:sub"
	rolePrefix = "arn:aws:iam::" + mock.Account + ":role/"
)

// role is a CI role as the plan has it: its trust, its inline policies and
// the managed policies attached to it, parsed.
type role struct {
	res      *mock.Resource
	trust    awsiam.Document
	inline   []awsiam.Document
	managed  []string
	subjects []string
}

// statements are the statements of every inline policy of the role.
func (r role) statements() []awsiam.Statement {
	var out []awsiam.Statement
	for _, d := range r.inline {
		out = append(out, d.Statement...)
	}
	return out
}

// allows lists the Allow statements naming an action.
func (r role) allows(action string) []awsiam.Statement {
	var out []awsiam.Statement
	for _, s := range r.statements() {
		if s.Effect == "Allow" && slices.Contains(s.Action, action) {
			out = append(out, s)
		}
	}
	return out
}

// rolesOf reads every IAM role of the plan, by its physical name.
func rolesOf(t *testing.T, res *mock.Result) map[string]role {
	t.Helper()
	out := map[string]role{}
	for _, r := range res.ByType(token.IAMRole) {
		name := stacktest.Str(t, r, "name")
		ro := role{res: r, trust: parse(t, stacktest.Str(t, r, "assumeRolePolicy"))}
		for _, st := range ro.trust.Statement {
			for _, kv := range st.Condition {
				ro.subjects = append(ro.subjects, kv[subKey]...)
			}
		}
		for _, p := range res.ByType(token.IAMRolePolicy) {
			if stacktest.Str(t, p, "role") == name {
				ro.inline = append(ro.inline, parse(t, stacktest.Str(t, p, "policy")))
			}
		}
		for _, a := range res.ByType(token.IAMRolePolicyAttachment) {
			if stacktest.Str(t, a, "role") == name {
				ro.managed = append(ro.managed, stacktest.Str(t, a, "policyArn"))
			}
		}
		out[name] = ro
	}
	return out
}

func mustRole(t *testing.T, roles map[string]role, name string) role {
	t.Helper()
	r, ok := roles[name]
	require.True(t, ok, "no role named %s; roles: %v", name, sortedKeys(roles))
	return r
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// onlyReads reports whether an action only reads.
func onlyReads(action string) bool {
	_, verb, _ := strings.Cut(action, ":")
	for _, p := range []string{"Get", "List", "Describe", "Decrypt"} {
		if strings.HasPrefix(verb, p) {
			return true
		}
	}
	return false
}

// Deploys run in a GitHub environment: the deploy role of a stack trusts
// that environment only, never a branch, so no job outside the environment
// (and past its reviewers) can assume it.
func TestDeployRolesTrustTheirEnvironmentOnly(t *testing.T) {
	roles := rolesOf(t, runShared(t, nil))
	for _, stack := range []string{"staging", "production"} {
		r := mustRole(t, roles, "arrakis-ci-deploy-"+stack)
		assert.Equal(t, "/ci/", stacktest.Str(t, r.res, "path"), "out of the arrakis-* roles it may manage")
		assert.Equal(t, []string{"repo:" + repository + ":environment:" + stack}, r.subjects, stack)
	}
	for name, r := range roles {
		for _, s := range r.subjects {
			if strings.Contains(s, ":ref:") {
				for _, st := range r.statements() {
					for _, a := range st.Action {
						assert.True(t, st.Effect != "Allow" || onlyReads(a),
							"%s trusts a branch (%s) and may %s: only environments may change anything", name, s, a)
					}
				}
			}
		}
	}
}

// The drift check has its own role: only the main branch may assume it, and
// it reads (state, stack secrets, the resources to refresh) and writes
// nothing.
func TestDriftHasAReadOnlyRoleOfItsOwn(t *testing.T) {
	roles := rolesOf(t, runShared(t, nil))
	r := mustRole(t, roles, "arrakis-ci-drift")
	assert.Equal(t, []string{"repo:" + repository + ":ref:refs/heads/main"}, r.subjects)
	assert.Equal(t, []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}, r.managed)
	require.NotEmpty(t, r.statements())
	for _, st := range r.statements() {
		if st.Effect != "Allow" {
			continue
		}
		for _, a := range st.Action {
			assert.True(t, onlyReads(a), "the drift role may %s", a)
		}
	}
	for _, stack := range []string{"staging", "production"} {
		assert.NotEqual(t, stacktest.OutputOf(t, r.res, "arn"), stacktest.OutputOf(t, mustRole(t, roles, "arrakis-ci-deploy-"+stack).res, "arn"))
	}
}

// boundaryOf returns the permissions boundary policy and its ARN.
func boundaryOf(t *testing.T, res *mock.Result) (awsiam.Document, string) {
	t.Helper()
	b := res.Find(token.IAMPolicy, "boundary")
	require.NotNil(t, b, "bootstrap creates a permissions boundary policy")
	return parse(t, stacktest.Str(t, b, "policy")), stacktest.OutputOf(t, b, "arn").(string)
}

// The deploy roles may create and change the program's roles only with the
// boundary bootstrap creates, so no role they make can do more than it
// allows, and never IAM.
func TestRoleCreationAndPolicyChangesRequireTheBoundary(t *testing.T) {
	res := runShared(t, nil)
	_, boundary := boundaryOf(t, res)
	guarded := []string{
		"iam:CreateRole", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePolicy",
		"iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary",
	}
	seen := map[string]bool{}
	for name, r := range rolesOf(t, res) {
		for _, st := range r.statements() {
			if st.Effect != "Allow" {
				continue
			}
			for _, a := range st.Action {
				assert.NotContains(t, []string{"*", "iam:*", "iam:DeleteRolePermissionsBoundary", "iam:CreatePolicyVersion",
					"iam:SetDefaultPolicyVersion", "iam:CreatePolicy"}, a, "%s may %s", name, a)
				if slices.Contains(guarded, a) {
					seen[a] = true
					assert.Equal(t, awsiam.List{boundary}, st.Condition["StringEquals"]["iam:PermissionsBoundary"],
						"%s: %s (statement %s) requires the boundary", name, a, st.Sid)
				}
			}
		}
	}
	for _, a := range guarded {
		assert.True(t, seen[a], "the deploy roles may %s (with the boundary)", a)
	}
	for _, stack := range []string{"staging", "production"} {
		deploy := mustRole(t, rolesOf(t, res), "arrakis-ci-deploy-"+stack)
		denied := map[string]bool{}
		for _, st := range deploy.statements() {
			if st.Effect == "Deny" {
				for _, a := range st.Action {
					denied[a] = true
				}
			}
		}
		assert.True(t, denied["iam:DeleteRolePermissionsBoundary"], "%s: no role loses its boundary", stack)
		assert.True(t, denied["sts:AssumeRole"], "%s: assumes no role (not even one whose trust it rewrote)", stack)
	}
}

// The boundary itself allows no IAM, no Organizations, nothing on the CI
// roles, and no change of a boundary.
func TestTheBoundaryDeniesIAMOrganizationsAndTheCIRoles(t *testing.T) {
	doc, _ := boundaryOf(t, runShared(t, nil))
	denies := func(action, resource string) bool {
		for _, st := range doc.Statement {
			if st.Effect == "Deny" && slices.Contains(st.Action, action) && slices.Contains(st.Resource, resource) {
				return true
			}
		}
		return false
	}
	assert.True(t, denies("iam:*", "*"))
	assert.True(t, denies("organizations:*", "*"))
	assert.True(t, denies("*", rolePrefix+"ci/*"), "nothing on the CI roles")
	assert.True(t, denies("iam:DeleteRolePermissionsBoundary", "*"))
	assert.True(t, denies("iam:PutRolePermissionsBoundary", "*"))
	for _, st := range doc.Statement {
		if st.Effect != "Allow" {
			continue
		}
		for _, a := range st.Action {
			assert.False(t, a == "*" || strings.HasPrefix(a, "iam:") || strings.HasPrefix(a, "organizations:") || strings.HasPrefix(a, "sts:"),
				"the boundary allows %s", a)
		}
	}
}

// No KMS or Secrets Manager wildcard, and on Resource "*" only the calls AWS
// cannot scope to a resource.
func TestNoKMSOrSecretsManagerWildcards(t *testing.T) {
	res := runShared(t, nil)
	boundary, _ := boundaryOf(t, res)
	docs := []awsiam.Document{boundary}
	for _, r := range rolesOf(t, res) {
		docs = append(docs, r.inline...)
	}
	unscoped := map[string]bool{"kms:CreateKey": true, "kms:TagResource": true, "kms:ListAliases": true, "secretsmanager:ListSecrets": true}
	for _, d := range docs {
		for _, st := range d.Statement {
			if st.Effect != "Allow" {
				continue
			}
			for _, a := range st.Action {
				assert.NotContains(t, []string{"*", "kms:*", "secretsmanager:*"}, a)
				if !strings.HasPrefix(a, "kms:") && !strings.HasPrefix(a, "secretsmanager:") {
					continue
				}
				if slices.Contains(st.Resource, "*") {
					assert.True(t, unscoped[a], "%s on \"*\" (statement %s)", a, st.Sid)
				}
				if a == "kms:CreateKey" {
					assert.NotEmpty(t, st.Condition["StringEquals"]["aws:RequestTag/Environment"], "keys are created for one stack")
				}
			}
		}
	}
}

// keyARN is the ARN of the stack secrets key of a stack.
func keyARN(t *testing.T, res *mock.Result, logical string) string {
	t.Helper()
	return stacktest.OutputOf(t, stacktest.One(t, res, token.KMSKey, logical), "arn").(string)
}

// Pull requests preview staging only: their role decrypts staging's secrets
// and the state through S3, never production's key, and reads no secret
// value. Each stack has its own key, and a deploy role decrypts its own.
func TestPullRequestsNeverHoldProductionSecrets(t *testing.T) {
	res := runShared(t, nil)
	roles := rolesOf(t, res)
	staging, production, state := keyARN(t, res, "secrets-staging"), keyARN(t, res, "secrets-production"), keyARN(t, res, "state")
	assert.NotEqual(t, staging, production)
	assert.Equal(t, map[string]string{
		"staging":    "awskms://alias/arrakis-pulumi-secrets-staging?region=us-east-1",
		"production": "awskms://alias/arrakis-pulumi-secrets-production?region=us-east-1",
	}, res.Outputs["secretsProviders"].Value)

	preview := mustRole(t, roles, "arrakis-ci-preview")
	assert.Equal(t, []string{"repo:" + repository + ":pull_request"}, preview.subjects)
	var decrypts []string
	for _, st := range preview.allows("kms:Decrypt") {
		decrypts = append(decrypts, st.Resource...)
		if slices.Contains(st.Resource, state) {
			assert.Equal(t, awsiam.List{"s3.us-east-1.amazonaws.com"}, st.Condition["StringEquals"]["kms:ViaService"], "the state key, through S3 only")
		}
	}
	assert.ElementsMatch(t, []string{staging, state}, decrypts)
	denied := map[string][]string{}
	for _, st := range preview.statements() {
		if st.Effect == "Deny" {
			for _, a := range st.Action {
				denied[a] = append(denied[a], st.Resource...)
			}
		}
	}
	assert.Contains(t, denied["kms:Decrypt"], production)
	assert.Contains(t, denied["secretsmanager:GetSecretValue"], "*")

	for stack, own := range map[string]string{"staging": staging, "production": production} {
		deploy := mustRole(t, roles, "arrakis-ci-deploy-"+stack)
		var keys []string
		for _, st := range deploy.allows("kms:Decrypt") {
			keys = append(keys, st.Resource...)
		}
		assert.Contains(t, keys, own)
		other := map[string]string{"staging": production, "production": staging}[stack]
		assert.NotContains(t, keys, other, "%s decrypts only its own stack's secrets", stack)
		for _, st := range deploy.allows("s3:PutObject") {
			for _, r := range st.Resource {
				assert.Contains(t, r, "/arrakis/"+stack, "%s writes only its own state", stack)
			}
		}
	}
}

// AWS accepts a maximum session of 1 to 12 hours; the deploy roles' is
// longer than a deploy job may run.
func TestRoleSessionsAreWithinWhatAWSAccepts(t *testing.T) {
	for name, r := range rolesOf(t, runShared(t, nil)) {
		d := stacktest.Int(t, r.res, "maxSessionDuration")
		assert.GreaterOrEqual(t, d, 3600, name)
		assert.LessOrEqual(t, d, 43200, name)
	}
}
