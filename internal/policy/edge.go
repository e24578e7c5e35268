package policy

import (
	"strings"

	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// tls13Policy is the listener policy the house asks for; the provider's
// default (ELBSecurityPolicy-2016-08) still offers TLS 1.0.
const tls13Policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

var edgeChecks = []Check{
	{
		ID: "ARK-ELB-001", Title: "HTTPS listeners use the TLS 1.3 security policy",
		Anchors: []string{"ELB.17", "CKV_AWS_103"}, Scope: ScopeAll, Severity: High, Subjects: "HTTPS listeners",
		Run: func(s *Stack) Outcome {
			return each(listeners(s, "HTTPS"), func(l plan.Resource) []string {
				return when(l.Str("sslPolicy") != tls13Policy, "sslPolicy is %q, not %s", l.Str("sslPolicy"), tls13Policy)
			})
		},
	},
	{
		ID: "ARK-ELB-002", Title: "HTTP listeners only redirect to HTTPS with a 301",
		Anchors: []string{"ELB.1", "CKV2_AWS_20", "CKV_AWS_2"}, Scope: ScopeAll, Severity: High, Subjects: "HTTP listeners",
		Run: func(s *Stack) Outcome {
			return each(listeners(s, "HTTP"), func(l plan.Resource) []string {
				actions := l.Objects("defaultActions")
				for _, a := range actions {
					redirect, _ := a["redirect"].(map[string]any)
					if a["type"] != "redirect" || redirect["protocol"] != "HTTPS" || redirect["statusCode"] != "HTTP_301" {
						return []string{"a default action is not a 301 redirect to HTTPS"}
					}
				}
				return when(len(actions) == 0, "no default action")
			})
		},
	},
	{
		ID: "ARK-ELB-003", Title: "Load balancers drop invalid HTTP header fields",
		Anchors: []string{"ELB.4", "CKV_AWS_131"}, Scope: ScopeAll, Severity: Medium, Subjects: "load balancers",
		Run: eachOf(token.LoadBalancer, func(_ *Stack, lb plan.Resource) []string {
			return when(!lb.IsTrue("dropInvalidHeaderFields"), "dropInvalidHeaderFields is not true")
		}),
	},
	{
		ID: "ARK-ELB-004", Title: "Production load balancers have deletion protection",
		Anchors: []string{"ELB.6", "CKV_AWS_150", "awsguard:elb-deletion-protection-enabled"}, Scope: ScopeProduction, Severity: Medium,
		Subjects: "load balancers",
		Run: eachOf(token.LoadBalancer, func(_ *Stack, lb plan.Resource) []string {
			return when(!lb.IsTrue("enableDeletionProtection"), "enableDeletionProtection is not true")
		}),
	},
	{
		ID: "ARK-ELB-005", Title: "Load balancers write access logs",
		Anchors: []string{"ELB.5", "CKV_AWS_91", "awsguard:elb-logging-enabled"}, Scope: ScopeAll, Severity: Low, Subjects: "load balancers",
		Run: eachOf(token.LoadBalancer, func(_ *Stack, lb plan.Resource) []string {
			return when(!lb.IsTrue("accessLogs.enabled") || lb.Str("accessLogs.bucket") == "", "access logs are off")
		}),
	},
	{
		ID: "ARK-ELB-006", Title: "Load balancers mitigate HTTP desync defensively or strictly",
		Anchors: []string{"ELB.12"}, Scope: ScopeAll, Severity: Medium, Subjects: "load balancers",
		Run: eachOf(token.LoadBalancer, func(_ *Stack, lb plan.Resource) []string {
			return when(lb.Str("desyncMitigationMode") == "monitor", "desyncMitigationMode is monitor")
		}),
	},
	{
		ID: "ARK-ELB-007", Title: "HTTPS listeners serve an ACM certificate of this stack",
		Anchors: []string{"house:edge"}, Scope: ScopeAll, Severity: High, Subjects: "HTTPS listeners",
		Run: func(s *Stack) Outcome {
			return each(listeners(s, "HTTPS"), func(l plan.Resource) []string {
				cert, ok := s.ByID(l.Str("certificateArn"))
				return when(!ok || cert.Type != token.ACMCertificate && cert.Type != token.ACMCertificateValidation,
					"certificateArn %q is not a certificate of this stack", l.Str("certificateArn"))
			})
		},
	},
	{
		ID: "ARK-ACM-001", Title: "Certificates are validated by DNS (they renew by themselves)",
		Anchors: []string{"house:edge"}, Scope: ScopeAll, Severity: Medium, Subjects: "ACM certificates",
		Run: eachOf(token.ACMCertificate, func(_ *Stack, c plan.Resource) []string {
			return when(c.Str("validationMethod") != "DNS", "validationMethod is %q, not DNS", c.Str("validationMethod"))
		}),
	},
	{
		ID: "ARK-ACM-002", Title: "RSA certificates use keys of at least 2048 bits",
		Anchors: []string{"ACM.2"}, Scope: ScopeAll, Severity: High, Subjects: "ACM certificates",
		Run: eachOf(token.ACMCertificate, func(_ *Stack, c plan.Resource) []string {
			return when(c.Str("keyAlgorithm") == "RSA_1024", "keyAlgorithm is RSA_1024")
		}),
	},
}

// listeners are the load balancer listeners of one protocol.
func listeners(s *Stack, protocol string) []plan.Resource {
	var out []plan.Resource
	for _, l := range s.Of(token.Listener) {
		if strings.EqualFold(l.Str("protocol"), protocol) {
			out = append(out, l)
		}
	}
	return out
}
