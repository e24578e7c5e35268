package config

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Secret is a secret config value. It prints as [secret] wherever it is
// formatted and leaves this package only as a Pulumi secret output.
type Secret struct {
	value string
	set   bool
}

// IsSet reports whether the stack gave a value.
func (s Secret) IsSet() bool { return s.set }

// Output is the value as a Pulumi secret.
func (s Secret) Output() pulumi.StringOutput {
	return pulumi.ToSecret(pulumi.String(s.value)).(pulumi.StringOutput)
}

// String hides the value.
func (s Secret) String() string { return redacted }

// GoString hides the value from %#v.
func (s Secret) GoString() string { return redacted }

// MarshalJSON hides the value from JSON.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

const redacted = "[secret]"
