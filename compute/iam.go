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
// account:
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
func (b *builder) roles() error {
	a := b.args
	trust, err := TaskTrust(a.Region, a.AccountID).JSON()
	if err != nil {
		return err
	}
	execTrust, err := ExecutionTrust(a.AccountID).JSON()
	if err != nil {
		return err
	}
	for _, name := range taskNames {
		t := b.tasks[name]
		exec, err := iam.NewRole(b.ctx, b.child(name+"-execution-role"), &iam.RoleArgs{
			Name:             pulumi.String(b.names.Name(name+"-execution", naming.LimitIAM)),
			Description:      pulumi.String(fmt.Sprintf("Lets ECS pull the image, write logs and read the secrets of the %s task", name)),
			AssumeRolePolicy: pulumi.String(execTrust),
		}, b.parent)
		if err != nil {
			return err
		}
		managed, err := iam.NewRolePolicyAttachment(b.ctx, b.child(name+"-execution-managed"), &iam.RolePolicyAttachmentArgs{
			Role:      exec.Name,
			PolicyArn: pulumi.String(TaskExecutionPolicyARN),
		}, b.parent)
		if err != nil {
			return err
		}
		secrets, err := iam.NewRolePolicy(b.ctx, b.child(name+"-execution-secrets"), &iam.RolePolicyArgs{
			Name:   pulumi.String("read-task-secrets"),
			Role:   exec.ID(),
			Policy: b.documents.MapIndex(pulumi.String(policyKey(name))),
		}, b.parent)
		if err != nil {
			return err
		}
		app, err := iam.NewRole(b.ctx, b.child(name+"-task-role"), &iam.RoleArgs{
			Name:             pulumi.String(b.names.Name(name+"-task", naming.LimitIAM)),
			Description:      pulumi.String(fmt.Sprintf("Identity of the %s application; no permissions yet", name)),
			AssumeRolePolicy: pulumi.String(trust),
		}, b.parent)
		if err != nil {
			return err
		}
		t.executionRoleARN = exec.Arn
		t.taskRoleARN = app.Arn
		t.ready = []pulumi.Resource{managed, secrets}
	}
	return nil
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
