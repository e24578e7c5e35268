package edge

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// validationTTL is short so a re-issued certificate validates quickly.
const validationTTL = 60

// certificate requests the domain's certificate with DNS validation, and
// the HTTPS listener always serves it through an acm.CertificateValidation,
// so the listener is never created before the certificate is issued (ELB
// refuses a listener whose certificate is still pending).
//
// With a hosted zone, edge writes the one validation record itself (the
// certificate names a single domain, so ACM returns exactly one validation
// option) and the validation completes in minutes.
//
// Without a hosted zone nothing is written to DNS: `pulumi up` waits (up to
// the validation's timeout) for someone to create the record in the
// domain's DNS. The record is in ACM as soon as the certificate exists
// (`aws acm describe-certificate`), and in the stack output
// certificateValidationRecords after the first complete `up`.
func (b *builder) certificate() error {
	a := b.args
	cert, err := acm.NewCertificate(b.ctx, b.child("certificate"), &acm.CertificateArgs{
		DomainName:       pulumi.String(a.DomainName),
		ValidationMethod: pulumi.String("DNS"),
	}, b.parent)
	if err != nil {
		return err
	}
	b.e.CertificateARN = cert.Arn
	b.e.ValidationRecords = cert.DomainValidationOptions.ApplyT(ValidationRecords).(pulumi.StringMapArrayOutput)

	validation := &acm.CertificateValidationArgs{CertificateArn: cert.Arn}
	if a.HostedZoneID != "" {
		option := cert.DomainValidationOptions.Index(pulumi.Int(0))
		record, err := route53.NewRecord(b.ctx, b.child("certificate-validation-record"), &route53.RecordArgs{
			ZoneId:  pulumi.String(a.HostedZoneID),
			Name:    option.ResourceRecordName().Elem(),
			Type:    option.ResourceRecordType().Elem(),
			Records: pulumi.StringArray{option.ResourceRecordValue().Elem()},
			Ttl:     pulumi.Int(validationTTL),
			// ACM reuses the same record for every certificate of the domain,
			// so a replacement certificate finds it already there.
			AllowOverwrite: pulumi.Bool(true),
		}, b.parent)
		if err != nil {
			return err
		}
		validation.ValidationRecordFqdns = pulumi.StringArray{record.Fqdn}
	}
	validated, err := acm.NewCertificateValidation(b.ctx, b.child("certificate-validation"), validation, b.parent)
	if err != nil {
		return err
	}
	b.listenerCertificateARN = validated.CertificateArn
	return nil
}

// alias points the domain at the load balancer, when edge owns the zone.
func (b *builder) alias() error {
	a := b.args
	if a.HostedZoneID == "" {
		return nil
	}
	_, err := route53.NewRecord(b.ctx, b.child("alias-record"), &route53.RecordArgs{
		ZoneId: pulumi.String(a.HostedZoneID),
		Name:   pulumi.String(a.DomainName),
		Type:   pulumi.String("A"),
		Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{
			Name:                 b.e.ALBDNSName,
			ZoneId:               b.e.ALBZoneID,
			EvaluateTargetHealth: pulumi.Bool(true),
		}},
	}, b.parent)
	return err
}

// ValidationRecords turns ACM's validation options into the DNS records to
// create, each {name, type, value}.
func ValidationRecords(options []acm.CertificateDomainValidationOption) []map[string]string {
	records := make([]map[string]string, 0, len(options))
	for _, o := range options {
		records = append(records, map[string]string{
			"name":  deref(o.ResourceRecordName),
			"type":  deref(o.ResourceRecordType),
			"value": deref(o.ResourceRecordValue),
		})
	}
	return records
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
