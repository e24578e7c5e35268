// Package textout is how the offline commands write their text reports
// (the plan, its comparison, the cost estimate, the policy report, the
// Terraform adoption): line after line to an io.Writer, keeping the first
// write error, so a report is written without an error check per line and
// returns that one error at the end.
package textout

import (
	"fmt"
	"io"
)

// Writer writes to w until a write fails; after that it writes nothing and
// Err returns the failure.
type Writer struct {
	w   io.Writer
	err error
}

// New writes to w.
func New(w io.Writer) *Writer { return &Writer{w: w} }

// Printf writes formatted text.
func (t *Writer) Printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

// Write makes a Writer an io.Writer, for a tabwriter over a report.
func (t *Writer) Write(p []byte) (int, error) {
	if t.err != nil {
		return 0, t.err
	}
	var n int
	n, t.err = t.w.Write(p)
	return n, t.err
}

// Err is the first write error, nil when every write succeeded.
func (t *Writer) Err() error { return t.err }
