package textout_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/arrakis/infrastructure/internal/textout"
)

// failAfter accepts n writes, then fails every one.
type failAfter struct {
	n     int
	lines []string
}

var errFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	if len(f.lines) == f.n {
		return 0, errFull
	}
	f.lines = append(f.lines, string(p))
	return len(p), nil
}

func TestWriterKeepsTheFirstErrorAndStopsWriting(t *testing.T) {
	var b strings.Builder
	out := textout.New(&b)
	out.Printf("%s %d\n", "a", 1)
	fmt.Fprintf(out, "b\n")
	assert.NoError(t, out.Err())
	assert.Equal(t, "a 1\nb\n", b.String())

	dst := &failAfter{n: 1}
	out = textout.New(dst)
	out.Printf("first\n")
	out.Printf("second\n")
	_, err := out.Write([]byte("third\n"))
	out.Printf("fourth\n")
	assert.ErrorIs(t, err, errFull)
	assert.ErrorIs(t, out.Err(), errFull)
	assert.Equal(t, []string{"first\n"}, dst.lines, "nothing is written after the first failure")
}
