package policy_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/arrakis/infrastructure/internal/policy"
)

// Each check's scope is pinned: narrowing a check to production, or
// leaving ephemeral stacks unchecked, is a reviewed change to this table,
// never a side effect.
func TestEveryCheckKeepsItsScope(t *testing.T) {
	want := map[policy.Scope][]string{
		policy.ScopeProduction: {
			"ARK-DLP-001", "ARK-ECR-002", "ARK-ELB-004", "ARK-NET-010", "ARK-RDS-004", "ARK-RDS-005", "ARK-RDS-006",
			"ARK-RDS-011", "ARK-RED-004", "ARK-SEC-001",
		},
		policy.ScopeEphemeral: {
			"ARK-DLP-002",
		},
		policy.ScopeAll: {
			"ARK-ACM-001", "ARK-ACM-002", "ARK-DLP-003", "ARK-DLP-004", "ARK-ECR-001", "ARK-ECR-003", "ARK-ECS-001",
			"ARK-ECS-002", "ARK-ECS-003", "ARK-ECS-004", "ARK-ECS-005", "ARK-ECS-006", "ARK-ECS-007", "ARK-ECS-008",
			"ARK-ECS-009", "ARK-ECS-010", "ARK-ECS-011", "ARK-ECS-012", "ARK-ECS-013", "ARK-ELB-001", "ARK-ELB-002",
			"ARK-ELB-003", "ARK-ELB-005", "ARK-ELB-006", "ARK-ELB-007", "ARK-IAM-001", "ARK-IAM-002", "ARK-IAM-003",
			"ARK-IAM-004", "ARK-IAM-005", "ARK-IAM-006", "ARK-KMS-001", "ARK-KMS-002", "ARK-LOG-001", "ARK-LOG-002", "ARK-MON-001",
			"ARK-MON-002", "ARK-MON-003", "ARK-NAM-001", "ARK-NAM-002", "ARK-NET-001", "ARK-NET-002", "ARK-NET-003", "ARK-NET-004",
			"ARK-NET-005", "ARK-NET-006", "ARK-NET-007", "ARK-NET-008", "ARK-NET-009", "ARK-NET-011", "ARK-NET-012",
			"ARK-NET-013", "ARK-RDS-001", "ARK-RDS-002", "ARK-RDS-003", "ARK-RDS-007", "ARK-RDS-008", "ARK-RDS-009",
			"ARK-RDS-010", "ARK-RDS-012", "ARK-RDS-013", "ARK-RDS-014", "ARK-RED-001", "ARK-RED-002", "ARK-RED-003",
			"ARK-RED-005", "ARK-RED-006", "ARK-RED-007", "ARK-SEC-002", "ARK-SNS-001",
			"ARK-NET-014", "ARK-NET-015", "ARK-NET-016", "ARK-ELB-008", "ARK-WAF-001", "ARK-WAF-002", "ARK-WAF-003",
			"ARK-RDS-015", "ARK-RDS-016", "ARK-RDS-017", "ARK-RDS-018", "ARK-RDS-019", "ARK-ECR-004", "ARK-RED-008",
			"ARK-SEC-003", "ARK-LOG-003", "ARK-ECS-014",
		},
	}
	got := map[policy.Scope][]string{}
	for _, c := range policy.Checks() {
		got[c.Scope] = append(got[c.Scope], c.ID)
	}
	for scope, ids := range want {
		assert.ElementsMatch(t, ids, got[scope], "checks of scope %s", scope)
	}
	assert.Len(t, got, len(want), "no check has another scope")
}
