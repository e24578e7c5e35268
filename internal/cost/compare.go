package cost

import (
	"fmt"
	"io"
	"sort"

	"github.com/arrakis/infrastructure/internal/textout"
)

// Comparison is the cost difference between two stacks' estimates.
type Comparison struct {
	A, B           string
	TotalA, TotalB float64
	// Lines are the charges whose dollars differ, in the estimates' order.
	Lines []Delta
}

// Delta is one charge in either stack; 0 where a stack does not have it.
type Delta struct {
	Resource, Category string
	A, B               float64
}

// Difference is A's total minus B's.
func (c *Comparison) Difference() float64 { return cents(c.TotalA - c.TotalB) }

// Compare lines up two estimates charge by charge (resource and category).
func Compare(a, b *Estimate) *Comparison {
	c := &Comparison{A: a.Stack, B: b.Stack, TotalA: a.Total, TotalB: b.Total}
	type key struct{ resource, category string }
	amounts := map[key]*Delta{}
	var order []key
	add := func(l Line, side func(*Delta, float64)) {
		k := key{l.Resource, l.Category}
		d, ok := amounts[k]
		if !ok {
			d = &Delta{Resource: l.Resource, Category: l.Category}
			amounts[k] = d
			order = append(order, k)
		}
		side(d, l.Monthly)
	}
	for _, l := range a.Lines {
		add(l, func(d *Delta, v float64) { d.A += v })
	}
	for _, l := range b.Lines {
		add(l, func(d *Delta, v float64) { d.B += v })
	}
	for _, k := range order {
		if d := amounts[k]; cents(d.A) != cents(d.B) {
			c.Lines = append(c.Lines, *d)
		}
	}
	sort.SliceStable(c.Lines, func(i, j int) bool { return rank(c.Lines[i].Category) < rank(c.Lines[j].Category) })
	return c
}

// WriteText prints both totals, the difference and the charges behind it.
func (c *Comparison) WriteText(w io.Writer) error {
	out := textout.New(w)
	diff := c.Difference()
	sign := "+"
	if diff < 0 {
		sign = "-"
	}
	out.Printf("Monthly cost: %s %s, %s %s; %s − %s = %s%s\n",
		c.A, money(c.TotalA), c.B, money(c.TotalB), c.A, c.B, sign, money(abs(diff)))
	if len(c.Lines) == 0 {
		return out.Err()
	}
	rows := [][]string{{"RESOURCE", "CHARGE", c.A, c.B, "DIFFERENCE"}}
	for _, d := range c.Lines {
		rows = append(rows, []string{d.Resource, d.Category,
			fmt.Sprintf("%.2f", d.A), fmt.Sprintf("%.2f", d.B), fmt.Sprintf("%+.2f", cents(d.A-d.B))})
	}
	widths := columnWidths(rows)
	for _, r := range rows {
		out.Printf("  %s  %s  %s  %s  %s\n", pad(r[0], widths[0]), pad(r[1], widths[1]),
			lpad(r[2], widths[2]), lpad(r[3], widths[3]), lpad(r[4], widths[4]))
	}
	return out.Err()
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// String summarises the comparison on one line.
func (c *Comparison) String() string {
	return fmt.Sprintf("%s %s vs %s %s", c.A, money(c.TotalA), c.B, money(c.TotalB))
}
