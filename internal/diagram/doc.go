// Package diagram draws a stack's architecture as a Mermaid flowchart from
// its offline plan — never from a hand-kept picture — so the drawing in
// README.md is whatever the program builds, and a test says when it is not.
//
// What it draws, and where each part comes from:
//   - the VPC's tiers and subnets per zone, and its NAT gateways: the awsx
//     VPC's inputs (cidrBlock, availabilityZoneNames, subnetSpecs,
//     natGateways.strategy);
//   - one box per security group, holding the resources attached to it
//     (the load balancer, the ECS services, RDS, Redis, the interface
//     endpoints): any resource whose inputs name the group's id;
//   - the traffic allowed between them: the security-group rules
//     (referencedSecurityGroupId or cidrIpv4, ports on the arrow); traffic
//     to the internet from a private group goes through the NAT;
//   - outside the VPC: Secrets Manager (the secrets, and which services read
//     them at start), the alarms and the SNS topic they notify, the image
//     repository.
//
// A group counts as the public tier when a rule opens it to 0.0.0.0/0;
// every other group is in the private tier. The package reads only the
// plan: it grows as the program grows, and imports no domain.
package diagram
