package policy

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/plan/token"
)

func checkByID(t *testing.T, id string) Check {
	t.Helper()
	for _, c := range Checks() {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no check %s", id)
	return Check{}
}

// fixtureFor is the compliant fixture a check's scope runs on.
func fixtureFor(t *testing.T, c Check) *fixture {
	if c.Scope == ScopeEphemeral {
		return ephemeral(t)
	}
	return compliant(t)
}

func TestEveryCheckPassesOnTheCompliantPlan(t *testing.T) {
	for _, c := range Checks() {
		t.Run(c.ID, func(t *testing.T) {
			f := fixtureFor(t, c)
			out := c.Run(newStack(f.p, f.env))
			assert.Empty(t, out.Findings)
			assert.Positive(t, out.Subjects, "the fixture exercises the check")
		})
	}
}

// brokenCases break the compliant plan one field at a time; each must make
// its check report a finding.
var brokenCases = []struct {
	check, why string
	mutate     func(f *fixture)
}{
	// network
	{"ARK-NET-001", "no flow log", func(f *fixture) { f.remove("arrakis-flow-log") }},
	{"ARK-NET-001", "rejected traffic only", func(f *fixture) { f.set("arrakis-flow-log", "trafficType", "REJECT") }},
	{"ARK-NET-002", "default group not adopted", func(f *fixture) { f.remove("arrakis-default-sg") }},
	{"ARK-NET-002", "default group keeps a rule", func(f *fixture) {
		f.set("arrakis-default-sg", "ingress", []any{map[string]any{"protocol": "-1", "self": true}})
	}},
	{"ARK-NET-003", "tasks open to the world", func(f *fixture) { f.rule(token.SecurityGroupIngressRule, "bad", "sg-tasks", world(3000)) }},
	{"ARK-NET-003", "HTTPS from the world to the tasks", func(f *fixture) { f.rule(token.SecurityGroupIngressRule, "bad", "sg-tasks", world(443)) }},
	{"ARK-NET-003", "ALB open on 22", func(f *fixture) { f.rule(token.SecurityGroupIngressRule, "bad", "sg-alb", world(22)) }},
	{"ARK-NET-003", "inline IPv6 ingress on the data tier", func(f *fixture) {
		f.set("arrakis-postgres-sg", "ingress", []any{map[string]any{"protocol": "tcp", "fromPort": 5432.0, "toPort": 5432.0, "ipv6CidrBlocks": []any{"::/0"}}})
	}},
	{"ARK-NET-004", "postgres from the ALB group", func(f *fixture) {
		f.set("arrakis-postgres-from-tasks", "referencedSecurityGroupId", "sg-alb")
	}},
	{"ARK-NET-004", "redis from tasks on every port", func(f *fixture) { f.set("arrakis-redis-from-tasks", "ipProtocol", "-1") }},
	{"ARK-NET-005", "postgres from the VPC range", func(f *fixture) {
		f.rule(token.SecurityGroupIngressRule, "bad", "sg-postgres", map[string]any{"cidrIpv4": "10.0.0.0/16", "ipProtocol": "tcp", "fromPort": 5432.0, "toPort": 5432.0})
	}},
	{"ARK-NET-005", "legacy rule from a range", func(f *fixture) {
		f.add(token.SecurityGroupRule, "bad", "sgrule-1", map[string]any{"type": "ingress", "securityGroupId": "sg-redis", "protocol": "tcp",
			"fromPort": 6379.0, "toPort": 6379.0, "cidrBlocks": []any{"10.0.1.0/24"}})
	}},
	{"ARK-NET-006", "tasks from the VPC range", func(f *fixture) {
		f.rule(token.SecurityGroupIngressRule, "bad", "sg-tasks", map[string]any{"cidrIpv4": "10.0.0.0/16", "ipProtocol": "tcp", "fromPort": 3000.0, "toPort": 3000.0})
	}},
	{"ARK-NET-007", "no S3 endpoint", func(f *fixture) { f.remove("arrakis-s3-endpoint") }},
	{"ARK-NET-007", "S3 endpoint on no route table", func(f *fixture) { f.set("arrakis-s3-endpoint", "routeTableIds", []any{}) }},
	{"ARK-NET-007", "S3 as an interface endpoint", func(f *fixture) { f.set("arrakis-s3-endpoint", "vpcEndpointType", "Interface") }},
	{"ARK-NET-008", "private DNS off", func(f *fixture) { f.set("arrakis-ecr-api-endpoint", "privateDnsEnabled", false) }},
	{"ARK-NET-008", "no security group", func(f *fixture) { f.del("arrakis-ecr-api-endpoint", "securityGroupIds") }},
	{"ARK-NET-008", "the tasks group", func(f *fixture) { f.set("arrakis-ecr-api-endpoint", "securityGroupIds", []any{"sg-tasks"}) }},
	{"ARK-NET-009", "HTTPS from the world", func(f *fixture) { f.set("arrakis-endpoints-https", "cidrIpv4", "0.0.0.0/0") }},
	{"ARK-NET-009", "port 80", func(f *fixture) {
		f.set("arrakis-endpoints-https", "fromPort", 80.0)
		f.set("arrakis-endpoints-https", "toPort", 80.0)
	}},
	{"ARK-NET-010", "one NAT", func(f *fixture) { f.set("arrakis-vpc", "natGateways.strategy", "Single") }},
	{"ARK-NET-011", "no DNS hostnames", func(f *fixture) { f.set("arrakis-vpc", "enableDnsHostnames", false) }},
	{"ARK-NET-012", "group without description", func(f *fixture) { f.del("arrakis-redis-sg", "description") }},
	{"ARK-NET-012", "rule without description", func(f *fixture) { f.del("arrakis-alb-http", "description") }},
	{"ARK-NET-013", "all protocols out", func(f *fixture) {
		f.rule(token.SecurityGroupEgressRule, "bad", "sg-tasks", map[string]any{"cidrIpv4": "0.0.0.0/0", "ipProtocol": "-1"})
	}},
	// ECS
	{"ARK-ECS-001", "insights disabled", func(f *fixture) {
		f.set("arrakis-cluster", "settings", []any{map[string]any{"name": "containerInsights", "value": "disabled"}})
	}},
	{"ARK-ECS-002", "public IP", func(f *fixture) { f.set("arrakis-api-service", "networkConfiguration.assignPublicIp", true) }},
	{"ARK-ECS-003", "no rollback", func(f *fixture) { f.set("arrakis-api-service", "deploymentCircuitBreaker.rollback", false) }},
	{"ARK-ECS-003", "no circuit breaker", func(f *fixture) { f.del("arrakis-api-service", "deploymentCircuitBreaker") }},
	{"ARK-ECS-004", "privileged", func(f *fixture) { f.container(func(c map[string]any) { c["privileged"] = true }) }},
	{"ARK-ECS-005", "writable root", func(f *fixture) { f.container(func(c map[string]any) { delete(c, "readonlyRootFilesystem") }) }},
	{"ARK-ECS-006", "no log configuration", func(f *fixture) { f.container(func(c map[string]any) { delete(c, "logConfiguration") }) }},
	{"ARK-ECS-007", "password in the environment", func(f *fixture) {
		f.container(func(c map[string]any) {
			c["environment"] = append(c["environment"].([]any), map[string]any{"name": "DB_PASSWORD", "value": "x"})
		})
	}},
	{"ARK-ECS-007", "an injected secret also in the environment", func(f *fixture) {
		f.container(func(c map[string]any) {
			c["environment"] = append(c["environment"].([]any), map[string]any{"name": "DATABASE_URL", "value": "postgresql://…"})
		})
	}},
	{"ARK-ECS-007", "definitions made secret by a secret value", func(f *fixture) { f.set("arrakis-api-task", "containerDefinitions", secretStr) }},
	{"ARK-ECS-008", "one role for both", func(f *fixture) { f.set("arrakis-api-task", "taskRoleArn", execRole) }},
	{"ARK-ECS-008", "no task role", func(f *fixture) { f.del("arrakis-api-task", "taskRoleArn") }},
	{"ARK-ECS-009", "512 CPU with 512 MiB", func(f *fixture) { f.set("arrakis-api-task", "memory", "512") }},
	{"ARK-ECS-010", "bridge networking", func(f *fixture) { f.set("arrakis-api-task", "networkMode", "bridge") }},
	{"ARK-ECS-010", "host pid", func(f *fixture) { f.set("arrakis-api-task", "pidMode", "host") }},
	{"ARK-ECS-011", "pinned platform", func(f *fixture) { f.set("arrakis-api-service", "platformVersion", "1.3.0") }},
	{"ARK-ECS-012", "fights the autoscaler", func(f *fixture) { f.get("arrakis-api-service").IgnoreChanges = nil }},
	{"ARK-ECS-013", "no grace period", func(f *fixture) { f.del("arrakis-api-service", "healthCheckGracePeriodSeconds") }},
	{"ARK-ECS-013", "grace shorter than start", func(f *fixture) { f.set("arrakis-api-service", "healthCheckGracePeriodSeconds", 30.0) }},
	// ECR
	{"ARK-ECR-001", "no scan", func(f *fixture) { f.set("arrakis-api-repository", "imageScanningConfiguration.scanOnPush", false) }},
	{"ARK-ECR-002", "mutable tags", func(f *fixture) { f.set("arrakis-api-repository", "imageTagMutability", "MUTABLE") }},
	{"ARK-ECR-003", "no lifecycle policy", func(f *fixture) { f.remove("arrakis-api-lifecycle") }},
	// IAM
	{"ARK-IAM-001", "no SourceAccount", func(f *fixture) {
		f.statement("arrakis-task-role", "assumeRolePolicy", func(st map[string]any) { delete(st, "Condition") })
	}},
	{"ARK-IAM-001", "trusts everyone", func(f *fixture) {
		f.statement("arrakis-task-role", "assumeRolePolicy", func(st map[string]any) { st["Principal"] = "*" })
	}},
	{"ARK-IAM-001", "trusts an unexpected service", func(f *fixture) {
		f.statement("arrakis-task-role", "assumeRolePolicy", func(st map[string]any) { st["Principal"] = map[string]any{"Service": "lambda.amazonaws.com"} })
	}},
	{"ARK-IAM-001", "trusts another account", func(f *fixture) {
		f.statement("arrakis-task-role", "assumeRolePolicy", func(st map[string]any) { st["Principal"] = map[string]any{"AWS": "arn:aws:iam::999999999999:root"} })
	}},
	{"ARK-IAM-002", "every action", func(f *fixture) {
		f.statement("arrakis-execution-secrets", "policy", func(st map[string]any) { st["Action"] = "*" })
	}},
	{"ARK-IAM-002", "every Secrets Manager action", func(f *fixture) {
		f.statement("arrakis-execution-secrets", "policy", func(st map[string]any) { st["Action"] = []any{"secretsmanager:*"} })
	}},
	{"ARK-IAM-003", "secrets on every resource", func(f *fixture) {
		f.statement("arrakis-execution-secrets", "policy", func(st map[string]any) { st["Resource"] = "*" })
	}},
	{"ARK-IAM-004", "secret wildcard", func(f *fixture) {
		f.statement("arrakis-execution-secrets", "policy", func(st map[string]any) {
			st["Resource"] = "arn:aws:secretsmanager:us-east-1:" + account + ":secret:arrakis-production/*"
		})
	}},
	{"ARK-IAM-004", "another stack's secret", func(f *fixture) {
		f.statement("arrakis-execution-secrets", "policy", func(st map[string]any) {
			st["Resource"] = "arn:aws:secretsmanager:us-east-1:" + account + ":secret:arrakis-staging/db-credentials-XyZ123"
		})
	}},
	{"ARK-IAM-005", "administrator", func(f *fixture) {
		f.set("arrakis-execution-managed", "policyArn", "arn:aws:iam::aws:policy/AdministratorAccess")
	}},
	// the controls scanners report
	{"ARK-NET-014", "awsx's public subnets as awsx makes them", func(f *fixture) { f.get("arrakis-vpc").Children = nil }},
	{"ARK-NET-015", "port 80 from the world", func(f *fixture) { f.set("arrakis-alb-http", "cidrIpv4", "0.0.0.0/0") }},
	{"ARK-NET-016", "no ec2 endpoint", func(f *fixture) { f.remove("arrakis-ec2-endpoint") }},
	{"ARK-ELB-008", "no web ACL", func(f *fixture) { f.remove("arrakis-web-acl-association") }},
	{"ARK-ELB-008", "associated with another load balancer", func(f *fixture) {
		f.set("arrakis-web-acl-association", "resourceArn", "arn:aws:elasticloadbalancing:us-east-1:"+account+":loadbalancer/app/other/2")
	}},
	{"ARK-WAF-001", "no rules", func(f *fixture) { f.set("arrakis-web-acl", "rules", []any{}) }},
	{"ARK-WAF-001", "a rule without metrics", func(f *fixture) {
		f.wafRule(func(r map[string]any) { r["visibilityConfig"].(map[string]any)["cloudwatchMetricsEnabled"] = false })
	}},
	{"ARK-WAF-002", "known bad inputs only counted", func(f *fixture) {
		f.wafRule(func(r map[string]any) { r["overrideAction"] = map[string]any{"count": map[string]any{}} })
	}},
	{"ARK-WAF-002", "Log4JRCE overridden", func(f *fixture) {
		f.wafRule(func(r map[string]any) {
			group := r["statement"].(map[string]any)["managedRuleGroupStatement"].(map[string]any)
			group["ruleActionOverrides"] = []any{map[string]any{"name": "Log4JRCE", "actionToUse": map[string]any{"count": map[string]any{}}}}
		})
	}},
	{"ARK-WAF-002", "no known bad inputs", func(f *fixture) {
		f.wafRule(func(r map[string]any) {
			r["statement"].(map[string]any)["managedRuleGroupStatement"].(map[string]any)["name"] = "AWSManagedRulesCommonRuleSet"
		})
	}},
	{"ARK-WAF-003", "no logging", func(f *fixture) { f.remove("arrakis-web-acl-logging") }},
	{"ARK-RDS-015", "no enhanced monitoring", func(f *fixture) { f.set("arrakis-postgres", "monitoringInterval", 0.0) }},
	{"ARK-RDS-016", "password only", func(f *fixture) { f.del("arrakis-postgres", "iamDatabaseAuthenticationEnabled") }},
	{"ARK-RDS-017", "Performance Insights on the AWS key", func(f *fixture) { f.del("arrakis-postgres", "performanceInsightsKmsKeyId") }},
	{"ARK-RDS-018", "default port", func(f *fixture) { f.set("arrakis-postgres", "port", 5432.0) }},
	{"ARK-RDS-019", "no backup plan", func(f *fixture) { f.remove("arrakis-postgres-backup") }},
	{"ARK-ECR-004", "AES-256", func(f *fixture) { f.del("arrakis-api-repository", "encryptionConfigurations") }},
	{"ARK-RED-008", "AWS-managed key", func(f *fixture) { f.del("arrakis-redis", "kmsKeyId") }},
	{"ARK-SEC-003", "no rotation", func(f *fixture) { f.remove("arrakis-db-credentials-rotation") }},
	{"ARK-LOG-003", "a month of logs", func(f *fixture) { f.set("log-ecs-arrakis-production-api", "retentionInDays", 30.0) }},
	{"ARK-ECS-014", "no user", func(f *fixture) { f.container(func(c map[string]any) { delete(c, "user") }) }},
	{"ARK-ECS-014", "root", func(f *fixture) { f.container(func(c map[string]any) { c["user"] = "0:0" }) }},
	{"ARK-IAM-006", "no boundary", func(f *fixture) { f.del("arrakis-task-role", "permissionsBoundary") }},
	{"ARK-IAM-006", "another boundary", func(f *fixture) {
		f.set("arrakis-flow-logs-role", "permissionsBoundary", "arn:aws:iam::"+account+":policy/PowerUserBoundary")
	}},
	// RDS
	{"ARK-RDS-001", "public", func(f *fixture) { f.set("arrakis-postgres", "publiclyAccessible", true) }},
	{"ARK-RDS-002", "unencrypted (provider default)", func(f *fixture) { f.del("arrakis-postgres", "storageEncrypted") }},
	{"ARK-RDS-003", "no backups", func(f *fixture) { f.set("arrakis-postgres", "backupRetentionPeriod", 0.0) }},
	{"ARK-RDS-004", "one day in production", func(f *fixture) { f.set("arrakis-postgres", "backupRetentionPeriod", 1.0) }},
	{"ARK-RDS-005", "no deletion protection", func(f *fixture) { f.set("arrakis-postgres", "deletionProtection", false) }},
	{"ARK-RDS-006", "skips the final snapshot", func(f *fixture) { f.set("arrakis-postgres", "skipFinalSnapshot", true) }},
	{"ARK-RDS-006", "no snapshot name", func(f *fixture) { f.del("arrakis-postgres", "finalSnapshotIdentifier") }},
	{"ARK-RDS-007", "force_ssl off", func(f *fixture) {
		f.set("arrakis-postgres-params", "parameters", []any{map[string]any{"name": "rds.force_ssl", "value": "0"}})
	}},
	{"ARK-RDS-007", "default parameter group", func(f *fixture) { f.set("arrakis-postgres", "parameterGroupName", "default.postgres15") }},
	{"ARK-RDS-008", "no logs exported", func(f *fixture) { f.set("arrakis-postgres", "enabledCloudwatchLogsExports", []any{"upgrade"}) }},
	{"ARK-RDS-009", "no minor upgrades", func(f *fixture) { f.set("arrakis-postgres", "autoMinorVersionUpgrade", false) }},
	{"ARK-RDS-010", "no tag copy", func(f *fixture) { f.del("arrakis-postgres", "copyTagsToSnapshot") }},
	{"ARK-RDS-011", "single-AZ", func(f *fixture) { f.set("arrakis-postgres", "multiAz", false) }},
	{"ARK-RDS-012", "no Performance Insights", func(f *fixture) { f.set("arrakis-postgres", "performanceInsightsEnabled", false) }},
	{"ARK-RDS-013", "postgres user", func(f *fixture) { f.set("arrakis-postgres", "username", "postgres") }},
	{"ARK-RDS-014", "gp2", func(f *fixture) { f.set("arrakis-postgres", "storageType", "gp2") }},
	{"ARK-RDS-014", "no autoscaling headroom", func(f *fixture) { f.del("arrakis-postgres", "maxAllocatedStorage") }},
	// Redis
	{"ARK-RED-001", "not encrypted at rest", func(f *fixture) { f.set("arrakis-redis", "atRestEncryptionEnabled", false) }},
	{"ARK-RED-002", "not encrypted in transit", func(f *fixture) { f.del("arrakis-redis", "transitEncryptionEnabled") }},
	{"ARK-RED-003", "no AUTH", func(f *fixture) { f.del("arrakis-redis", "authToken") }},
	{"ARK-RED-004", "no snapshots", func(f *fixture) { f.set("arrakis-redis", "snapshotRetentionLimit", 0.0) }},
	{"ARK-RED-005", "no failover", func(f *fixture) { f.set("arrakis-redis", "automaticFailoverEnabled", false) }},
	{"ARK-RED-006", "no minor upgrades", func(f *fixture) { f.set("arrakis-redis", "autoMinorVersionUpgrade", "false") }},
	{"ARK-RED-007", "default subnet group", func(f *fixture) { f.del("arrakis-redis", "subnetGroupName") }},
	// edge
	{"ARK-ELB-001", "provider default policy", func(f *fixture) { f.del("arrakis-https", "sslPolicy") }},
	{"ARK-ELB-001", "TLS 1.2 policy", func(f *fixture) { f.set("arrakis-https", "sslPolicy", "ELBSecurityPolicy-2016-08") }},
	{"ARK-ELB-002", "HTTP forwards", func(f *fixture) { f.set("arrakis-http", "defaultActions", []any{map[string]any{"type": "forward"}}) }},
	{"ARK-ELB-002", "302 redirect", func(f *fixture) {
		f.set("arrakis-http", "defaultActions", []any{map[string]any{"type": "redirect", "redirect": map[string]any{"protocol": "HTTPS", "statusCode": "HTTP_302"}}})
	}},
	{"ARK-ELB-003", "keeps invalid headers", func(f *fixture) { f.del("arrakis-alb", "dropInvalidHeaderFields") }},
	{"ARK-ELB-004", "no deletion protection", func(f *fixture) { f.set("arrakis-alb", "enableDeletionProtection", false) }},
	{"ARK-ELB-005", "no access logs", func(f *fixture) { f.del("arrakis-alb", "accessLogs") }},
	{"ARK-ELB-006", "monitor mode", func(f *fixture) { f.set("arrakis-alb", "desyncMitigationMode", "monitor") }},
	{"ARK-ELB-007", "no certificate", func(f *fixture) { f.del("arrakis-https", "certificateArn") }},
	{"ARK-ACM-001", "e-mail validation", func(f *fixture) { f.set("arrakis-certificate", "validationMethod", "EMAIL") }},
	{"ARK-ACM-002", "1024-bit key", func(f *fixture) { f.set("arrakis-certificate", "keyAlgorithm", "RSA_1024") }},
	// keys, secrets, logs, alarms
	{"ARK-KMS-001", "no rotation", func(f *fixture) { f.del("arrakis-secrets-key", "enableKeyRotation") }},
	{"ARK-KMS-002", "key open to everyone", func(f *fixture) {
		f.statement("arrakis-secrets-key", "policy", func(st map[string]any) { st["Principal"] = "*" })
	}},
	{"ARK-SEC-001", "immediate deletion", func(f *fixture) { f.set("arrakis-db-credentials", "recoveryWindowInDays", 0.0) }},
	{"ARK-SEC-002", "AWS-managed key", func(f *fixture) { f.del("arrakis-db-credentials", "kmsKeyId") }},
	{"ARK-SEC-002", "a key of another stack", func(f *fixture) {
		f.set("arrakis-db-credentials", "kmsKeyId", "arn:aws:kms:us-east-1:"+account+":key/0000-elsewhere")
	}},
	{"ARK-LOG-001", "kept forever", func(f *fixture) { f.del("log-ecs-arrakis-production-api", "retentionInDays") }},
	{"ARK-LOG-002", "AWS-owned key", func(f *fixture) { f.del("log-ecs-arrakis-production-api", "kmsKeyId") }},
	{"ARK-MON-001", "no OK action", func(f *fixture) { f.del("arrakis-api-cpu", "okActions") }},
	{"ARK-MON-001", "actions disabled", func(f *fixture) { f.set("arrakis-api-cpu", "actionsEnabled", false) }},
	{"ARK-MON-002", "another topic", func(f *fixture) {
		f.set("arrakis-api-cpu", "alarmActions", []any{"arn:aws:sns:us-east-1:" + account + ":somebody-else"})
	}},
	{"ARK-MON-003", "missing data untreated", func(f *fixture) { f.del("arrakis-api-cpu", "treatMissingData") }},
	{"ARK-SNS-001", "unencrypted", func(f *fixture) { f.del("arrakis-alerts", "kmsMasterKeyId") }},
	{"ARK-SNS-001", "an alias ARN of another key", func(f *fixture) {
		f.set("arrakis-alerts", "kmsMasterKeyId", "arn:aws:kms:us-east-1:"+account+":alias/somebody-else")
	}},
	{"ARK-SNS-001", "AWS-managed SNS key", func(f *fixture) { f.set("arrakis-alerts", "kmsMasterKeyId", "alias/aws/sns") }},
	// data-loss guards and naming
	{"ARK-DLP-001", "unprotected database", func(f *fixture) { f.get("arrakis-postgres").Protect = false }},
	{"ARK-DLP-001", "unprotected key", func(f *fixture) { f.get("arrakis-secrets-key").Protect = false }},
	{"ARK-DLP-002", "protect on staging", func(f *fixture) { f.get("arrakis-redis").Protect = true }},
	{"ARK-DLP-002", "retained on staging", func(f *fixture) { f.get("arrakis-alb").RetainOnDelete = true }},
	{"ARK-DLP-003", "plain password", func(f *fixture) {
		f.set("arrakis-postgres", "password", "hunter2")
		f.get("arrakis-postgres").SecretInputs = nil
	}},
	{"ARK-DLP-003", "plain secret string", func(f *fixture) { f.get("arrakis-db-credentials-value").SecretInputs = nil }},
	{"ARK-DLP-004", "plain endpoint", func(f *fixture) { f.p.Outputs["rdsEndpoint"] = "db.example:5432" }},
	{"ARK-NAM-001", "name outside the stack", func(f *fixture) { f.set("arrakis-alb", "name", "my-alb") }},
	{"ARK-NAM-001", "another stack's name", func(f *fixture) { f.set("arrakis-redis", "replicationGroupId", "arrakis-staging-redis") }},
	{"ARK-NAM-002", "two alarms of one name", func(f *fixture) {
		f.add(token.MetricAlarm, "arrakis-rds-cpu", "arrakis-production-api-cpu", map[string]any{"name": "arrakis-production-api-cpu"})
	}},
}

func TestEveryCheckFailsOnABrokenPlan(t *testing.T) {
	for _, bc := range brokenCases {
		t.Run(bc.check+"/"+bc.why, func(t *testing.T) {
			c := checkByID(t, bc.check)
			f := fixtureFor(t, c)
			bc.mutate(f)
			out := c.Run(newStack(f.p, f.env))
			require.NotEmpty(t, out.Findings, "the broken plan must fail %s", c.ID)
			for _, fd := range out.Findings {
				assert.NotEmpty(t, fd.Message)
				assert.NotEmpty(t, fd.Name)
			}
		})
	}
}

func TestEveryCheckHasABrokenCase(t *testing.T) {
	covered := map[string]bool{}
	for _, bc := range brokenCases {
		covered[bc.check] = true
	}
	for _, c := range Checks() {
		assert.True(t, covered[c.ID], "%s has no test proving it fails", c.ID)
	}
}
