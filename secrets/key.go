package secrets

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/awsiam"
)

// KMS key deletion windows: AWS allows 7 to 30 days.
const (
	protectedKeyDeletionDays = 30
	keyDeletionDays          = 7
)

// KeyDeletionWindowDays is how long a key scheduled for deletion can still be
// restored: the longest AWS allows where the stack is protected.
func KeyDeletionWindowDays(protect bool) int {
	if protect {
		return protectedKeyDeletionDays
	}
	return keyDeletionDays
}

// KeyPolicy lets the account use and administer the key through IAM: no
// principal gets access from the key policy alone, and without this
// statement IAM policies could not grant any.
func KeyPolicy(account string) awsiam.Document {
	return awsiam.Document{Version: awsiam.Version, Statement: []awsiam.Statement{{
		Sid:       "AccountManagesAccessWithIAM",
		Effect:    "Allow",
		Principal: &awsiam.Principal{AWS: awsiam.List{"arn:aws:iam::" + account + ":root"}},
		Action:    awsiam.List{"kms:*"},
		Resource:  awsiam.List{"*"},
	}}}
}

// KeyAlias is the alias of the stack's secrets key.
func (b *builder) keyAlias() string { return "alias/" + b.names.Prefix() + "-secrets" }

// key creates the customer managed key of the secrets, and its alias.
func (b *builder) key() error {
	policy, err := KeyPolicy(b.args.AccountID).JSON()
	if err != nil {
		return err
	}
	key, err := kms.NewKey(b.ctx, b.child("secrets-key"), &kms.KeyArgs{
		Description:          pulumi.String("Encrypts the Secrets Manager secrets of " + b.names.Prefix()),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(KeyDeletionWindowDays(b.args.Protect)),
		Policy:               pulumi.String(policy),
	}, b.stateful()...)
	if err != nil {
		return err
	}
	if _, err := kms.NewAlias(b.ctx, b.child("secrets-key-alias"), &kms.AliasArgs{
		Name:        pulumi.String(b.keyAlias()),
		TargetKeyId: key.KeyId,
	}, b.parent); err != nil {
		return err
	}
	b.s.KeyARN = key.Arn
	b.s.KeyID = key.KeyId
	return nil
}
