// Package compute owns what runs the application: the ECS cluster and its
// Fargate capacity providers, the ECR repository the images live in, the API
// and worker task definitions and services, their log groups, the IAM roles
// they run under, and the API's target-tracking autoscaling.
//
// The container definitions are typed Go values (containers.go). They are
// the single source of truth for what each task reads from Secrets Manager:
// the execution role of a task may read exactly the secrets its containers
// reference, computed from the same values.
package compute
