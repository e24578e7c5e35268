package main

import (
	"strings"
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
	key := stacktest.One(t, res, "aws:kms/key:Key", "state")
	assert.Equal(t, "arrakis-pulumi-state-"+mock.Account, stacktest.Str(t, bucket, "bucket"))
	assert.True(t, bucket.Protect, "losing the state bucket loses every stack")
	assert.True(t, key.Protect)
	assert.Equal(t, "alias/arrakis-pulumi-state", stacktest.Str(t, stacktest.One(t, res, "aws:kms/alias:Alias", "state"), "name"))
	for _, k := range res.ByType("aws:kms/key:Key") {
		assert.True(t, k.Protect, "losing a key loses what it encrypts: %s", k.Name)
	}
	for _, a := range res.ByType("aws:kms/alias:Alias") {
		assert.True(t, a.Protect, a.Name)
	}

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

	inline := parse(t, stacktest.Str(t, stacktest.One(t, res, "aws:iam/rolePolicy:RolePolicy", "preview-access"), "policy"))
	for _, a := range inline.Actions() {
		assert.NotContains(t, []string{"s3:PutObject", "s3:DeleteObject", "kms:Encrypt"}, a, "previews never write state")
	}
	assert.Contains(t, inline.Actions(), "kms:Decrypt")
}

func TestDeployRolesManageOnlyTheirStacksRoles(t *testing.T) {
	res := runShared(t, nil)
	for _, stack := range []string{"staging", "production"} {
		policy := parse(t, stacktest.Str(t, stacktest.One(t, res, "aws:iam/rolePolicy:RolePolicy", "deploy-"+stack+"-access"), "policy"))
		for _, s := range policy.Statement {
			if s.Effect != "Allow" {
				continue
			}
			assert.NotContains(t, s.Action, "*", "no all-actions grant")
			assert.NotContains(t, s.Action, "iam:*")
			for _, a := range s.Action {
				if strings.HasPrefix(a, "iam:") && a != "iam:CreateServiceLinkedRole" {
					assert.Equal(t, awsiam.List{"arn:aws:iam::" + mock.Account + ":role/arrakis-" + stack + "-*"}, s.Resource,
						"%s: %s is limited to the stack's roles", stack, a)
				}
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

// An account that already has GitHub's OIDC provider (IAM holds one per
// URL) names it in config: the bootstrap looks it up, trusts it, and
// creates no other.
func TestAnExistingGitHubProviderIsAdopted(t *testing.T) {
	existing := "arn:aws:iam::" + mock.Account + ":oidc-provider/token.actions.githubusercontent.com"
	res := runShared(t, map[string]string{"arrakis-bootstrap:githubOidcProviderArn": existing})
	assert.Empty(t, res.ByType("aws:iam/openIdConnectProvider:OpenIdConnectProvider"), "no second provider")
	var looked bool
	for _, inv := range res.Invokes() {
		if inv.Token == "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider" {
			looked = true
			assert.Equal(t, existing, inv.Args["arn"].StringValue())
		}
	}
	assert.True(t, looked, "the provider is looked up, so a wrong ARN fails before anything is created")
	for name, r := range rolesOf(t, res) {
		assert.Equal(t, awsiam.List{existing}, r.trust.Statement[0].Principal.Federated, name)
	}
	assert.Equal(t, existing, res.Outputs["githubOidcProviderArn"].Value)
}

func TestAProviderThatIsNotGitHubsIsRefusedBeforeAnythingIsCreated(t *testing.T) {
	for name, arn := range map[string]string{
		"another issuer":  "arn:aws:iam::" + mock.Account + ":oidc-provider/gitlab.example.com",
		"another account": "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com",
		"not an ARN":      "token.actions.githubusercontent.com",
	} {
		t.Run(name, func(t *testing.T) {
			res, err := mock.Run(stacktest.Input(t, "shared", map[string]string{"arrakis-bootstrap:githubOidcProviderArn": arn}), run)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "arrakis-bootstrap:githubOidcProviderArn")
			assert.Empty(t, res.Resources())
		})
	}
	assert.NoError(t, checkProvider("token.actions.githubusercontent.com", []string{"sts.amazonaws.com"}))
	assert.NoError(t, checkProvider("https://token.actions.githubusercontent.com", []string{"sigstore", "sts.amazonaws.com"}))
	assert.ErrorContains(t, checkProvider("token.actions.githubusercontent.com", []string{"sigstore"}), "does not accept the audience sts.amazonaws.com")
	assert.ErrorContains(t, checkProvider("gitlab.example.com", []string{"sts.amazonaws.com"}), "not token.actions.githubusercontent.com")
}
