package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/awsiam"
	"github.com/arrakis/infrastructure/internal/cost"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
	"github.com/arrakis/infrastructure/internal/policy"
	"github.com/arrakis/infrastructure/internal/stackfile"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

// command runs the bootstrap's offline command line.
func command(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	code = offline.Main(args, &out, &errs)
	return code, out.String(), errs.String()
}

// `go run ./bootstrap plan --stack shared --json` writes the document
// `go run . plan --stack X --json` writes, field for field, so the same
// tools read both.
func TestThePlanCommandWritesTheMainProgramsDocument(t *testing.T) {
	code, out, errs := command(t, "plan", "--stack", "shared", "--json", "--dir", stacktest.Root(t))
	require.Equal(t, 0, code, errs)
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var p cost.PricedPlan
	require.NoError(t, dec.Decode(&p), "the document has the plan's fields and no other")
	assert.Equal(t, "arrakis-bootstrap", p.Project)
	assert.Equal(t, "shared", p.Stack)
	require.NotNil(t, p.Cost)
	assert.Positive(t, p.Cost.Total, "the keys cost a dollar a month each")
	assert.Contains(t, p.Outputs, "deployRoleArns")
	assert.Len(t, p.Find(token.IAMRole), 4)

	code, text, _ := command(t, "plan", "--stack", "shared", "--dir", stacktest.Root(t))
	require.Equal(t, 0, code)
	assert.Contains(t, text, "arrakis-ci-deploy-production")
}

// What a reviewer reads in the plan: deploy roles trusted by environments
// only, every role-creating or policy-changing statement bound to the
// boundary, no KMS or Secrets Manager wildcard on "*".
func TestThePlanDocumentShowsTheTrustModel(t *testing.T) {
	code, out, errs := command(t, "plan", "--stack", "shared", "--json", "--dir", stacktest.Root(t))
	require.Equal(t, 0, code, errs)
	var p plan.Plan
	require.NoError(t, json.Unmarshal([]byte(out), &p))
	boundaries := p.Find(token.IAMPolicy)
	require.Len(t, boundaries, 1)
	boundary := boundaries[0].ID

	for _, r := range p.Find(token.IAMRole) {
		trust, err := awsiam.Parse(r.Str("assumeRolePolicy"))
		require.NoError(t, err)
		subjects := trust.Statement[0].Condition["StringEquals"][subKey]
		if strings.HasPrefix(r.Str("name"), "arrakis-ci-deploy-") {
			stack := strings.TrimPrefix(r.Str("name"), "arrakis-ci-deploy-")
			assert.Equal(t, awsiam.List{"repo:" + repository + ":environment:" + stack}, subjects)
		}
	}
	for _, r := range append(p.Find(token.IAMRolePolicy), boundaries...) {
		doc, err := awsiam.Parse(r.Str("policy"))
		require.NoError(t, err, r.Name)
		for _, st := range doc.Statement {
			if st.Effect != "Allow" {
				continue
			}
			for _, a := range st.Action {
				if slices.Contains([]string{"iam:CreateRole", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:PutRolePermissionsBoundary"}, a) {
					assert.Equal(t, awsiam.List{boundary}, st.Condition["StringEquals"]["iam:PermissionsBoundary"], "%s %s", r.Name, a)
				}
				if slices.Contains(st.Resource, "*") {
					assert.NotContains(t, []string{"*", "kms:*", "secretsmanager:*"}, a, r.Name)
				}
			}
		}
	}
}

// The policy suite's IAM checks run on the bootstrap's plan. What they find
// is either fixed or one of the bootstrap's written exceptions, each of
// which still excuses something.
func TestTheIAMChecksPassOnTheBootstrapPlan(t *testing.T) {
	in, err := stackfile.Load(stacktest.Root(t), "shared")
	require.NoError(t, err)
	p, err := plan.Build(in, run)
	require.NoError(t, err)
	rep := policy.EvaluateIAM(p, policyExceptions())
	var text bytes.Buffer
	require.NoError(t, rep.WriteText(&text))
	assert.True(t, rep.OK(), text.String())
	assert.Empty(t, rep.Stale, text.String())
	for _, res := range rep.Results {
		assert.True(t, strings.HasPrefix(res.Check.ID, "ARK-IAM-"), res.Check.ID)
		assert.Positive(t, res.Subjects, "%s examined nothing", res.Check.ID)
	}
	assert.Len(t, rep.Results, len(policy.IAMChecks()))

	code, out, errs := command(t, "policy", "--stack", "shared", "--dir", stacktest.Root(t))
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, out, "ARK-IAM-001")
}

func TestTheCommandLineRefusesBadInputClearly(t *testing.T) {
	root := stacktest.Root(t)
	for name, c := range map[string]struct {
		args []string
		code int
		want string
	}{
		"no stack":        {[]string{"plan"}, 2, "--stack is required"},
		"unknown flag":    {[]string{"plan", "--stack", "shared", "--yaml"}, 2, "flag provided but not defined"},
		"unknown command": {[]string{"up"}, 2, `unknown command "up"`},
		"unknown stack":   {[]string{"plan", "--stack", "staging", "--dir", root}, 1, `stack "staging" has no config file`},
		"another project": {[]string{"plan", "--stack", "staging", "--dir", filepath.Dir(root)}, 2, "holds the project arrakis, not arrakis-bootstrap"},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errs := command(t, c.args...)
			assert.Equal(t, c.code, code, out+errs)
			assert.Contains(t, errs, c.want)
		})
	}
}
