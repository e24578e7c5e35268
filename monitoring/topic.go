package monitoring

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/awsiam"
	"github.com/arrakis/infrastructure/internal/naming"
)

// cloudWatch is the service principal that publishes alarm notifications.
const cloudWatch = "cloudwatch.amazonaws.com"

// topic creates the alerts topic, its KMS key, its policy and one e-mail
// subscription per address.
func (b *builder) topic() error {
	a := b.args
	topicName := b.Names.Name("alerts", naming.LimitDefault)
	keyPolicy, err := KeyPolicy(a.AccountID).JSON()
	if err != nil {
		return err
	}
	key, err := kms.NewKey(b.Ctx, b.Child("alerts-key"), &kms.KeyArgs{
		Description:          pulumi.String("Encrypts the " + topicName + " SNS topic; CloudWatch alarms may use it to publish"),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(awsiam.KeyDeletionWindowDays(a.Protect)),
		Policy:               pulumi.String(keyPolicy),
	}, b.Parent, pulumi.Protect(a.Protect))
	if err != nil {
		return err
	}
	if _, err := kms.NewAlias(b.Ctx, b.Child("alerts-key-alias"), &kms.AliasArgs{
		Name:        pulumi.String("alias/" + topicName),
		TargetKeyId: key.KeyId,
	}, b.Parent); err != nil {
		return err
	}

	topic, err := sns.NewTopic(b.Ctx, b.Child("alerts"), &sns.TopicArgs{
		Name:           pulumi.String(topicName),
		DisplayName:    pulumi.String(topicName),
		KmsMasterKeyId: key.Arn,
	}, b.Parent)
	if err != nil {
		return err
	}
	policy := topic.Arn.ApplyT(func(arn string) (string, error) {
		return TopicPolicy(arn, a.Region, a.AccountID).JSON()
	}).(pulumi.StringOutput)
	if _, err := sns.NewTopicPolicy(b.Ctx, b.Child("alerts-policy"), &sns.TopicPolicyArgs{
		Arn:    topic.Arn,
		Policy: policy,
	}, b.Parent); err != nil {
		return err
	}

	roles, err := subscriptionRoles(a.Monitoring.AlarmEmails)
	if err != nil {
		return err
	}
	for _, email := range a.Monitoring.AlarmEmails {
		// E-mail subscriptions stay pending until the recipient confirms;
		// the provider does not wait for that.
		if _, err := sns.NewTopicSubscription(b.Ctx, b.Child(roles[email]), &sns.TopicSubscriptionArgs{
			Topic:    topic.Arn,
			Protocol: pulumi.String("email"),
			Endpoint: pulumi.String(email),
		}, b.Parent); err != nil {
			return fmt.Errorf("subscribing %s: %w", email, err)
		}
	}
	b.m.AlertsTopicARN = topic.Arn
	b.m.AlertsKeyARN = key.Arn
	return nil
}

// KeyPolicy lets the account administer the key through IAM, and CloudWatch
// use it, for this account's alarms only, to publish to the encrypted topic.
func KeyPolicy(account string) awsiam.Document {
	return awsiam.Document{Version: awsiam.Version, Statement: []awsiam.Statement{
		awsiam.AccountAdministersKey(account),
		{
			Sid:       "CloudWatchAlarmsPublishEncrypted",
			Effect:    "Allow",
			Principal: &awsiam.Principal{Service: awsiam.List{cloudWatch}},
			Action:    awsiam.List{"kms:Decrypt", "kms:GenerateDataKey*"},
			Resource:  awsiam.List{"*"},
			Condition: awsiam.Condition{"StringEquals": {"aws:SourceAccount": {account}}},
		},
	}}
}

// TopicPolicy lets only CloudWatch alarms of this account and region publish
// to the topic, and refuses any publish that is not over TLS. The account's
// own principals keep what their IAM policies give them.
func TopicPolicy(topicARN, region, account string) awsiam.Document {
	return awsiam.Document{Version: awsiam.Version, Statement: []awsiam.Statement{
		{
			Sid:       "CloudWatchAlarmsPublish",
			Effect:    "Allow",
			Principal: &awsiam.Principal{Service: awsiam.List{cloudWatch}},
			Action:    awsiam.List{"sns:Publish"},
			Resource:  awsiam.List{topicARN},
			Condition: awsiam.Condition{
				"StringEquals": {"aws:SourceAccount": {account}},
				"ArnLike":      {"aws:SourceArn": {fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:*", region, account)}},
			},
		},
		{
			Sid:       "DenyPublishWithoutTLS",
			Effect:    "Deny",
			Principal: &awsiam.Principal{AWS: awsiam.List{"*"}},
			Action:    awsiam.List{"sns:Publish"},
			Resource:  awsiam.List{topicARN},
			Condition: awsiam.Condition{"Bool": {"aws:SecureTransport": {"false"}}},
		},
	}}
}

// subscriptionRoles names each address's subscription after the address
// itself (alert-email-oncall-example-com), so removing one address leaves
// the others alone. Two addresses that read alike once cleaned are an error.
func subscriptionRoles(emails []string) (map[string]string, error) {
	roles := map[string]string{}
	owner := map[string]string{}
	for _, e := range emails {
		role := "alert-email-" + naming.Slug(e)
		if prev, ok := owner[role]; ok {
			return nil, fmt.Errorf("alarm e-mails %q and %q would share the subscription name %s", prev, e, role)
		}
		owner[role], roles[e] = e, role
	}
	return roles, nil
}
