package cost

import (
	"fmt"
	"io"
	"strings"

	"github.com/arrakis/infrastructure/internal/textout"
)

// BudgetKey is the config key the budget comes from.
const BudgetKey = "arrakis:cost.monthlyBudgetUsd"

// WriteText prints the estimate as a table — resource, what is charged,
// basis, dollars a month — then the total, the budget when set, and the
// notes.
func (e *Estimate) WriteText(w io.Writer) error {
	out := textout.New(w)
	out.Printf("Monthly cost estimate of stack %s: %s prices of %s, %s h a month, %s\n",
		e.Stack, e.Region, e.PricesAsOf, num(e.HoursPerMonth), e.Currency)
	rows := [][]string{{"RESOURCE", "CHARGE", "BASIS", "$/MONTH"}}
	for _, l := range e.Lines {
		rows = append(rows, []string{l.Resource, l.Category, l.Basis, fmt.Sprintf("%.2f", l.Monthly)})
	}
	widths := columnWidths(rows)
	for _, r := range rows {
		out.Printf("  %s  %s  %s  %s\n", pad(r[0], widths[0]), pad(r[1], widths[1]), pad(r[2], widths[2]), lpad(r[3], widths[3]))
	}
	labelWidth := widths[0] + widths[1] + widths[2] + 4
	out.Printf("  %s  %s\n", pad("Total", labelWidth), lpad(fmt.Sprintf("%.2f", e.Total), widths[3]))
	out.Printf("  %s  %s\n", pad("  of which assumed usage (lines marked \"assumption\")", labelWidth),
		lpad(fmt.Sprintf("%.2f", e.Assumptions), widths[3]))
	if e.Budget > 0 {
		verdict := fmt.Sprintf("within budget, %s to spare", money(cents(e.Budget-e.Total)))
		if e.OverBudget() {
			verdict = fmt.Sprintf("OVER BUDGET by %s", money(cents(e.Total-e.Budget)))
		}
		out.Printf("  %s  %s  %s\n", pad("Budget ("+BudgetKey+")", labelWidth),
			lpad(fmt.Sprintf("%.2f", e.Budget), widths[3]), verdict)
	}
	if len(e.Unpriced) > 0 {
		out.Printf("\nNOT PRICED (%d): the cost model does not know these types; the total leaves them out:\n", len(e.Unpriced))
		for _, u := range e.Unpriced {
			out.Printf("  - %s\n", u)
		}
	}
	if len(e.Notes) > 0 {
		out.Printf("\nNotes (not in the total):\n")
		for _, n := range e.Notes {
			out.Printf("  - %s\n", n)
		}
	}
	return out.Err()
}

// BudgetError is an estimate above its stack's budget.
type BudgetError struct {
	Stack         string
	Total, Budget float64
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("stack %s: the monthly estimate %s exceeds the budget %s (%s) by %s",
		e.Stack, money(e.Total), money(e.Budget), BudgetKey, money(cents(e.Total-e.Budget)))
}

// CheckBudget returns a *BudgetError when the estimate is over its budget.
func (e *Estimate) CheckBudget() error {
	if e.OverBudget() {
		return &BudgetError{Stack: e.Stack, Total: e.Total, Budget: e.Budget}
	}
	return nil
}

// columnWidths are the widths, in runes, of the columns of rows.
func columnWidths(rows [][]string) []int {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	return widths
}

func pad(s string, n int) string  { return s + strings.Repeat(" ", max(0, n-len([]rune(s)))) }
func lpad(s string, n int) string { return strings.Repeat(" ", max(0, n-len([]rune(s)))) + s }
