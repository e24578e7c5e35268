package cost

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/arrakis/infrastructure/internal/plan"
)

// PricedPlan is a plan with its estimate. Its JSON is the plan's document
// with one more top-level field, "cost" (the Estimate); its text is the
// plan's text followed by the estimate's table.
type PricedPlan struct {
	*plan.Plan
	Cost *Estimate `json:"cost"`
}

// WriteText writes the plan, then its monthly cost estimate.
func (p *PricedPlan) WriteText(w io.Writer) error {
	if err := p.Plan.WriteText(w); err != nil {
		return err
	}
	if _, err := fmt.Fprintln(w); err != nil {
		return err
	}
	return p.Cost.WriteText(w)
}

// WriteJSON writes the plan's JSON document with the "cost" field.
func (p *PricedPlan) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}
