// Package network owns the VPC of one stack: its subnets and NAT (through
// awsx), the VPC endpoints, the flow log, the locked default security group
// and the security groups of each tier with the traffic allowed between them.
//
// awsx v2 cannot attach its own endpoint specs to the subnets and route
// tables it creates, so the endpoints are plain resources made after the VPC;
// and it has no flow logs, so those are added here.
package network
