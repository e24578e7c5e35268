package main

import "github.com/arrakis/infrastructure/internal/policy"

// policyExceptions are the bootstrap's written departures from the policy
// suite's IAM checks (`go run ./bootstrap policy --stack shared` shows them
// as ACCEPTED). Each names the one policy it excuses.
func policyExceptions() []policy.Exception {
	const owner = "platform team"
	var out []policy.Exception
	for _, stack := range stacks {
		name := "deploy-" + stack + "-access"
		out = append(out,
			policy.Exception{
				Check: "ARK-IAM-002", Resource: name, Scope: policy.ScopeAll, Owner: owner,
				Reason: "the deploy role creates, changes and deletes every resource the program declares in EC2, ECS, ECR, RDS, ElastiCache, ELB, ACM, Route 53, CloudWatch, SNS and Application Auto Scaling; their action lists grow with each provider release and a missing action fails an up midway. IAM, KMS, Secrets Manager and S3 are granted action by action and scoped to the stack",
			},
			policy.Exception{
				Check: "ARK-IAM-003", Resource: name, Scope: policy.ScopeAll, Owner: owner,
				Reason: "kms:CreateKey (with kms:TagResource) creates a key that has no ARN yet, and kms:ListAliases and secretsmanager:ListSecrets take no resource: AWS accepts only \"*\" for them. CreateKey and TagResource on \"*\" require the stack's Project and Environment request tags",
			},
			policy.Exception{
				Check: "ARK-IAM-004", Resource: name, Scope: policy.ScopeAll, Owner: owner,
				Reason: "the stack's secrets and keys are created by its own up, so the deploy role names them by pattern: secrets arrakis-" + stack + "/*, keys by the stack's Environment tag. Its Pulumi secrets key is named exactly",
			},
		)
	}
	return append(out,
		policy.Exception{
			Check: "ARK-IAM-004", Resource: "drift-access", Scope: policy.ScopeAll, Owner: owner,
			Reason: "refreshing a stack reads its secret versions, so the drift role reads the values of the secrets arrakis-<stack>/* of every stack and decrypts them through Secrets Manager only; those secrets and their keys are created by the stacks, not here",
		},
		policy.Exception{
			Check: "ARK-IAM-004", Resource: "boundary", Scope: policy.ScopeAll, Owner: owner,
			Reason: "the boundary is the ceiling of every role the deploy roles create, not a grant: the stacks' execution roles read their own arrakis-<stack>/* secrets (each role's own policy names them exactly), decrypted through Secrets Manager only",
		},
	)
}
