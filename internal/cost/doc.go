// Package cost prices an offline plan: what each resource a stack would
// build costs a month in us-east-1, and whether that fits the stack's budget
// (arrakis:cost.monthlyBudgetUsd).
//
// Infracost does not read Pulumi programs, and the seed's own estimate left
// out interface endpoints and public IPv4 addresses, so the model works from
// the plan itself: every priced figure comes from prices.go (one table, with
// the date it was taken), every quantity from the plan's inputs — task sizes
// and counts, the capacity provider strategy, instance classes, Multi-AZ, the
// awsx VPC's NAT strategy, the zones an endpoint or load balancer spans.
//
// What a plan cannot show — bytes through the NAT, logs ingested, image
// storage, load balancer capacity units, data sent to the internet — is
// priced from the constants of assumptions.go and printed as lines marked
// "assumption" with the quantity assumed, never folded into another line.
//
// Nothing is priced at a silent $0: a resource type the model knows to be
// free is listed with the basis "no charge"; a type it does not know is
// listed as NOT PRICED (Estimate.Unpriced, which the repository's tests keep
// empty); an instance class, node type, engine or storage type missing from
// the table is an error naming the resource.
package cost
