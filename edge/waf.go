package edge

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/naming"
)

// WAFRule is one rule of the web ACL.
type WAFRule struct {
	// Role names the rule and its metric.
	Role string
	// ManagedGroup is the AWS managed rule group the rule runs, blocking
	// what it matches (no override); "" for the rate rule.
	ManagedGroup string
}

// RateRole names the per-address rate rule.
const RateRole = "rate-limit"

// WAFRules are the web ACL's rules in the order it evaluates them:
//   - the Amazon IP reputation list: addresses AWS's threat intelligence
//     has seen attacking, bots and scanners;
//   - the per-address rate limit (edge.waf.rateLimitPer5Minutes);
//   - the core rule set: the OWASP classes (cross-site scripting, path
//     traversal, oversized or malformed requests);
//   - known bad inputs: request patterns of known exploits, Log4Shell
//     (Log4JRCE) among them.
var WAFRules = []WAFRule{
	{Role: "ip-reputation", ManagedGroup: "AWSManagedRulesAmazonIpReputationList"},
	{Role: RateRole},
	{Role: "common", ManagedGroup: "AWSManagedRulesCommonRuleSet"},
	{Role: "known-bad-inputs", ManagedGroup: "AWSManagedRulesKnownBadInputsRuleSet"},
}

// WAFLogGroup is the log group of a stack's web ACL: WAF delivers only to
// groups named aws-waf-logs-….
func WAFLogGroup(names naming.Namer) string { return "aws-waf-logs-" + names.Prefix() }

// waf puts a WAFv2 web ACL in front of the load balancer: AWS's managed
// rule groups and a per-address rate limit, each with CloudWatch metrics
// and sampled requests, the default action allowing what no rule blocks.
// It logs what it blocks or counts — not every request — to its own log
// group, with the Authorization and Cookie headers redacted.
//
// Delivery to CloudWatch Logs needs a resource policy on the log group,
// which WAF writes itself when the deployer may call
// logs:PutResourcePolicy.
func (b *builder) waf() error {
	w := b.args.Edge.WAF
	b.e.WebACLName = pulumi.String("").ToStringOutput()
	if !w.Enabled {
		return nil
	}
	aclName := b.Names.Name("web-acl", naming.LimitDefault)
	visibility := func(metric string) wafv2.WebAclRuleVisibilityConfigArgs {
		return wafv2.WebAclRuleVisibilityConfigArgs{
			CloudwatchMetricsEnabled: pulumi.Bool(true),
			MetricName:               pulumi.String(metric),
			SampledRequestsEnabled:   pulumi.Bool(true),
		}
	}
	var rules wafv2.WebAclRuleArray
	for priority, r := range WAFRules {
		rule := wafv2.WebAclRuleArgs{
			Name:             pulumi.String(r.Role),
			Priority:         pulumi.Int(priority),
			VisibilityConfig: visibility(aclName + "-" + r.Role),
		}
		if r.ManagedGroup == "" {
			rule.Action = wafv2.WebAclRuleActionArgs{Block: wafv2.WebAclRuleActionBlockArgs{}}
			rule.Statement = wafv2.WebAclRuleStatementArgs{
				RateBasedStatement: wafv2.WebAclRuleStatementRateBasedStatementArgs{
					Limit:               pulumi.Int(w.RateLimit),
					AggregateKeyType:    pulumi.String("IP"),
					EvaluationWindowSec: pulumi.Int(300),
				},
			}
		} else {
			rule.OverrideAction = wafv2.WebAclRuleOverrideActionArgs{None: wafv2.WebAclRuleOverrideActionNoneArgs{}}
			rule.Statement = wafv2.WebAclRuleStatementArgs{
				ManagedRuleGroupStatement: wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs{
					VendorName: pulumi.String("AWS"),
					Name:       pulumi.String(r.ManagedGroup),
				},
			}
		}
		rules = append(rules, rule)
	}
	acl, err := wafv2.NewWebAcl(b.Ctx, b.Child("web-acl"), &wafv2.WebAclArgs{
		Name:          pulumi.String(aclName),
		Description:   pulumi.String("In front of the load balancer: AWS managed rules and a per-address rate limit"),
		Scope:         pulumi.String("REGIONAL"),
		DefaultAction: wafv2.WebAclDefaultActionArgs{Allow: wafv2.WebAclDefaultActionAllowArgs{}},
		Rules:         rules,
		VisibilityConfig: wafv2.WebAclVisibilityConfigArgs{
			CloudwatchMetricsEnabled: pulumi.Bool(true),
			MetricName:               pulumi.String(aclName),
			SampledRequestsEnabled:   pulumi.Bool(true),
		},
	}, b.Parent)
	if err != nil {
		return err
	}
	if _, err := wafv2.NewWebAclAssociation(b.Ctx, b.Child("web-acl-association"), &wafv2.WebAclAssociationArgs{
		ResourceArn: b.e.ALBARN,
		WebAclArn:   acl.Arn,
	}, b.Parent); err != nil {
		return err
	}
	logs, err := cloudwatch.NewLogGroup(b.Ctx, b.Child("web-acl-logs"), &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(WAFLogGroup(b.Names)),
		RetentionInDays: pulumi.Int(b.args.LogRetentionDays),
	}, b.Parent)
	if err != nil {
		return err
	}
	keep := func(action string) wafv2.WebAclLoggingConfigurationLoggingFilterFilterConditionArgs {
		return wafv2.WebAclLoggingConfigurationLoggingFilterFilterConditionArgs{
			ActionCondition: wafv2.WebAclLoggingConfigurationLoggingFilterFilterConditionActionConditionArgs{Action: pulumi.String(action)},
		}
	}
	redact := func(header string) wafv2.WebAclLoggingConfigurationRedactedFieldArgs {
		return wafv2.WebAclLoggingConfigurationRedactedFieldArgs{
			SingleHeader: wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs{Name: pulumi.String(header)},
		}
	}
	if _, err := wafv2.NewWebAclLoggingConfiguration(b.Ctx, b.Child("web-acl-logging"), &wafv2.WebAclLoggingConfigurationArgs{
		ResourceArn:           acl.Arn,
		LogDestinationConfigs: pulumi.StringArray{logs.Arn},
		LoggingFilter: wafv2.WebAclLoggingConfigurationLoggingFilterArgs{
			DefaultBehavior: pulumi.String("DROP"),
			Filters: wafv2.WebAclLoggingConfigurationLoggingFilterFilterArray{
				wafv2.WebAclLoggingConfigurationLoggingFilterFilterArgs{
					Behavior:    pulumi.String("KEEP"),
					Requirement: pulumi.String("MEETS_ANY"),
					Conditions: wafv2.WebAclLoggingConfigurationLoggingFilterFilterConditionArray{
						keep("BLOCK"), keep("COUNT"),
					},
				},
			},
		},
		RedactedFields: wafv2.WebAclLoggingConfigurationRedactedFieldArray{redact("authorization"), redact("cookie")},
	}, b.Parent); err != nil {
		return err
	}
	b.e.WebACLName = acl.Name
	return nil
}
