// Package edge owns the public face of one stack: the internet-facing
// Application Load Balancer, the API's target group, the HTTPS and
// redirect-only HTTP listeners, and the ACM certificate of the API's domain.
//
// When the stack has a Route 53 hosted zone, edge also writes the
// certificate's DNS validation record, waits for ACM to issue the
// certificate, and points the domain at the load balancer with an alias
// record. Without one, whoever runs the domain's DNS creates those records
// from the ValidationRecords output.
package edge
