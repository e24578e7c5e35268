package main

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/awsiam"
)

const (
	githubIssuer   = "token.actions.githubusercontent.com"
	githubAudience = "sts.amazonaws.com"
	// ciPath keeps the CI roles out of the arrakis-* names the deploy role
	// may manage, so it can never rewrite its own permissions.
	ciPath = "/ci/"
)

// Subjects are the GitHub OIDC `sub` claims each role trusts.
func previewSubjects(repo string) []string {
	return []string{fmt.Sprintf("repo:%s:pull_request", repo)}
}

// deploySubjects: the main branch itself (the scheduled drift check) and the
// staging and production environments, which the repository restricts to
// the main branch (README, "Deploying").
func deploySubjects(repo string) []string {
	return []string{
		fmt.Sprintf("repo:%s:ref:refs/heads/main", repo),
		fmt.Sprintf("repo:%s:environment:staging", repo),
		fmt.Sprintf("repo:%s:environment:production", repo),
	}
}

type roleARNs struct{ preview, deploy pulumi.StringOutput }

// ciRoles creates the GitHub OIDC provider and the two CI roles.
func ciRoles(ctx *pulumi.Context, account string, s settings, bucket *s3.BucketV2, key *kms.Key) (*roleARNs, error) {
	provider, err := iam.NewOpenIdConnectProvider(ctx, "github", &iam.OpenIdConnectProviderArgs{
		Url:           pulumi.String("https://" + githubIssuer),
		ClientIdLists: pulumi.StringArray{pulumi.String(githubAudience)},
	})
	if err != nil {
		return nil, err
	}

	preview, err := ciRole(ctx, "preview", "Pull-request previews of the arrakis stacks: read only",
		provider.Arn, previewSubjects(s.Repository))
	if err != nil {
		return nil, err
	}
	if _, err := iam.NewRolePolicyAttachment(ctx, "preview-read-only", &iam.RolePolicyAttachmentArgs{
		Role:      preview.Name,
		PolicyArn: pulumi.String("arn:aws:iam::aws:policy/ReadOnlyAccess"),
	}, pulumi.Parent(preview)); err != nil {
		return nil, err
	}
	if err := inlinePolicy(ctx, "preview-state", preview, pulumi.All(bucket.Arn, key.Arn), func(v []any) awsiam.Document {
		return PreviewAccess(v[0].(string), v[1].(string))
	}); err != nil {
		return nil, err
	}

	deploy, err := ciRole(ctx, "deploy", "Deploys the arrakis stacks from the main branch",
		provider.Arn, deploySubjects(s.Repository))
	if err != nil {
		return nil, err
	}
	if err := inlinePolicy(ctx, "deploy-access", deploy, pulumi.All(bucket.Arn, key.Arn), func(v []any) awsiam.Document {
		return DeployAccess(account, v[0].(string), v[1].(string))
	}); err != nil {
		return nil, err
	}
	return &roleARNs{preview: preview.Arn, deploy: deploy.Arn}, nil
}

func ciRole(ctx *pulumi.Context, role, description string, provider pulumi.StringOutput, subjects []string) (*iam.Role, error) {
	trust := provider.ApplyT(func(arn string) (string, error) { return GitHubTrust(arn, subjects).JSON() }).(pulumi.StringOutput)
	return iam.NewRole(ctx, role, &iam.RoleArgs{
		Name:               pulumi.String("arrakis-ci-" + role),
		Path:               pulumi.String(ciPath),
		Description:        pulumi.String(description),
		AssumeRolePolicy:   trust,
		MaxSessionDuration: pulumi.Int(3600),
	})
}

func inlinePolicy(ctx *pulumi.Context, name string, role *iam.Role, in pulumi.ArrayOutput, doc func([]any) awsiam.Document) error {
	policy := in.ApplyT(func(v []any) (string, error) { return doc(v).JSON() }).(pulumi.StringOutput)
	_, err := iam.NewRolePolicy(ctx, name, &iam.RolePolicyArgs{
		Name:   pulumi.String(name),
		Role:   role.Name,
		Policy: policy,
	}, pulumi.Parent(role))
	return err
}

// GitHubTrust lets GitHub Actions workflows whose token carries one of the
// subjects, for AWS STS, assume a role.
func GitHubTrust(providerARN string, subjects []string) awsiam.Document {
	return awsiam.Document{Version: awsiam.Version, Statement: []awsiam.Statement{{
		Sid:       "GitHubActions",
		Effect:    "Allow",
		Principal: &awsiam.Principal{Federated: awsiam.List{providerARN}},
		Action:    awsiam.List{"sts:AssumeRoleWithWebIdentity"},
		Condition: awsiam.Condition{
			"StringEquals": {githubIssuer + ":aud": {githubAudience}, githubIssuer + ":sub": subjects},
		},
	}}}
}

// PreviewAccess adds to ReadOnlyAccess what `pulumi preview` needs: reading
// state (ReadOnlyAccess already can) and decrypting stack secrets. It never
// writes state.
func PreviewAccess(bucketARN, keyARN string) awsiam.Document {
	return awsiam.Document{Version: awsiam.Version, Statement: []awsiam.Statement{
		awsiam.Allow("ReadState", []string{"s3:ListBucket", "s3:GetObject"}, []string{bucketARN, bucketARN + "/*"}),
		awsiam.Allow("DecryptStackSecrets", []string{"kms:Decrypt"}, []string{keyARN}),
	}}
}

// DeployAccess is what `pulumi up` of an arrakis stack needs: the services
// the program manages, IAM only for arrakis-* roles, and the state.
func DeployAccess(account, bucketARN, keyARN string) awsiam.Document {
	roles := "arn:aws:iam::" + account + ":role/arrakis-*"
	return awsiam.Document{Version: awsiam.Version, Statement: []awsiam.Statement{
		awsiam.Allow("ReadWriteState",
			[]string{"s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"},
			[]string{bucketARN, bucketARN + "/*"}),
		awsiam.Allow("StackSecrets", []string{"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"}, []string{keyARN}),
		awsiam.Allow("ManageArrakisServices", []string{
			"ec2:*", "ecs:*", "ecr:*", "rds:*", "elasticache:*", "elasticloadbalancing:*",
			"acm:*", "route53:*", "secretsmanager:*", "kms:*", "logs:*", "cloudwatch:*", "sns:*",
			"application-autoscaling:*", "sts:GetCallerIdentity",
		}, []string{"*"}),
		awsiam.Allow("ManageArrakisRoles", []string{
			"iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy",
			"iam:TagRole", "iam:UntagRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
			"iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy",
			"iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:ListInstanceProfilesForRole",
		}, []string{roles}),
		{
			Sid: "PassArrakisRoles", Effect: "Allow",
			Action: awsiam.List{"iam:PassRole"}, Resource: awsiam.List{roles},
			Condition: awsiam.Condition{"StringEquals": {"iam:PassedToService": {
				"ecs-tasks.amazonaws.com", "vpc-flow-logs.amazonaws.com",
			}}},
		},
		{
			Sid: "ServiceLinkedRoles", Effect: "Allow",
			Action: awsiam.List{"iam:CreateServiceLinkedRole"}, Resource: awsiam.List{"*"},
			Condition: awsiam.Condition{"StringEquals": {"iam:AWSServiceName": {
				"ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com", "rds.amazonaws.com",
				"elasticache.amazonaws.com", "ecs.application-autoscaling.amazonaws.com",
			}}},
		},
	}}
}
