// Package awsiam builds IAM policy documents from typed Go values, so that no
// policy is ever a hand-written JSON string. The same types parse documents
// back for tests and policy checks.
package awsiam

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Version is the only IAM policy language version worth writing.
const Version = "2012-10-17"

// Document is an IAM policy document.
type Document struct {
	Version   string      `json:"Version"`
	ID        string      `json:"Id,omitempty"`
	Statement []Statement `json:"Statement"`
}

// Statement is one statement of a Document.
type Statement struct {
	Sid       string     `json:"Sid,omitempty"`
	Effect    string     `json:"Effect"`
	Principal *Principal `json:"Principal,omitempty"`
	Action    List       `json:"Action,omitempty"`
	NotAction List       `json:"NotAction,omitempty"`
	Resource  List       `json:"Resource,omitempty"`
	Condition Condition  `json:"Condition,omitempty"`
}

// Principal names who a resource or trust policy applies to.
type Principal struct {
	AWS       List `json:"AWS,omitempty"`
	Service   List `json:"Service,omitempty"`
	Federated List `json:"Federated,omitempty"`
}

// Condition is operator -> context key -> values, e.g.
// {"StringEquals": {"aws:SourceAccount": ["123456789012"]}}.
type Condition map[string]map[string]List

// List is a string or a list of strings; IAM accepts both.
type List []string

// MarshalJSON writes a single value as a plain string, as people write it.
func (l List) MarshalJSON() ([]byte, error) {
	if len(l) == 1 {
		return json.Marshal(l[0])
	}
	return json.Marshal([]string(l))
}

// UnmarshalJSON reads a string or a list of strings.
func (l *List) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*l = List{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("expected a string or a list of strings: %w", err)
	}
	*l = many
	return nil
}

// Allow is an Allow statement of actions on resources.
func Allow(sid string, actions, resources []string) Statement {
	return Statement{Sid: sid, Effect: "Allow", Action: actions, Resource: resources}
}

// AssumeRole is a trust policy letting one AWS service assume a role, only on
// behalf of this account (the confused-deputy guard AWS recommends).
func AssumeRole(service, account string, extra Condition) Document {
	cond := Condition{}
	for op, kv := range extra {
		if cond[op] == nil {
			cond[op] = map[string]List{}
		}
		for k, v := range kv {
			cond[op][k] = v
		}
	}
	// The account guard is set last: no extra condition can loosen it.
	if cond["StringEquals"] == nil {
		cond["StringEquals"] = map[string]List{}
	}
	cond["StringEquals"]["aws:SourceAccount"] = List{account}
	return Document{Version: Version, Statement: []Statement{{
		Sid:       "TrustOnly" + sidWord(strings.TrimSuffix(service, ".amazonaws.com")),
		Effect:    "Allow",
		Principal: &Principal{Service: List{service}},
		Action:    List{"sts:AssumeRole"},
		Condition: cond,
	}}}
}

// JSON marshals the document. Map keys come out sorted, so the text is
// stable.
func (d Document) JSON() (string, error) {
	if d.Version == "" {
		d.Version = Version
	}
	b, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("marshalling IAM policy: %w", err)
	}
	return string(b), nil
}

// Parse reads a policy document.
func Parse(text string) (Document, error) {
	var d Document
	if err := json.Unmarshal([]byte(text), &d); err != nil {
		return Document{}, fmt.Errorf("parsing IAM policy: %w", err)
	}
	return d, nil
}

// Actions lists every action the document allows, sorted.
func (d Document) Actions() []string {
	seen := map[string]bool{}
	for _, s := range d.Statement {
		if s.Effect == "Allow" {
			for _, a := range s.Action {
				seen[a] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

func sidWord(service string) string {
	out := []byte{}
	upper := true
	for _, c := range []byte(service) {
		switch {
		case c == '.' || c == '-':
			upper = true
		case upper && c >= 'a' && c <= 'z':
			out = append(out, c-'a'+'A')
			upper = false
		default:
			out = append(out, c)
			upper = false
		}
	}
	return string(out)
}

// AccountAdministersKey is the key policy statement that hands a KMS key to
// IAM: the account's principals get what their IAM policies give them and
// nobody gets anything from the key policy alone. Without it no IAM policy
// could grant any use of the key.
func AccountAdministersKey(account string) Statement {
	return Statement{
		Sid:       "AccountAdministersKey",
		Effect:    "Allow",
		Principal: &Principal{AWS: List{"arn:aws:iam::" + account + ":root"}},
		Action:    List{"kms:*"},
		Resource:  List{"*"},
	}
}

// KMS key deletion windows: AWS allows 7 to 30 days.
const (
	protectedKeyDeletionDays = 30
	keyDeletionDays          = 7
)

// KeyDeletionWindowDays is how long a KMS key scheduled for deletion can
// still be restored: the longest AWS allows where the stack is protected,
// the shortest elsewhere so a destroyed stack leaves little behind.
func KeyDeletionWindowDays(protect bool) int {
	if protect {
		return protectedKeyDeletionDays
	}
	return keyDeletionDays
}

// BoundaryName is the permissions boundary the bootstrap creates: every
// role this program creates carries it, so that the CI deploy roles —
// which may create roles only with it — can never make a role stronger
// than it.
const BoundaryName = "arrakis-ci-boundary"

// BoundaryARN is the permissions boundary's ARN in an account.
func BoundaryARN(account string) string {
	return "arn:aws:iam::" + account + ":policy/" + BoundaryName
}

// RoleServices are the AWS services the roles of this program are for, and
// so the only ones the CI deploy roles may pass a role to: ECS tasks, VPC
// Flow Logs and RDS enhanced monitoring.
var RoleServices = []string{"ecs-tasks.amazonaws.com", "vpc-flow-logs.amazonaws.com", "monitoring.rds.amazonaws.com"}
