package edge

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/component"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/health"
)

const typeToken = "arrakis:edge:Edge"

// Args shapes the edge. Values that decide what is built are plain Go
// values; values wired from other domains are Pulumi inputs.
type Args struct {
	VPCID              pulumi.StringInput
	PublicSubnetIDs    pulumi.StringArrayInput
	ALBSecurityGroupID pulumi.StringInput

	// Edge is the public domain name (the certificate's subject), and the
	// Route 53 zone, existing certificate and access-log bucket when the
	// stack has them. The bucket's policy must let the region's ELB log
	// delivery write under arrakis-<stack>/; it is not managed here.
	Edge config.Edge
	// Health is how the API's health is checked (compute owns it): the
	// target group forwards to its port and checks its path.
	Health health.Check
	// DeletionProtection stops the load balancer from being deleted.
	DeletionProtection bool
	// Routes are the services behind the load balancer besides the API.
	Routes []Route
	// LogRetentionDays applies to the web ACL's log group.
	LogRetentionDays int
}

// FromConfig is the part of Args a stack's config decides; the caller adds
// the health checks (the API's and each route's) and wires the network.
func FromConfig(cfg *config.Config) *Args {
	a := &Args{Edge: cfg.Edge, DeletionProtection: cfg.Production(), LogRetentionDays: cfg.Monitoring.LogRetentionDays}
	for _, name := range cfg.ServiceNames() {
		if s := cfg.Services[name]; s.Routed() {
			a.Routes = append(a.Routes, Route{Service: name, Patterns: s.Routes, Priority: config.RoutePriority(name)})
		}
	}
	return a
}

// Edge is what other domains may use.
type Edge struct {
	pulumi.ResourceState

	ALBARN       pulumi.StringOutput `pulumi:"albArn"`
	ALBARNSuffix pulumi.StringOutput `pulumi:"albArnSuffix"`
	ALBDNSName   pulumi.StringOutput `pulumi:"albDnsName"`
	ALBZoneID    pulumi.StringOutput `pulumi:"albZoneId"`
	// TargetGroupARN and TargetGroupARNSuffix resolve once the HTTPS
	// listener forwards to the target group, so what uses them waits for it.
	TargetGroupARN       pulumi.StringOutput `pulumi:"targetGroupArn"`
	TargetGroupARNSuffix pulumi.StringOutput `pulumi:"targetGroupArnSuffix"`
	HTTPSListenerARN     pulumi.StringOutput `pulumi:"httpsListenerArn"`
	CertificateARN       pulumi.StringOutput `pulumi:"certificateArn"`
	// APIURL is https://<DomainName>.
	APIURL pulumi.StringOutput `pulumi:"apiUrl"`
	// ValidationRecords are the DNS records ACM needs to issue the
	// certificate, each {name, type, value}.
	ValidationRecords pulumi.StringMapArrayOutput `pulumi:"validationRecords"`
	// RouteTargetGroupARNs and RouteTargetGroupARNSuffixes are, by service,
	// the routed services' target groups, resolving once their listener
	// rule forwards to them.
	RouteTargetGroupARNs        pulumi.StringMapOutput `pulumi:"routeTargetGroupArns"`
	RouteTargetGroupARNSuffixes pulumi.StringMapOutput `pulumi:"routeTargetGroupArnSuffixes"`
	// WebACLName is the web ACL's name (its metrics' WebACL dimension);
	// empty when the stack runs no WAF.
	WebACLName pulumi.StringOutput `pulumi:"webAclName"`
}

// New builds the edge.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Edge, error) {
	return component.New(ctx, component.Spec{Type: typeToken, Kind: "edge"}, name, args.validate,
		func(base component.Base, e *Edge) []component.Step {
			e.APIURL = pulumi.String("https://" + args.Edge.DomainName).ToStringOutput()
			return (&builder{Base: base, args: args, names: NamesFor(ctx.Stack()), e: e}).steps()
		}, opts...)
}

// steps build the edge in order.
func (b *builder) steps() []component.Step {
	return []component.Step{
		{What: "load balancer", Do: b.loadBalancer},
		{What: "web ACL", Do: b.waf},
		{What: "target group", Do: b.targetGroup},
		{What: "certificate", Do: b.certificate},
		{What: "listeners", Do: b.listeners},
		{What: "routes", Do: b.routes},
		{What: "alias record", Do: b.alias},
	}
}

// builder carries what every step needs.
type builder struct {
	component.Base
	args  *Args
	names Names
	e     *Edge

	// listenerCertificateARN is the certificate the HTTPS listener serves:
	// the validated one when edge validates it.
	listenerCertificateARN pulumi.StringOutput
	// apiTargetGroup is the API's target group, which the HTTPS listener
	// forwards to.
	apiTargetGroup *lb.TargetGroup
}

func (a *Args) validate() error {
	switch {
	case a.VPCID == nil || a.PublicSubnetIDs == nil || a.ALBSecurityGroupID == nil:
		return errors.New("VPC id, public subnet ids and the load balancer's security group are required")
	case a.Edge.DomainName == "":
		return errors.New("a domain name is required")
	case a.Edge.WAF.Enabled && (a.LogRetentionDays <= 0 || a.Edge.WAF.RateLimit <= 0):
		return errors.New("the web ACL needs a positive rate limit and log retention")
	}
	if err := a.Health.Validate(); err != nil {
		return err
	}
	return a.validateRoutes()
}
