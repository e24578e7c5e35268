// Command bootstrap creates, once, what the arrakis program's state and CI
// need: the S3 bucket holding Pulumi state, the KMS key encrypting stack
// secrets, GitHub's OIDC provider, and two roles — one pull-request previews
// may assume (read only) and one only the main branch may assume (deploy).
//
// It runs with local state (`pulumi login --local`) by an administrator, so
// it does not depend on the bucket it creates.
package main

import (
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// settings are the bootstrap stack's config, validated.
type settings struct {
	Region     string
	Repository string // owner/name on GitHub
	Bucket     string
}

const project = "arrakis-bootstrap"

var repoPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$`)

func main() {
	pulumi.Run(run)
}

func run(ctx *pulumi.Context) error {
	get := func(key string) string { v, _ := ctx.GetConfig(key); return v }
	s := settings{Region: get("aws:region"), Repository: get(project + ":githubRepository"), Bucket: get(project + ":stateBucket")}
	if !repoPattern.MatchString(s.Repository) {
		return fmt.Errorf("arrakis-bootstrap:githubRepository: got %q; must be owner/name of a GitHub repository", s.Repository)
	}
	if s.Region == "" {
		return fmt.Errorf("aws:region: not set; must name the AWS region, e.g. us-east-1")
	}
	caller, err := aws.GetCallerIdentity(ctx, nil)
	if err != nil {
		return fmt.Errorf("looking up the AWS account: %w", err)
	}
	account := caller.AccountId
	if s.Bucket == "" {
		s.Bucket = "arrakis-pulumi-state-" + account
	}

	key, err := secretsKey(ctx, account)
	if err != nil {
		return fmt.Errorf("creating the stack secrets key: %w", err)
	}
	bucket, err := stateBucket(ctx, s.Bucket, key)
	if err != nil {
		return fmt.Errorf("creating the state bucket: %w", err)
	}
	roles, err := ciRoles(ctx, account, s, bucket, key)
	if err != nil {
		return fmt.Errorf("creating the CI roles: %w", err)
	}

	ctx.Export("stateBucket", bucket.Bucket)
	ctx.Export("backendUrl", pulumi.Sprintf("s3://%s?region=%s", bucket.Bucket, s.Region))
	ctx.Export("secretsProvider", pulumi.Sprintf("awskms://%s?region=%s", secretsAlias, s.Region))
	ctx.Export("previewRoleArn", roles.preview)
	ctx.Export("deployRoleArn", roles.deploy)
	return nil
}
