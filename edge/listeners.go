package edge

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TLSPolicy allows TLS 1.3 and 1.2 with forward-secret ciphers only. The
// provider's default is ELBSecurityPolicy-2016-08, which still speaks
// TLS 1.0.
const TLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// listeners serve HTTPS on 443, forwarding to the API, and answer HTTP on
// 80 with nothing but a permanent redirect to HTTPS.
func (b *builder) listeners() error {
	https, err := lb.NewListener(b.Ctx, b.Child("https"), &lb.ListenerArgs{
		LoadBalancerArn: b.e.ALBARN,
		Port:            pulumi.Int(443),
		Protocol:        pulumi.String("HTTPS"),
		SslPolicy:       pulumi.String(TLSPolicy),
		CertificateArn:  b.listenerCertificateARN,
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type:           pulumi.String("forward"),
			TargetGroupArn: b.apiTargetGroup.Arn,
		}},
	}, b.Parent)
	if err != nil {
		return err
	}
	b.e.HTTPSListenerARN = https.Arn
	b.e.TargetGroupARN = forwardedBy(b.apiTargetGroup.Arn, https.Arn)
	b.e.TargetGroupARNSuffix = forwardedBy(b.apiTargetGroup.ArnSuffix, https.Arn)

	_, err = lb.NewListener(b.Ctx, b.Child("http"), &lb.ListenerArgs{
		LoadBalancerArn: b.e.ALBARN,
		Port:            pulumi.Int(80),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type: pulumi.String("redirect"),
			Redirect: &lb.ListenerDefaultActionRedirectArgs{
				Protocol:   pulumi.String("HTTPS"),
				Port:       pulumi.String("443"),
				StatusCode: pulumi.String("HTTP_301"),
			},
		}},
	}, b.Parent)
	return err
}

// forwardedBy is a target group's value that resolves only once the
// listener or rule whose ARN is forwarder forwards to the group. ECS
// refuses to create a service on a target group no load balancer uses
// ("target group … does not have an associated load balancer"), and the
// HTTPS listener waits for the certificate, so whatever names the target
// group (the service, the request-count scaling policy) must wait for it:
// taking this value makes it depend on both.
func forwardedBy(value, forwarder pulumi.StringOutput) pulumi.StringOutput {
	return pulumi.All(value, forwarder).ApplyT(func(v []any) string { return v[0].(string) }).(pulumi.StringOutput)
}
