package edge

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// validationTTL is short so a re-issued certificate validates quickly.
const validationTTL = 60

// certificate requests the domain's certificate with DNS validation.
//
// With a hosted zone, edge writes the one validation record (the
// certificate names a single domain, so ACM returns exactly one validation
// option) and waits for ACM to issue the certificate; the HTTPS listener
// serves the validated certificate, so it is never created before the
// certificate can be used.
//
// Without a hosted zone nothing is written to DNS: the validation records
// are an output, and the HTTPS listener is given the certificate as it is.
// ELB refuses a listener whose certificate is not yet issued, so the first
// `pulumi up` of such a stack stops at the HTTPS listener until someone
// creates the records in the domain's DNS and ACM issues the certificate;
// the next `pulumi up` then completes.
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
	b.listenerCertificateARN = cert.Arn
	if a.HostedZoneID == "" {
		return nil
	}

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
	validation, err := acm.NewCertificateValidation(b.ctx, b.child("certificate-validation"), &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: pulumi.StringArray{record.Fqdn},
	}, b.parent)
	if err != nil {
		return err
	}
	b.listenerCertificateARN = validation.CertificateArn
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
