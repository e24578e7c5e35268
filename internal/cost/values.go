package cost

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// index is what pricing one resource needs to know about the others.
type index struct {
	// taskDefinitions by family.
	taskDefinitions map[string]plan.Resource
	// scalingTargets by service name (the last part of the resource id
	// service/<cluster>/<service>).
	scalingTargets map[string]plan.Resource
	// servicesByCluster counts the services per cluster name.
	servicesByCluster map[string]int
	// flowLogGroups are the log group names flow logs write to.
	flowLogGroups map[string]bool
	// zones is the zone count of the awsx VPC (0 without one).
	zones int
	// interfaceEndpoints counts the interface endpoints seen so far.
	interfaceEndpoints int
}

func newIndex(p *plan.Plan) *index {
	x := &index{
		taskDefinitions: map[string]plan.Resource{}, scalingTargets: map[string]plan.Resource{},
		servicesByCluster: map[string]int{}, flowLogGroups: map[string]bool{},
	}
	for _, r := range p.Resources {
		switch r.Type {
		case token.ECSTaskDefinition:
			x.taskDefinitions[r.Str("family")] = r
		case token.ScalableTarget:
			id := r.Str("resourceId")
			x.scalingTargets[id[strings.LastIndex(id, "/")+1:]] = r
		case token.ECSService:
			x.servicesByCluster[lastPart(r.Str("cluster"))]++
		case token.FlowLog:
			if dest := r.Str("logDestination"); dest != "" {
				x.flowLogGroups[strings.TrimSuffix(dest[strings.LastIndex(dest, ":log-group:")+len(":log-group:"):], ":*")] = true
			}
		case token.AwsxVPC:
			x.zones = plan.VPCChildren(r).Zones
		}
	}
	return x
}

// aggregates are the lines that cover several resources at once.
func (x *index) aggregates() []Line {
	var lines []Line
	if n := x.interfaceEndpoints; n > 0 {
		gb := float64(n) * endpointGBPerEndpoint
		lines = append(lines, Line{
			Resource: "interface endpoints", Category: categoryEndpointGB, Assumption: true,
			Basis: fmt.Sprintf("assumption: %d endpoints × %s GB/month × $%s/GB",
				n, num(endpointGBPerEndpoint), usd(endpointGB)),
			Monthly: cents(gb * endpointGB),
		})
	}
	return lines
}

// intInput is a whole-number input, def when absent; an error when present
// but not a number.
func intInput(r plan.Resource, key string, def int) (int, error) {
	v, ok := r.Input(key)
	if !ok {
		return def, nil
	}
	f, ok := plan.AsNumber(v)
	if !ok {
		return 0, fmt.Errorf("%s is %v, not a number", key, v)
	}
	return int(f), nil
}

func lastPart(s string) string { return s[strings.LastIndex(s, "/")+1:] }

// num prints a quantity or price without trailing zeros.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// money prints dollars with cents.
func money(f float64) string { return fmt.Sprintf("$%.2f", f) }

// hours is the "× 730 h" of every hourly line.
var hours = "× " + num(HoursPerMonth) + " h"

// usd prints a price: cents always shown ("0.50"), finer prices in full
// ("0.045").
func usd(f float64) string {
	if cents(f) == f {
		return fmt.Sprintf("%.2f", f)
	}
	return num(f)
}
