package main

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/awsiam"
	"github.com/arrakis/infrastructure/internal/naming"
)

const (
	githubIssuer   = "token.actions.githubusercontent.com"
	githubAudience = "sts.amazonaws.com"
	// ciPath keeps the CI roles out of the arrakis-<stack>-* names the
	// deploy roles may manage, so none can rewrite its own permissions.
	ciPath = "/ci/"
	// boundaryName (awsiam.BoundaryName) is the permissions boundary every role the deploy roles
	// create must carry. It has no path, so its ARN is
	// arn:aws:iam::<account>:policy/arrakis-ci-boundary.
	boundaryName = awsiam.BoundaryName

	readOnlyAccess = "arn:aws:iam::aws:policy/ReadOnlyAccess"

	// previewStack is the only stack pull requests preview: its secrets are
	// the only ones code no reviewer has approved may decrypt.
	previewStack = "staging"

	// Maximum sessions of the roles, in seconds (IAM accepts 3600 to
	// 43200). GitHub's OIDC token is exchanged for the role directly, not
	// through another role, so the one-hour cap of role chaining does not
	// apply. Each workflow asks for role-duration-seconds at least its
	// job's timeout and at most these.
	readSessionSeconds   = 3600 // preview and drift jobs time out after 30 minutes
	deploySessionSeconds = 7200 // `pulumi up` jobs time out after 90 minutes
)

// Subjects are the GitHub OIDC `sub` claims each role trusts. A job that
// names an environment gets repo:<owner>/<repo>:environment:<name>; one that
// does not gets the ref it runs on (repo:…:ref:refs/heads/main) or, for a
// pull request, repo:…:pull_request.
func previewSubject(repo string) string { return fmt.Sprintf("repo:%s:pull_request", repo) }

// mainSubject is a job on the main branch that names no environment: the
// scheduled drift check, and the production preview of a deploy.
func mainSubject(repo string) string { return fmt.Sprintf("repo:%s:ref:refs/heads/main", repo) }

// deploySubject is a job in a stack's GitHub environment. The environments
// accept only the main branch, and production waits for a reviewer, so
// only reviewed code reaches this role and only past the environment's
// rules.
func deploySubject(repo, stack string) string {
	return fmt.Sprintf("repo:%s:environment:%s", repo, stack)
}

// refs are the ARNs and names the CI policies are written with.
type refs struct {
	Account, Region string
	Bucket          string            // the state bucket's ARN
	StateKey        string            // the state key's ARN
	StackKeys       map[string]string // stack -> its secrets key's ARN
	Boundary        string            // the permissions boundary's ARN
}

// roleARNs are the CI roles' ARNs, exported for the repository's settings.
type roleARNs struct {
	preview, drift pulumi.StringOutput
	deploy         pulumi.StringMap
	boundary       pulumi.StringOutput
}

// ciRoles creates the permissions boundary and the CI roles: one for
// pull-request previews, one for the drift check, one deploy role per stack.
func ciRoles(ctx *pulumi.Context, account string, s settings, provider pulumi.StringOutput, bucket pulumi.StringOutput, k *keys) (*roleARNs, error) {
	boundaryDoc, err := BoundaryPolicy(account, s.Region).JSON()
	if err != nil {
		return nil, err
	}
	boundary, err := iam.NewPolicy(ctx, "boundary", &iam.PolicyArgs{
		Name:        pulumi.String(boundaryName),
		Description: pulumi.String("Permissions boundary of every role the arrakis deploy roles create: no IAM, no Organizations, nothing on the CI roles"),
		Policy:      pulumi.String(boundaryDoc),
	})
	if err != nil {
		return nil, err
	}

	inputs := []any{bucket, k.state.Arn, boundary.Arn}
	for _, stack := range stacks {
		inputs = append(inputs, k.stacks[stack].Arn)
	}
	all := pulumi.All(inputs...).ApplyT(func(v []any) any {
		r := refs{Account: account, Region: s.Region, Bucket: v[0].(string), StateKey: v[1].(string), Boundary: v[2].(string),
			StackKeys: map[string]string{}}
		for i, stack := range stacks {
			r.StackKeys[stack] = v[3+i].(string)
		}
		return r
	}).(pulumi.AnyOutput)

	arns := &roleARNs{deploy: pulumi.StringMap{}, boundary: boundary.Arn}
	preview, err := ciRole(ctx, "preview", "Pull-request previews of the arrakis "+previewStack+" stack: read only",
		provider, []string{previewSubject(s.Repository)}, readSessionSeconds)
	if err != nil {
		return nil, err
	}
	if err := readOnly(ctx, "preview", preview); err != nil {
		return nil, err
	}
	if err := inlinePolicy(ctx, "preview-access", preview, all, PreviewAccess); err != nil {
		return nil, err
	}
	arns.preview = preview.Arn

	drift, err := ciRole(ctx, "drift", "The main branch's read-only view of every arrakis stack: the drift check and the production preview",
		provider, []string{mainSubject(s.Repository)}, readSessionSeconds)
	if err != nil {
		return nil, err
	}
	if err := readOnly(ctx, "drift", drift); err != nil {
		return nil, err
	}
	if err := inlinePolicy(ctx, "drift-access", drift, all, DriftAccess); err != nil {
		return nil, err
	}
	arns.drift = drift.Arn

	for _, stack := range stacks {
		deploy, err := ciRole(ctx, "deploy-"+stack, "Deploys the arrakis "+stack+" stack from its GitHub environment",
			provider, []string{deploySubject(s.Repository, stack)}, deploySessionSeconds)
		if err != nil {
			return nil, err
		}
		if err := inlinePolicy(ctx, "deploy-"+stack+"-access", deploy, all, func(r refs) awsiam.Document {
			return DeployAccess(r, stack)
		}); err != nil {
			return nil, err
		}
		arns.deploy[stack] = deploy.Arn
	}
	return arns, nil
}

func ciRole(ctx *pulumi.Context, role, description string, provider pulumi.StringOutput, subjects []string, session int) (*iam.Role, error) {
	trust := provider.ApplyT(func(arn string) (string, error) { return GitHubTrust(arn, subjects).JSON() }).(pulumi.StringOutput)
	return iam.NewRole(ctx, role, &iam.RoleArgs{
		Name:               pulumi.String("arrakis-ci-" + role),
		Path:               pulumi.String(ciPath),
		Description:        pulumi.String(description),
		AssumeRolePolicy:   trust,
		MaxSessionDuration: pulumi.Int(session),
	})
}

// readOnly attaches AWS's ReadOnlyAccess: what `pulumi preview` needs to
// read the resources it refreshes and the data sources it looks up.
func readOnly(ctx *pulumi.Context, name string, role *iam.Role) error {
	_, err := iam.NewRolePolicyAttachment(ctx, name+"-read-only", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(readOnlyAccess),
	}, pulumi.Parent(role))
	return err
}

func inlinePolicy(ctx *pulumi.Context, name string, role *iam.Role, in pulumi.AnyOutput, doc func(refs) awsiam.Document) error {
	policy := in.ApplyT(func(r any) (string, error) { return doc(r.(refs)).JSON() }).(pulumi.StringOutput)
	_, err := iam.NewRolePolicy(ctx, name, &iam.RolePolicyArgs{
		Name:   pulumi.String(name),
		Role:   role.Name,
		Policy: policy,
	}, pulumi.Parent(role))
	return err
}

// GitHubTrust lets GitHub Actions jobs whose token carries one of the
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

// stateObjects are the state bucket's objects of one stack. Pulumi's
// project-scoped layout keeps .pulumi/stacks/arrakis/<stack>.json,
// .pulumi/history/arrakis/<stack>/…, .pulumi/backups/arrakis/<stack>/… and
// .pulumi/locks/<organization>/arrakis/<stack>/….
func stateObjects(bucketARN, stack string) []string {
	return []string{
		bucketARN + "/.pulumi/*/" + mainProject + "/" + stack + ".json*",
		bucketARN + "/.pulumi/*/" + mainProject + "/" + stack + "/*",
	}
}

// otherStacks are the stacks but one, sorted.
func otherStacks(r refs, stack string) []string {
	var out []string
	for s := range r.StackKeys {
		if s != stack {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// viaS3 is the state key used by S3 on the caller's behalf, to read or
// write state objects, and never directly.
func viaS3(sid string, actions []string, r refs) awsiam.Statement {
	st := awsiam.Allow(sid, actions, []string{r.StateKey})
	st.Condition = awsiam.Condition{"StringEquals": {"kms:ViaService": {"s3." + r.Region + ".amazonaws.com"}}}
	return st
}

// PreviewAccess adds to ReadOnlyAccess what `pulumi preview` of the preview
// stack needs: the state key through S3, and that stack's secrets key. Any
// branch of the repository can run its own program with this role, so it
// denies what would expose another stack: the other stacks' secrets keys
// and state, and every secret value.
func PreviewAccess(r refs) awsiam.Document {
	var keys, state []string
	for _, s := range otherStacks(r, previewStack) {
		keys = append(keys, r.StackKeys[s])
		state = append(state, stateObjects(r.Bucket, s)...)
	}
	return awsiam.Document{Version: awsiam.Version, Statement: []awsiam.Statement{
		viaS3("ReadStateThroughS3", []string{"kms:Decrypt"}, r),
		awsiam.Allow("DecryptPreviewStackSecrets", []string{"kms:Decrypt"}, []string{r.StackKeys[previewStack]}),
		{Sid: "NoOtherStackSecrets", Effect: "Deny", Action: awsiam.List{"kms:Decrypt"}, Resource: keys},
		{Sid: "NoOtherStackState", Effect: "Deny", Action: awsiam.List{"s3:GetObject", "s3:GetObjectVersion"}, Resource: state},
		{Sid: "NoSecretValues", Effect: "Deny", Action: awsiam.List{"secretsmanager:GetSecretValue"}, Resource: awsiam.List{"*"}},
	}}
}

// stackSecrets are the Secrets Manager secrets of a stack
// (arrakis-<stack>/<name>, with the suffix AWS adds).
func stackSecrets(r refs, stack string) string {
	return fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s/*", r.Region, r.Account, naming.New(stack).Prefix())
}

// DriftAccess adds to ReadOnlyAccess what `pulumi preview --refresh` of
// every stack needs: the state through S3, the stacks' secrets keys, and
// the values of the stacks' secrets (refreshing a secret version reads it).
// It writes nothing.
func DriftAccess(r refs) awsiam.Document {
	var keys, secrets []string
	for _, s := range stacks {
		keys = append(keys, r.StackKeys[s])
		secrets = append(secrets, stackSecrets(r, s))
	}
	values := awsiam.Allow("DecryptStackSecretValues", []string{"kms:Decrypt"},
		[]string{fmt.Sprintf("arn:aws:kms:%s:%s:key/*", r.Region, r.Account)})
	values.Condition = awsiam.Condition{"StringEquals": {"kms:ViaService": {"secretsmanager." + r.Region + ".amazonaws.com"}}}
	return awsiam.Document{Version: awsiam.Version, Statement: []awsiam.Statement{
		viaS3("ReadStateThroughS3", []string{"kms:Decrypt"}, r),
		awsiam.Allow("DecryptStackSecrets", []string{"kms:Decrypt"}, keys),
		awsiam.Allow("ReadStackSecretValues", []string{"secretsmanager:GetSecretValue"}, secrets),
		values,
	}}
}

// stackServices are the services whose resources the program manages in
// full. IAM, KMS, Secrets Manager and S3 are not among them: DeployAccess
// grants those statement by statement.
var stackServices = []string{
	"ec2:*", "ecs:*", "ecr:*", "rds:*", "elasticache:*", "elasticloadbalancing:*",
	"acm:*", "route53:*", "logs:*", "cloudwatch:*", "sns:*", "application-autoscaling:*", "wafv2:*",
}

// DeployAccess is what `pulumi up` of one stack needs, and no more of IAM,
// KMS, Secrets Manager and the state than that stack's own:
//   - its state objects, and the state key through S3;
//   - its secrets key, to use and never to change (Deny below);
//   - the keys, aliases and secrets the program creates for the stack,
//     told apart by the stack's Environment tag and arrakis-<stack> names;
//   - roles named arrakis-<stack>-*, created and given policies only with
//     the permissions boundary, passed only to ECS tasks, VPC Flow Logs and
//     RDS enhanced monitoring.
//
// It denies removing a boundary, touching the CI roles, the boundary or the
// OIDC provider, and assuming any role.
func DeployAccess(r refs, stack string) awsiam.Document {
	prefix := naming.New(stack).Prefix()
	roles := fmt.Sprintf("arn:aws:iam::%s:role/%s-*", r.Account, prefix)
	keys := fmt.Sprintf("arn:aws:kms:%s:%s:key/*", r.Region, r.Account)
	thisStack := func(tag string) map[string]awsiam.List {
		return map[string]awsiam.List{"aws:" + tag + "/Project": {"Arrakis"}, "aws:" + tag + "/Environment": {stack}}
	}
	bootstrapKeys := []string{r.StateKey}
	for _, s := range stacks {
		bootstrapKeys = append(bootstrapKeys, r.StackKeys[s])
	}

	createKeys := awsiam.Allow("CreateStackKeys", []string{"kms:CreateKey", "kms:TagResource"}, []string{"*"})
	createKeys.Condition = awsiam.Condition{"StringEquals": thisStack("RequestTag")}
	manageKeys := awsiam.Allow("ManageStackKeys", []string{
		"kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus",
		"kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:ListResourceTags", "kms:TagResource",
		"kms:UntagResource", "kms:UpdateKeyDescription", "kms:EnableKey", "kms:DisableKey",
		"kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias",
		"kms:UpdateAlias", "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey",
	}, []string{keys})
	manageKeys.Condition = awsiam.Condition{"StringEquals": thisStack("ResourceTag")}
	bounded := awsiam.Allow("ChangeStackRolesWithinTheBoundary", []string{
		"iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
		"iam:PutRolePolicy", "iam:DeleteRolePolicy",
	}, []string{roles})
	bounded.Condition = awsiam.Condition{"StringEquals": {"iam:PermissionsBoundary": {r.Boundary}}}

	return awsiam.Document{Version: awsiam.Version, Statement: []awsiam.Statement{
		awsiam.Allow("ReadAndWriteOwnState", []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"},
			stateObjects(r.Bucket, stack)),
		awsiam.Allow("FindState", []string{"s3:ListBucket"}, []string{r.Bucket}),
		awsiam.Allow("ReadBackendMetadata", []string{"s3:GetObject"}, []string{r.Bucket + "/.pulumi/meta.yaml"}),
		viaS3("StateThroughS3", []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}, r),
		awsiam.Allow("OwnStackSecrets", []string{"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"}, []string{r.StackKeys[stack]}),
		awsiam.Allow("ManageStackServices", append(append([]string{}, stackServices...), "sts:GetCallerIdentity"), []string{"*"}),
		createKeys,
		manageKeys,
		awsiam.Allow("ManageStackKeyAliases", []string{"kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"},
			[]string{fmt.Sprintf("arn:aws:kms:%s:%s:alias/%s-*", r.Region, r.Account, prefix)}),
		awsiam.Allow("ListKeyAliases", []string{"kms:ListAliases"}, []string{"*"}),
		awsiam.Allow("ManageStackSecrets", []string{
			"secretsmanager:CreateSecret", "secretsmanager:DeleteSecret", "secretsmanager:RestoreSecret",
			"secretsmanager:DescribeSecret", "secretsmanager:UpdateSecret", "secretsmanager:TagResource",
			"secretsmanager:UntagResource", "secretsmanager:GetResourcePolicy", "secretsmanager:PutResourcePolicy",
			"secretsmanager:DeleteResourcePolicy", "secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue",
			"secretsmanager:ListSecretVersionIds", "secretsmanager:UpdateSecretVersionStage",
		}, []string{stackSecrets(r, stack)}),
		awsiam.Allow("FindStackSecrets", []string{"secretsmanager:ListSecrets"}, []string{"*"}),
		awsiam.Allow("ReadStackRoles", []string{
			"iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:GetRolePolicy",
			"iam:ListInstanceProfilesForRole", "iam:ListRoleTags",
		}, []string{roles}),
		bounded,
		awsiam.Allow("UpdateStackRoles", []string{
			"iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
			"iam:TagRole", "iam:UntagRole",
		}, []string{roles}),
		{
			Sid: "PassStackRoles", Effect: "Allow",
			Action: awsiam.List{"iam:PassRole"}, Resource: awsiam.List{roles},
			Condition: awsiam.Condition{"StringEquals": {"iam:PassedToService": awsiam.RoleServices}},
		},
		{
			Sid: "ServiceLinkedRoles", Effect: "Allow",
			Action: awsiam.List{"iam:CreateServiceLinkedRole"}, Resource: awsiam.List{"*"},
			Condition: awsiam.Condition{"StringEquals": {"iam:AWSServiceName": {
				"ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com", "rds.amazonaws.com",
				"elasticache.amazonaws.com", "ecs.application-autoscaling.amazonaws.com",
			}}},
		},
		{Sid: "KeepBoundaries", Effect: "Deny", Action: awsiam.List{"iam:DeleteRolePermissionsBoundary"}, Resource: awsiam.List{"*"}},
		{
			Sid: "NoCIRolesBoundaryOrProvider", Effect: "Deny", Action: awsiam.List{"iam:*"},
			Resource: awsiam.List{
				fmt.Sprintf("arn:aws:iam::%s:role%s*", r.Account, ciPath),
				r.Boundary,
				fmt.Sprintf("arn:aws:iam::%s:oidc-provider/*", r.Account),
			},
		},
		{Sid: "AssumeNoRole", Effect: "Deny", Action: awsiam.List{"sts:AssumeRole"}, Resource: awsiam.List{"*"}},
		{
			Sid: "OnlyUseBootstrapKeys", Effect: "Deny",
			NotAction: awsiam.List{"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"},
			Resource:  bootstrapKeys,
		},
	}}
}

// BoundaryPolicy is the most any role the deploy roles create may do: what
// the program's roles need (ECS pulling images, writing logs and reading
// arrakis-* secrets; VPC Flow Logs writing its log group; RDS enhanced
// monitoring writing RDSOSMetrics, the group RDS keeps for it), and explicitly
// no IAM, no Organizations, nothing on the CI roles, and no change of a
// boundary, so that a role created under it cannot lift it.
func BoundaryPolicy(account, region string) awsiam.Document {
	logs := func(group string) string {
		return fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, account, group)
	}
	decrypt := awsiam.Allow("DecryptSecretsThroughSecretsManager", []string{"kms:Decrypt"},
		[]string{fmt.Sprintf("arn:aws:kms:%s:%s:key/*", region, account)})
	decrypt.Condition = awsiam.Condition{"StringEquals": {"kms:ViaService": {"secretsmanager." + region + ".amazonaws.com"}}}
	return awsiam.Document{Version: awsiam.Version, Statement: []awsiam.Statement{
		awsiam.Allow("ECRLogin", []string{"ecr:GetAuthorizationToken"}, []string{"*"}),
		awsiam.Allow("PullArrakisImages", []string{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"},
			[]string{fmt.Sprintf("arn:aws:ecr:%s:%s:repository/arrakis-*", region, account)}),
		awsiam.Allow("WriteArrakisLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
			[]string{logs("/ecs/arrakis-*"), logs("/aws/vpc/arrakis-*")}),
		awsiam.Allow("RDSEnhancedMonitoring", []string{
			"logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:CreateLogStream", "logs:PutLogEvents",
			"logs:DescribeLogStreams", "logs:GetLogEvents",
		}, []string{logs("RDSOSMetrics"), logs("RDSOSMetrics:*")}),
		awsiam.Allow("ReadArrakisSecrets", []string{"secretsmanager:GetSecretValue"},
			[]string{fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:arrakis-*", region, account)}),
		decrypt,
		{Sid: "NoIAM", Effect: "Deny", Action: awsiam.List{"iam:*"}, Resource: awsiam.List{"*"}},
		{Sid: "NoOrganizations", Effect: "Deny", Action: awsiam.List{"organizations:*"}, Resource: awsiam.List{"*"}},
		{
			Sid: "NoBoundaryChanges", Effect: "Deny",
			Action: awsiam.List{
				"iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary",
				"iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy",
			},
			Resource: awsiam.List{"*"},
		},
		{Sid: "NoCIRoles", Effect: "Deny", Action: awsiam.List{"*"}, Resource: awsiam.List{fmt.Sprintf("arn:aws:iam::%s:role%s*", account, ciPath)}},
	}}
}
