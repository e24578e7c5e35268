package main

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/awsiam"
)

// secretsAlias names the key every arrakis stack encrypts its secrets with
// (`pulumi stack init --secrets-provider awskms://alias/arrakis-pulumi-secrets`).
const secretsAlias = "alias/arrakis-pulumi-secrets"

// secretsKey is the KMS key for stack secrets and the state bucket. Its
// policy leaves access to IAM in this account; the CI roles get exactly the
// uses they need.
func secretsKey(ctx *pulumi.Context, account string) (*kms.Key, error) {
	policy, err := awsiam.Document{Version: awsiam.Version, Statement: []awsiam.Statement{awsiam.AccountAdministersKey(account)}}.JSON()
	if err != nil {
		return nil, err
	}
	key, err := kms.NewKey(ctx, "pulumi-secrets", &kms.KeyArgs{
		Description:          pulumi.String("Encrypts the arrakis Pulumi stacks' secrets and state bucket"),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(awsiam.KeyDeletionWindowDays(true)),
		Policy:               pulumi.String(policy),
	}, pulumi.Protect(true))
	if err != nil {
		return nil, err
	}
	_, err = kms.NewAlias(ctx, "pulumi-secrets", &kms.AliasArgs{
		Name:        pulumi.String(secretsAlias),
		TargetKeyId: key.KeyId,
	}, pulumi.Protect(true))
	return key, err
}

// stateBucket holds every stack's state: versioned (a bad write can be
// rolled back), encrypted with the secrets key, private, TLS only.
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
