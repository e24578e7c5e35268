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

// Key deletion windows: the longest AWS allows where the key is protected,
// the shortest elsewhere so a destroyed stack leaves little behind.
const (
	protectedKeyDeletionDays = 30
	keyDeletionDays          = 7
)

// topic creates the alerts topic, its KMS key, its policy and one e-mail
// subscription per address.
func (b *builder) topic() error {
	a := b.args
	topicName := b.names.Name("alerts", naming.LimitDefault)
	keyPolicy, err := KeyPolicy(a.AccountID).JSON()
	if err != nil {
		return err
	}
	deletionDays := keyDeletionDays
	if a.Protect {
		deletionDays = protectedKeyDeletionDays
	}
	key, err := kms.NewKey(b.ctx, b.child("alerts-key"), &kms.KeyArgs{
		Description:          pulumi.String("Encrypts the " + topicName + " SNS topic; CloudWatch alarms may use it to publish"),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(deletionDays),
		Policy:               pulumi.String(keyPolicy),
	}, b.parent, pulumi.Protect(a.Protect))
	if err != nil {
		return err
	}
	if _, err := kms.NewAlias(b.ctx, b.child("alerts-key-alias"), &kms.AliasArgs{
		Name:        pulumi.String("alias/" + topicName),
		TargetKeyId: key.KeyId,
	}, b.parent); err != nil {
		return err
	}

	topic, err := sns.NewTopic(b.ctx, b.child("alerts"), &sns.TopicArgs{
		Name:           pulumi.String(topicName),
		DisplayName:    pulumi.String(topicName),
		KmsMasterKeyId: key.Arn,
	}, b.parent)
	if err != nil {
		return err
	}
	policy := topic.Arn.ApplyT(func(arn string) (string, error) {
		return TopicPolicy(arn, a.Region, a.AccountID).JSON()
	}).(pulumi.StringOutput)
	if _, err := sns.NewTopicPolicy(b.ctx, b.child("alerts-policy"), &sns.TopicPolicyArgs{
		Arn:    topic.Arn,
		Policy: policy,
	}, b.parent); err != nil {
		return err
	}

	roles, err := subscriptionRoles(a.AlarmEmails)
	if err != nil {
		return err
	}
	for _, email := range a.AlarmEmails {
		// E-mail subscriptions stay pending until the recipient confirms;
		// the provider does not wait for that.
		if _, err := sns.NewTopicSubscription(b.ctx, b.child(roles[email]), &sns.TopicSubscriptionArgs{
			Topic:    topic.Arn,
			Protocol: pulumi.String("email"),
			Endpoint: pulumi.String(email),
		}, b.parent); err != nil {
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
		{
			Sid:       "AccountAdministersKey",
			Effect:    "Allow",
			Principal: &awsiam.Principal{AWS: awsiam.List{"arn:aws:iam::" + account + ":root"}},
			Action:    awsiam.List{"kms:*"},
			Resource:  awsiam.List{"*"},
		},
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
			return nil, fmt.Errorf("arrakis:monitoring.alarmEmails: %q and %q would share the subscription name %s; list one of them", prev, e, role)
		}
		owner[role], roles[e] = e, role
	}
	return roles, nil
}
