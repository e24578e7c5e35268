package secrets

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/awsiam"
)

// KeyPolicy lets the account use and administer the key through IAM: the
// execution roles get kms:Decrypt on it from their own policies.
func KeyPolicy(account string) awsiam.Document {
	return awsiam.Document{Version: awsiam.Version, Statement: []awsiam.Statement{awsiam.AccountAdministersKey(account)}}
}

// KeyAlias is the alias of the stack's secrets key.
func (b *builder) keyAlias() string { return "alias/" + b.Names.Prefix() + "-secrets" }

// key creates the customer managed key of the secrets, and its alias.
func (b *builder) key() error {
	policy, err := KeyPolicy(b.args.AccountID).JSON()
	if err != nil {
		return err
	}
	key, err := kms.NewKey(b.Ctx, b.Child("secrets-key"), &kms.KeyArgs{
		Description:          pulumi.String("Encrypts the Secrets Manager secrets of " + b.Names.Prefix()),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(awsiam.KeyDeletionWindowDays(b.Protected())),
		Policy:               pulumi.String(policy),
	}, b.Stateful()...)
	if err != nil {
		return err
	}
	if _, err := kms.NewAlias(b.Ctx, b.Child("secrets-key-alias"), &kms.AliasArgs{
		Name:        pulumi.String(b.keyAlias()),
		TargetKeyId: key.KeyId,
	}, b.Parent); err != nil {
		return err
	}
	b.s.KeyARN = key.Arn
	b.s.KeyID = key.KeyId
	return nil
}
