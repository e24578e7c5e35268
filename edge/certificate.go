package edge

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// validationTTL is short so a re-issued certificate validates quickly.
const validationTTL = 60

// certificate gives the HTTPS listener its certificate, one of three ways:
//
//   - an existing certificate (CertificateARN): served as is; nothing is
//     requested and nothing waits, so one `up` serves HTTPS;
//   - with a hosted zone: edge requests the certificate, writes its one
//     validation record (the certificate names a single domain, so ACM
//     returns exactly one validation option) and waits minutes for ACM;
//   - without either: edge requests the certificate and the HTTPS listener
//     waits (up to the validation's 75-minute timeout) for someone to create
//     the record in the domain's DNS. `up` prints the record as soon as ACM
//     has it, and the stack output certificateValidationRecords keeps it.
//
// In the last two cases the listener serves the certificate through an
// acm.CertificateValidation, so it is never created before the certificate
// is issued (ELB refuses a listener whose certificate is still pending).
func (b *builder) certificate() error {
	a := b.args
	if a.Edge.CertificateARN != "" {
		b.e.CertificateARN = pulumi.String(a.Edge.CertificateARN).ToStringOutput()
		b.e.ValidationRecords = pulumi.ToStringMapArray([]map[string]string{}).ToStringMapArrayOutput()
		b.listenerCertificateARN = b.e.CertificateARN
		return nil
	}
	cert, err := acm.NewCertificate(b.Ctx, b.Child("certificate"), &acm.CertificateArgs{
		DomainName:       pulumi.String(a.Edge.DomainName),
		ValidationMethod: pulumi.String("DNS"),
	}, b.Parent)
	if err != nil {
		return err
	}
	b.e.CertificateARN = cert.Arn
	b.e.ValidationRecords = cert.DomainValidationOptions.ApplyT(ValidationRecords).(pulumi.StringMapArrayOutput)

	validation := &acm.CertificateValidationArgs{CertificateArn: cert.Arn}
	if a.Edge.HostedZoneID != "" {
		option := cert.DomainValidationOptions.Index(pulumi.Int(0))
		record, err := route53.NewRecord(b.Ctx, b.Child("certificate-validation-record"), &route53.RecordArgs{
			ZoneId:  pulumi.String(a.Edge.HostedZoneID),
			Name:    option.ResourceRecordName().Elem(),
			Type:    option.ResourceRecordType().Elem(),
			Records: pulumi.StringArray{option.ResourceRecordValue().Elem()},
			Ttl:     pulumi.Int(validationTTL),
			// ACM reuses the same record for every certificate of the domain,
			// so a replacement certificate finds it already there.
			AllowOverwrite: pulumi.Bool(true),
		}, b.Parent)
		if err != nil {
			return err
		}
		validation.ValidationRecordFqdns = pulumi.StringArray{record.Fqdn}
	} else {
		b.announce(cert)
	}
	validated, err := acm.NewCertificateValidation(b.Ctx, b.Child("certificate-validation"), validation, b.Parent)
	if err != nil {
		return err
	}
	b.listenerCertificateARN = validated.CertificateArn
	return nil
}

// pendingValidation is the status of a certificate ACM has not issued yet.
const pendingValidation = "PENDING_VALIDATION"

// announce prints, while `up` runs, the DNS record a pending certificate
// needs: the apply runs once ACM has created the certificate, before the
// validation starts waiting.
func (b *builder) announce(cert *acm.Certificate) {
	pulumi.All(cert.Status, cert.DomainValidationOptions).ApplyT(func(v []any) (bool, error) {
		status, _ := v[0].(string)
		options, _ := v[1].([]acm.CertificateDomainValidationOption)
		msg := Announcement(b.args.Edge.DomainName, status, options)
		if msg == "" {
			return false, nil
		}
		return true, b.Ctx.Log.Warn(msg, &pulumi.LogArgs{Resource: cert})
	})
}

// Announcement is what `up` prints about a certificate in a given ACM
// status: the records to create while it is pending, nothing once issued.
func Announcement(domain, status string, options []acm.CertificateDomainValidationOption) string {
	if status != pendingValidation {
		return ""
	}
	return ValidationInstructions(domain, ValidationRecords(options))
}

// ValidationInstructions tells whoever runs the domain's DNS what to create
// for the certificate to be issued, and what happens meanwhile.
func ValidationInstructions(domain string, records []map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "ACM waits for DNS to prove %s is ours. Create this record in the domain's DNS now:\n", domain)
	for _, r := range records {
		fmt.Fprintf(&b, "  %s  %s  ->  %s\n", r["type"], r["name"], r["value"])
	}
	b.WriteString("`up` waits for the certificate up to 75 minutes, then fails; run it again once the record resolves. " +
		"To skip the wait next time, set arrakis:edge.hostedZoneId (a Route 53 zone the program may write to) " +
		"or arrakis:edge.certificateArn (a certificate already issued in this region).")
	return b.String()
}

// alias points the domain at the load balancer, when edge owns the zone.
func (b *builder) alias() error {
	a := b.args
	if a.Edge.HostedZoneID == "" {
		return nil
	}
	_, err := route53.NewRecord(b.Ctx, b.Child("alias-record"), &route53.RecordArgs{
		ZoneId: pulumi.String(a.Edge.HostedZoneID),
		Name:   pulumi.String(a.Edge.DomainName),
		Type:   pulumi.String("A"),
		Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{
			Name:                 b.e.ALBDNSName,
			ZoneId:               b.e.ALBZoneID,
			EvaluateTargetHealth: pulumi.Bool(true),
		}},
	}, b.Parent)
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
