// Package rdsclass is the one table of the RDS instance classes this
// program runs PostgreSQL on: each class's memory and hourly price. Config
// accepts exactly these classes (an unknown one is an error naming
// arrakis:database.instanceClass before anything runs), the cost model
// prices them, and the connections alarm derives max_connections from
// their memory.
package rdsclass

import (
	"fmt"
	"sort"
	"strings"
)

// Class is one instance class.
type Class struct {
	Name      string
	MemoryGiB float64
	// HourlyUSD is the single-AZ, on-demand hourly price of RDS for
	// PostgreSQL in us-east-1; Multi-AZ (one standby) doubles it.
	HourlyUSD float64
}

// PricesAsOf is when the prices were taken: db.t3.micro, small and medium
// are the team's reference figures; the others are AWS's public us-east-1
// price list as commonly published, not re-checked from this machine (it
// has no internet). Re-check before relying on a total to the dollar.
const PricesAsOf = "2026-11-26"

// burstable are the t classes by size: memory GiB and price per family.
var burstable = map[string]struct {
	mem   float64
	price map[string]float64
}{
	"micro":   {1, map[string]float64{"t3": 0.018, "t4g": 0.016}},
	"small":   {2, map[string]float64{"t3": 0.036, "t4g": 0.032}},
	"medium":  {4, map[string]float64{"t3": 0.072, "t4g": 0.065}},
	"large":   {8, map[string]float64{"t3": 0.145, "t4g": 0.129}},
	"xlarge":  {16, map[string]float64{"t3": 0.29, "t4g": 0.258}},
	"2xlarge": {32, map[string]float64{"t3": 0.579, "t4g": 0.517}},
}

// scaled are the general-purpose (m) and memory-optimised (r) families: the
// memory and price of their .large size; larger sizes scale both.
var scaled = map[string]struct{ mem, price float64 }{
	"m5": {8, 0.178}, "m6g": {8, 0.159}, "m6i": {8, 0.178}, "m7g": {8, 0.168},
	"r5": {16, 0.25}, "r6g": {16, 0.225}, "r6i": {16, 0.25}, "r7g": {16, 0.239},
}

var sizes = map[string]float64{"large": 1, "xlarge": 2, "2xlarge": 4, "4xlarge": 8, "8xlarge": 16, "12xlarge": 24, "16xlarge": 32}

var classes = func() map[string]Class {
	m := map[string]Class{}
	for size, b := range burstable {
		for family, price := range b.price {
			name := "db." + family + "." + size
			m[name] = Class{Name: name, MemoryGiB: b.mem, HourlyUSD: price}
		}
	}
	for family, f := range scaled {
		for size, factor := range sizes {
			name := "db." + family + "." + size
			m[name] = Class{Name: name, MemoryGiB: f.mem * factor, HourlyUSD: round(f.price * factor)}
		}
	}
	return m
}()

func round(x float64) float64 { return float64(int64(x*10000+0.5)) / 10000 }

// Lookup is the class of a name.
func Lookup(name string) (Class, bool) {
	c, ok := classes[name]
	return c, ok
}

// Must is the class of a name the config has validated.
func Must(name string) (Class, error) {
	c, ok := classes[name]
	if !ok {
		return Class{}, fmt.Errorf("unknown RDS instance class %q: config accepts only the classes of internal/rdsclass", name)
	}
	return c, nil
}

// Families describes the known classes, for error messages.
func Families() string {
	var t, ms []string
	for f := range scaled {
		ms = append(ms, "db."+f)
	}
	sort.Strings(ms)
	for _, f := range []string{"t3", "t4g"} {
		t = append(t, "db."+f)
	}
	return strings.Join(t, " and ") + " from micro to 2xlarge, " + strings.Join(ms, ", ") + " from large to 16xlarge"
}
