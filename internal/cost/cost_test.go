package cost_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/cost"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// NAT gateways come from the awsx VPC's strategy: one for Single, one per
// zone for OnePerAz (awsx's default), none for None; each has an elastic IP.
func TestNATGatewaysFromTheAwsxStrategy(t *testing.T) {
	cases := []struct {
		strategy           string
		zones              []any
		nat, ipv4, natData float64
	}{
		{"Single", list("us-east-1a", "us-east-1b"), 32.85, 3.65, 0.90},
		{"OnePerAz", list("us-east-1a", "us-east-1b"), 65.70, 7.30, 1.80},
		{"", list("us-east-1a", "us-east-1b"), 65.70, 7.30, 1.80},
		{"OnePerAz", list("us-east-1a", "us-east-1b", "us-east-1c"), 98.55, 10.95, 2.70},
		{"None", list("us-east-1a", "us-east-1b"), 0, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.strategy+"/"+string(rune('0'+len(c.zones))), func(t *testing.T) {
			e := estimate(t, vpc(c.strategy, c.zones...))
			assert.InDelta(t, c.nat, charges(e, "NAT gateway"), 1e-9)
			assert.InDelta(t, c.ipv4, charges(e, "public IPv4"), 1e-9)
			assert.InDelta(t, c.natData, charges(e, "NAT data"), 1e-9)
			assert.InDelta(t, c.natData, e.Assumptions, 1e-9, "the NAT's traffic is the only assumption")
		})
	}
	_, err := cost.Of(planOf(vpc("TwoPerAz", "us-east-1a", "us-east-1b")))
	assert.ErrorContains(t, err, `unknown NAT gateway strategy "TwoPerAz"`)
}

func TestInterfaceEndpointsPerZone(t *testing.T) {
	endpoint := func(name, typ string, subnets ...any) plan.Resource {
		in := map[string]any{"vpcEndpointType": typ, "serviceName": "com.amazonaws.us-east-1." + name}
		if subnets != nil {
			in["subnetIds"] = subnets
		}
		return res(token.VPCEndpoint, name, in)
	}
	e := estimate(t,
		endpoint("ecr.api", "Interface", "subnet-a", "subnet-b"),
		endpoint("logs", "Interface", "subnet-a", "subnet-b", "subnet-c"),
		endpoint("s3", "Gateway"),
	)
	assert.InDelta(t, 14.60+21.90, charges(e, "interface endpoint"), 1e-9, "2 zones × 730 h × $0.01 + 3 zones × …")
	data := line(t, e, "endpoint data")
	assert.True(t, data.Assumption)
	assert.Equal(t, 0.10, data.Monthly, "2 endpoints × 5 GB × $0.01")
	assert.Equal(t, "no charge (gateway endpoint)", line(t, e, "no charge").Basis)

	_, err := cost.Of(planOf(endpoint("ecr.dkr", "Interface")))
	assert.ErrorContains(t, err, "without subnetIds")
}

func TestRDSClassStorageAndMultiAZ(t *testing.T) {
	db := func(class string, multiAZ bool) plan.Resource {
		return res(token.RDSInstance, "arrakis-postgres", map[string]any{
			"engine": "postgres", "instanceClass": class, "storageType": "gp3",
			"allocatedStorage": 20.0, "maxAllocatedStorage": 100.0, "multiAz": multiAZ,
		})
	}
	cases := []struct {
		class            string
		multiAZ          bool
		instance, volume float64
	}{
		{"db.t3.micro", false, 13.14, 2.30},  // 0.018 × 730; 20 × 0.115
		{"db.t3.small", false, 26.28, 2.30},  // 0.036 × 730
		{"db.t3.small", true, 52.56, 4.60},   // Multi-AZ doubles both
		{"db.t3.medium", true, 105.12, 4.60}, // 0.072 × 730 × 2
	}
	for _, c := range cases {
		t.Run(c.class, func(t *testing.T) {
			e := estimate(t, db(c.class, c.multiAZ))
			assert.Equal(t, c.instance, line(t, e, "RDS instance").Monthly)
			assert.Equal(t, c.volume, line(t, e, "RDS storage").Monthly)
			assert.Contains(t, e.Notes[len(e.Notes)-1], "grow it to 100 GB")
		})
	}

	_, err := cost.Of(planOf(db("db.z9.large", false)))
	require.Error(t, err, "an unknown class is never a silent $0")
	assert.ErrorContains(t, err, "aws:rds/instance:Instance arrakis-postgres")
	assert.ErrorContains(t, err, `instance class "db.z9.large" has no price`)

	gp2 := db("db.t3.micro", false)
	gp2.Inputs["storageType"] = "gp2"
	_, err = cost.Of(planOf(gp2))
	assert.ErrorContains(t, err, `storage type "gp2"`)
}

func TestRedisNodes(t *testing.T) {
	redis := func(nodeType string, nodes float64) plan.Resource {
		return res(token.ElastiCacheReplicationGroup, "arrakis-redis",
			map[string]any{"nodeType": nodeType, "numCacheClusters": nodes})
	}
	assert.Equal(t, 12.41, line(t, estimate(t, redis("cache.t3.micro", 1)), "ElastiCache").Monthly) // 0.017 × 730
	assert.Equal(t, 49.64, line(t, estimate(t, redis("cache.t3.small", 2)), "ElastiCache").Monthly) // 0.034 × 730 × 2

	_, err := cost.Of(planOf(redis("cache.m7g.large", 1)))
	assert.ErrorContains(t, err, "arrakis-redis")
	assert.ErrorContains(t, err, `node type "cache.m7g.large" has no price`)
}

func TestLoadBalancer(t *testing.T) {
	alb := res(token.LoadBalancer, "arrakis-alb", map[string]any{
		"loadBalancerType": "application", "internal": false, "subnets": list("subnet-a", "subnet-b"),
	})
	e := estimate(t, alb)
	assert.Equal(t, 16.43, line(t, e, "load balancer").Monthly) // 0.0225 × 730 = 16.425
	lcu := line(t, e, "load balancer LCU")
	assert.True(t, lcu.Assumption)
	assert.Equal(t, 5.84, lcu.Monthly) // 1 LCU × 730 × 0.008
	assert.Equal(t, 7.30, line(t, e, "public IPv4").Monthly, "one public address per public subnet")
	assert.Equal(t, 1.80, line(t, e, "data transfer out").Monthly) // 20 GB × $0.09

	alb.Inputs["internal"] = true
	assert.Zero(t, charges(estimate(t, alb), "public IPv4"), "an internal ALB has no public address")
}

func TestFlatMonthlyCharges(t *testing.T) {
	alarm := res(token.MetricAlarm, "api-cpu", map[string]any{"metricName": "CPUUtilization", "period": 300.0})
	rate := res(token.MetricAlarm, "alb-5xx-rate", map[string]any{"metricQueries": list(
		map[string]any{"id": "errors", "metric": map[string]any{"metricName": "HTTPCode_Target_5XX_Count", "period": 60.0}},
		map[string]any{"id": "requests", "metric": map[string]any{"metricName": "RequestCount", "period": 60.0}},
		map[string]any{"id": "rate", "expression": "100 * errors / requests", "returnData": true},
	)})
	fast := res(token.MetricAlarm, "fast", map[string]any{"period": 10.0})
	cases := []struct {
		name     string
		r        plan.Resource
		category string
		want     float64
	}{
		{"plain alarm: one metric", alarm, "alarm", 0.10},
		{"metric math: each metric, not the expression", rate, "alarm", 0.20},
		{"high resolution", fast, "alarm", 0.30},
		{"secret", res(token.Secret, "db-credentials", nil), "secret", 0.40},
		{"KMS key", res(token.KMSKey, "secrets-key", map[string]any{"enableKeyRotation": true}), "KMS key", 1.00},
		{"dashboard, counted although 3 per account are free", res(token.Dashboard, "overview", nil), "dashboard", 3.00},
		{"hosted zone", res(token.Route53Zone, "zone", nil), "Route 53", 0.50},
		{"ECR storage", res(token.ECRRepository, "api", nil), "ECR storage", 0.30},
		{"log group", res(token.LogGroup, "api-logs", map[string]any{"name": "/ecs/api", "retentionInDays": 30.0}), "logs", 0.53},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, line(t, estimate(t, c.r), c.category).Monthly)
		})
	}
	assert.Contains(t, line(t, estimate(t, rate), "alarm").Basis, "metric math: 2 metrics")
}

func TestRoute53RecordsAreFreeAndTheZoneIsNotOurs(t *testing.T) {
	e := estimate(t, res(token.Route53Record, "alias", map[string]any{"zoneId": "Z123"}))
	l := line(t, e, "no charge")
	assert.Zero(t, l.Monthly)
	assert.Contains(t, l.Basis, "edge.hostedZoneId, not created here")
}

func TestFreeTypesAreListedAndUnknownTypesAreFlagged(t *testing.T) {
	e := estimate(t,
		res(token.SecurityGroup, "a", nil),
		res(token.SecurityGroup, "b", nil),
		res("aws:shield/protection:Protection", "shield", nil),
		plan.Resource{Type: "arrakis:network:Network", Name: "arrakis"}, // a component: no line
	)
	free := line(t, e, "no charge")
	assert.Equal(t, "ec2/securityGroup × 2", free.Resource)
	assert.Equal(t, "no charge", free.Basis)
	assert.Equal(t, []string{"aws:shield/protection:Protection shield"}, e.Unpriced)
	assert.Contains(t, line(t, e, "not priced").Basis, "NOT PRICED")
	assert.Len(t, e.Lines, 2)
}

func TestTotalsAndBudget(t *testing.T) {
	e := estimate(t,
		vpc("Single", "us-east-1a", "us-east-1b"),
		res(token.Secret, "s", nil),
	)
	assert.Equal(t, 32.85+0.90+3.65+0.40, e.Total)
	assert.Equal(t, 0.90, e.Assumptions)
	assert.NoError(t, e.CheckBudget(), "no budget set")

	e.Budget = 37.80
	assert.NoError(t, e.CheckBudget(), "exactly at the budget is within it")
	e.Budget = 30
	err := e.CheckBudget()
	var over *cost.BudgetError
	require.ErrorAs(t, err, &over)
	assert.Equal(t, "stack test: the monthly estimate $37.80 exceeds the budget $30.00 (arrakis:cost.monthlyBudgetUsd) by $7.80", err.Error())

	var out bytes.Buffer
	require.NoError(t, e.WriteText(&out))
	assert.Contains(t, out.String(), "OVER BUDGET by $7.80")
	assert.Regexp(t, `Total\s+37\.80`, out.String())
	assert.Contains(t, out.String(), "assumption: 20 GB/month through each of 1 × $0.045/GB")
}

func TestCompareTwoStacks(t *testing.T) {
	a := estimate(t, vpc("OnePerAz", "us-east-1a", "us-east-1b"), res(token.KMSKey, "k", nil))
	a.Stack = "production"
	b := estimate(t, vpc("Single", "us-east-1a", "us-east-1b"), res(token.KMSKey, "k", nil))
	b.Stack = "staging"
	c := cost.Compare(a, b)
	assert.Equal(t, 32.85+3.65+0.90, c.Difference())
	var cats []string
	for _, d := range c.Lines {
		cats = append(cats, d.Category)
	}
	assert.Equal(t, []string{"NAT gateway", "NAT data", "public IPv4"}, cats, "the KMS key costs the same: not listed")
	var out bytes.Buffer
	require.NoError(t, c.WriteText(&out))
	assert.Contains(t, out.String(), "Monthly cost: production $75.80, staging $38.40; production − staging = +$37.40")
}
