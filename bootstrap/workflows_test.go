package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/arrakis/infrastructure/internal/stacktest"
)

// The workflows are read as GitHub reads them, so the tests can hold them
// to the roles the bootstrap plan creates.

type workflow struct {
	On   map[string]any `yaml:"on"`
	Jobs map[string]job `yaml:"jobs"`
	text string
}

type job struct {
	If             string `yaml:"if"`
	Needs          any    `yaml:"needs"`
	Environment    string `yaml:"environment"`
	TimeoutMinutes int    `yaml:"timeout-minutes"`
	Concurrency    struct {
		Group string `yaml:"group"`
	} `yaml:"concurrency"`
	Permissions map[string]string `yaml:"permissions"`
	Uses        string            `yaml:"uses"`
	With        map[string]any    `yaml:"with"`
	Strategy    struct {
		Matrix map[string]any `yaml:"matrix"`
	} `yaml:"strategy"`
	Steps []step `yaml:"steps"`
}

type step struct {
	Name string            `yaml:"name"`
	If   string            `yaml:"if"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]any    `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

func workflows(t *testing.T) map[string]workflow {
	t.Helper()
	dir := filepath.Join(filepath.Dir(stacktest.Root(t)), ".github", "workflows")
	files, err := filepath.Glob(filepath.Join(dir, "*.yml"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no workflows in %s", dir)
	out := map[string]workflow{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		var w workflow
		require.NoError(t, yaml.Unmarshal(b, &w), f)
		w.text = string(b)
		out[filepath.Base(f)] = w
	}
	return out
}

// credentials is the configure-aws-credentials step of a job, if any.
func (j job) credentials() (step, bool) {
	for _, s := range j.Steps {
		if strings.HasPrefix(s.Uses, "aws-actions/configure-aws-credentials@") {
			return s, true
		}
	}
	return step{}, false
}

// roleVariables map the repository's (or an environment's) variables to the
// bootstrap roles they hold the ARN of.
var roleVariables = map[string][]string{
	"${{ vars.AWS_PREVIEW_ROLE_ARN }}": {"arrakis-ci-preview"},
	"${{ vars.AWS_DRIFT_ROLE_ARN }}":   {"arrakis-ci-drift"},
	"${{ vars.AWS_DEPLOY_ROLE_ARN }}":  {"arrakis-ci-deploy-staging", "arrakis-ci-deploy-production"},
}

// eachCredentialedJob runs fn on every job that assumes a role.
func eachCredentialedJob(t *testing.T, fn func(name string, j job, creds step)) {
	t.Helper()
	n := 0
	for file, w := range workflows(t) {
		for id, j := range w.Jobs {
			if creds, ok := j.credentials(); ok {
				n++
				fn(file+" "+id, j, creds)
			}
		}
	}
	require.NotZero(t, n, "some job assumes a role")
}

// Only jobs in a GitHub environment hold the deploy role, and they queue
// per stack; the drift check holds its own read-only role and its own
// concurrency group, so it can neither deploy nor cancel a waiting deploy.
func TestDeployJobsRunInTheirEnvironmentAndDriftHasItsOwnRole(t *testing.T) {
	eachCredentialedJob(t, func(name string, j job, creds step) {
		role := fmt.Sprint(creds.With["role-to-assume"])
		require.Contains(t, roleVariables, role, "%s assumes a role the bootstrap does not make", name)
		if role == "${{ vars.AWS_DEPLOY_ROLE_ARN }}" {
			assert.NotEmpty(t, j.Environment, "%s deploys outside an environment", name)
			assert.True(t, strings.HasPrefix(j.Concurrency.Group, "deploy-"), "%s: deploys of a stack queue in deploy-<stack>", name)
		} else {
			assert.Empty(t, j.Environment, "%s: an environment's job gets the environment's subject, which only deploy roles trust", name)
			assert.False(t, strings.HasPrefix(j.Concurrency.Group, "deploy-"), "%s shares the deploy queue (and can cancel a waiting deploy)", name)
		}
	})
	drift := workflows(t)["drift.yml"].Jobs["drift"]
	creds, ok := drift.credentials()
	require.True(t, ok)
	assert.Equal(t, "${{ vars.AWS_DRIFT_ROLE_ARN }}", creds.With["role-to-assume"])
	assert.Equal(t, "drift-${{ matrix.stack }}", drift.Concurrency.Group)
}

// A job's credentials outlive the job: the session it asks for is at least
// its timeout, and no longer than the role allows.
func TestSessionsOutliveTheirJobs(t *testing.T) {
	roles := rolesOf(t, runShared(t, nil))
	eachCredentialedJob(t, func(name string, j job, creds step) {
		require.NotZero(t, j.TimeoutMinutes, "%s has no timeout-minutes", name)
		raw, ok := creds.With["role-duration-seconds"]
		require.True(t, ok, "%s takes the action's default session (one hour)", name)
		seconds, err := strconv.Atoi(fmt.Sprint(raw))
		require.NoError(t, err, name)
		assert.GreaterOrEqual(t, seconds, j.TimeoutMinutes*60, "%s: a session shorter than the job's timeout can end mid-update", name)
		for _, r := range roleVariables[fmt.Sprint(creds.With["role-to-assume"])] {
			assert.LessOrEqual(t, seconds, stacktest.Int(t, mustRole(t, roles, r).res, "maxSessionDuration"),
				"%s asks for more than %s's maximum session; STS would refuse it", name, r)
		}
	})
}

// Pull requests preview staging only, with the preview role; production is
// previewed from the main branch with the read-only role, before its
// reviewers approve the deploy.
func TestPullRequestsPreviewStagingOnly(t *testing.T) {
	pr := workflows(t)["pull-request.yml"]
	previewed := 0
	for id, j := range pr.Jobs {
		creds, ok := j.credentials()
		if !ok {
			continue
		}
		assert.Equal(t, "${{ vars.AWS_PREVIEW_ROLE_ARN }}", creds.With["role-to-assume"], id)
		assert.Empty(t, j.Strategy.Matrix, "%s: one stack, staging", id)
		for _, s := range j.Steps {
			if stack, ok := s.With["stack-name"]; ok {
				previewed++
				assert.Equal(t, "staging", stack, "%s previews %v", id, stack)
			}
			assert.NotContains(t, s.Run, "production", id)
		}
	}
	assert.Equal(t, 1, previewed, "pull requests preview staging")

	deploy := workflows(t)["deploy.yml"]
	var preview *job
	for id, j := range deploy.Jobs {
		if creds, ok := j.credentials(); ok && creds.With["role-to-assume"] == "${{ vars.AWS_DRIFT_ROLE_ARN }}" {
			preview = &j
			assert.Contains(t, deploy.Jobs["production"].needsText(), id, "production waits for its preview")
		}
	}
	require.NotNil(t, preview, "deploy.yml previews production with the read-only role")
	assert.Contains(t, preview.If, "refs/heads/main")
	var runs []string
	for _, s := range preview.Steps {
		runs = append(runs, s.Run)
	}
	assert.Contains(t, strings.Join(runs, "\n"), "pulumi preview --stack production")
}

// needsText is the job's needs, a name or a list, as text.
func (j job) needsText() string { return fmt.Sprint(j.Needs) }

// Deploys run an image the application's pipeline built: its tag arrives as
// a workflow_dispatch input or a repository_dispatch payload, never as this
// repository's commit; a merge without a tag keeps the running one. The
// tag reaches the program in ARRAKIS_IMAGE_TAG only.
func TestDeploysRunTheImageThePipelineBuilt(t *testing.T) {
	all := workflows(t)
	deploy, up := all["deploy.yml"], all["up.yml"]
	for file, w := range all {
		assert.NotContains(t, w.text, "pulumi config set", "%s writes config", file)
	}
	for _, w := range []workflow{deploy, up} {
		assert.NotContains(t, w.text, "github.sha", "no image is built from this repository's commit")
	}

	dispatch, ok := deploy.On["repository_dispatch"].(map[string]any)
	require.True(t, ok, "the image pipeline triggers a deploy with repository_dispatch")
	assert.Equal(t, []any{"deploy-image"}, dispatch["types"])
	manual, ok := deploy.On["workflow_dispatch"].(map[string]any)
	require.True(t, ok)
	input := manual["inputs"].(map[string]any)["image_tag"].(map[string]any)
	assert.Equal(t, false, input["required"], "a run by hand without a tag keeps the running image")
	assert.Contains(t, deploy.On, "push", "a merge deploys the program with the running image")
	assert.Contains(t, deploy.text, "github.event.client_payload.image_tag")

	call := up.On["workflow_call"].(map[string]any)["inputs"].(map[string]any)["image_tag"].(map[string]any)
	assert.Equal(t, false, call["required"])
	var pulumiUp, check *step
	for i, s := range up.Jobs["up"].Steps {
		if strings.Contains(s.Run, "pulumi up") {
			pulumiUp = &up.Jobs["up"].Steps[i]
		}
		if strings.Contains(s.Run, "describe-images") {
			check = &up.Jobs["up"].Steps[i]
		}
	}
	require.NotNil(t, pulumiUp)
	assert.Equal(t, "${{ inputs.image_tag }}", pulumiUp.Env["ARRAKIS_IMAGE_TAG"])
	require.NotNil(t, check)
	assert.Contains(t, check.If, "inputs.image_tag != ''", "no tag: nothing to check, the running image stays")
	for _, j := range []string{"staging", "production"} {
		assert.Equal(t, "${{ needs.tag.outputs.image_tag }}", deploy.Jobs[j].With["image_tag"], j)
	}
	assert.True(t, slices.ContainsFunc(deploy.Jobs["tag"].Steps, func(s step) bool {
		return strings.Contains(s.Run, "[A-Za-z0-9_]")
	}), "the tag is checked to be an image tag before anything runs")
}
