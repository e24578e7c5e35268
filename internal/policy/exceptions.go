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
}

const platformTeam = "platform team"

// Exceptions are the accepted departures of this program.
var Exceptions = []Exception{
	{
		Check: "ARK-NET-010", Scope: ScopeProduction, Owner: platformTeam,
		Reason: "one NAT gateway for the VPC (about $35 a month each) is the cost choice the team's Terraform made and this program keeps; a zone outage cuts egress until it passes (arrakis:network.natGateways: single)",
	},
	{
		Check: "ARK-RDS-011", Scope: ScopeProduction, Owner: platformTeam,
		Reason: "single-AZ PostgreSQL is the cost choice the team's Terraform made and this program keeps (Multi-AZ doubles the instance price); recovery is from the daily backups and point-in-time restore (arrakis:database.multiAz: false)",
	},
	{
		Check: "ARK-RED-005", Scope: ScopeAll, Owner: platformTeam,
		Reason: "Redis runs one node (redis.nodes: 1) and holds caches and job state the app rebuilds; failover needs a second node, which config turns on (nodes >= 2)",
	},
	{
		Check: "ARK-ELB-005", Scope: ScopeAll, Owner: platformTeam,
		When:      func(e Env) bool { return e.AccessLogsBucket == "" },
		Condition: "edge.accessLogsBucket unset",
		Reason:    "ALB access logs need an S3 bucket the team has not chosen; setting edge.accessLogsBucket turns them on and lifts this exception",
	},
	{
		Check: "ARK-LOG-002", Scope: ScopeAll, Owner: platformTeam,
		Reason: "log groups use CloudWatch's AWS-owned encryption; a CMK would add a key policy for the logs service and $1 a month per key for logs that hold no secrets (the app scrubs PII)",
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
