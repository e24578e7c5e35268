package secrets

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/naming"
)

// The leaf names of the secrets, arrakis-<stack>/<leaf>.
const (
	appConfigLeaf        = "app-config"
	dbCredentialsLeaf    = "db-credentials"
	redisCredentialsLeaf = "redis-credentials"
	vaultTokenLeaf       = "vault-token"
)

// AppConfigName and VaultTokenName are the names of the operator-owned
// secrets of a stack: the program creates them, operators put their values.
func AppConfigName(stack string) string  { return naming.New(stack).Path(appConfigLeaf) }
func VaultTokenName(stack string) string { return naming.New(stack).Path(vaultTokenLeaf) }

// secrets creates the four secrets: the credentials with their values, the
// operator-owned ones with a value only when seeded.
func (b *builder) secrets() error {
	a := b.args
	for _, s := range []struct {
		leaf, description string
		arn               *pulumi.StringOutput
		value             pulumi.StringInput // program-owned: rewritten whenever it changes
		seed              config.Secret      // operator-owned: written once, when seeded
	}{
		{leaf: appConfigLeaf, description: "Application settings (one JSON key per environment variable); put by operators",
			arn: &b.s.AppConfigSecretARN, seed: a.Secrets.AppConfigSeed},
		{leaf: dbCredentialsLeaf, description: "PostgreSQL connection (host, port, database, username, password, url); managed by Pulumi",
			arn: &b.s.DBCredentialsSecretARN, value: dbCredentials(a.DB)},
		{leaf: redisCredentialsLeaf, description: "Redis connection (host, port, auth, url); managed by Pulumi",
			arn: &b.s.RedisCredentialsSecretARN, value: redisCredentials(a.Redis)},
		{leaf: vaultTokenLeaf, description: "HashiCorp Vault token; put by operators",
			arn: &b.s.VaultTokenSecretARN, seed: a.Secrets.VaultTokenSeed},
	} {
		name, adopted := a.Names[s.leaf]
		if !adopted {
			name = b.Names.Path(s.leaf)
		}
		secret, err := secretsmanager.NewSecret(b.Ctx, b.Child(s.leaf), &secretsmanager.SecretArgs{
			Name:                 pulumi.String(name),
			Description:          pulumi.String(s.description),
			KmsKeyId:             b.s.KeyARN,
			RecoveryWindowInDays: pulumi.Int(a.Secrets.RecoveryWindowDays),
		}, b.Stateful()...)
		if err != nil {
			return err
		}
		*s.arn = secret.Arn

		switch {
		case s.value != nil:
			_, err = secretsmanager.NewSecretVersion(b.Ctx, b.Child(s.leaf+"-value"), &secretsmanager.SecretVersionArgs{
				SecretId:     secret.ID(),
				SecretString: s.value,
			}, b.Parent)
		case s.seed.IsSet():
			// Written once: later changes to the seed, and values operators
			// put, never produce a diff.
			_, err = secretsmanager.NewSecretVersion(b.Ctx, b.Child(s.leaf+"-seed"), &secretsmanager.SecretVersionArgs{
				SecretId:     secret.ID(),
				SecretString: s.seed.Output(),
			}, b.Stateful(pulumi.IgnoreChanges([]string{"secretString"}))...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
