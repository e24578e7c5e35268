package edge

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/component"
)

const typeToken = "arrakis:edge:Edge"

// Args shapes the edge. Values that decide what is built are plain Go
// values; values wired from other domains are Pulumi inputs.
type Args struct {
	VPCID              pulumi.StringInput
	PublicSubnetIDs    pulumi.StringArrayInput
	ALBSecurityGroupID pulumi.StringInput

	// DomainName is the API's public name, the certificate's subject.
	DomainName string
	// HostedZoneID, when set, is the Route 53 zone that serves DomainName:
	// edge then creates the validation and alias records itself.
	HostedZoneID string
	// CertificateARN, when set, is an issued ACM certificate for DomainName
	// in the stack's region: the HTTPS listener serves it and edge requests
	// no certificate of its own.
	CertificateARN string
	// AccessLogsBucket, when set, receives the load balancer's access logs
	// under arrakis-<stack>/. Its bucket policy must let the region's ELB
	// log delivery write there; the bucket is not managed here.
	AccessLogsBucket string

	// AppPort is the port the API containers listen on.
	AppPort int
	// HealthCheckPath is the API's health endpoint, e.g. /health.
	HealthCheckPath string
	// DeletionProtection stops the load balancer from being deleted.
	DeletionProtection bool
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
}

// New builds the edge.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Edge, error) {
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("edge %s: %w", name, err)
	}
	e := &Edge{}
	if err := ctx.RegisterComponentResource(typeToken, name, e, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: args, names: NamesFor(ctx.Stack()), parent: pulumi.Parent(e), e: e}
	if err := component.Build("edge", name,
		component.Step{What: "load balancer", Do: b.loadBalancer},
		component.Step{What: "target group", Do: b.targetGroup},
		component.Step{What: "certificate", Do: b.certificate},
		component.Step{What: "listeners", Do: b.listeners},
		component.Step{What: "alias record", Do: b.alias},
	); err != nil {
		return nil, err
	}
	e.APIURL = pulumi.String("https://" + args.DomainName).ToStringOutput()
	return e, ctx.RegisterResourceOutputs(e, pulumi.Map{
		"albArn":               e.ALBARN,
		"albArnSuffix":         e.ALBARNSuffix,
		"albDnsName":           e.ALBDNSName,
		"albZoneId":            e.ALBZoneID,
		"targetGroupArn":       e.TargetGroupARN,
		"targetGroupArnSuffix": e.TargetGroupARNSuffix,
		"httpsListenerArn":     e.HTTPSListenerARN,
		"certificateArn":       e.CertificateARN,
		"apiUrl":               e.APIURL,
		"validationRecords":    e.ValidationRecords,
	})
}

// builder carries what every step needs.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *Args
	names  Names
	parent pulumi.ResourceOption
	e      *Edge

	// listenerCertificateARN is the certificate the HTTPS listener serves:
	// the validated one when edge validates it.
	listenerCertificateARN pulumi.StringOutput
	// apiTargetGroup is the API's target group, which the HTTPS listener
	// forwards to.
	apiTargetGroup *lb.TargetGroup
}

// child is the logical name of a child resource.
func (b *builder) child(role string) string { return b.name + "-" + role }

func (a *Args) validate() error {
	switch {
	case a.VPCID == nil || a.PublicSubnetIDs == nil || a.ALBSecurityGroupID == nil:
		return errors.New("VPC id, public subnet ids and the load balancer's security group are required")
	case a.DomainName == "":
		return errors.New("a domain name is required")
	case a.AppPort <= 0 || a.AppPort > 65535:
		return fmt.Errorf("app port %d is not a TCP port", a.AppPort)
	case a.HealthCheckPath == "" || a.HealthCheckPath[0] != '/':
		return fmt.Errorf("health check path %q must start with /", a.HealthCheckPath)
	}
	return nil
}
