package edge_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/edge"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/health"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

const (
	albType        = "aws:lb/loadBalancer:LoadBalancer"
	tgType         = "aws:lb/targetGroup:TargetGroup"
	listenerType   = "aws:lb/listener:Listener"
	certType       = "aws:acm/certificate:Certificate"
	validationType = "aws:acm/certificateValidation:CertificateValidation"
	recordType     = "aws:route53/record:Record"
)

// What the network domain hands over, as literals.
var (
	vpcID         = "vpc-0a1b2c3d4e5f60718"
	publicSubnets = []string{"subnet-0d4c1f2a3b4e5f601", "subnet-0d4c1f2a3b4e5f602"}
	albSG         = "sg-0f1e2d3c4b5a69788"
	zoneID        = "Z0123456789ABCDEFGHIJ"
)

// apiHealth is the API's health check as compute hands it over.
var apiHealth = health.Check{Path: "/health", Port: 3000, Interval: 30, Timeout: 5, Retries: 3, StartPeriod: 60,
	HealthyThreshold: 2, UnhealthyThreshold: 3, Matcher: "200"}

// argsFor is a stack's edge.Args, wired as main.go wires them.
func argsFor(cfg *config.Config) *edge.Args {
	a := edge.FromConfig(cfg)
	a.VPCID = pulumi.String(vpcID)
	a.PublicSubnetIDs = pulumi.ToStringArray(publicSubnets)
	a.ALBSecurityGroupID = pulumi.String(albSG)
	a.Health = apiHealth
	return a
}

// build runs edge.New for a stack, with the args changed by mutate.
func build(t *testing.T, stack string, mutate func(*edge.Args)) (*mock.Result, *edge.Edge) {
	t.Helper()
	args := argsFor(stacktest.Config(t, stack))
	if mutate != nil {
		mutate(args)
	}
	return stacktest.Build(t, stack, func(ctx *pulumi.Context) (*edge.Edge, error) { return edge.New(ctx, "arrakis", args) })
}

func withZone(a *edge.Args) { a.Edge.HostedZoneID = zoneID }

var domains = map[string]string{"production": "api.arrakis.community", "staging": "staging.api.arrakis.community"}

func TestLoadBalancerIsInternetFacingInThePublicSubnets(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, e := build(t, stack, nil)
		alb := stacktest.One(t, res, albType, "arrakis-alb")
		assert.Equal(t, "arrakis-"+stack+"-alb", stacktest.Str(t, alb, "name"))
		assert.Equal(t, false, stacktest.Get(t, alb, "internal"))
		assert.Equal(t, "application", stacktest.Str(t, alb, "loadBalancerType"))
		assert.Equal(t, publicSubnets, stacktest.Strings(t, alb, "subnets"))
		assert.Equal(t, []string{albSG}, stacktest.Strings(t, alb, "securityGroups"))
		assert.Equal(t, true, stacktest.Get(t, alb, "dropInvalidHeaderFields"))
		assert.Equal(t, "defensive", stacktest.Str(t, alb, "desyncMitigationMode"))
		assert.Equal(t, 60, stacktest.Int(t, alb, "idleTimeout"))
		assert.Equal(t, stack == "production", stacktest.Get(t, alb, "enableDeletionProtection"),
			"deletion protection in production only")
		_, _, logs := alb.Get("accessLogs")
		assert.False(t, logs, "no access logs without a bucket")

		assert.Equal(t, stacktest.OutputOf(t, alb, "arn"), stacktest.Await(t, e.ALBARN))
		assert.Equal(t, stacktest.OutputOf(t, alb, "arnSuffix"), stacktest.Await(t, e.ALBARNSuffix))
		assert.Equal(t, stacktest.OutputOf(t, alb, "dnsName"), stacktest.Await(t, e.ALBDNSName))
		assert.Equal(t, stacktest.OutputOf(t, alb, "zoneId"), stacktest.Await(t, e.ALBZoneID))
		assert.Equal(t, "https://"+domains[stack], stacktest.Await(t, e.APIURL))
	})
}

func TestAccessLogsGoToTheBucketUnderTheStackPrefix(t *testing.T) {
	res, _ := build(t, "staging", func(a *edge.Args) { a.Edge.AccessLogsBucket = "arrakis-alb-logs-123456789012" })
	alb := stacktest.One(t, res, albType, "arrakis-alb")
	assert.Equal(t, "arrakis-alb-logs-123456789012", stacktest.Str(t, alb, "accessLogs.bucket"))
	assert.Equal(t, true, stacktest.Get(t, alb, "accessLogs.enabled"))
	assert.Equal(t, "arrakis-staging", stacktest.Str(t, alb, "accessLogs.prefix"))
}

func TestTargetGroupChecksTheAPIHealthOnTheAppPort(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, e := build(t, stack, nil)
		tg := stacktest.One(t, res, tgType, "arrakis-api-tg")
		assert.Equal(t, "arrakis-"+stack+"-api-tg", stacktest.Str(t, tg, "name"))
		assert.Equal(t, 3000, stacktest.Int(t, tg, "port"))
		assert.Equal(t, "HTTP", stacktest.Str(t, tg, "protocol"))
		assert.Equal(t, "ip", stacktest.Str(t, tg, "targetType"), "Fargate tasks register by IP")
		assert.Equal(t, vpcID, stacktest.Str(t, tg, "vpcId"))
		assert.Equal(t, 30, stacktest.Int(t, tg, "deregistrationDelay"))
		assert.Equal(t, false, stacktest.Get(t, tg, "stickiness.enabled"))

		assert.Equal(t, map[string]any{
			"enabled": true, "path": "/health", "protocol": "HTTP", "port": "traffic-port", "matcher": "200",
			"interval": 30.0, "timeout": 5.0, "healthyThreshold": 2.0, "unhealthyThreshold": 3.0,
		}, stacktest.Get(t, tg, "healthCheck"))

		assert.Equal(t, stacktest.OutputOf(t, tg, "arn"), stacktest.Await(t, e.TargetGroupARN))
		assert.Equal(t, stacktest.OutputOf(t, tg, "arnSuffix"), stacktest.Await(t, e.TargetGroupARNSuffix))
	})
}

func TestHTTPSListenerServesTheCertificateWithTLS13AndForwardsToTheAPI(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, e := build(t, stack, nil)
		alb := stacktest.One(t, res, albType, "arrakis-alb")
		tg := stacktest.One(t, res, tgType, "arrakis-api-tg")
		val := stacktest.One(t, res, validationType, "arrakis-certificate-validation")
		https := stacktest.One(t, res, listenerType, "arrakis-https")

		assert.Equal(t, stacktest.OutputOf(t, alb, "arn"), stacktest.Get(t, https, "loadBalancerArn"))
		assert.Equal(t, 443, stacktest.Int(t, https, "port"))
		assert.Equal(t, "HTTPS", stacktest.Str(t, https, "protocol"))
		assert.Equal(t, "ELBSecurityPolicy-TLS13-1-2-2021-06", stacktest.Str(t, https, "sslPolicy"))
		// The validated certificate: the listener waits for issuance.
		assert.Equal(t, stacktest.OutputOf(t, val, "certificateArn"), stacktest.Get(t, https, "certificateArn"))
		assert.Contains(t, https.DependsOn, val.URN)
		assert.Equal(t, []any{map[string]any{"type": "forward", "targetGroupArn": stacktest.OutputOf(t, tg, "arn")}},
			stacktest.Get(t, https, "defaultActions"))
		assert.Equal(t, stacktest.OutputOf(t, https, "arn"), stacktest.Await(t, e.HTTPSListenerARN))
	})
}

func TestHTTPListenerOnlyRedirectsToHTTPS(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack, nil)
		http := stacktest.One(t, res, listenerType, "arrakis-http")
		assert.Equal(t, stacktest.OutputOf(t, stacktest.One(t, res, albType, "arrakis-alb"), "arn"), stacktest.Get(t, http, "loadBalancerArn"))
		assert.Equal(t, 80, stacktest.Int(t, http, "port"))
		assert.Equal(t, "HTTP", stacktest.Str(t, http, "protocol"))
		_, _, hasCert := http.Get("certificateArn")
		assert.False(t, hasCert)

		actions := stacktest.Get(t, http, "defaultActions").([]any)
		require.Len(t, actions, 1, "exactly one default action")
		assert.Equal(t, map[string]any{
			"type":     "redirect",
			"redirect": map[string]any{"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"},
		}, actions[0], "a permanent redirect and nothing else: no forward, no target group")
		assert.Len(t, res.ByType(listenerType), 2, "no other listener")
	})
}

func TestWithoutHostedZoneTheListenerWaitsForValidationAndNothingTouchesDNS(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, e := build(t, stack, nil)
		cert := stacktest.One(t, res, certType, "arrakis-certificate")
		assert.Equal(t, domains[stack], stacktest.Str(t, cert, "domainName"))
		assert.Equal(t, "DNS", stacktest.Str(t, cert, "validationMethod"))

		assert.Empty(t, res.ByType(recordType), "no Route 53 record without a hosted zone")
		val := stacktest.One(t, res, validationType, "arrakis-certificate-validation")
		assert.Equal(t, stacktest.OutputOf(t, cert, "arn"), stacktest.Get(t, val, "certificateArn"))
		_, _, hasRecords := val.Get("validationRecordFqdns")
		assert.False(t, hasRecords, "the records are created outside Pulumi")

		dvo := stacktest.OutputOf(t, cert, "domainValidationOptions[0]").(map[string]any)
		assert.Equal(t, []map[string]string{{
			"name":  dvo["resourceRecordName"].(string),
			"type":  "CNAME",
			"value": dvo["resourceRecordValue"].(string),
		}}, stacktest.Await(t, e.ValidationRecords))
		assert.Equal(t, stacktest.OutputOf(t, cert, "arn"), stacktest.Await(t, e.CertificateARN))
	})
}

func TestWithHostedZoneEdgeValidatesTheCertificateAndAliasesTheDomain(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, e := build(t, stack, withZone)
		cert := stacktest.One(t, res, certType, "arrakis-certificate")
		alb := stacktest.One(t, res, albType, "arrakis-alb")
		dvo := stacktest.OutputOf(t, cert, "domainValidationOptions[0]").(map[string]any)

		rec := stacktest.One(t, res, recordType, "arrakis-certificate-validation-record")
		assert.Equal(t, zoneID, stacktest.Str(t, rec, "zoneId"))
		assert.Equal(t, dvo["resourceRecordName"], stacktest.Get(t, rec, "name"))
		assert.Equal(t, dvo["resourceRecordType"], stacktest.Get(t, rec, "type"))
		assert.Equal(t, []any{dvo["resourceRecordValue"]}, stacktest.Get(t, rec, "records"))
		assert.Equal(t, 60, stacktest.Int(t, rec, "ttl"))

		val := stacktest.One(t, res, validationType, "arrakis-certificate-validation")
		assert.Equal(t, stacktest.OutputOf(t, cert, "arn"), stacktest.Get(t, val, "certificateArn"))
		assert.Equal(t, []any{stacktest.OutputOf(t, rec, "fqdn")}, stacktest.Get(t, val, "validationRecordFqdns"))

		// The listener waits for the validation: it takes the validated
		// certificate's ARN, so it depends on the validation resource.
		https := stacktest.One(t, res, listenerType, "arrakis-https")
		assert.Equal(t, stacktest.OutputOf(t, val, "certificateArn"), stacktest.Get(t, https, "certificateArn"))
		assert.Contains(t, https.DependsOn, val.URN)

		alias := stacktest.One(t, res, recordType, "arrakis-alias-record")
		assert.Equal(t, zoneID, stacktest.Str(t, alias, "zoneId"))
		assert.Equal(t, domains[stack], stacktest.Str(t, alias, "name"))
		assert.Equal(t, "A", stacktest.Str(t, alias, "type"))
		assert.Equal(t, []any{map[string]any{
			"name": stacktest.OutputOf(t, alb, "dnsName"), "zoneId": stacktest.OutputOf(t, alb, "zoneId"), "evaluateTargetHealth": true,
		}}, stacktest.Get(t, alias, "aliases"))
		assert.Len(t, res.ByType(recordType), 2, "one validation record and one alias, nothing else")

		// The records stay an output, for whoever audits the zone.
		assert.Len(t, stacktest.Await(t, e.ValidationRecords), 1)
	})
}

func TestEveryChildBelongsToTheComponent(t *testing.T) {
	res, e := build(t, "production", withZone)
	urn := string(stacktest.Await(t, e.URN()).(pulumi.URN))
	for _, r := range res.Resources() {
		if r.Type == "arrakis:edge:Edge" {
			continue
		}
		assert.Equal(t, urn, r.Parent, "%s %s", r.Type, r.Name)
		assert.True(t, strings.HasPrefix(r.Name, "arrakis-"), r.Name)
	}
}

// AWS's rule for load balancer and target group names.
var lbName = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$`)

func TestNamesFitTheLoadBalancerLimitForA40CharacterStack(t *testing.T) {
	stack := "feature-" + strings.Repeat("x", 27) + "-pr42" // 40 characters
	require.Len(t, stack, 40)

	for _, s := range []string{"production", "staging", stack} {
		names := edge.NamesFor(s)
		for _, n := range []string{names.ALB, names.TargetGroup} {
			assert.LessOrEqual(t, len(n), 32, n)
			assert.Regexp(t, lbName, n)
			assert.True(t, strings.HasPrefix(n, "arrakis-"), n)
		}
		assert.NotEqual(t, names.ALB, names.TargetGroup)
	}
	assert.Equal(t, edge.Names{ALB: "arrakis-production-alb", TargetGroup: "arrakis-production-api-tg"}, edge.NamesFor("production"))

	// The program uses those names under the long stack: shortened, with
	// a hash of the full stack name so two long names never collide.
	args := argsFor(stacktest.Config(t, "staging"))
	res := stacktest.Run(t, stack, func(ctx *pulumi.Context) error {
		_, err := edge.New(ctx, "arrakis", args)
		return err
	})
	assert.Equal(t, "arrakis-feature-xxxxx-baa0d8-alb", stacktest.Str(t, stacktest.One(t, res, albType, "arrakis-alb"), "name"))
	assert.Equal(t, "arrakis-feature-xx-baa0d8-api-tg", stacktest.Str(t, stacktest.One(t, res, tgType, "arrakis-api-tg"), "name"))
}

func TestNewRejectsArgsItCannotBuild(t *testing.T) {
	stacktest.RejectsEach(t, "production", func() *edge.Args { return argsFor(stacktest.Config(t, "production")) }, map[string]func(*edge.Args){
		"no domain":         func(a *edge.Args) { a.Edge.DomainName = "" },
		"no subnets":        func(a *edge.Args) { a.PublicSubnetIDs = nil },
		"no port":           func(a *edge.Args) { a.Health.Port = 0 },
		"relative health":   func(a *edge.Args) { a.Health.Path = "health" },
		"no security group": func(a *edge.Args) { a.ALBSecurityGroupID = nil },
		"two routes of one priority": func(a *edge.Args) {
			a.Routes = []edge.Route{route("billing", 7, "/billing/*"), route("gateway", 7, "/gateway/*")}
		},
		"priority out of range":     func(a *edge.Args) { a.Routes = []edge.Route{route("billing", 50001, "/billing/*")} },
		"more patterns than a rule": func(a *edge.Args) { a.Routes = []edge.Route{route("billing", 7, "/a", "/b", "/c", "/d")} },
		"a second API route":        func(a *edge.Args) { a.Routes = []edge.Route{route("api", 7, "/api/*")} },
	}, "edge arrakis", func(ctx *pulumi.Context, a *edge.Args) error {
		_, err := edge.New(ctx, "arrakis", a)
		return err
	})
}

const existingCert = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-4697-8877-665544332211"

// A team whose DNS lives outside Route 53 can bring a certificate it has
// already validated: edge then requests none and waits for nothing, so one
// `up` serves HTTPS.
func TestAnExistingCertificateIsServedAsIsAndNothingWaitsForDNS(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, e := build(t, stack, func(a *edge.Args) { a.Edge.CertificateARN = existingCert })
		assert.Empty(t, res.ByType(certType), "no certificate is requested")
		assert.Empty(t, res.ByType(validationType), "nothing waits for validation")
		assert.Empty(t, res.ByType(recordType))
		https := stacktest.One(t, res, listenerType, "arrakis-https")
		assert.Equal(t, existingCert, stacktest.Str(t, https, "certificateArn"))
		assert.Equal(t, existingCert, stacktest.Await(t, e.CertificateARN))
		assert.Equal(t, []map[string]string{}, stacktest.Await(t, e.ValidationRecords), "no records to create")

		// With a zone as well, the zone still gets the alias record.
		res, _ = build(t, stack, func(a *edge.Args) { a.Edge.CertificateARN, a.Edge.HostedZoneID = existingCert, zoneID })
		assert.Empty(t, res.ByType(certType))
		alias := stacktest.One(t, res, recordType, "arrakis-alias-record")
		assert.Equal(t, domains[stack], stacktest.Str(t, alias, "name"))
		assert.Len(t, res.ByType(recordType), 1)
	})
}

// Without a hosted zone, `up` prints the record to create as soon as ACM has
// the certificate, instead of waiting silently for up to 75 minutes.
func TestValidationInstructionsNameTheRecordAndTheWait(t *testing.T) {
	name, typ, value := "_abc.staging.api.arrakis.community.", "CNAME", "_def.acm-validations.aws."
	options := []acm.CertificateDomainValidationOption{{ResourceRecordName: &name, ResourceRecordType: &typ, ResourceRecordValue: &value}}
	assert.Empty(t, edge.Announcement("staging.api.arrakis.community", "ISSUED", options), "an issued certificate prints nothing")
	msg := edge.Announcement("staging.api.arrakis.community", "PENDING_VALIDATION", options)
	for _, want := range []string{
		"staging.api.arrakis.community",
		"CNAME  _abc.staging.api.arrakis.community.  ->  _def.acm-validations.aws.",
		"75 minutes",
		"edge.hostedZoneId", "edge.certificateArn",
	} {
		assert.Contains(t, msg, want)
	}
}

// route is a route for service on port 4000.
func route(service string, priority int, patterns ...string) edge.Route {
	h := apiHealth
	h.Port = 4000
	return edge.Route{Service: service, Patterns: patterns, Health: h, Priority: priority}
}

// A routed service gets a target group checked on its port and path, and a
// rule of the HTTPS listener at its priority; what edge hands on is the
// target group once the rule forwards to it.
func TestRoutesForwardTheirPatternsToTheirOwnTargetGroup(t *testing.T) {
	res, e := build(t, "staging", func(a *edge.Args) {
		r := route("billing", 4242, "/billing/*", "/invoices/*")
		r.Health.Path = "/billing/health"
		a.Routes = []edge.Route{r}
	})
	tg := stacktest.One(t, res, "aws:lb/targetGroup:TargetGroup", "arrakis-billing-tg")
	assert.Equal(t, "arrakis-staging-billing-4000", stacktest.Str(t, tg, "name"), "a new port is a new target group beside the old")
	assert.Equal(t, 4000, stacktest.Int(t, tg, "port"))
	assert.Equal(t, "/billing/health", stacktest.Str(t, tg, "healthCheck.path"))
	rule := stacktest.One(t, res, "aws:lb/listenerRule:ListenerRule", "arrakis-billing-route")
	assert.Equal(t, stacktest.OutputOf(t, stacktest.One(t, res, listenerType, "arrakis-https"), "arn"), stacktest.Get(t, rule, "listenerArn"))
	assert.Equal(t, 4242, stacktest.Int(t, rule, "priority"))
	assert.Equal(t, []any{"/billing/*", "/invoices/*"}, stacktest.Get(t, rule, "conditions[0].pathPattern.values"))
	assert.Equal(t, map[string]string{"billing": stacktest.OutputOf(t, tg, "arn").(string)}, stacktest.Await(t, e.RouteTargetGroupARNs))
	assert.Equal(t, map[string]string{"billing": stacktest.OutputOf(t, tg, "arnSuffix").(string)}, stacktest.Await(t, e.RouteTargetGroupARNSuffixes))
}

// The load balancer sits behind a WAFv2 web ACL: the IP reputation list,
// the per-address rate limit, the core rule set and known bad inputs (the
// Log4Shell patterns among them), each blocking what it matches, each with
// metrics; what it blocks or counts is logged, credentials redacted.
func TestAWebACLGuardsTheLoadBalancer(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, e := build(t, stack, nil)
		acl := stacktest.One(t, res, "aws:wafv2/webAcl:WebAcl", "arrakis-web-acl")
		assert.Equal(t, "REGIONAL", stacktest.Str(t, acl, "scope"))
		assert.Equal(t, map[string]any{"allow": map[string]any{}}, stacktest.Get(t, acl, "defaultAction"))
		assert.Equal(t, true, stacktest.Get(t, acl, "visibilityConfig.cloudwatchMetricsEnabled"))
		assert.Equal(t, stacktest.Get(t, acl, "name"), stacktest.Await(t, e.WebACLName))

		var names []string
		for i, r := range stacktest.Get(t, acl, "rules").([]any) {
			rule := r.(map[string]any)
			names = append(names, rule["name"].(string))
			assert.Equal(t, float64(i), rule["priority"])
			vis := rule["visibilityConfig"].(map[string]any)
			assert.Equal(t, true, vis["cloudwatchMetricsEnabled"], rule["name"])
			assert.Equal(t, true, vis["sampledRequestsEnabled"], rule["name"])
			st := rule["statement"].(map[string]any)
			if group, ok := st["managedRuleGroupStatement"].(map[string]any); ok {
				assert.Equal(t, "AWS", group["vendorName"])
				assert.Equal(t, map[string]any{"none": map[string]any{}}, rule["overrideAction"], "%s blocks, not counts", rule["name"])
				assert.Nil(t, group["ruleActionOverrides"], "no rule of the group is turned off")
				continue
			}
			rate := st["rateBasedStatement"].(map[string]any)
			assert.Equal(t, 2000.0, rate["limit"])
			assert.Equal(t, "IP", rate["aggregateKeyType"])
			assert.Equal(t, map[string]any{"block": map[string]any{}}, rule["action"])
		}
		assert.Equal(t, []string{"ip-reputation", "rate-limit", "common", "known-bad-inputs"}, names)
		assert.Equal(t, "AWSManagedRulesKnownBadInputsRuleSet", stacktest.Str(t, acl, "rules[3].statement.managedRuleGroupStatement.name"))

		assoc := stacktest.One(t, res, "aws:wafv2/webAclAssociation:WebAclAssociation", "arrakis-web-acl-association")
		assert.Equal(t, stacktest.OutputOf(t, stacktest.One(t, res, "aws:lb/loadBalancer:LoadBalancer", "arrakis-alb"), "arn"), stacktest.Get(t, assoc, "resourceArn"))
		assert.Equal(t, stacktest.OutputOf(t, acl, "arn"), stacktest.Get(t, assoc, "webAclArn"))

		logs := stacktest.One(t, res, "aws:cloudwatch/logGroup:LogGroup", "arrakis-web-acl-logs")
		assert.Equal(t, "aws-waf-logs-arrakis-"+stack, stacktest.Str(t, logs, "name"), "WAF delivers only to aws-waf-logs-… groups")
		assert.Equal(t, stacktest.Config(t, stack).Monitoring.LogRetentionDays, stacktest.Int(t, logs, "retentionInDays"))
		logging := stacktest.One(t, res, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "arrakis-web-acl-logging")
		assert.Equal(t, []any{stacktest.OutputOf(t, logs, "arn")}, stacktest.Get(t, logging, "logDestinationConfigs"))
		assert.Equal(t, stacktest.OutputOf(t, acl, "arn"), stacktest.Get(t, logging, "resourceArn"))
		assert.Equal(t, "DROP", stacktest.Str(t, logging, "loggingFilter.defaultBehavior"), "only what a rule acts on is logged")
		assert.Equal(t, []any{
			map[string]any{"singleHeader": map[string]any{"name": "authorization"}},
			map[string]any{"singleHeader": map[string]any{"name": "cookie"}},
		}, stacktest.Get(t, logging, "redactedFields"))
	})

	res, e := build(t, "staging", func(a *edge.Args) { a.Edge.WAF.Enabled = false })
	assert.Empty(t, res.ByType("aws:wafv2/webAcl:WebAcl"))
	assert.Empty(t, res.ByType("aws:wafv2/webAclAssociation:WebAclAssociation"))
	assert.Equal(t, "", stacktest.Await(t, e.WebACLName))
}
