// Package data owns the stateful stores of one stack: the RDS PostgreSQL 15
// instance and the ElastiCache Redis replication group, with their subnet
// groups, the PostgreSQL parameter group, the log groups RDS exports to, and
// the generated master password and Redis AUTH token.
//
// Both stores sit in the private subnets behind the security groups the
// network domain made for them. Everything that can be encrypted is: storage
// at rest on both, and every connection (rds.force_ssl=1 on PostgreSQL,
// in-transit encryption with AUTH on Redis — the reason Redis is a
// replication group, as a plain cluster cannot encrypt in transit).
//
// The password and the AUTH token come from random.RandomPassword, so they
// are Pulumi secrets from the moment they exist: in the state, in the inputs
// of the instance and the replication group, and in this component's outputs.
// The secrets domain turns them into the credential secrets the services read.
//
// Data-loss guards follow the stack's tier. With Args.Protect the instance and
// the replication group carry Pulumi's protect option and Redis takes a final
// snapshot on delete; the instance's deletion protection and final snapshot
// follow arrakis:database.deletionProtection. Ephemeral stacks carry none of
// them, so `pulumi destroy` removes everything.
package data
