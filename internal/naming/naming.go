// Package naming decides the physical name of every resource. All names start
// with arrakis-<stack> and fit the AWS length and character rules of their
// resource type for any stack name a user may pick: when a name would be too
// long, the stack part is shortened and a short hash of the full stack name
// keeps it unique.
package naming

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
)

// AWS name length limits.
const (
	LimitLoadBalancer = 32  // ALB and target group names
	LimitRedis        = 40  // ElastiCache replication group id
	LimitRDS          = 63  // RDS instance identifier
	LimitIAM          = 64  // IAM role names
	LimitDefault      = 255 // ECS, security groups, parameter groups, alarms, dashboards…
)

// hashLen is the number of hex digits that keep shortened names unique.
const hashLen = 6

// Namer names the resources of one stack.
type Namer struct {
	stack string // the stack name as the user wrote it
	label string // the stack name made safe for every AWS name
}

// New returns the Namer of a stack.
func New(stack string) Namer {
	label := Slug(stack)
	if label != stack || label == "" || hashed.MatchString(label) {
		// Two stack names that sanitize alike (a.b, a_b) must not share
		// names; nor may a stack named like another one's hashed label
		// (x-4b68ab beside X, whose label is x-<hash of X>).
		label = strings.Trim(label+"-"+hash(stack), "-")
	}
	return Namer{stack: stack, label: label}
}

// hashed matches a label that ends like a hashed one.
var hashed = regexp.MustCompile(`-[0-9a-f]{6}$`)

// Prefix is arrakis-<stack>, the start of every physical name.
func (n Namer) Prefix() string { return "arrakis-" + n.label }

// Name is arrakis-<stack>-<role>, shortened to at most limit characters.
// role is lower-case letters, digits and hyphens.
func (n Namer) Name(role string, limit int) string {
	full := n.Prefix() + "-" + role
	if len(full) <= limit {
		return full
	}
	// arrakis-<stack[:k]>-<hash>-<role>
	keep := limit - len("arrakis-") - 1 - hashLen - 1 - len(role)
	if keep < 1 {
		keep = 1
	}
	short := strings.TrimRight(n.label[:min(keep, len(n.label))], "-")
	return "arrakis-" + short + "-" + hash(n.stack) + "-" + role
}

// Path is arrakis-<stack>/<leaf>, the shape of secret names.
func (n Namer) Path(leaf string) string { return n.Prefix() + "/" + leaf }

// LogGroup is /ecs/arrakis-<stack>/<service> for a container log group.
func (n Namer) LogGroup(service string) string { return "/ecs/" + n.Prefix() + "/" + service }

// Slug lower-cases s and keeps letters, digits and single hyphens (every
// other run of characters becomes one hyphen): the characters every AWS name
// and Pulumi logical name accepts.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:hashLen]
}
