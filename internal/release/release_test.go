package release_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/arrakis/infrastructure/internal/release"
)

var req = release.Request{
	Repository: "arrakis-qa-api",
	Secrets: []release.Secret{
		{Name: "arrakis-qa/app-config", Example: "file://app-config.json"},
		{Name: "arrakis-qa/vault-token", Seeded: true, Example: `"$VAULT_TOKEN"`},
	},
}

func TestServicesRunOnlyWithAnImageAndEverySecret(t *testing.T) {
	st := release.Decide("", req, nil)
	assert.False(t, st.Running())
	assert.Equal(t, []string{
		"an image in arrakis-qa-api: push one, then deploy it with `make up IMAGE_TAG=<tag>` (or ARRAKIS_IMAGE_TAG=<tag> pulumi up)",
		"a value in secret arrakis-qa/app-config: aws secretsmanager put-secret-value --secret-id arrakis-qa/app-config --secret-string file://app-config.json",
	}, st.Waiting, "the seeded vault token is not waited for")
	assert.Contains(t, st.Message("qa"), "stack qa: the API and the worker run 0 tasks until they have\n  - an image")
	assert.Contains(t, st.Message("qa"), "`make up STACK=qa` again")

	st = release.Decide("3f2c1ab", req, map[string]bool{"arrakis-qa/app-config": true})
	assert.True(t, st.Running())
	assert.Equal(t, "3f2c1ab", st.ImageTag)
	assert.Empty(t, st.Message("qa"))
}
