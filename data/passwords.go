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

// generationSettings are the inputs of a generated password that decide its
// shape. Every one of them forces a new value, and a new value rotates the
// credential under the running tasks, which keep the old one until they
// restart. So an edit to them never regenerates a password: it applies to
// the next one, made by a deliberate `pulumi up --replace <urn>` followed by
// a new deployment of the services. (They also let an adopted password,
// made with other settings, stay as it is.)
var generationSettings = []string{
	"length", "special", "overrideSpecial", "upper", "lower", "numeric",
	"minLower", "minUpper", "minNumeric", "minSpecial",
}

// generate makes a password that is a Pulumi secret from the start,
// protected with the stores it opens.
func (b *builder) generate(c credential) (pulumi.StringOutput, error) {
	p, err := random.NewRandomPassword(b.Ctx, b.Child(c.role), &random.RandomPasswordArgs{
		Length:          pulumi.Int(c.length),
		Special:         pulumi.Bool(true),
		OverrideSpecial: pulumi.String(c.special),
		MinLower:        pulumi.Int(1),
		MinUpper:        pulumi.Int(1),
		MinNumeric:      pulumi.Int(1),
		MinSpecial:      pulumi.Int(1),
	}, b.Stateful(pulumi.IgnoreChanges(generationSettings))...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return pulumi.ToSecret(p.Result).(pulumi.StringOutput), nil
}
