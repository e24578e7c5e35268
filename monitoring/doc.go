// Package monitoring owns what tells the team the stack is unwell: the
// alerts topic (arrakis-<stack>-alerts) with its e-mail subscriptions, the
// CloudWatch alarms that publish to it, and the overview dashboard.
//
// The topic is encrypted with a customer-managed KMS key because CloudWatch
// cannot use the AWS-managed SNS key: alarms on a topic encrypted with it
// change state but never deliver a notification, and nothing reports it.
//
// Every alarm comes from one pure table (Alarms) so that thresholds, periods
// and missing-data treatment can be read and tested in one place; the
// resources only resolve each alarm's dimensions to the names of the real
// resources, which other domains pass in as Pulumi inputs.
package monitoring
