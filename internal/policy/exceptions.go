package policy

// Exception is a deliberate, written-down departure from a check. The
// findings it covers show as ACCEPTED in the report, with the reason and
// the owner; an exception that applies but covers nothing is reported as
// stale, so the list only holds what is still true.
type Exception struct {
	Check string
	// Resource is the logical name of the resource excused; empty excuses
	// every finding of the check.
	Resource string
	Scope    Scope
	// When narrows the exception to stacks whose config matches; nil for
	// always. Condition says the same in words, for the report.
	When      func(Env) bool
	Condition string
	Reason    string
	Owner     string
	// Covers are the public controls the exception answers — the check's
	// Checkov ids and Security Hub (FSBP) ids — so a reviewer holding a
	// scanner's report finds each finding explained here.
	Covers []string
}

const platformTeam = "platform team"

// Exceptions are the accepted departures of this program.
var Exceptions = []Exception{
	{
		Check: "ARK-NET-010", Scope: ScopeProduction, Owner: platformTeam,
		Reason: "one NAT gateway for the VPC (about $35 a month each) is the cost choice the team's Terraform made and this program keeps; a zone outage cuts egress until it passes (arrakis:network.natGateways: single)",
	},
	{
		Check: "ARK-RDS-011", Scope: ScopeProduction, Owner: platformTeam, Covers: []string{"RDS.5", "CKV_AWS_157"},
		Reason: "single-AZ PostgreSQL is the cost choice the team's Terraform made and this program keeps (Multi-AZ doubles the instance price); recovery is from the daily backups and point-in-time restore (arrakis:database.multiAz: false)",
	},
	{
		Check: "ARK-RED-005", Scope: ScopeAll, Owner: platformTeam, Covers: []string{"ElastiCache.3", "CKV2_AWS_50"},
		Reason: "Redis runs one node (redis.nodes: 1) and holds caches and job state the app rebuilds; failover needs a second node, which config turns on (nodes >= 2)",
	},
	{
		Check: "ARK-ELB-005", Scope: ScopeAll, Owner: platformTeam, Covers: []string{"ELB.5", "CKV_AWS_91"},
		When:      func(e Env) bool { return e.AccessLogsBucket == "" },
		Condition: "edge.accessLogsBucket unset",
		Reason:    "ALB access logs need an S3 bucket the team has not chosen; setting edge.accessLogsBucket turns them on and lifts this exception",
	},
	{
		Check: "ARK-LOG-002", Scope: ScopeAll, Owner: platformTeam, Covers: []string{"CKV_AWS_158"},
		Reason: "log groups use CloudWatch's AWS-owned encryption; a CMK would add a key policy for the logs service and $1 a month per key for logs that hold no secrets (the app scrubs PII)",
	},
	{
		Check: "ARK-LOG-003", Scope: ScopeAll, Owner: platformTeam, Covers: []string{"CloudWatch.16", "CKV_AWS_338"},
		Reason: "logs are kept monitoring.logRetentionDays (30 days in production, 7 in staging): they serve debugging and incident review, and a year of every log group would cost some 12 times the storage for logs nobody audits; a longer period is one config value away",
	},
	{
		Check: "ARK-NET-015", Resource: "arrakis-alb-http-from-internet", Scope: ScopeAll, Owner: platformTeam, Covers: []string{"CKV_AWS_260"},
		Reason: "port 80 only answers with a 301 to HTTPS (ARK-ELB-002) and serves nothing; closing it would break every http:// link and typed address",
	},
	{
		Check: "ARK-NET-016", Scope: ScopeAll, Owner: platformTeam, Covers: []string{"EC2.10"},
		Reason: "nothing in the VPC calls the EC2 API (the tasks call ECR, CloudWatch Logs and Secrets Manager); an ec2 interface endpoint would cost about $14.60 a month over two zones for traffic that does not exist",
	},
	{
		Check: "ARK-RDS-017", Scope: ScopeAll, Owner: platformTeam, Covers: []string{"CKV_AWS_354"},
		Reason: "Performance Insights keeps query digests and wait events under RDS's AWS-managed key in this account; a customer key would add key-policy grants for RDS and for every operator who opens Performance Insights, for data no one outside the account can read either way",
	},
	{
		Check: "ARK-RDS-018", Scope: ScopeAll, Owner: platformTeam, Covers: []string{"RDS.23"},
		Reason: "the database is reachable only from the tasks' security group in private subnets, so a non-default port hides nothing; moving it restarts the database and touches every connection string",
	},
	{
		Check: "ARK-RDS-019", Scope: ScopeAll, Owner: platformTeam, Covers: []string{"RDS.26"},
		Reason: "RDS automated backups with point-in-time restore (database.backupRetentionDays) and a final snapshot on delete in production cover recovery; AWS Backup would add vault copies the team has no retention rule for yet",
	},
	{
		Check: "ARK-ECR-004", Scope: ScopeAll, Owner: platformTeam, Covers: []string{"CKV_AWS_136"},
		Reason: "images are encrypted at rest with AES-256 and hold no secrets (they arrive from Secrets Manager at start); a repository's encryption cannot change in place, so KMS means a new repository, every image pushed again and the task definitions repointed",
	},
	{
		Check: "ARK-RED-008", Scope: ScopeAll, Owner: platformTeam, Covers: []string{"CKV_AWS_191"},
		Reason: "Redis is encrypted at rest with ElastiCache's AWS-managed key and in transit with TLS and an AUTH token; a customer key can only be set when the group is created, so it would replace the running cache (new endpoint, lost cache)",
	},
	{
		Check: "ARK-SEC-003", Scope: ScopeAll, Owner: platformTeam, Covers: []string{"SecretsManager.1", "CKV2_AWS_57"},
		Reason: "the database password and Redis token are generated by the program and written to their secrets by it, and the operator secrets hold third-party tokens the operators rotate by hand (README, Rotating a credential); automatic rotation needs rotation functions and a task restart the stack does not have yet",
	},
	{
		Check: "ARK-ECS-014", Scope: ScopeAll, Owner: platformTeam, Covers: []string{"ECS.20"},
		Reason: "the containers run as the user the image's Dockerfile names (its USER), which ECS does not see; naming a user here before the application team confirms the image's non-root UID would stop the containers from starting",
	},
}

// appliesTo reports whether the exception is in force for a stack.
func (e Exception) appliesTo(env Env) bool {
	return e.Scope.covers(env) && (e.When == nil || e.When(env))
}

// covers reports whether the exception excuses a finding of its check.
func (e Exception) covers(f Finding) bool {
	return e.Resource == "" || e.Resource == f.Name
}
