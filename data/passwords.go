package data

import (
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// credential is the shape of a generated password: its length and the only
// characters besides letters and digits it may hold.
type credential struct {
	role    string
	length  int
	special string
}

var (
	// RDS refuses '/', '@', '"' and spaces in a master password; '%', '$',
	// quotes and backslashes are left out too, as they trip shells and
	// config parsers when an operator copies the password by hand.
	postgresPassword = credential{role: "postgres-password", length: 40, special: "!#&*()-_=+[]{}<>:?"}
	// ElastiCache accepts 16–128 printable characters in an AUTH token, and
	// no special characters besides these.
	redisAuthToken = credential{role: "redis-auth-token", length: 64, special: "!&#$^<>-"}
)

// generate makes a password that is a Pulumi secret from the start. It
// changes only when its shape does.
func (b *builder) generate(c credential) (pulumi.StringOutput, error) {
	p, err := random.NewRandomPassword(b.ctx, b.child(c.role), &random.RandomPasswordArgs{
		Length:          pulumi.Int(c.length),
		Special:         pulumi.Bool(true),
		OverrideSpecial: pulumi.String(c.special),
		MinLower:        pulumi.Int(1),
		MinUpper:        pulumi.Int(1),
		MinNumeric:      pulumi.Int(1),
		MinSpecial:      pulumi.Int(1),
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return pulumi.ToSecret(p.Result).(pulumi.StringOutput), nil
}
