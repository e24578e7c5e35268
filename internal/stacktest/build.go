package stacktest

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/mock"
)

// Build runs one domain's constructor for a stack under the mock and
// returns what it registered and the component it built.
func Build[T any](t testing.TB, stack string, build func(ctx *pulumi.Context) (T, error)) (*mock.Result, T) {
	t.Helper()
	var built T
	res := Run(t, stack, func(ctx *pulumi.Context) error {
		var err error
		built, err = build(ctx)
		return err
	})
	return res, built
}

// RejectsEach runs build once per named change of its arguments: each must
// fail before anything is registered, with an error that contains want.
func RejectsEach[A any](t *testing.T, stack string, args func() *A, changes map[string]func(*A), want string,
	build func(ctx *pulumi.Context, a *A) error) {
	t.Helper()
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			a := args()
			change(a)
			err := Rejected(t, stack, func(ctx *pulumi.Context) error { return build(ctx, a) })
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %v does not contain %q", name, err, want)
			}
		})
	}
}

// EachStack runs test as a subtest for each of the repository's stacks.
func EachStack(t *testing.T, test func(t *testing.T, stack string)) {
	t.Helper()
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) { test(t, stack) })
	}
}
