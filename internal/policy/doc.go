// Package policy is the security and reliability policy suite of the
// program: checks that run over the offline plan (internal/plan) of any
// stack, so they work from the command line (`make policy STACK=…`), in
// `go test`, and for stacks that do not exist yet.
//
// Pulumi policy packs cannot run in Go unit tests, and the published AWS
// pack (awsguard) matches load-balancer type tokens that pulumi-aws v6
// removed, so it never fires on this program. These checks are the
// equivalent, written against the pulumi-aws v6 input names the plan
// records.
//
// Each Check has an id (ARK-<AREA>-NNN), the public controls it implements
// (AWS Security Hub FSBP control ids such as RDS.3, Checkov ids such as
// CKV_AWS_16, awsguard rule names; the program's own rules are house:<area>), a scope (every
// stack, production-tier stacks, or ephemeral ones), a severity and a
// function over the plan. A check reports the resources it examined
// ("subjects") and its findings; with no subject it is not applicable, so
// the suite passes on a partial program and becomes meaningful as domains
// land. Checks that guard existence ("a flow log for every VPC") take the
// guarded resource's owner (the VPC) as their subject and fail when the
// guard is missing.
//
// Deliberate exceptions live in one list (exceptions.go), each with a
// reason and an owner. The report shows the findings they cover as
// ACCEPTED, never hides them, and flags an exception that matches nothing
// as STALE so the list stays honest.
package policy
