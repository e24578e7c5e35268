// Command bootstrap creates, once, what the arrakis program's state and CI
// need: the S3 bucket holding Pulumi state and its KMS key, one KMS key per
// stack for its secrets, GitHub's OIDC provider (or the account's existing
// one), a permissions boundary, and the CI roles — a read-only one for
// pull-request previews of staging, a read-only one for the main branch
// (the drift check), and one deploy role per stack that only that stack's
// GitHub environment may assume.
//
// It runs with local state (`pulumi login --local`) by an administrator, so
// it does not depend on the bucket it creates. Run with a command (`go run
// ./bootstrap plan --stack shared`) it shows offline what it would create.
package main

import (
	"fmt"
	"os"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/cli"
)

// settings are the bootstrap stack's config, validated.
type settings struct {
	Region     string
	Repository string // owner/name on GitHub
	Bucket     string
	// OIDCProvider is the ARN of the account's existing GitHub OIDC
	// provider; empty creates one.
	OIDCProvider string
}

const project = "arrakis-bootstrap"

var repoPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$`)

// offline is the command line that plans the program without AWS.
var offline = cli.Bootstrap{Project: project, Dir: "bootstrap", Program: run, Exceptions: policyExceptions()}

func main() {
	if len(os.Args) > 1 && offline.Handles(os.Args[1]) {
		os.Exit(offline.Main(os.Args[1:], os.Stdout, os.Stderr))
	}
	pulumi.Run(run)
}

func run(ctx *pulumi.Context) error {
	get := func(key string) string { v, _ := ctx.GetConfig(key); return v }
	s := settings{Region: get("aws:region"), Repository: get(project + ":githubRepository"), Bucket: get(project + ":stateBucket"),
		OIDCProvider: get(providerKey)}
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

	// Looked up before anything is created: a wrong ARN stops the run
	// with nothing half made.
	provider, err := githubProvider(ctx, account, s.OIDCProvider)
	if err != nil {
		return err
	}

	k, err := allKeys(ctx, account)
	if err != nil {
		return fmt.Errorf("creating the KMS keys: %w", err)
	}
	bucket, err := stateBucket(ctx, s.Bucket, k.state)
	if err != nil {
		return fmt.Errorf("creating the state bucket: %w", err)
	}
	roles, err := ciRoles(ctx, account, s, provider, bucket.Arn, k)
	if err != nil {
		return fmt.Errorf("creating the CI roles: %w", err)
	}

	providers := pulumi.StringMap{}
	for _, stack := range stacks {
		providers[stack] = pulumi.Sprintf("awskms://%s?region=%s", secretsAlias(stack), s.Region)
	}
	ctx.Export("stateBucket", bucket.Bucket)
	ctx.Export("backendUrl", pulumi.Sprintf("s3://%s?region=%s", bucket.Bucket, s.Region))
	ctx.Export("secretsProviders", providers)
	ctx.Export("githubOidcProviderArn", provider)
	ctx.Export("permissionsBoundaryArn", roles.boundary)
	ctx.Export("previewRoleArn", roles.preview)
	ctx.Export("driftRoleArn", roles.drift)
	ctx.Export("deployRoleArns", roles.deploy)
	return nil
}
