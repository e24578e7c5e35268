package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

// runIn runs the whole program for a stack's config in a given world: what
// the account already holds before this run.
func runIn(t *testing.T, world mock.World, in config.Input) *mock.Result {
	t.Helper()
	rec := mock.NewRecorder(in.Project, in.Stack, "us-east-1")
	rec.World = world
	res, err := mock.RunWith(rec, in, run)
	require.NoError(t, err)
	return res
}

// serviceCounts reads the task counts a run asks for: the API's and the
// worker's desiredCount, the API's autoscaling range.
func serviceCounts(t *testing.T, res *mock.Result) []int {
	t.Helper()
	target := stacktest.One(t, res, "aws:appautoscaling/target:Target", "arrakis-api-scaling-target")
	return []int{
		stacktest.Int(t, stacktest.One(t, res, "aws:ecs/service:Service", "arrakis-api-service"), "desiredCount"),
		stacktest.Int(t, stacktest.One(t, res, "aws:ecs/service:Service", "arrakis-worker-service"), "desiredCount"),
		stacktest.Int(t, target, "minCapacity"), stacktest.Int(t, target, "maxCapacity"),
	}
}

func image(t *testing.T, res *mock.Result, task string) string {
	t.Helper()
	return containerDefinitions(t, stacktest.One(t, res, "aws:ecs/taskDefinition:TaskDefinition", "arrakis-"+task+"-taskdef"))[0]["image"].(string)
}

// A brand-new stack has an empty repository and operator secrets without a
// value: its first `up` creates everything with zero tasks, keeps the
// service alarms from paging, and says what to set and how.
func TestFirstUpStartsNoTaskAndSaysWhatIsMissing(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res := runIn(t, mock.NewStack(), stacktest.Input(t, stack, nil))
		assert.Equal(t, []int{0, 0, 0, 0}, serviceCounts(t, res), "no task starts, autoscaling included")

		waiting := res.Outputs["servicesWaitingFor"].Value.([]string)
		require.Len(t, waiting, 3)
		assert.Contains(t, waiting[0], "an image in arrakis-"+stack+"-api")
		assert.Contains(t, waiting[0], "IMAGE_TAG=<tag>")
		assert.Contains(t, waiting[1], "a value in secret arrakis-"+stack+"/app-config")
		assert.Contains(t, waiting[1], "aws secretsmanager put-secret-value --secret-id arrakis-"+stack+"/app-config")
		assert.Contains(t, waiting[2], "a value in secret arrakis-"+stack+"/vault-token")
		assert.Equal(t, "", res.Outputs["imageTag"].Value, "no image is deployed")

		for _, a := range res.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
			watchesServices := false
			for _, dims := range alarmDimensions(t, a) {
				for k := range dims {
					watchesServices = watchesServices || k == "ServiceName" || k == "TargetGroup" || k == "LoadBalancer"
				}
			}
			assert.Equal(t, !watchesServices, stacktest.Get(t, a, "actionsEnabled"), "%s: only alarms on the held services are silenced", a.Name)
		}
	})
}

// The next `up` once an image is pushed and both secrets are set starts the
// configured tasks; later runs without a tag keep the running one.
func TestOnceImageAndSecretsExistTheTasksStart(t *testing.T) {
	in := stacktest.Input(t, "production", nil)
	in.ImageTag = "3f2c1ab"
	res := runIn(t, mock.World{SecretsWithValue: []string{"arrakis-production/app-config", "arrakis-production/vault-token"}}, in)
	assert.Equal(t, []int{2, 1, 2, 4}, serviceCounts(t, res))
	assert.Empty(t, res.Outputs["servicesWaitingFor"].Value)
	assert.Equal(t, "3f2c1ab", res.Outputs["imageTag"].Value)
	for _, task := range []string{"api", "worker"} {
		assert.Equal(t, "123456789012.dkr.ecr.us-east-1.amazonaws.com/arrakis-production-api:3f2c1ab", image(t, res, task))
	}
	for _, a := range res.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		assert.Equal(t, true, stacktest.Get(t, a, "actionsEnabled"), a.Name)
	}

	// No tag given: the tag of the running deployment stays.
	running := mock.Deployed()
	running.Previous["imageTag"] = "3f2c1ab"
	res = runIn(t, running, stacktest.Input(t, "production", nil))
	assert.Equal(t, "3f2c1ab", res.Outputs["imageTag"].Value)
	assert.Equal(t, []int{2, 1, 2, 4}, serviceCounts(t, res))
}

// Either one missing holds the services; a seeded secret counts as set.
func TestTasksWaitForBothImageAndSecrets(t *testing.T) {
	in := stacktest.Input(t, "staging", nil)
	in.ImageTag = "3f2c1ab"
	res := runIn(t, mock.NewStack(), in)
	assert.Equal(t, []int{0, 0, 0, 0}, serviceCounts(t, res))
	assert.Len(t, res.Outputs["servicesWaitingFor"].Value, 2, "only the secrets are missing")

	in.Values["arrakis:appConfigSeed"] = `{}`
	in.Secret["arrakis:appConfigSeed"] = true
	in = stacktest.Set(t, in, "arrakis:app.configKeys", []string{"BGT_ADDRESS"})
	in.Values["arrakis:appConfigSeed"] = `{"BGT_ADDRESS":"0xabc"}`
	in.Values["arrakis:vaultTokenSeed"] = "hvs.token"
	in.Secret["arrakis:vaultTokenSeed"] = true
	res = runIn(t, mock.NewStack(), in)
	assert.Equal(t, []int{1, 1, 1, 2}, serviceCounts(t, res), "seeded secrets have their value from the first up")

	res = runIn(t, mock.World{SecretsWithValue: []string{"arrakis-staging/app-config", "arrakis-staging/vault-token"}}, stacktest.Input(t, "staging", nil))
	assert.Equal(t, []int{0, 0, 0, 0}, serviceCounts(t, res), "no image yet")
	assert.Len(t, res.Outputs["servicesWaitingFor"].Value, 1)
	assert.Contains(t, image(t, res, "api"), ":no-image-yet", "the task definition names no real tag")
}

// The image tag is per run, never in a committed file: the old key points
// to the new way, and a bad tag names the variable it came from.
func TestImageTagIsARunInputNotConfig(t *testing.T) {
	_, err := mock.Run(stacktest.Set(t, stacktest.Input(t, "staging", nil), "arrakis:api.imageTag", "abc"), run)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "arrakis:api.imageTag")
	assert.Contains(t, err.Error(), "IMAGE_TAG=<tag>")

	in := stacktest.Input(t, "staging", nil)
	in.ImageTag = "-bad tag"
	res, err := mock.Run(in, run)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `ARRAKIS_IMAGE_TAG: got "-bad tag"`)
	assert.Empty(t, res.Resources())
}
