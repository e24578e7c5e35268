package cost

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// Line is one charge: what it is for, how it is computed, and its monthly
// dollars, rounded to the cent.
type Line struct {
	// Resource is the short type and logical name ("ecs/service
	// arrakis-api"); for grouped free resources, the short type and count.
	Resource string `json:"resource"`
	// Category is what is charged ("Fargate", "RDS storage", "NAT data").
	// Resource and Category together name a line.
	Category string `json:"category"`
	// Basis is the computation in words, e.g. "2 × 0.5 vCPU/1 GB × 730 h
	// on demand".
	Basis   string  `json:"basis"`
	Monthly float64 `json:"monthly"`
	// Assumption marks a usage-based charge whose quantity the plan cannot
	// show; Basis states the quantity assumed.
	Assumption bool `json:"assumption,omitempty"`
}

// Estimate is the monthly cost of one stack's plan.
type Estimate struct {
	Stack         string  `json:"stack"`
	Currency      string  `json:"currency"`
	Region        string  `json:"region"`
	PricesAsOf    string  `json:"pricesAsOf"`
	HoursPerMonth float64 `json:"hoursPerMonth"`
	Lines         []Line  `json:"lines"`
	// Total is the sum of the lines, assumptions included.
	Total float64 `json:"total"`
	// Assumptions is the part of Total that rests on assumed usage.
	Assumptions float64 `json:"assumptions"`
	// Notes are ceilings and caveats that are not in Total (autoscaling
	// maximum, storage autoscaling, key rotation).
	Notes []string `json:"notes"`
	// Unpriced lists the resources whose type the model does not know.
	Unpriced []string `json:"unpriced"`
	// Budget is arrakis:cost.monthlyBudgetUsd when the caller set it; 0
	// means none was given.
	Budget float64 `json:"budget,omitempty"`
}

// OverBudget reports whether a budget is set and the total exceeds it.
func (e *Estimate) OverBudget() bool {
	return e.Budget > 0 && e.Total > e.Budget
}

// Of prices every resource of a plan: the monthly cost of what the stack
// would build.
func Of(p *plan.Plan) (*Estimate, error) {
	e := &Estimate{
		Stack: p.Stack, Currency: "USD", Region: "us-east-1", PricesAsOf: PricesAsOf,
		HoursPerMonth: HoursPerMonth, Lines: []Line{}, Notes: []string{}, Unpriced: []string{},
	}
	x := newIndex(p)
	free := map[string]int{}
	for _, r := range p.Resources {
		if !r.Custom && !r.Remote {
			continue // this program's own components cost nothing
		}
		if strings.HasPrefix(r.Type, token.ProviderPrefix) {
			continue
		}
		if price, ok := pricers[r.Type]; ok {
			lines, notes, err := price(x, r)
			if err != nil {
				return nil, fmt.Errorf("pricing %s %s: %w", r.Type, r.Name, err)
			}
			e.Lines = append(e.Lines, lines...)
			e.Notes = append(e.Notes, notes...)
			continue
		}
		if _, ok := freeTypes[r.Type]; ok {
			free[r.Type]++
			continue
		}
		e.Unpriced = append(e.Unpriced, r.Type+" "+r.Name)
		e.Lines = append(e.Lines, Line{
			Resource: label(r), Category: categoryUnpriced,
			Basis: "NOT PRICED: the cost model does not know this type (add it to internal/cost)",
		})
	}
	e.Lines = append(e.Lines, x.aggregates()...)
	for typ, n := range free {
		e.Lines = append(e.Lines, Line{
			Resource: fmt.Sprintf("%s × %d", shortType(typ), n), Category: categoryFree, Basis: freeTypes[typ],
		})
	}
	sortLines(e.Lines)
	sort.Strings(e.Notes)
	var total, assumed float64
	for _, l := range e.Lines {
		total += l.Monthly
		if l.Assumption {
			assumed += l.Monthly
		}
	}
	e.Total, e.Assumptions = cents(total), cents(assumed)
	return e, nil
}

// pricer prices one resource: its lines and any notes.
type pricer func(x *index, r plan.Resource) ([]Line, []string, error)

// pricers are the resource types that cost money (or may).
var pricers = map[string]pricer{
	token.AwsxVPC:                     priceVPC,
	token.VPCEndpoint:                 priceEndpoint,
	token.LoadBalancer:                priceLoadBalancer,
	token.WebACL:                      priceWebACL,
	token.ECSService:                  priceService,
	token.ECSCluster:                  priceCluster,
	token.ScalingPolicy:               priceScalingPolicy,
	token.RDSInstance:                 priceRDS,
	token.ElastiCacheReplicationGroup: priceRedis,
	token.Secret:                      priceSecret,
	token.KMSKey:                      priceKMSKey,
	token.MetricAlarm:                 priceAlarm,
	token.CompositeAlarm:              priceCompositeAlarm,
	token.Dashboard:                   priceDashboard,
	token.LogGroup:                    priceLogGroup,
	token.ECRRepository:               priceECR,
	token.Route53Zone:                 priceHostedZone,
	token.Route53Record:               priceRecord,
}

// Categories, in the order the table shows them.
const (
	categoryFargate    = "Fargate"
	categorySpot       = "Fargate Spot"
	categoryInsights   = "Container Insights"
	categoryRDS        = "RDS instance"
	categoryRDSStorage = "RDS storage"
	categoryRedis      = "ElastiCache"
	categoryNAT        = "NAT gateway"
	categoryNATData    = "NAT data"
	categoryIPv4       = "public IPv4"
	categoryALB        = "load balancer"
	categoryLCU        = "load balancer LCU"
	categoryEgress     = "data transfer out"
	categoryWAF        = "WAF"
	categoryEndpoint   = "interface endpoint"
	categoryEndpointGB = "endpoint data"
	categoryDNS        = "Route 53"
	categorySecret     = "secret"
	categoryKMS        = "KMS key"
	categoryAlarm      = "alarm"
	categoryDashboard  = "dashboard"
	categoryLogs       = "logs"
	categoryECR        = "ECR storage"
	categoryFree       = "no charge"
	categoryUnpriced   = "not priced"
)

var categoryOrder = []string{
	categoryFargate, categorySpot, categoryInsights, categoryRDS, categoryRDSStorage, categoryRedis,
	categoryNAT, categoryNATData, categoryIPv4, categoryALB, categoryLCU, categoryEgress, categoryWAF,
	categoryEndpoint, categoryEndpointGB, categoryDNS, categorySecret, categoryKMS, categoryAlarm,
	categoryDashboard, categoryLogs, categoryECR, categoryFree, categoryUnpriced,
}

// rank is where a category stands in the table.
func rank(category string) int { return slices.Index(categoryOrder, category) }

func sortLines(lines []Line) {
	sort.SliceStable(lines, func(i, j int) bool {
		a, b := lines[i], lines[j]
		if rank(a.Category) != rank(b.Category) {
			return rank(a.Category) < rank(b.Category)
		}
		return a.Resource < b.Resource
	})
}

// cents rounds dollars to the cent.
func cents(v float64) float64 { return math.Round(v*100) / 100 }

// label names a resource in a line: short type and logical name.
func label(r plan.Resource) string { return shortType(r.Type) + " " + r.Name }

// shortType is a type token without its noise: the module/resource of an
// AWS type (token.ECSService → "ecs/service"), the package and
// resource of any other (token.AwsxVPC → "awsx/Vpc").
func shortType(typ string) string {
	parts := strings.Split(typ, ":")
	switch {
	case len(parts) == 3 && parts[0] == "aws":
		return parts[1]
	case len(parts) == 3:
		return parts[0] + "/" + parts[2]
	}
	return typ
}
