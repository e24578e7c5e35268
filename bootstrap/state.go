package main

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/awsiam"
)

// mainProject is the Pulumi project whose stacks the bootstrap serves.
const mainProject = "arrakis"

// stacks are the main project's stacks. Each has its own secrets key, its
// own part of the state bucket and its own deploy role.
var stacks = []string{"staging", "production"}

// stateAlias names the key the state bucket is encrypted with.
const stateAlias = "alias/arrakis-pulumi-state"

// secretsAlias names the key a stack encrypts its secrets with
// (`pulumi stack init <stack> --secrets-provider awskms://alias/arrakis-pulumi-secrets-<stack>`).
// One key per stack: whoever may decrypt staging's secrets cannot decrypt
// production's.
func secretsAlias(stack string) string { return "alias/arrakis-pulumi-secrets-" + stack }

// keys are the bootstrap's KMS keys: the state bucket's, and each stack's.
type keys struct {
	state  *kms.Key
	stacks map[string]*kms.Key
}

// allKeys creates the state key and one secrets key per stack.
func allKeys(ctx *pulumi.Context, account string) (*keys, error) {
	state, err := newKey(ctx, "state", stateAlias, "Encrypts the arrakis Pulumi state bucket", account, nil)
	if err != nil {
		return nil, err
	}
	k := &keys{state: state, stacks: map[string]*kms.Key{}}
	for _, stack := range stacks {
		// The bootstrap's keys keep the bootstrap stack's Environment tag
		// (shared): the deploy roles manage only keys tagged with their
		// own stack, so a stack's deploy role can use its secrets key and
		// never change or delete it.
		key, err := newKey(ctx, "secrets-"+stack, secretsAlias(stack),
			"Encrypts the secrets of the arrakis "+stack+" stack", account, pulumi.StringMap{"Stack": pulumi.String(stack)})
		if err != nil {
			return nil, err
		}
		k.stacks[stack] = key
	}
	return k, nil
}

// newKey is a protected, rotated KMS key and its alias. Its policy leaves
// access to IAM in this account; the CI roles get exactly the uses they
// need.
func newKey(ctx *pulumi.Context, name, alias, description, account string, tags pulumi.StringMap) (*kms.Key, error) {
	policy, err := awsiam.Document{Version: awsiam.Version, Statement: []awsiam.Statement{awsiam.AccountAdministersKey(account)}}.JSON()
	if err != nil {
		return nil, err
	}
	key, err := kms.NewKey(ctx, name, &kms.KeyArgs{
		Description:          pulumi.String(description),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(awsiam.KeyDeletionWindowDays(true)),
		Policy:               pulumi.String(policy),
		Tags:                 tags,
	}, pulumi.Protect(true))
	if err != nil {
		return nil, err
	}
	_, err = kms.NewAlias(ctx, name, &kms.AliasArgs{
		Name:        pulumi.String(alias),
		TargetKeyId: key.KeyId,
	}, pulumi.Protect(true))
	return key, err
}

// stateBucket holds every stack's state: versioned (a bad write can be
// rolled back), encrypted with the state key, private, TLS only.
func stateBucket(ctx *pulumi.Context, name string, key *kms.Key) (*s3.BucketV2, error) {
	bucket, err := s3.NewBucketV2(ctx, "state", &s3.BucketV2Args{
		Bucket: pulumi.String(name),
	}, pulumi.Protect(true))
	if err != nil {
		return nil, err
	}
	opts := []pulumi.ResourceOption{pulumi.Parent(bucket)}
	if _, err := s3.NewBucketVersioningV2(ctx, "state-versioning", &s3.BucketVersioningV2Args{
		Bucket:                  bucket.ID(),
		VersioningConfiguration: s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, opts...); err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, "state-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm:   pulumi.String("aws:kms"),
				KmsMasterKeyId: key.Arn,
			},
			BucketKeyEnabled: pulumi.Bool(true),
		}},
	}, opts...); err != nil {
		return nil, err
	}
	block, err := s3.NewBucketPublicAccessBlock(ctx, "state-public-access", &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, opts...)
	if err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketOwnershipControls(ctx, "state-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.ID(),
		Rule:   s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, opts...); err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, "state-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:     pulumi.String("expire-old-state-versions"),
			Status: pulumi.String("Enabled"),
			Filter: s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
			NoncurrentVersionExpiration: s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
				NoncurrentDays: pulumi.Int(90),
			},
			AbortIncompleteMultipartUpload: s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
				DaysAfterInitiation: pulumi.Int(7),
			},
		}},
	}, opts...); err != nil {
		return nil, err
	}
	policy := bucket.Arn.ApplyT(func(arn string) (string, error) { return TLSOnly(arn).JSON() }).(pulumi.StringOutput)
	// S3 rejects a bucket policy written while the public access block is
	// being applied, so the policy waits for it.
	if _, err := s3.NewBucketPolicy(ctx, "state-policy", &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: policy,
	}, append(opts, pulumi.DependsOn([]pulumi.Resource{block}))...); err != nil {
		return nil, err
	}
	return bucket, nil
}

// TLSOnly denies every request to the bucket that is not over TLS 1.2+.
func TLSOnly(bucketARN string) awsiam.Document {
	resources := awsiam.List{bucketARN, bucketARN + "/*"}
	return awsiam.Document{Version: awsiam.Version, Statement: []awsiam.Statement{
		{
			Sid: "DenyInsecureTransport", Effect: "Deny",
			Principal: &awsiam.Principal{AWS: awsiam.List{"*"}},
			Action:    awsiam.List{"s3:*"}, Resource: resources,
			Condition: awsiam.Condition{"Bool": {"aws:SecureTransport": {"false"}}},
		},
		{
			Sid: "DenyOldTLS", Effect: "Deny",
			Principal: &awsiam.Principal{AWS: awsiam.List{"*"}},
			Action:    awsiam.List{"s3:*"}, Resource: resources,
			Condition: awsiam.Condition{"NumericLessThan": {"s3:TlsVersion": {"1.2"}}},
		},
	}}
}
