package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/awsiam"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

func runShared(t *testing.T, overrides map[string]string) *mock.Result {
	t.Helper()
	res, err := mock.Run(stacktest.Input(t, "shared", overrides), run)
	require.NoError(t, err)
	return res
}

func TestStateBucketIsVersionedEncryptedPrivateAndTLSOnly(t *testing.T) {
	res := runShared(t, nil)
	bucket := stacktest.One(t, res, "aws:s3/bucketV2:BucketV2", "state")
	key := stacktest.One(t, res, "aws:kms/key:Key", "pulumi-secrets")
	assert.Equal(t, "arrakis-pulumi-state-"+mock.Account, stacktest.Str(t, bucket, "bucket"))
	assert.True(t, bucket.Protect, "losing the state bucket loses every stack")
	assert.True(t, key.Protect)
	assert.True(t, stacktest.One(t, res, "aws:kms/alias:Alias", "pulumi-secrets").Protect)

	assert.Equal(t, "Enabled", stacktest.Str(t, stacktest.One(t, res, "aws:s3/bucketVersioningV2:BucketVersioningV2", "state-versioning"), "versioningConfiguration.status"))

	sse := stacktest.One(t, res, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "state-encryption")
	assert.Equal(t, "aws:kms", stacktest.Str(t, sse, "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm"))
	assert.Equal(t, stacktest.OutputOf(t, key, "arn"), stacktest.Get(t, sse, "rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId"))
	assert.Equal(t, true, stacktest.Get(t, sse, "rules[0].bucketKeyEnabled"))

	block := stacktest.One(t, res, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "state-public-access")
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		assert.Equal(t, true, stacktest.Get(t, block, k), k)
	}
	assert.Equal(t, "BucketOwnerEnforced", stacktest.Str(t, stacktest.One(t, res, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "state-ownership"), "rule.objectOwnership"))

	policy := stacktest.One(t, res, "aws:s3/bucketPolicy:BucketPolicy", "state-policy")
	assert.Contains(t, policy.DependsOn, block.URN, "the policy waits for the public access block")
	doc, err := awsiam.Parse(stacktest.Str(t, policy, "policy"))
	require.NoError(t, err)
	arn := stacktest.OutputOf(t, bucket, "arn").(string)
	require.NotEmpty(t, doc.Statement)
	insecure := doc.Statement[0]
	assert.Equal(t, "Deny", insecure.Effect)
	assert.Equal(t, awsiam.List{"false"}, insecure.Condition["Bool"]["aws:SecureTransport"])
	assert.ElementsMatch(t, awsiam.List{arn, arn + "/*"}, insecure.Resource)

	keyPolicy, err := awsiam.Parse(stacktest.Str(t, key, "policy"))
	require.NoError(t, err)
	assert.Equal(t, true, stacktest.Get(t, key, "enableKeyRotation"))
	require.Len(t, keyPolicy.Statement, 1)
	assert.Equal(t, awsiam.List{"arn:aws:iam::" + mock.Account + ":root"}, keyPolicy.Statement[0].Principal.AWS)

	assert.Equal(t, "s3://arrakis-pulumi-state-"+mock.Account+"?region=us-east-1", res.Outputs["backendUrl"].Value)
	assert.Equal(t, "awskms://alias/arrakis-pulumi-secrets?region=us-east-1", res.Outputs["secretsProvider"].Value)
}

func TestPreviewRoleIsForPullRequestsAndReadOnly(t *testing.T) {
	res := runShared(t, nil)
	provider := stacktest.One(t, res, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "github")
	assert.Equal(t, "https://token.actions.githubusercontent.com", stacktest.Str(t, provider, "url"))
	assert.Equal(t, []string{"sts.amazonaws.com"}, stacktest.Strings(t, provider, "clientIdLists"))

	role := stacktest.One(t, res, "aws:iam/role:Role", "preview")
	trust := parse(t, stacktest.Str(t, role, "assumeRolePolicy"))
	require.Len(t, trust.Statement, 1)
	st := trust.Statement[0]
	assert.Equal(t, awsiam.List{stacktest.OutputOf(t, provider, "arn").(string)}, st.Principal.Federated)
	assert.Equal(t, awsiam.List{"sts:AssumeRoleWithWebIdentity"}, st.Action)
	assert.Equal(t, awsiam.List{"repo:arrakis/infrastructure:pull_request"}, st.Condition["StringEquals"]["token.actions.githubusercontent.com:sub"])
	assert.Equal(t, awsiam.List{"sts.amazonaws.com"}, st.Condition["StringEquals"]["token.actions.githubusercontent.com:aud"])

	attach := stacktest.One(t, res, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "preview-read-only")
	assert.Equal(t, "arn:aws:iam::aws:policy/ReadOnlyAccess", stacktest.Str(t, attach, "policyArn"))

	inline := parse(t, stacktest.Str(t, stacktest.One(t, res, "aws:iam/rolePolicy:RolePolicy", "preview-state"), "policy"))
	for _, a := range inline.Actions() {
		assert.NotContains(t, []string{"s3:PutObject", "s3:DeleteObject", "kms:Encrypt"}, a, "previews never write state")
	}
	assert.Contains(t, inline.Actions(), "kms:Decrypt")
}

func TestDeployRoleIsForTheMainBranchOnly(t *testing.T) {
	res := runShared(t, nil)
	role := stacktest.One(t, res, "aws:iam/role:Role", "deploy")
	assert.Equal(t, "/ci/", stacktest.Str(t, role, "path"), "out of the arrakis-* roles it may manage")
	st := parse(t, stacktest.Str(t, role, "assumeRolePolicy")).Statement[0]
	assert.ElementsMatch(t, awsiam.List{
		"repo:arrakis/infrastructure:ref:refs/heads/main",
		"repo:arrakis/infrastructure:environment:staging",
		"repo:arrakis/infrastructure:environment:production",
	}, st.Condition["StringEquals"]["token.actions.githubusercontent.com:sub"])

	policy := parse(t, stacktest.Str(t, stacktest.One(t, res, "aws:iam/rolePolicy:RolePolicy", "deploy-access"), "policy"))
	for _, s := range policy.Statement {
		assert.NotContains(t, s.Action, "*", "no all-actions grant")
		assert.NotContains(t, s.Action, "iam:*")
		for _, a := range s.Action {
			if len(a) > 4 && a[:4] == "iam:" && a != "iam:CreateServiceLinkedRole" {
				assert.Equal(t, awsiam.List{"arn:aws:iam::" + mock.Account + ":role/arrakis-*"}, s.Resource, "%s is limited to arrakis roles", a)
			}
		}
	}
}

func TestBadRepositoryStopsBeforeAnythingIsCreated(t *testing.T) {
	res, err := mock.Run(stacktest.Input(t, "shared", map[string]string{"arrakis-bootstrap:githubRepository": "not a repo"}), run)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "arrakis-bootstrap:githubRepository")
	assert.Empty(t, res.Resources())
}

func parse(t *testing.T, text string) awsiam.Document {
	t.Helper()
	d, err := awsiam.Parse(text)
	require.NoError(t, err)
	return d
}
