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
	https, err := lb.NewListener(b.ctx, b.child("https"), &lb.ListenerArgs{
		LoadBalancerArn: b.e.ALBARN,
		Port:            pulumi.Int(443),
		Protocol:        pulumi.String("HTTPS"),
		SslPolicy:       pulumi.String(TLSPolicy),
		CertificateArn:  b.listenerCertificateARN,
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type:           pulumi.String("forward"),
			TargetGroupArn: b.e.TargetGroupARN,
		}},
	}, b.parent)
	if err != nil {
		return err
	}
	b.e.HTTPSListenerARN = https.Arn

	_, err = lb.NewListener(b.ctx, b.child("http"), &lb.ListenerArgs{
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
	}, b.parent)
	return err
}
