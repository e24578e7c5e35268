package monitoring_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/awsiam"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stacktest"
	"github.com/arrakis/infrastructure/monitoring"
)

func TestAlertsTopicIsEncryptedWithAKeyCloudWatchMayUse(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack, nil)
		key := stacktest.One(t, res, keyType, "arrakis-alerts-key")
		topic := stacktest.One(t, res, topicType, "arrakis-alerts")
		alias := stacktest.One(t, res, aliasType, "arrakis-alerts-key-alias")

		assert.Equal(t, "arrakis-"+stack+"-alerts", stacktest.Str(t, topic, "name"))
		assert.Equal(t, stacktest.OutputOf(t, key, "arn"), stacktest.Get(t, topic, "kmsMasterKeyId"), "not the AWS-managed alias/aws/sns")
		assert.Equal(t, true, stacktest.Get(t, key, "enableKeyRotation"))
		assert.Equal(t, "alias/arrakis-"+stack+"-alerts", stacktest.Str(t, alias, "name"))
		assert.Equal(t, stacktest.OutputOf(t, key, "keyId"), stacktest.Get(t, alias, "targetKeyId"))

		policy, err := awsiam.Parse(stacktest.Str(t, key, "policy"))
		require.NoError(t, err)
		var cloudWatch, admin *awsiam.Statement
		for i, s := range policy.Statement {
			require.Equal(t, "Allow", s.Effect)
			require.NotNil(t, s.Principal)
			switch {
			case len(s.Principal.Service) > 0:
				cloudWatch = &policy.Statement[i]
			case len(s.Principal.AWS) > 0:
				admin = &policy.Statement[i]
			}
		}
		require.NotNil(t, cloudWatch, "CloudWatch may use the key")
		assert.Equal(t, awsiam.List{"cloudwatch.amazonaws.com"}, cloudWatch.Principal.Service)
		assert.ElementsMatch(t, awsiam.List{"kms:Decrypt", "kms:GenerateDataKey*"}, cloudWatch.Action)
		assert.Equal(t, awsiam.List{mock.Account}, cloudWatch.Condition["StringEquals"]["aws:SourceAccount"])
		require.NotNil(t, admin, "the account administers the key, or nobody could")
		assert.Equal(t, awsiam.List{"arn:aws:iam::" + mock.Account + ":root"}, admin.Principal.AWS)
		assert.Len(t, policy.Statement, 2)
	})
}

func TestTopicPolicyLetsOnlyThisAccountsAlarmsPublish(t *testing.T) {
	res, _ := build(t, "production", nil)
	arn := topicARN(t, res)
	tp := stacktest.One(t, res, topicPolicyType, "arrakis-alerts-policy")
	assert.Equal(t, arn, stacktest.Str(t, tp, "arn"))

	policy, err := awsiam.Parse(stacktest.Str(t, tp, "policy"))
	require.NoError(t, err)
	require.Len(t, policy.Statement, 2)
	for _, s := range policy.Statement {
		assert.Equal(t, awsiam.List{arn}, s.Resource)
		assert.Equal(t, awsiam.List{"sns:Publish"}, s.Action)
		switch s.Effect {
		case "Allow":
			assert.Equal(t, awsiam.List{"cloudwatch.amazonaws.com"}, s.Principal.Service)
			assert.Empty(t, s.Principal.AWS)
			assert.Equal(t, awsiam.List{mock.Account}, s.Condition["StringEquals"]["aws:SourceAccount"])
			assert.Equal(t, awsiam.List{"arn:aws:cloudwatch:us-east-1:" + mock.Account + ":alarm:*"}, s.Condition["ArnLike"]["aws:SourceArn"])
		case "Deny":
			assert.Equal(t, awsiam.List{"false"}, s.Condition["Bool"]["aws:SecureTransport"])
		default:
			t.Errorf("unexpected effect %q", s.Effect)
		}
	}
}

func TestOneEmailSubscriptionPerAddress(t *testing.T) {
	t.Run("stack config", func(t *testing.T) {
		for _, stack := range stacktest.Stacks {
			res, _ := build(t, stack, nil)
			subs := res.ByType(subscriptionTyp)
			require.Len(t, subs, len(stacktest.Config(t, stack).Monitoring.AlarmEmails))
			s := stacktest.One(t, res, subscriptionTyp, "arrakis-alert-email-platform-alerts-arrakis-community")
			assert.Equal(t, "platform-alerts@arrakis.community", stacktest.Str(t, s, "endpoint"))
			assert.Equal(t, "email", stacktest.Str(t, s, "protocol"))
			assert.Equal(t, topicARN(t, res), stacktest.Str(t, s, "topic"))
		}
	})
	t.Run("several addresses", func(t *testing.T) {
		emails := []string{"oncall@arrakis.community", "Ops.Lead@example.org"}
		res, _ := build(t, "staging", func(a *monitoring.Args) { a.Monitoring.AlarmEmails = emails })
		require.Len(t, res.ByType(subscriptionTyp), 2)
		for name, email := range map[string]string{
			"arrakis-alert-email-oncall-arrakis-community": "oncall@arrakis.community",
			"arrakis-alert-email-ops-lead-example-org":     "Ops.Lead@example.org",
		} {
			s := stacktest.One(t, res, subscriptionTyp, name)
			assert.Equal(t, email, stacktest.Str(t, s, "endpoint"))
			assert.Equal(t, topicARN(t, res), stacktest.Str(t, s, "topic"))
		}
	})
}

func TestTopicKeyIsProtectedInProductionOnly(t *testing.T) {
	for stack, want := range map[string]struct {
		protect bool
		days    int
	}{"production": {true, 30}, "staging": {false, 7}} {
		t.Run(stack, func(t *testing.T) {
			res, _ := build(t, stack, nil)
			key := stacktest.One(t, res, keyType, "arrakis-alerts-key")
			assert.Equal(t, want.protect, key.Protect)
			assert.Equal(t, want.days, stacktest.Int(t, key, "deletionWindowInDays"))
			for _, r := range res.Resources() {
				if r != key {
					assert.False(t, r.Protect, "%s %s is not stateful", r.Type, r.Name)
				}
			}
		})
	}
}
