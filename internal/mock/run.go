package mock

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/arrakis/infrastructure/internal/config"
)

// Organization is the organization a stack belongs to on Pulumi's S3
// backend, the one the program runs on.
const Organization = "organization"

// Value is an awaited output.
type Value struct {
	Value  any
	Known  bool
	Secret bool
}

// Result is what one run of a program registered and exported.
type Result struct {
	*Recorder
	Outputs map[string]Value
}

// env guards the process environment: pulumi.RunErr reads the stack config
// from PULUMI_CONFIG, so runs take turns.
var env sync.Mutex

// Run runs program under the mock engine for the stack described by in,
// exactly as `pulumi up` would run it, and returns what it registered.
// The recorder answers for the stack's aws:region.
func Run(in config.Input, program pulumi.RunFunc) (*Result, error) {
	return RunWith(NewRecorder(in.Project, in.Stack, RegionOf(in)), in, program)
}

// RunWith is Run with a prepared recorder (for instance one that fails on
// chosen resources).
func RunWith(rec *Recorder, in config.Input, program pulumi.RunFunc) (*Result, error) {
	values, err := json.Marshal(in.Values)
	if err != nil {
		return nil, err
	}
	var secretKeys []string
	for k, s := range in.Secret {
		if s {
			secretKeys = append(secretKeys, k)
		}
	}
	sort.Strings(secretKeys)
	secrets, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}

	env.Lock()
	defer env.Unlock()
	// The run's image tag is the Input's, never the caller's environment,
	// so a plan does not change with the shell it runs in.
	restore := setenv(map[string]string{
		pulumi.EnvConfig:           string(values),
		pulumi.EnvConfigSecretKeys: string(secrets),
		config.ImageTagEnv:         in.ImageTag,
	})
	defer restore()

	var exports map[string]pulumi.Input
	body := func(ctx *pulumi.Context) error {
		err := program(ctx)
		exports = ctx.GetCurrentExportMap()
		return err
	}
	res := &Result{Recorder: rec, Outputs: map[string]Value{}}
	if err := pulumi.RunErr(body, pulumi.WithMocksWithOrganization(Organization, in.Project, in.Stack, rec)); err != nil {
		return res, err
	}
	for name, in := range exports {
		v, err := Await(pulumi.ToOutput(in))
		if err != nil {
			return res, fmt.Errorf("awaiting output %s: %w", name, err)
		}
		res.Outputs[name] = v
	}
	return res, nil
}

// Await waits for an output and returns its value, whether it is known and
// whether it is secret.
func Await(o pulumi.Output) (Value, error) {
	r, err := internals.UnsafeAwaitOutput(context.Background(), o)
	if err != nil {
		return Value{}, err
	}
	return Value{Value: r.Value, Known: r.Known, Secret: r.Secret}, nil
}

func setenv(vars map[string]string) (restore func()) {
	old := map[string]*string{}
	for k, v := range vars {
		if prev, ok := os.LookupEnv(k); ok {
			old[k] = &prev
		} else {
			old[k] = nil
		}
		os.Setenv(k, v)
	}
	return func() {
		for k, v := range old {
			if v == nil {
				os.Unsetenv(k)
			} else {
				os.Setenv(k, *v)
			}
		}
	}
}

// RegionOf is the stack's aws:region, us-east-1 when it names none.
func RegionOf(in config.Input) string {
	if r := in.Values[config.RegionKey]; r != "" {
		return r
	}
	return "us-east-1"
}
