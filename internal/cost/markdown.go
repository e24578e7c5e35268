package cost

import (
	"fmt"
	"strings"
)

// Markdown summarises estimates side by side, one row per charge category,
// for README.md: the figures come from the model, never typed by hand.
func Markdown(estimates ...*Estimate) string {
	var b strings.Builder
	b.WriteString("| Charge |")
	for _, e := range estimates {
		fmt.Fprintf(&b, " %s |", e.Stack)
	}
	b.WriteString("\n|---|")
	for range estimates {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	sums := make([]map[string]float64, len(estimates))
	assumed := map[string]bool{}
	for i, e := range estimates {
		sums[i] = map[string]float64{}
		for _, l := range e.Lines {
			sums[i][l.Category] += l.Monthly
			if l.Assumption {
				assumed[l.Category] = true
			}
		}
	}
	for _, c := range categoryOrder {
		if c == categoryFree {
			continue
		}
		present := false
		for i := range estimates {
			if _, ok := sums[i][c]; ok {
				present = true
			}
		}
		if !present {
			continue
		}
		name := c
		if assumed[c] {
			name += " (assumption)"
		}
		fmt.Fprintf(&b, "| %s |", name)
		for i := range estimates {
			fmt.Fprintf(&b, " %s |", money(cents(sums[i][c])))
		}
		b.WriteString("\n")
	}
	row := func(name string, value func(*Estimate) string) {
		fmt.Fprintf(&b, "| %s |", name)
		for _, e := range estimates {
			fmt.Fprintf(&b, " %s |", value(e))
		}
		b.WriteString("\n")
	}
	row("**Total a month**", func(e *Estimate) string { return "**" + money(e.Total) + "**" })
	row("of which assumed usage", func(e *Estimate) string { return money(e.Assumptions) })
	row("Budget (`cost.monthlyBudgetUsd`)", func(e *Estimate) string {
		if e.Budget == 0 {
			return "—"
		}
		return money(e.Budget)
	})
	row("Resources not priced", func(e *Estimate) string { return fmt.Sprint(len(e.Unpriced)) })
	return b.String()
}
