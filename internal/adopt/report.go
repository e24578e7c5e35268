package adopt

import (
	"encoding/json"
	"io"

	"github.com/arrakis/infrastructure/internal/textout"
)

// WriteJSON writes the report as one JSON document.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// WriteText writes the report for people: what is adopted with the changes
// the first `up` makes, what would be replaced, the conflicts, what only
// Terraform has, what the program creates, and what to do next.
func (r Report) WriteText(w io.Writer, importFile string) error {
	out := textout.New(w)
	p := out.Printf
	p("Taking Terraform state (%s) over into stack %s\n", r.State, r.Stack)

	p("\nADOPT %d: imported under the program's URNs; the first `up` changes them in place as listed\n", len(r.Adopt))
	for _, a := range r.Adopt {
		p("  %s\n    → %s  id %s\n", a.Address, a.URN, a.ID)
		for _, c := range a.Changes {
			p("      ~ %s\n", c)
		}
	}
	p("\nREPLACE %d: the first `up` would replace these", len(r.Replace))
	if len(r.Replace) > 0 {
		p(" — do not import before fixing (adopt --write keeps what Terraform made)")
	}
	p("\n")
	for _, x := range r.Replace {
		p("  %s\n    → %s\n", x.Address, x.URN)
		for _, a := range x.Attributes {
			p("      ± %s\n", a)
		}
	}
	p("\nCONFLICTS %d: the program would create what AWS already has\n", len(r.Conflicts))
	for _, c := range r.Conflicts {
		p("  %s\n    %s\n", c.URN, c.Reason)
	}
	p("\nTERRAFORM ONLY %d: not taken over, and what becomes of each in AWS\n", len(r.TerraformOnly))
	for _, l := range r.TerraformOnly {
		p("  %s\n    %s\n", l.Address, l.Reason)
	}
	p("\nCREATE %d: new with the first `up`\n", len(r.Create))
	for _, c := range r.Create {
		p("  %s\n", c.URN)
	}
	if len(r.Warnings) > 0 {
		p("\nBEFORE IMPORTING\n")
		for _, x := range r.Warnings {
			p("  - %s\n", x)
		}
	}
	p("\nNEXT (README, \"Migrating from Terraform\")\n")
	p("  pulumi import --file %s --protect --generate-code=false --stack %s\n", importFile, r.Stack)
	p("  make preview STACK=%s   # must show no replace and no delete\n", r.Stack)
	p("  then, in the Terraform working directory:\n")
	for _, a := range r.StateRemovals() {
		p("    terraform state rm '%s'\n", a)
	}
	p("\nSummary: %d adopted, %d replaced, %d conflicts, %d Terraform only, %d created\n",
		len(r.Adopt), len(r.Replace), len(r.Conflicts), len(r.TerraformOnly), len(r.Create))
	return out.Err()
}
