package secrets

import (
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/component"
	"github.com/arrakis/infrastructure/internal/config"
)

const typeToken = "arrakis:secrets:Secrets"

// DB is where the database is and how to sign in, wired from the data
// domain.
type DB struct {
	Host     pulumi.StringInput
	Port     pulumi.IntInput
	Name     pulumi.StringInput
	Username pulumi.StringInput
	Password pulumi.StringInput
}

// Redis is where the cache is and its AUTH token, wired from the data
// domain.
type Redis struct {
	Host      pulumi.StringInput
	Port      pulumi.IntInput
	AuthToken pulumi.StringInput
}

// Args shapes the secrets.
type Args struct {
	// AccountID is the account whose IAM policies decide who uses the key.
	AccountID string
	// Secrets is the recovery window (0 deletes at once) and the initial
	// values of the operator-owned secrets, when the stack gives them.
	Secrets config.Secrets
	// Protect puts Pulumi's protect on the key, the secrets and the initial
	// versions, and gives the key the longest deletion window.
	Protect bool

	DB    DB
	Redis Redis

	// Names, when set for a secret (db-credentials, redis-credentials), is
	// the name it keeps instead of arrakis-<stack>/<secret> (a secret taken
	// over from Terraform; the name forces a replacement when it changes).
	Names map[string]string
}

// FromConfig is the part of Args a stack's config decides; the caller adds
// the account and wires the data stores.
func FromConfig(cfg *config.Config) *Args {
	return &Args{Secrets: cfg.Secrets, Protect: cfg.Production(), Names: cfg.Adopted.SecretNames}
}

// Secrets is what other domains may use.
type Secrets struct {
	pulumi.ResourceState

	KeyARN pulumi.StringOutput `pulumi:"keyArn"`
	KeyID  pulumi.StringOutput `pulumi:"keyId"`

	AppConfigSecretARN        pulumi.StringOutput `pulumi:"appConfigSecretArn"`
	DBCredentialsSecretARN    pulumi.StringOutput `pulumi:"dbCredentialsSecretArn"`
	RedisCredentialsSecretARN pulumi.StringOutput `pulumi:"redisCredentialsSecretArn"`
	VaultTokenSecretARN       pulumi.StringOutput `pulumi:"vaultTokenSecretArn"`
}

// New builds the key and the secrets.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Secrets, error) {
	return component.New(ctx, component.Spec{Type: typeToken, Kind: "secrets", Protect: args.Protect}, name, args.validate,
		func(base component.Base, s *Secrets) []component.Step {
			b := &builder{Base: base, args: args, s: s}
			return []component.Step{{What: "KMS key", Do: b.key}, {What: "secrets", Do: b.secrets}}
		}, opts...)
}

// builder carries what every step needs.
type builder struct {
	component.Base
	args *Args
	s    *Secrets
}

var accountPattern = regexp.MustCompile(`^\d{12}$`)

func (a *Args) validate() error {
	rw := a.Secrets.RecoveryWindowDays
	switch {
	case !accountPattern.MatchString(a.AccountID):
		return fmt.Errorf("account id must be 12 digits, got %q", a.AccountID)
	case rw != 0 && (rw < 7 || rw > 30):
		return fmt.Errorf("recovery window must be 0 or 7–30 days, got %d", rw)
	case rw == 0 && a.Protect:
		return fmt.Errorf("protected secrets need a recovery window of 7–30 days, not immediate deletion")
	case a.DB.Host == nil || a.DB.Port == nil || a.DB.Name == nil || a.DB.Username == nil || a.DB.Password == nil:
		return fmt.Errorf("the database host, port, name, username and password are required")
	case a.Redis.Host == nil || a.Redis.Port == nil || a.Redis.AuthToken == nil:
		return fmt.Errorf("the Redis host, port and AUTH token are required")
	}
	return nil
}
