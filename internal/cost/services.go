package cost

import (
	"fmt"

	"github.com/arrakis/infrastructure/internal/plan"
)

// flat prices a resource that costs the same every month whatever its
// inputs: one line.
func flat(category string, monthly float64, basis string) pricer {
	return func(_ *index, r plan.Resource) ([]Line, []string, error) {
		return []Line{{Resource: label(r), Category: category, Basis: basis, Monthly: monthly}}, nil, nil
	}
}

var priceSecret = flat(categorySecret, secretMonth,
	fmt.Sprintf("1 secret × $%s/month (API calls at $0.05 per 10,000 not counted: tasks read at start)", usd(secretMonth)))

// priceKMSKey prices a customer managed key. With rotation on, AWS bills
// each of the first two rotations' key material as another $1 a month, so
// a rotating key costs $1 in its first year, $2 in its second, $3 after.
func priceKMSKey(_ *index, r plan.Resource) ([]Line, []string, error) {
	var notes []string
	if r.IsTrue("enableKeyRotation") {
		notes = append(notes, r.Name+": yearly rotation adds $1 a month after the first rotation and $1 more after the second ($3 a month from year three).")
	}
	return []Line{{
		Resource: label(r), Category: categoryKMS,
		Basis:   fmt.Sprintf("1 key × $%s/month (first year; requests not counted)", usd(kmsKeyMonth)),
		Monthly: kmsKeyMonth,
	}}, notes, nil
}

// priceAlarm prices a metric alarm per metric it evaluates: one for a
// plain alarm; for a metric-math alarm, each metric it reads (expressions
// are free). A period under a minute is high resolution.
func priceAlarm(_ *index, r plan.Resource) ([]Line, []string, error) {
	type metric struct{ period float64 }
	var metrics []metric
	if qs := r.List("metricQueries"); len(qs) > 0 {
		for _, q := range qs {
			m, _ := q.(map[string]any)
			if stat, ok := m["metric"].(map[string]any); ok {
				p, _ := plan.AsNumber(stat["period"])
				metrics = append(metrics, metric{p})
			}
		}
		if len(metrics) == 0 {
			return nil, nil, fmt.Errorf("metric-math alarm reads no metric")
		}
	} else {
		p, _ := r.Number("period")
		metrics = append(metrics, metric{p})
	}
	var total float64
	high := 0
	for _, m := range metrics {
		if m.period > 0 && m.period < 60 {
			total += alarmHighResMonth
			high++
		} else {
			total += alarmMetricMonth
		}
	}
	basis := fmt.Sprintf("1 metric × $%s", usd(alarmMetricMonth))
	if len(metrics) > 1 {
		basis = fmt.Sprintf("metric math: %d metrics × $%s (AWS bills each metric in the alarm)", len(metrics), usd(alarmMetricMonth))
	}
	if high > 0 {
		basis = fmt.Sprintf("%d metrics, %d high resolution × $%s, the rest × $%s", len(metrics), high, usd(alarmHighResMonth), usd(alarmMetricMonth))
	}
	return []Line{{Resource: label(r), Category: categoryAlarm, Basis: basis, Monthly: cents(total)}}, nil, nil
}

var priceCompositeAlarm = flat(categoryAlarm, compositeAlarm, fmt.Sprintf("composite alarm × $%s", usd(compositeAlarm)))

// priceDashboard counts every dashboard as chargeable: AWS's three free
// dashboards are per account, and the account holds both stacks' dashboards
// and whatever else the team keeps there.
var priceDashboard = flat(categoryDashboard, dashboardMonth,
	fmt.Sprintf("1 dashboard × $%s/month (the 3 free ones are per account, shared with other stacks: not counted)", usd(dashboardMonth)))

// priceLogGroup prices a log group's assumed ingestion and the storage it
// holds in steady state (ingestion × retention / 30 days).
func priceLogGroup(x *index, r plan.Resource) ([]Line, []string, error) {
	gb, what := logGBPerGroup, "logs"
	if x.flowLogGroups[r.Str("name")] {
		gb, what = flowLogGB, "flow logs"
	}
	days, err := intInput(r, "retentionInDays", 0)
	if err != nil {
		return nil, nil, err
	}
	retention := fmt.Sprintf("kept %d days", days)
	if days == 0 {
		days, retention = 365, "never expires: priced at one year kept"
	}
	stored := gb * float64(days) / 30
	return []Line{{
		Resource: label(r), Category: categoryLogs, Assumption: true,
		Basis: fmt.Sprintf("assumption: %s GB/month of %s × $%s + %s GB stored (%s) × $%s",
			num(gb), what, usd(logsIngestGB), num(cents(stored)), retention, usd(logsStoredGBMonth)),
		Monthly: cents(gb*logsIngestGB + stored*logsStoredGBMonth),
	}}, nil, nil
}

func priceECR(_ *index, r plan.Resource) ([]Line, []string, error) {
	gb := ecrImages * ecrImageGB
	return []Line{{
		Resource: label(r), Category: categoryECR, Assumption: true,
		Basis: fmt.Sprintf("assumption: %d images × %s GB = %s GB × $%s/GB-month (pulls in-region are free)",
			ecrImages, num(ecrImageGB), num(gb), usd(ecrStorageGBMonth)),
		Monthly: cents(gb * ecrStorageGBMonth),
	}}, nil, nil
}

var priceHostedZone = flat(categoryDNS, route53ZoneMonth, fmt.Sprintf("1 hosted zone × $%s/month", usd(route53ZoneMonth)))

// priceRecord is free: the records live in a hosted zone this program does
// not create (edge.hostedZoneId), whose $0.50 a month its owner pays.
var priceRecord = flat(categoryFree, 0,
	fmt.Sprintf("no charge (a record in the existing zone edge.hostedZoneId, not created here: its $%s/month is not counted; alias queries to the ALB are free)",
		usd(route53ZoneMonth)))
