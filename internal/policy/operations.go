package policy

import (
	"fmt"
	"strings"

	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

var keyChecks = []Check{
	{
		ID: "ARK-KMS-001", Title: "KMS keys rotate yearly",
		Anchors: []string{"KMS.4", "CKV_AWS_7"}, Scope: ScopeAll, Severity: Medium, Subjects: "KMS keys",
		Run: eachOf(token.KMSKey, func(_ *Stack, k plan.Resource) []string {
			return when(!k.IsTrue("enableKeyRotation"), "enableKeyRotation is not true")
		}),
	},
	{
		ID: "ARK-KMS-002", Title: "Key policies grant nothing to every principal unconditionally",
		Anchors: []string{"CKV_AWS_33"}, Scope: ScopeAll, Severity: Critical, Subjects: "KMS keys",
		Run: eachOf(token.KMSKey, func(_ *Stack, k plan.Resource) []string {
			return publicStatements(k.Str("policy"))
		}),
	},
}

var secretChecks = []Check{
	{
		ID: "ARK-SEC-001", Title: "Production secrets can be recovered for at least 7 days after deletion",
		Anchors: []string{"house:secrets"}, Scope: ScopeProduction, Severity: High, Subjects: "secrets",
		Run: eachOf(token.Secret, func(_ *Stack, sec plan.Resource) []string {
			days, set := sec.Number("recoveryWindowInDays")
			return when(set && days < 7, "recoveryWindowInDays is %v; production keeps a deleted secret recoverable for 7 to 30 days", days)
		}),
	},
	{
		ID: "ARK-SEC-002", Title: "Secrets are encrypted with this stack's KMS key",
		Anchors: []string{"CKV_AWS_149"}, Scope: ScopeAll, Severity: Medium, Subjects: "secrets",
		Run: eachOf(token.Secret, func(s *Stack, sec plan.Resource) []string {
			return when(!s.isKey(sec.Str("kmsKeyId")), "kmsKeyId %q is not a KMS key of this stack (the AWS-managed key cannot be scoped)", sec.Str("kmsKeyId"))
		}),
	},
}

var logChecks = []Check{
	{
		ID: "ARK-LOG-001", Title: "Every log group has a retention period",
		Anchors: []string{"CKV_AWS_66"}, Scope: ScopeAll, Severity: Medium, Subjects: "log groups",
		Run: eachOf(token.LogGroup, func(_ *Stack, g plan.Resource) []string {
			days, _ := g.Number("retentionInDays")
			return when(days <= 0, "no retentionInDays: logs are kept (and billed) forever")
		}),
	},
	{
		ID: "ARK-LOG-002", Title: "Log groups are encrypted with a customer-managed KMS key",
		Anchors: []string{"CKV_AWS_158"}, Scope: ScopeAll, Severity: Low, Subjects: "log groups",
		Run: eachOf(token.LogGroup, func(_ *Stack, g plan.Resource) []string {
			return when(g.Str("kmsKeyId") == "", "encrypted with the AWS-owned key, not a customer-managed one")
		}),
	},
}

var monitoringChecks = []Check{
	{
		ID: "ARK-MON-001", Title: "Every alarm notifies on ALARM and on OK",
		Anchors: []string{"CloudWatch.15", "CloudWatch.17"}, Scope: ScopeAll, Severity: Medium, Subjects: "alarms",
		Run: eachOf(token.MetricAlarm, func(_ *Stack, a plan.Resource) []string {
			var bad []string
			bad = append(bad, when(len(a.List("alarmActions")) == 0, "no alarmActions")...)
			bad = append(bad, when(len(a.List("okActions")) == 0, "no okActions")...)
			bad = append(bad, when(a.IsFalse("actionsEnabled"), "actionsEnabled is false")...)
			return bad
		}),
	},
	{
		ID: "ARK-MON-002", Title: "Alarm actions go to this stack's alert topic",
		Anchors: []string{"house:monitoring"}, Scope: ScopeAll, Severity: Medium, Subjects: "alarms",
		Run: eachOf(token.MetricAlarm, func(s *Stack, a plan.Resource) []string {
			var bad []string
			for _, k := range []string{"alarmActions", "okActions"} {
				for _, arn := range a.Strings(k) {
					t, ok := s.ByID(arn)
					bad = append(bad, when(!ok || t.Type != token.SNSTopic, "%s %s is not an SNS topic of this stack", k, arn)...)
				}
			}
			return bad
		}),
	},
	{
		ID: "ARK-MON-003", Title: "Every alarm says how to treat missing data",
		Anchors: []string{"house:monitoring"}, Scope: ScopeAll, Severity: Low, Subjects: "alarms",
		Run: eachOf(token.MetricAlarm, func(_ *Stack, a plan.Resource) []string {
			return when(a.Str("treatMissingData") == "", "treatMissingData is not set")
		}),
	},
	{
		ID: "ARK-SNS-001", Title: "Alert topics are encrypted with a key CloudWatch may use",
		Anchors: []string{"SNS.1", "CKV_AWS_26"}, Scope: ScopeAll, Severity: Medium, Subjects: "SNS topics",
		Run: eachOf(token.SNSTopic, func(s *Stack, t plan.Resource) []string {
			key := t.Str("kmsMasterKeyId")
			switch {
			case key == "":
				return []string{"kmsMasterKeyId is not set: the topic is not encrypted"}
			case key == "alias/aws/sns":
				return []string{"encrypted with the AWS-managed SNS key, which CloudWatch cannot use: alarm notifications are silently dropped"}
			}
			return when(!s.isKey(key), "kmsMasterKeyId %q is not a KMS key of this stack", key)
		}),
	},
}

// isKey reports whether ref names a KMS key of the plan: its id, its ARN,
// or one of its aliases (by name or ARN).
func (s *Stack) isKey(ref string) bool {
	if ref == "" {
		return false
	}
	if k, ok := s.ByID(ref); ok && k.Type == token.KMSKey {
		return true
	}
	if i := strings.Index(ref, ":alias/"); strings.HasPrefix(ref, "arn:") && i >= 0 {
		ref = ref[i+1:]
	}
	for _, a := range s.Of(token.KMSAlias) {
		if a.Str("name") == ref || a.ID == ref {
			return s.isKey(a.Str("targetKeyId"))
		}
	}
	return false
}

// publicStatements are the Allow statements of a resource policy that
// grant to every principal without a condition.
func publicStatements(text string) []string {
	if text == "" {
		return nil // the service's default policy: the account only
	}
	doc, err := parsePolicy(text)
	if err != nil {
		return []string{"policy: " + err.Error()}
	}
	var bad []string
	for _, st := range doc.Statement {
		if everyone, _ := st.principal(); everyone && st.Effect == "Allow" && len(st.Condition) == 0 {
			bad = append(bad, fmt.Sprintf("grants %v to every principal with no condition", []string(st.Action)))
		}
	}
	return bad
}
