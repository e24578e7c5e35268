package mock_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/mock"
)

// qa is the config of a stack "qa" of project "arrakis" in eu-west-1.
var qa = config.Input{Project: "arrakis", Stack: "qa", Values: map[string]string{config.RegionKey: "eu-west-1"}}

type thing struct {
	pulumi.ResourceState
}

// registerSome registers a component with children that use the options
// the recorder keeps: a bucket (protected, ignoring tags, after the secret)
// and a secret with a secret value.
func registerSome(ctx *pulumi.Context) error {
	c := &thing{}
	if err := ctx.RegisterComponentResource("arrakis:test:Thing", "thing", c); err != nil {
		return err
	}
	secret, err := secretsmanager.NewSecret(ctx, "app", &secretsmanager.SecretArgs{
		Name: pulumi.String("arrakis-qa/app-config"),
	}, pulumi.Parent(c))
	if err != nil {
		return err
	}
	if _, err := secretsmanager.NewSecretVersion(ctx, "app-value", &secretsmanager.SecretVersionArgs{
		SecretId:     secret.ID(),
		SecretString: pulumi.ToSecret(pulumi.String(`{"token":"hunter2"}`)).(pulumi.StringOutput),
	}, pulumi.Parent(c)); err != nil {
		return err
	}
	_, err = s3.NewBucketV2(ctx, "logs", &s3.BucketV2Args{
		Bucket: pulumi.String("arrakis-qa-logs"),
		Tags:   pulumi.StringMap{"Team": pulumi.String("platform")},
	}, pulumi.Parent(c), pulumi.Protect(true), pulumi.IgnoreChanges([]string{"tags"}), pulumi.DependsOn([]pulumi.Resource{secret}))
	if err != nil {
		return err
	}
	return ctx.RegisterResourceOutputs(c, pulumi.Map{})
}

func TestTheRecorderKeepsWhatTheProgramRegistered(t *testing.T) {
	res, err := mock.Run(qa, registerSome)
	require.NoError(t, err)

	var order []string
	for _, r := range res.Resources() {
		order = append(order, r.Name)
	}
	// Registration is asynchronous (a resource waits for its inputs), so
	// only the set is certain.
	assert.ElementsMatch(t, []string{"thing", "app", "app-value", "logs"}, order)

	comp := res.Find("arrakis:test:Thing", "thing")
	require.NotNil(t, comp)
	assert.False(t, comp.Custom)
	assert.Equal(t, "urn:pulumi:qa::arrakis::arrakis:test:Thing::thing", comp.URN)

	secret := res.Find("aws:secretsmanager/secret:Secret", "app")
	require.NotNil(t, secret)
	bucket := res.Find("aws:s3/bucketV2:BucketV2", "logs")
	require.NotNil(t, bucket)
	assert.True(t, bucket.Custom)
	assert.Equal(t, "urn:pulumi:qa::arrakis::arrakis:test:Thing$aws:s3/bucketV2:BucketV2::logs", bucket.URN)
	assert.Equal(t, comp.URN, bucket.Parent)
	assert.True(t, bucket.Protect)
	assert.False(t, secret.Protect, "protect is per resource")
	assert.Equal(t, []string{"tags"}, bucket.IgnoreChanges)
	assert.Equal(t, []string{secret.URN}, bucket.DependsOn)
	assert.Same(t, bucket, res.ByURN(bucket.URN))
	assert.Len(t, res.ByType("aws:s3/bucketV2:BucketV2"), 1)

	v, secretInput, ok := bucket.Get("tags.Team")
	require.True(t, ok)
	assert.Equal(t, "platform", v)
	assert.False(t, secretInput)

	version := res.Find("aws:secretsmanager/secretVersion:SecretVersion", "app-value")
	require.NotNil(t, version)
	v, secretInput, ok = version.Get("secretString")
	require.True(t, ok)
	assert.Equal(t, `{"token":"hunter2"}`, v, "tests can read a secret input")
	assert.True(t, secretInput, "and it is still a secret")
	masked, paths := mock.Masked(version.Inputs)
	assert.Equal(t, mock.Secret, masked["secretString"])
	assert.Equal(t, []string{"secretString"}, paths)
	id, _, _ := version.Get("secretId")
	assert.Equal(t, secret.ID, id, "the version is wired to the secret's id")
}

func TestFailOnFailsTheNamedResourceOnly(t *testing.T) {
	rec := mock.NewRecorder(qa.Project, qa.Stack, "eu-west-1")
	rec.FailOn("logs", errors.New("AccessDenied: s3:CreateBucket"))
	res, err := mock.RunWith(rec, qa, registerSome)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AccessDenied: s3:CreateBucket")
	assert.Nil(t, res.Find("aws:s3/bucketV2:BucketV2", "logs"), "the failed resource is not recorded")
	assert.NotNil(t, res.Find("aws:secretsmanager/secret:Secret", "app"), "the others are")
}

// As the engine, the recorder refuses a second resource of one URN (the
// same type, parent and name): in state the two would be one.
func TestASecondResourceOfOneURNFailsTheRun(t *testing.T) {
	twice := func(ctx *pulumi.Context) error {
		for range 2 {
			if _, err := secretsmanager.NewSecret(ctx, "app", &secretsmanager.SecretArgs{}); err != nil {
				return err
			}
		}
		return nil
	}
	_, err := mock.Run(qa, twice)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "duplicate resource URN 'urn:pulumi:qa::arrakis::aws:secretsmanager/secret:Secret::app'")

	// Another type, or another parent, is another URN.
	_, err = mock.Run(qa, func(ctx *pulumi.Context) error {
		if _, err := secretsmanager.NewSecret(ctx, "app", &secretsmanager.SecretArgs{}); err != nil {
			return err
		}
		_, err := s3.NewBucketV2(ctx, "app", &s3.BucketV2Args{})
		return err
	})
	assert.NoError(t, err)
}

func TestInvokesAreAnsweredForTheStacksAccountAndRegion(t *testing.T) {
	var account, region, partition string
	res, err := mock.Run(qa, func(ctx *pulumi.Context) error {
		id, err := aws.GetCallerIdentity(ctx, nil)
		if err != nil {
			return err
		}
		r, err := aws.GetRegion(ctx, nil)
		if err != nil {
			return err
		}
		p, err := aws.GetPartition(ctx, nil)
		if err != nil {
			return err
		}
		account, region, partition = id.AccountId, r.Name, p.Partition
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, "123456789012", account)
	assert.Equal(t, "eu-west-1", region, "the region of the stack's aws:region")
	assert.Equal(t, "aws", partition)

	var tokens []string
	for _, inv := range res.Invokes() {
		tokens = append(tokens, inv.Token)
	}
	assert.Equal(t, []string{
		"aws:index/getCallerIdentity:getCallerIdentity", "aws:index/getRegion:getRegion", "aws:index/getPartition:getPartition",
	}, tokens)
}

func TestAnInvokeWithoutAnAnswerFailsTheRun(t *testing.T) {
	res, err := mock.Run(qa, func(ctx *pulumi.Context) error {
		_, err := ec2.LookupVpc(ctx, &ec2.LookupVpcArgs{Default: pulumi.BoolRef(true)})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "mock: no answer for invoke aws:ec2/getVpc:getVpc")
	require.Len(t, res.Invokes(), 1, "the unanswered call is recorded")
	assert.Equal(t, "aws:ec2/getVpc:getVpc", res.Invokes()[0].Token)
}

// world runs a program reading what the release logic reads: the stack's
// own previous outputs, the secrets under a prefix, and the versions of one
// secret ("" reads none).
func world(t *testing.T, w mock.World, secret string) (prev mock.Value, names []string, versions []secretsmanager.GetSecretVersionsVersion, err error) {
	t.Helper()
	res, err := mock.RunWith(withWorld(w), qa, func(ctx *pulumi.Context) error {
		self, err := pulumi.NewStackReference(ctx, "organization/arrakis/qa", nil)
		if err != nil {
			return err
		}
		ctx.Export("previousTag", self.GetOutput(pulumi.String("imageTag")))
		found, err := secretsmanager.GetSecrets(ctx, &secretsmanager.GetSecretsArgs{
			Filters: []secretsmanager.GetSecretsFilter{{Name: "name", Values: []string{"arrakis-qa/"}}},
		})
		if err != nil {
			return err
		}
		names = found.Names
		if secret == "" {
			return nil
		}
		v, err := secretsmanager.GetSecretVersions(ctx, &secretsmanager.GetSecretVersionsArgs{SecretId: secret})
		if err != nil {
			return err
		}
		versions = v.Versions
		return nil
	})
	if err == nil {
		ref := res.Find("pulumi:pulumi:StackReference", "organization/arrakis/qa")
		require.NotNil(t, ref)
		assert.True(t, ref.Read, "a stack reference is read, not created")
		prev = res.Outputs["previousTag"]
	}
	return prev, names, versions, err
}

func TestDeployedIsAStackInItsSteadyState(t *testing.T) {
	prev, names, versions, err := world(t, mock.Deployed(), "arrakis-qa/vault-token")
	require.NoError(t, err)
	assert.Equal(t, "offline-placeholder", prev.Value, "it ran an image before")
	assert.Equal(t, []string{"arrakis-qa/app-config", "arrakis-qa/db-credentials", "arrakis-qa/redis-credentials", "arrakis-qa/vault-token"}, names)
	require.Len(t, versions, 1)
	assert.Equal(t, []string{"AWSCURRENT"}, versions[0].VersionStages, "every secret holds a value")
}

func TestNewStackHasNoDeploymentAndNoSecrets(t *testing.T) {
	prev, names, _, err := world(t, mock.NewStack(), "")
	require.NoError(t, err)
	assert.Empty(t, names, "no secret exists yet")
	assert.Nil(t, prev.Value, "no previous deployment, no image tag")

	_, _, _, err = world(t, mock.NewStack(), "arrakis-qa/vault-token")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `ResourceNotFoundException: Secrets Manager can't find the specified secret "arrakis-qa/vault-token"`)
}

func TestSecretsADeploymentCreatedHaveNoValueUntilSet(t *testing.T) {
	w := mock.World{Previous: map[string]any{"imageTag": "3f2c1ab"}, SecretsWithValue: []string{"arrakis-qa/vault-token"}}

	prev, names, versions, err := world(t, w, "arrakis-qa/app-config")
	require.NoError(t, err)
	assert.Equal(t, "3f2c1ab", prev.Value)
	assert.Contains(t, names, "arrakis-qa/app-config", "the deployment created the secret")
	assert.Empty(t, versions, "but nobody put a value in it")

	_, _, versions, err = world(t, w, "arrakis-qa/vault-token")
	require.NoError(t, err)
	require.Len(t, versions, 1)
	assert.Equal(t, []string{"AWSCURRENT"}, versions[0].VersionStages)
}

func TestGetSecretsMatchesNamesByPrefixOnly(t *testing.T) {
	w := mock.World{SecretsWithValue: []string{"arrakis-qa/vault-token", "arrakis-qa-old/vault-token"}}
	var names []string
	_, err := mock.RunWith(withWorld(w), qa, func(ctx *pulumi.Context) error {
		found, err := secretsmanager.GetSecrets(ctx, &secretsmanager.GetSecretsArgs{
			Filters: []secretsmanager.GetSecretsFilter{{Name: "name", Values: []string{"arrakis-qa/vault", "arrakis-qa/app"}}},
		})
		if err != nil {
			return err
		}
		names = found.Names
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"arrakis-qa/vault-token"}, names, "no secret of another stack, none not in the world")

	_, err = mock.RunWith(withWorld(w), qa, func(ctx *pulumi.Context) error {
		_, err := secretsmanager.GetSecrets(ctx, &secretsmanager.GetSecretsArgs{
			Filters: []secretsmanager.GetSecretsFilter{{Name: "tag-key", Values: []string{"Project"}}},
		})
		return err
	})
	assert.ErrorContains(t, err, `mock: getSecrets filters by name only, got "tag-key"`)
}

func withWorld(w mock.World) *mock.Recorder {
	rec := mock.NewRecorder(qa.Project, qa.Stack, "eu-west-1")
	rec.World = w
	return rec
}

// The recorder runs the transforms a program puts on a remote component
// over the children its model of the plugin creates, through the program's
// own callback server, as the engine does when the plugin registers them.
func TestTransformsReachTheChildrenOfARemoteComponent(t *testing.T) {
	model := func(r *mock.Resource) []mock.Child {
		return []mock.Child{
			{Type: "aws:ec2/subnet:Subnet", Name: "net-public-1", Parent: r.URN, Inputs: resource.PropertyMap{"mapPublicIpOnLaunch": resource.NewProperty(true), "cidrBlock": resource.NewProperty("10.0.0.0/24")}},
			{Type: "aws:ec2/internetGateway:InternetGateway", Name: "net", Parent: r.URN, Inputs: resource.PropertyMap{}},
		}
	}
	register := func(transforms ...pulumi.ResourceTransform) func(ctx *pulumi.Context) error {
		return func(ctx *pulumi.Context) error {
			var c thing
			return ctx.RegisterRemoteComponentResource("test:index:Net", "net", pulumi.Map{}, &c, pulumi.Transforms(transforms))
		}
	}
	off := func(_ context.Context, a *pulumi.ResourceTransformArgs) *pulumi.ResourceTransformResult {
		if a.Type != "aws:ec2/subnet:Subnet" {
			return nil
		}
		props := pulumi.Map{"cidrBlock": a.Props["cidrBlock"], "mapPublicIpOnLaunch": pulumi.Bool(false)}
		return &pulumi.ResourceTransformResult{Props: props, Opts: a.Opts}
	}

	rec := mock.NewRecorder(qa.Project, qa.Stack, "eu-west-1")
	rec.ChildrenOf = model
	res, err := mock.RunWith(rec, qa, register(off))
	require.NoError(t, err)
	net := res.Find("test:index:Net", "net")
	require.NotNil(t, net)
	assert.Equal(t, 1, net.Transforms)
	require.Len(t, net.Children, 2)
	assert.Equal(t, resource.PropertyMap{"mapPublicIpOnLaunch": resource.NewProperty(false), "cidrBlock": resource.NewProperty("10.0.0.0/24")}, net.Children[0].Inputs)
	assert.Equal(t, resource.PropertyMap{}, net.Children[1].Inputs, "a transform that returns nil leaves the child alone")

	rec = mock.NewRecorder(qa.Project, qa.Stack, "eu-west-1")
	rec.ChildrenOf = model
	res, err = mock.RunWith(rec, qa, register())
	require.NoError(t, err)
	assert.Equal(t, true, res.Find("test:index:Net", "net").Children[0].Inputs["mapPublicIpOnLaunch"].BoolValue(), "no transform: as the plugin makes it")
}
