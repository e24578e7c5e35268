package policy

import (
	"slices"
	"strings"

	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// scannerChecks are the controls Checkov's AWS checks and Security Hub's
// foundational best practices report on this program's resource types
// that the other groups do not: each either passes or is excepted in
// exceptions.go with the reason, so a standard scanner finds nothing the
// report does not explain.
var scannerChecks = []Check{
	{
		ID: "ARK-NET-014", Title: "Subnets do not give what is launched in them a public address",
		Anchors: []string{"EC2.15", "CKV_AWS_130"}, Scope: ScopeAll, Severity: Medium, Subjects: "subnets",
		Run: func(s *Stack) Outcome {
			var out Outcome
			for _, vpc := range s.Of(token.AwsxVPC) {
				for _, c := range plan.ChildResources(vpc) {
					if c.Type != token.Subnet {
						continue
					}
					out.Subjects++
					if c.Inputs["mapPublicIpOnLaunch"] == true {
						out.Findings = append(out.Findings, Finding{URN: c.URN, Type: c.Type, Name: c.Name,
							Message: "mapPublicIpOnLaunch is true: whatever is launched here gets a public address"})
					}
				}
			}
			return out
		},
	},
	{
		ID: "ARK-NET-015", Title: "No security group opens port 80 to the internet",
		Anchors: []string{"CKV_AWS_260"}, Scope: ScopeAll, Severity: Low, Subjects: "security group rules",
		Run: func(s *Stack) Outcome {
			return eachRule(s, func(r rule) bool { return r.ingress }, func(r rule) string {
				return whenText(r.world() && (r.allPorts() || (r.from <= 80 && 80 <= r.to)), "port 80 open to %v", r.cidrs)
			})
		},
	},
	{
		ID: "ARK-NET-016", Title: "VPCs reach the EC2 API through an interface endpoint",
		Anchors: []string{"EC2.10"}, Scope: ScopeAll, Severity: Low, Subjects: "VPCs",
		Run: func(s *Stack) Outcome {
			return each(s.Of(token.AwsxVPC), func(vpc plan.Resource) []string {
				for _, e := range s.Of(token.VPCEndpoint) {
					if e.Str("vpcEndpointType") == "Interface" && strings.HasSuffix(e.Str("serviceName"), ".ec2") {
						return nil
					}
				}
				return []string{"no com.amazonaws.<region>.ec2 interface endpoint"}
			})
		},
	},
	{
		ID: "ARK-ELB-008", Title: "Internet-facing load balancers are behind a WAF web ACL",
		Anchors: []string{"ELB.16", "CKV2_AWS_28"}, Scope: ScopeAll, Severity: High, Subjects: "internet-facing load balancers",
		Run: func(s *Stack) Outcome {
			var public []plan.Resource
			for _, alb := range s.Of(token.LoadBalancer) {
				if !alb.IsTrue("internal") {
					public = append(public, alb)
				}
			}
			return each(public, func(alb plan.Resource) []string {
				for _, a := range s.Of(token.WebACLAssociation) {
					if a.Str("resourceArn") == alb.ID && s.webACL(a.Str("webAclArn")) != nil {
						return nil
					}
				}
				return []string{"no web ACL is associated with it"}
			})
		},
	},
	{
		ID: "ARK-WAF-001", Title: "Web ACLs have rules, each with CloudWatch metrics",
		Anchors: []string{"WAF.10", "WAF.12", "CKV_AWS_175"}, Scope: ScopeAll, Severity: Medium, Subjects: "web ACLs",
		Run: eachOf(token.WebACL, func(_ *Stack, acl plan.Resource) []string {
			rules := acl.Objects("rules")
			if len(rules) == 0 {
				return []string{"no rules: the ACL only applies its default action"}
			}
			var bad []string
			if !acl.IsTrue("visibilityConfig.cloudwatchMetricsEnabled") {
				bad = append(bad, "the ACL's CloudWatch metrics are off")
			}
			for _, r := range rules {
				vis, _ := r["visibilityConfig"].(map[string]any)
				if vis["cloudwatchMetricsEnabled"] != true {
					bad = append(bad, "rule "+plan.AsString(r["name"])+" has no CloudWatch metrics")
				}
			}
			return bad
		}),
	},
	{
		ID: "ARK-WAF-002", Title: "Web ACLs block known bad inputs, the Log4j lookup among them",
		Anchors: []string{"CKV_AWS_192"}, Scope: ScopeAll, Severity: High, Subjects: "web ACLs",
		Run: eachOf(token.WebACL, func(_ *Stack, acl plan.Resource) []string {
			for _, r := range acl.Objects("rules") {
				st, _ := r["statement"].(map[string]any)
				group, _ := st["managedRuleGroupStatement"].(map[string]any)
				if plan.AsString(group["name"]) != "AWSManagedRulesKnownBadInputsRuleSet" {
					continue
				}
				override, _ := r["overrideAction"].(map[string]any)
				if _, counts := override["count"]; counts {
					return []string{"the known-bad-inputs group only counts (overrideAction count)"}
				}
				for _, o := range plan.AsList(group["ruleActionOverrides"]) {
					if m, _ := o.(map[string]any); plan.AsString(m["name"]) == "Log4JRCE" {
						return []string{"the Log4JRCE rule of known bad inputs is overridden"}
					}
				}
				return nil
			}
			return []string{"no AWSManagedRulesKnownBadInputsRuleSet rule"}
		}),
	},
	{
		ID: "ARK-WAF-003", Title: "Web ACLs log what they block",
		Anchors: []string{"WAF.11", "CKV2_AWS_31"}, Scope: ScopeAll, Severity: Medium, Subjects: "web ACLs",
		Run: eachOf(token.WebACL, func(s *Stack, acl plan.Resource) []string {
			for _, l := range s.Of(token.WebACLLogging) {
				if named := s.webACL(l.Str("resourceArn")); named != nil && named.URN == acl.URN && len(l.List("logDestinationConfigs")) > 0 {
					return nil
				}
			}
			return []string{"no logging configuration"}
		}),
	},
	dbCheck("ARK-RDS-015", "Databases have enhanced monitoring", []string{"RDS.6", "CKV_AWS_118"},
		ScopeAll, Medium, func(s *Stack, db plan.Resource) []string {
			interval, _ := db.Number("monitoringInterval")
			return when(!slices.Contains([]float64{1, 5, 10, 15, 30, 60}, interval) || db.Str("monitoringRoleArn") == "",
				"monitoringInterval %v with role %q: no enhanced monitoring", interval, db.Str("monitoringRoleArn"))
		}),
	dbCheck("ARK-RDS-016", "Databases accept IAM authentication", []string{"RDS.10", "CKV_AWS_161"},
		ScopeAll, Medium, func(s *Stack, db plan.Resource) []string {
			return when(!db.IsTrue("iamDatabaseAuthenticationEnabled"), "iamDatabaseAuthenticationEnabled is not true: every sign-in needs the master password")
		}),
	dbCheck("ARK-RDS-017", "Performance Insights data is encrypted with a customer-managed key", []string{"CKV_AWS_354"},
		ScopeAll, Low, func(s *Stack, db plan.Resource) []string {
			return when(db.IsTrue("performanceInsightsEnabled") && db.Str("performanceInsightsKmsKeyId") == "",
				"Performance Insights uses the AWS-managed aws/rds key")
		}),
	dbCheck("ARK-RDS-018", "Databases do not listen on the engine's default port", []string{"RDS.23"},
		ScopeAll, Low, func(s *Stack, db plan.Resource) []string {
			port, set := db.Number("port")
			return when(!set || port == 5432, "PostgreSQL listens on its default port 5432")
		}),
	dbCheck("ARK-RDS-019", "Databases are covered by an AWS Backup plan", []string{"RDS.26"},
		ScopeAll, Low, func(s *Stack, db plan.Resource) []string {
			return when(len(s.Of(token.BackupSelection)) == 0, "no AWS Backup plan selects it (it has RDS automated backups)")
		}),
	{
		ID: "ARK-ECR-004", Title: "ECR repositories are encrypted with KMS",
		Anchors: []string{"CKV_AWS_136"}, Scope: ScopeAll, Severity: Low, Subjects: "ECR repositories",
		Run: eachOf(token.ECRRepository, func(_ *Stack, r plan.Resource) []string {
			types := []string{}
			for _, c := range r.Objects("encryptionConfigurations") {
				types = append(types, plan.AsString(c["encryptionType"]))
			}
			return when(!slices.Contains(types, "KMS"), "encryption is %v, not KMS", types)
		}),
	},
	cacheCheck("ARK-RED-008", "Redis is encrypted with a customer-managed KMS key", []string{"CKV_AWS_191"}, ScopeAll, Low,
		func(rg plan.Resource) []string {
			return when(rg.Str("kmsKeyId") == "", "no kmsKeyId: at-rest encryption uses the AWS-managed key")
		}),
	{
		ID: "ARK-SEC-003", Title: "Secrets rotate automatically",
		Anchors: []string{"SecretsManager.1", "CKV2_AWS_57"}, Scope: ScopeAll, Severity: Low, Subjects: "secrets",
		Run: eachOf(token.Secret, func(s *Stack, sec plan.Resource) []string {
			for _, r := range s.Of(token.SecretRotation) {
				if r.Str("secretId") == sec.ID {
					return nil
				}
			}
			return []string{"no rotation"}
		}),
	},
	{
		ID: "ARK-LOG-003", Title: "Log groups keep their logs for at least a year",
		Anchors: []string{"CloudWatch.16", "CKV_AWS_338"}, Scope: ScopeAll, Severity: Low, Subjects: "log groups",
		Run: eachOf(token.LogGroup, func(_ *Stack, g plan.Resource) []string {
			days, _ := g.Number("retentionInDays")
			return when(days > 0 && days < 365, "kept %v days", days)
		}),
	},
	{
		ID: "ARK-ECS-014", Title: "Containers name a non-root user",
		Anchors: []string{"ECS.20"}, Scope: ScopeAll, Severity: Low, Subjects: "task definitions",
		Run: eachContainer(func(c container) string {
			u := plan.AsString(c["user"])
			return whenText(u == "" || u == "root" || u == "0" || strings.HasPrefix(u, "0:") || strings.HasPrefix(u, "root:"),
				"container %s names no non-root user (the image's USER is not visible to ECS)", c.name())
		}),
	},
}

// webACL is the web ACL an ARN names, or nil: a regional web ACL's ARN
// ends in webacl/<name>/<id>.
func (s *Stack) webACL(arn string) *plan.Resource {
	for _, acl := range s.Of(token.WebACL) {
		if strings.HasSuffix(arn, ":regional/webacl/"+acl.Str("name")+"/"+acl.ID) {
			return &acl
		}
	}
	return nil
}
