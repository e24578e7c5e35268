package cost

// Usage a plan cannot show. Each becomes a line marked "assumption" that
// states the quantity, so a reader can redo the sum or argue with it. They
// are constants for now; a stack with different traffic would make them
// config.
const (
	// natGBPerGateway is the traffic each NAT gateway processes a month:
	// Discord, the Berachain RPC, HCP Vault and, where no interface
	// endpoint exists, the ECR API and CloudWatch Logs. S3 (image layers)
	// bypasses the NAT through the gateway endpoint.
	natGBPerGateway = 20.0
	// endpointGBPerEndpoint is the traffic through each interface endpoint
	// a month (image manifests, log events).
	endpointGBPerEndpoint = 5.0
	// albLCU is the load balancer's average capacity units. One LCU is 25
	// new connections/s, 3,000 active connections/min, 1 GB/h or 1,000 rule
	// evaluations/s; a community API stays well under one, and AWS bills
	// the busiest dimension, so one LCU around the clock is a ceiling.
	albLCU = 1.0
	// internetEgressGB is what the load balancer sends to clients a month.
	// AWS's first 100 GB a month are free, but that allowance is per
	// account and shared with every other stack, so the model charges it.
	internetEgressGB = 20.0
	// wafRequestsMillions is what the web ACL inspects a month: every
	// request to the load balancer (at about 10 kB a response, the
	// egress above is some 2 million; the figure leaves room for small
	// API calls and scans that are blocked).
	wafRequestsMillions = 5.0
	// logGBPerGroup is what each log group ingests a month; flowLogGB is
	// what the VPC flow log (ALL traffic, one-minute aggregation) ingests.
	logGBPerGroup = 1.0
	flowLogGB     = 5.0
	// ecrImages is what the lifecycle policy keeps; ecrImageGB the size of
	// one compressed Node.js image.
	ecrImages  = 10
	ecrImageGB = 0.3
	// Container Insights (standard) publishes its metrics as custom
	// metrics: per cluster about 11 (CPU/memory reserved and used, network,
	// storage, task and service counts), per service about 13 under
	// ServiceName plus 9 under TaskDefinitionFamily — AWS's metric list for
	// ECS on Fargate — and performance log events.
	insightsClusterMetrics = 11
	insightsServiceMetrics = 22
	insightsEventsGB       = 1.0
)
