package policy

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/arrakis/infrastructure/internal/textout"
)

// WriteText renders the report as a table grouped by status — FAIL,
// ACCEPTED, PASS, N/A — then the stale exceptions and a summary line.
func (r *Report) WriteText(w io.Writer) error {
	tier := "ephemeral"
	if r.Env.Production {
		tier = "production"
	}
	out := textout.New(w)
	out.Printf("Policy report for %s/%s (tier %s): %d checks\n", r.Project, r.Stack, tier, len(r.Results))

	for _, st := range []Status{StatusFail, StatusAccepted, StatusPass, StatusNA} {
		var rows [][]string
		for _, res := range r.Results {
			if res.Status == st {
				rows = append(rows, resultRows(res)...)
			}
		}
		if len(rows) == 0 {
			continue
		}
		out.Printf("\n%s\n", st)
		tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  CHECK\tSEVERITY\tANCHORS\tRESOURCE\tMESSAGE")
		for _, row := range rows {
			fmt.Fprintln(tw, "  "+strings.Join(row, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	if len(r.Stale) > 0 {
		out.Printf("\nSTALE EXCEPTIONS (they excuse nothing any more: remove them from internal/policy/exceptions.go)\n")
		for _, e := range r.Stale {
			out.Printf("  %s  %s (owner: %s)\n", e.Check, e.Reason, e.Owner)
		}
	}

	out.Printf("\nSummary: %d FAIL, %d ACCEPTED, %d PASS, %d N/A; %d stale exceptions — %s\n",
		r.Count(StatusFail), r.Count(StatusAccepted), r.Count(StatusPass), r.Count(StatusNA), len(r.Stale), r.verdict())
	return out.Err()
}

func (r *Report) verdict() string {
	if r.OK() {
		return "OK"
	}
	return "violations must be fixed or written down as exceptions"
}

// resultRows are the table rows of one result: one per finding, or one for
// the check itself when it passed or does not apply.
func resultRows(res Result) [][]string {
	c := res.Check
	head := []string{c.ID, string(c.Severity), strings.Join(c.Anchors, " ")}
	var rows [][]string
	for _, f := range res.Findings {
		rows = append(rows, append(head[:3:3], resource(f), f.Message))
	}
	for _, a := range res.Accepted {
		accepted := "accepted"
		if len(a.Exception.Covers) > 0 {
			accepted += " (covers " + strings.Join(a.Exception.Covers, ", ") + ")"
		}
		msg := fmt.Sprintf("%s — %s: %s (owner: %s)", a.Message, accepted, a.Exception.Reason, a.Exception.Owner)
		if a.Exception.Condition != "" {
			msg += " [while " + a.Exception.Condition + "]"
		}
		rows = append(rows, append(head[:3:3], resource(a.Finding), msg))
	}
	switch res.Status {
	case StatusPass:
		rows = append(rows, append(head[:3:3], fmt.Sprintf("%d %s", res.Subjects, c.Subjects), c.Title))
	case StatusNA:
		rows = append(rows, append(head[:3:3], "-", c.Title+" ("+res.Reason+")"))
	}
	return rows
}

func resource(f Finding) string {
	if f.Type == "" {
		return f.Name
	}
	return f.Type + " " + f.Name
}
