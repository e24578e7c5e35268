package policy

import (
	"slices"
	"strings"

	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

var ecrChecks = []Check{
	{
		ID: "ARK-ECR-001", Title: "ECR repositories scan images on push",
		Anchors: []string{"ECR.1", "CKV_AWS_163"}, Scope: ScopeAll, Severity: Medium, Subjects: "ECR repositories",
		Run: eachOf(token.ECRRepository, func(_ *Stack, r plan.Resource) []string {
			return when(!r.IsTrue("imageScanningConfiguration.scanOnPush"), "imageScanningConfiguration.scanOnPush is not true")
		}),
	},
	{
		ID: "ARK-ECR-002", Title: "Production image tags are immutable",
		Anchors: []string{"ECR.2", "CKV_AWS_51"}, Scope: ScopeProduction, Severity: Medium, Subjects: "ECR repositories",
		Run: eachOf(token.ECRRepository, func(_ *Stack, r plan.Resource) []string {
			return when(r.Str("imageTagMutability") != "IMMUTABLE", "imageTagMutability is %q, not IMMUTABLE", r.Str("imageTagMutability"))
		}),
	},
	{
		ID: "ARK-ECR-003", Title: "Every ECR repository has a lifecycle policy",
		Anchors: []string{"ECR.3"}, Scope: ScopeAll, Severity: Low, Subjects: "ECR repositories",
		Run: eachOf(token.ECRRepository, func(s *Stack, r plan.Resource) []string {
			for _, lp := range s.Of(token.ECRLifecyclePolicy) {
				if repo := lp.Str("repository"); repo == r.ID || repo == r.Str("name") {
					return when(lp.Str("policy") == "", "the lifecycle policy %s is empty", lp.Name)
				}
			}
			return []string{"no lifecycle policy: old images pile up"}
		}),
	},
}

var rdsChecks = []Check{
	dbCheck("ARK-RDS-001", "Databases are not publicly accessible", []string{"RDS.2", "CKV_AWS_17", "awsguard:rds-instance-public-access-check"},
		ScopeAll, Critical, func(s *Stack, db plan.Resource) []string {
			return when(db.IsTrue("publiclyAccessible"), "publiclyAccessible is true")
		}),
	dbCheck("ARK-RDS-002", "Database storage is encrypted", []string{"RDS.3", "CKV_AWS_16", "awsguard:rds-storage-encrypted"},
		ScopeAll, High, func(s *Stack, db plan.Resource) []string {
			return when(!db.IsTrue("storageEncrypted"), "storageEncrypted is not true")
		}),
	dbCheck("ARK-RDS-003", "Databases keep automated backups", []string{"RDS.11", "CKV_AWS_133", "awsguard:rds-instance-backup-enabled"},
		ScopeAll, High, func(s *Stack, db plan.Resource) []string {
			days, _ := db.Number("backupRetentionPeriod")
			return when(days < 1, "backupRetentionPeriod is %v: no automated backups", days)
		}),
	dbCheck("ARK-RDS-004", "Production databases keep at least 7 days of backups", []string{"RDS.11"},
		ScopeProduction, High, func(s *Stack, db plan.Resource) []string {
			days, _ := db.Number("backupRetentionPeriod")
			return when(days < 7, "backupRetentionPeriod is %v days; production keeps at least 7", days)
		}),
	dbCheck("ARK-RDS-005", "Production databases have deletion protection", []string{"RDS.8", "CKV_AWS_293"},
		ScopeProduction, High, func(s *Stack, db plan.Resource) []string {
			return when(!db.IsTrue("deletionProtection"), "deletionProtection is not true")
		}),
	dbCheck("ARK-RDS-006", "Production databases take a final snapshot on delete", []string{"house:data"},
		ScopeProduction, High, func(s *Stack, db plan.Resource) []string {
			return when(db.IsTrue("skipFinalSnapshot") || db.Str("finalSnapshotIdentifier") == "",
				"skipFinalSnapshot must be false with a finalSnapshotIdentifier")
		}),
	dbCheck("ARK-RDS-007", "PostgreSQL requires TLS (rds.force_ssl = 1)", []string{"house:data"},
		ScopeAll, High, func(s *Stack, db plan.Resource) []string {
			pg, ok := parameterGroup(s, db)
			if !ok {
				return []string{"the instance has no parameter group of this stack (parameterGroupName " + db.Str("parameterGroupName") + ")"}
			}
			return when(parameter(pg, "rds.force_ssl") != "1", "parameter group %s does not set rds.force_ssl to 1", pg.Str("name"))
		}),
	dbCheck("ARK-RDS-008", "PostgreSQL logs go to CloudWatch", []string{"RDS.9", "RDS.36", "CKV_AWS_129"},
		ScopeAll, Medium, func(s *Stack, db plan.Resource) []string {
			return when(!slices.Contains(db.Strings("enabledCloudwatchLogsExports"), "postgresql"),
				"enabledCloudwatchLogsExports lacks postgresql")
		}),
	dbCheck("ARK-RDS-009", "Databases take minor version upgrades", []string{"RDS.13", "CKV_AWS_226"},
		ScopeAll, Medium, func(s *Stack, db plan.Resource) []string {
			return when(db.IsFalse("autoMinorVersionUpgrade"), "autoMinorVersionUpgrade is false")
		}),
	dbCheck("ARK-RDS-010", "Database snapshots copy the instance's tags", []string{"RDS.17", "CKV2_AWS_60"},
		ScopeAll, Low, func(s *Stack, db plan.Resource) []string {
			return when(!db.IsTrue("copyTagsToSnapshot"), "copyTagsToSnapshot is not true")
		}),
	dbCheck("ARK-RDS-011", "Production databases are Multi-AZ", []string{"RDS.5", "CKV_AWS_157"},
		ScopeProduction, Medium, func(s *Stack, db plan.Resource) []string {
			return when(!db.IsTrue("multiAz"), "single-AZ: a zone outage or a failed host takes the database down until it is restored")
		}),
	dbCheck("ARK-RDS-012", "Performance Insights is on", []string{"CKV_AWS_353"},
		ScopeAll, Low, func(s *Stack, db plan.Resource) []string {
			return when(!db.IsTrue("performanceInsightsEnabled"), "performanceInsightsEnabled is not true")
		}),
	dbCheck("ARK-RDS-013", "The master user is not a default name", []string{"RDS.25"},
		ScopeAll, Medium, func(s *Stack, db plan.Resource) []string {
			u := strings.ToLower(db.Str("username"))
			return when(u == "" || u == "postgres" || u == "admin" || u == "root" || u == "master", "master username %q is a default one", u)
		}),
	dbCheck("ARK-RDS-014", "Storage is gp3 with autoscaling headroom", []string{"house:data"},
		ScopeAll, Low, func(s *Stack, db plan.Resource) []string {
			alloc, _ := db.Number("allocatedStorage")
			maxAlloc, _ := db.Number("maxAllocatedStorage")
			return when(db.Str("storageType") != "gp3" || maxAlloc <= alloc,
				"storageType %q, allocatedStorage %v, maxAllocatedStorage %v: want gp3 with a larger maximum", db.Str("storageType"), alloc, maxAlloc)
		}),
}

func dbCheck(id, title string, anchors []string, scope Scope, sev Severity, fn func(*Stack, plan.Resource) []string) Check {
	return Check{ID: id, Title: title, Anchors: anchors, Scope: scope, Severity: sev, Subjects: "RDS instances",
		Run: eachOf(token.RDSInstance, fn)}
}

// parameterGroup is the instance's parameter group, when the plan has it.
func parameterGroup(s *Stack, db plan.Resource) (plan.Resource, bool) {
	name := db.Str("parameterGroupName")
	for _, pg := range s.Of(token.RDSParameterGroup) {
		if name != "" && (pg.Str("name") == name || pg.ID == name) {
			return pg, true
		}
	}
	return plan.Resource{}, false
}

// parameter is the value a parameter group sets for name.
func parameter(pg plan.Resource, name string) string {
	for _, p := range pg.Objects("parameters") {
		if p["name"] == name {
			return plan.AsString(p["value"])
		}
	}
	return ""
}

var redisChecks = []Check{
	cacheCheck("ARK-RED-001", "Redis is encrypted at rest", []string{"ElastiCache.4", "CKV_AWS_29"}, ScopeAll, High,
		func(rg plan.Resource) []string {
			return when(!rg.IsTrue("atRestEncryptionEnabled"), "atRestEncryptionEnabled is not true")
		}),
	cacheCheck("ARK-RED-002", "Redis is encrypted in transit", []string{"ElastiCache.5", "CKV_AWS_30"}, ScopeAll, High,
		func(rg plan.Resource) []string {
			return when(!rg.IsTrue("transitEncryptionEnabled"), "transitEncryptionEnabled is not true")
		}),
	cacheCheck("ARK-RED-003", "Redis requires an AUTH token", []string{"ElastiCache.6", "CKV_AWS_31"}, ScopeAll, High,
		func(rg plan.Resource) []string {
			return when(rg.Str("authToken") == "" && len(rg.List("userGroupIds")) == 0, "no authToken (and no user groups): any client in the group may connect")
		}),
	cacheCheck("ARK-RED-004", "Production Redis keeps snapshots", []string{"ElastiCache.1"}, ScopeProduction, Medium,
		func(rg plan.Resource) []string {
			days, _ := rg.Number("snapshotRetentionLimit")
			return when(days < 1, "snapshotRetentionLimit is %v: no snapshots", days)
		}),
	cacheCheck("ARK-RED-005", "Redis fails over automatically", []string{"ElastiCache.3", "CKV2_AWS_50"}, ScopeAll, Medium,
		func(rg plan.Resource) []string {
			return when(!rg.IsTrue("automaticFailoverEnabled"), "automatic failover is off (single node): a node failure loses the cache until it is replaced")
		}),
	cacheCheck("ARK-RED-006", "Redis takes minor version upgrades", []string{"ElastiCache.2"}, ScopeAll, Low,
		func(rg plan.Resource) []string {
			return when(rg.IsFalse("autoMinorVersionUpgrade"), "autoMinorVersionUpgrade is false")
		}),
	cacheCheck("ARK-RED-007", "Redis uses this stack's subnet group, not the default", []string{"ElastiCache.7"}, ScopeAll, Medium,
		func(rg plan.Resource) []string {
			return when(rg.Str("subnetGroupName") == "" || rg.Str("subnetGroupName") == "default", "no subnet group of its own")
		}),
}

func cacheCheck(id, title string, anchors []string, scope Scope, sev Severity, fn func(plan.Resource) []string) Check {
	return Check{ID: id, Title: title, Anchors: anchors, Scope: scope, Severity: sev, Subjects: "Redis replication groups",
		Run: func(s *Stack) Outcome { return each(s.Of(token.ElastiCacheReplicationGroup), fn) }}
}
