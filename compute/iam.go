package compute

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/awsiam"
	"github.com/arrakis/infrastructure/internal/naming"
)

const (
	// ecsTasks is the only principal the task roles trust.
	ecsTasks = "ecs-tasks.amazonaws.com"
	// TaskExecutionPolicyARN is AWS's managed policy for pulling images from
	// ECR and writing container logs.
	TaskExecutionPolicyARN = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
)

// roles gives each task two roles, both assumable only by ECS tasks of this
// account and both under the bootstrap's permissions boundary (the CI
// deploy roles may create roles only with it):
//   - an execution role, used by ECS to start the task: the managed policy
//     for the image and the logs, plus reading exactly the secrets the
//     task's containers reference;
//   - a task role, the application's own identity. The application calls
//     no AWS API today (its secrets arrive as environment variables), so
//     the role has no policy; a permission the app comes to need is added
//     here, to the task that needs it only.
//
// One pair per task keeps the worker from holding what only the API needs,
// and the other way round, as soon as their needs differ.
//
// A stack taken over from Terraform keeps its one shared pair for the API
// and the worker; a configured service always has a pair of its own.
func (b *builder) roles() error {
	own := b.args.allTasks()
	if b.args.SharedRoles != nil {
		if err := b.sharedRoles(); err != nil {
			return err
		}
		own = b.args.serviceNames()
	}
	for _, name := range own {
		p, err := b.rolePair(name+"-", rolePairNames{
			execution: b.Names.Name(name+"-execution", naming.LimitIAM),
			policy:    "read-task-secrets",
			task:      b.Names.Name(name+"-task", naming.LimitIAM),
			what:      "the " + name + " task",
			app:       "the " + name + " application",
		}, name, policyKey(name))
		if err != nil {
			return err
		}
		*b.tasks[name] = p.assign(*b.tasks[name])
	}
	return nil
}

// sharedRoles gives both tasks the one pair of roles a stack taken over
// from Terraform shares: its execution role reads the secrets of both.
func (b *builder) sharedRoles() error {
	r := b.args.SharedRoles
	p, err := b.rolePair("", rolePairNames{
		execution: r.Execution, policy: r.ExecutionPolicy, task: r.Task,
		what: "the api and worker tasks", app: "the api and worker applications",
	}, APIContainer, sharedPolicyKey)
	if err != nil {
		return err
	}
	for _, name := range taskNames {
		*b.tasks[name] = p.assign(*b.tasks[name])
	}
	return nil
}

// rolePairNames are the physical names of an execution role, its inline
// policy and a task role.
// what and app name, in the roles' descriptions, the tasks and the
// applications they serve.
type rolePairNames struct{ execution, policy, task, what, app string }

// rolePair is an execution role and a task role, and what a service waits
// for before its tasks can start.
type rolePair struct {
	executionRoleARN, taskRoleARN pulumi.StringOutput
	ready                         []pulumi.Resource
}

func (p rolePair) assign(t task) task {
	t.executionRoleARN, t.taskRoleARN, t.ready = p.executionRoleARN, p.taskRoleARN, p.ready
	return t
}

// rolePair creates an execution role with the managed policy and the inline
// policy document policy of task, and a task role without permissions.
// prefix starts each logical name ("api-", or "" for the shared pair).
func (b *builder) rolePair(prefix string, n rolePairNames, task, policy string) (rolePair, error) {
	a := b.args
	trust, err := TaskTrust(a.Region, a.AccountID).JSON()
	if err != nil {
		return rolePair{}, err
	}
	execTrust, err := ExecutionTrust(a.AccountID).JSON()
	if err != nil {
		return rolePair{}, err
	}
	boundary := pulumi.String(awsiam.BoundaryARN(a.AccountID))
	exec, err := iam.NewRole(b.Ctx, b.Child(prefix+"execution-role"), &iam.RoleArgs{
		Name:                pulumi.String(n.execution),
		Description:         pulumi.String(fmt.Sprintf("Lets ECS pull the image, write logs and read the secrets of %s", n.what)),
		AssumeRolePolicy:    pulumi.String(execTrust),
		PermissionsBoundary: boundary,
	}, b.Parent)
	if err != nil {
		return rolePair{}, err
	}
	managed, err := iam.NewRolePolicyAttachment(b.Ctx, b.Child(prefix+"execution-managed"), &iam.RolePolicyAttachmentArgs{
		Role:      exec.Name,
		PolicyArn: pulumi.String(TaskExecutionPolicyARN),
	}, b.Parent)
	if err != nil {
		return rolePair{}, err
	}
	secrets, err := iam.NewRolePolicy(b.Ctx, b.Child(prefix+"execution-secrets"), &iam.RolePolicyArgs{
		Name:   pulumi.String(n.policy),
		Role:   exec.ID(),
		Policy: b.document(task, policy),
	}, b.Parent)
	if err != nil {
		return rolePair{}, err
	}
	app, err := iam.NewRole(b.Ctx, b.Child(prefix+"task-role"), &iam.RoleArgs{
		Name:                pulumi.String(n.task),
		Description:         pulumi.String(fmt.Sprintf("Identity of %s; no permissions yet", n.app)),
		AssumeRolePolicy:    pulumi.String(trust),
		PermissionsBoundary: boundary,
	}, b.Parent)
	if err != nil {
		return rolePair{}, err
	}
	return rolePair{executionRoleARN: exec.Arn, taskRoleARN: app.Arn, ready: []pulumi.Resource{managed, secrets}}, nil
}

// TaskTrust lets only ECS tasks of this account, in this region, assume a
// role (the confused-deputy guard AWS recommends for task roles).
func TaskTrust(region, account string) awsiam.Document {
	return awsiam.AssumeRole(ecsTasks, account, awsiam.Condition{
		"ArnLike": {"aws:SourceArn": {fmt.Sprintf("arn:aws:ecs:%s:%s:*", region, account)}},
	})
}

// ExecutionTrust lets only ECS tasks of this account assume an execution
// role. AWS documents the aws:SourceArn guard for task roles only; whether
// ECS presents a source ARN when it assumes an execution role is not
// documented, and a condition it cannot meet would stop every task from
// starting, so execution roles are scoped by account alone.
func ExecutionTrust(account string) awsiam.Document {
	return awsiam.AssumeRole(ecsTasks, account, nil)
}

// ExecutionPolicy lets ECS read the given secrets and decrypt them with the
// secrets key, through Secrets Manager only.
func ExecutionPolicy(region string, secretARNs []string, keyARN string) awsiam.Document {
	doc := awsiam.Document{Version: awsiam.Version}
	if len(secretARNs) > 0 {
		doc.Statement = append(doc.Statement,
			awsiam.Allow("ReadTaskSecrets", []string{"secretsmanager:GetSecretValue"}, secretARNs))
	}
	decrypt := awsiam.Allow("DecryptTaskSecrets", []string{"kms:Decrypt"}, []string{keyARN})
	decrypt.Condition = awsiam.Condition{"StringEquals": {"kms:ViaService": {"secretsmanager." + region + ".amazonaws.com"}}}
	doc.Statement = append(doc.Statement, decrypt)
	return doc
}
