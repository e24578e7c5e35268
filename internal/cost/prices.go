package cost

// The price table: every figure the model multiplies by lives here, so a
// price change is a one-file review.
//
// Taken 2026-11-26. Region us-east-1, on-demand, Linux/x86, USD.
// Source: the team's reference figures (from the AWS pricing pages) unless a
// line says "AWS pricing page": those were copied from AWS's public
// us-east-1 price list as commonly published and not re-checked on the day
// (the machine that took them had no internet). Re-check both before
// relying on a total to the dollar.

// PricesAsOf is the date the table was taken.
const PricesAsOf = "2026-11-26"

// HoursPerMonth is AWS's billing month.
const HoursPerMonth = 730.0

// Fargate.
const (
	fargateVCPUHour = 0.04048
	fargateGBHour   = 0.004445
	// fargateSpotFactor is what FARGATE_SPOT costs relative to on-demand.
	// The reference figures say "about 70 % less"; AWS publishes Spot
	// prices that move with spare capacity (typically 65–70 % off in
	// us-east-1). The model uses exactly 0.30, the reference figure, so
	// Spot lines may read a few percent low on an expensive day.
	fargateSpotFactor = 0.30
)

// The RDS instance classes and their prices are one table,
// internal/rdsclass, which config validates against too.

// RDS storage: gp3 per GB-month, doubled for Multi-AZ.
const rdsGP3GBMonth = 0.115

// elastiCacheHour is the hourly price of an ElastiCache node.
var elastiCacheHour = map[string]float64{
	"cache.t3.micro": 0.017,
	"cache.t3.small": 0.034,
}

// Networking.
const (
	natHour      = 0.045
	natGB        = 0.045
	albHour      = 0.0225
	albLCUHour   = 0.008
	endpointHour = 0.01 // per interface endpoint per AZ
	ipv4Hour     = 0.005
)

// Networking usage (AWS pricing page).
const (
	endpointGB        = 0.01 // interface endpoint data processed
	egressGB          = 0.09 // data transfer out to the internet, first 10 TB
	route53ZoneMonth  = 0.50
	secretMonth       = 0.40
	kmsKeyMonth       = 1.00
	alarmMetricMonth  = 0.10 // standard resolution, per metric
	alarmHighResMonth = 0.30 // AWS pricing page: period under 60 s, per metric
	compositeAlarm    = 0.50 // AWS pricing page
	dashboardMonth    = 3.00
)

// AWS WAF (AWS pricing page): per web ACL, per rule (a managed rule group
// counts as one; AWS's baseline groups carry no subscription fee), and per
// million requests inspected.
const (
	wafACLMonth        = 5.00
	wafRuleMonth       = 1.00
	wafMillionRequests = 0.60
)

// CloudWatch and ECR usage (AWS pricing page).
const (
	logsIngestGB      = 0.50 // CloudWatch Logs ingestion (vended flow logs: the same first tier)
	logsStoredGBMonth = 0.03
	customMetricMonth = 0.30 // first 10,000 metrics; Container Insights metrics bill as these
	ecrStorageGBMonth = 0.10
)
