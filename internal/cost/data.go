package cost

import (
	"fmt"

	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/rdsclass"
)

// priceRDS prices a PostgreSQL instance: its class by the hour and its gp3
// storage, both doubled by Multi-AZ (a standby of the same class with its
// own copy of the storage).
func priceRDS(_ *index, r plan.Resource) ([]Line, []string, error) {
	if e := r.Str("engine"); e != "postgres" {
		return nil, nil, fmt.Errorf("engine %q has no prices (PostgreSQL only)", e)
	}
	class := r.Str("instanceClass")
	c, ok := rdsclass.Lookup(class)
	if !ok {
		return nil, nil, fmt.Errorf("instance class %q has no price in internal/rdsclass", class)
	}
	hourly := c.HourlyUSD
	if st := r.Str("storageType"); st != "gp3" {
		return nil, nil, fmt.Errorf("storage type %q has no price (gp3 only)", st)
	}
	gb, err := intInput(r, "allocatedStorage", 0)
	if err != nil {
		return nil, nil, err
	}
	copies, az := 1.0, "single-AZ"
	if r.IsTrue("multiAz") {
		copies, az = 2, "Multi-AZ: × 2"
	}
	lines := []Line{
		{
			Resource: label(r), Category: categoryRDS,
			Basis:   fmt.Sprintf("%s %s × $%s (%s)", class, hours, num(hourly), az),
			Monthly: cents(copies * HoursPerMonth * hourly),
		},
		{
			Resource: label(r), Category: categoryRDSStorage,
			Basis:   fmt.Sprintf("%d GB gp3 × $%s/GB-month (%s)", gb, num(rdsGP3GBMonth), az),
			Monthly: cents(copies * float64(gb) * rdsGP3GBMonth),
		},
	}
	notes := []string{r.Name + ": automated backups up to the size of the database's storage are free; snapshots beyond it are not counted."}
	if maxGB, _ := intInput(r, "maxAllocatedStorage", 0); maxGB > gb {
		notes = append(notes, fmt.Sprintf("%s: storage autoscaling may grow it to %d GB, %s more a month at the ceiling.",
			r.Name, maxGB, money(cents(copies*float64(maxGB-gb)*rdsGP3GBMonth))))
	}
	return lines, notes, nil
}

// priceRedis prices a replication group's nodes (primary plus replicas).
func priceRedis(_ *index, r plan.Resource) ([]Line, []string, error) {
	nodeType := r.Str("nodeType")
	hourly, ok := elastiCacheHour[nodeType]
	if !ok {
		return nil, nil, fmt.Errorf("node type %q has no price in internal/cost/prices.go", nodeType)
	}
	if _, sharded := r.Inputs["numNodeGroups"]; sharded {
		return nil, nil, fmt.Errorf("cluster mode (numNodeGroups) is not modelled")
	}
	nodes, err := intInput(r, "numCacheClusters", 1)
	if err != nil {
		return nil, nil, err
	}
	return []Line{{
		Resource: label(r), Category: categoryRedis,
		Basis:   fmt.Sprintf("%d × %s %s × $%s", nodes, nodeType, hours, num(hourly)),
		Monthly: cents(float64(nodes) * HoursPerMonth * hourly),
	}}, nil, nil
}
