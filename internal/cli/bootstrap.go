package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/cost"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/policy"
	"github.com/arrakis/infrastructure/internal/stackfile"
)

// Bootstrap is the offline command line of the bootstrap program (`go run
// ./bootstrap <command>`): its plan, in the document `plan` writes for the
// stacks, and the policy suite's IAM checks on it, so its roles can be
// reviewed and checked before an administrator runs it. It has no arrakis
// config, so no budget and no other check applies.
type Bootstrap struct {
	// Project is the name its Pulumi.yaml gives it.
	Project string
	// Dir is where it lives, relative to the repository root; the commands
	// look there when the current directory is not the project.
	Dir     string
	Program pulumi.RunFunc
	// Exceptions are its departures from the IAM checks, each with a
	// reason.
	Exceptions []policy.Exception
}

func (b Bootstrap) commands() map[string]command {
	return map[string]command{
		"plan":   {"show offline what the stack would create: plan --stack NAME [--json] [--dir DIR]", b.runPlan},
		"policy": {"the policy suite's IAM checks on the stack's plan: policy --stack NAME [--dir DIR]", b.runPolicy},
	}
}

// Handles reports whether arg names one of its commands; anything else is
// left to pulumi.Run.
func (b Bootstrap) Handles(arg string) bool {
	_, ok := b.commands()[arg]
	return ok || arg == "help" || arg == "-h" || arg == "--help"
}

// Main runs the command in args and returns the process exit code.
func (b Bootstrap) Main(args []string, stdout, stderr io.Writer) int {
	return dispatch(args, "Offline commands of "+b.Project, b.commands(), &env{program: b.Program, stdout: stdout, stderr: stderr})
}

// dir is the project's directory: the one given, which must hold the
// project, or else the current directory or Dir, whichever holds it.
func (b Bootstrap) dir(given string) (string, error) {
	if given != "" {
		name, err := projectName(given)
		if err != nil {
			return "", usageError{err.Error()}
		}
		if name != b.Project {
			return "", usageError{fmt.Sprintf("--dir %s holds the project %s, not %s", given, name, b.Project)}
		}
		return given, nil
	}
	for _, d := range []string{".", b.Dir} {
		if name, err := projectName(d); err == nil && name == b.Project {
			return d, nil
		}
	}
	return "", usageError{fmt.Sprintf("the project %s is neither here nor in ./%s: run from the repository root or pass --dir", b.Project, b.Dir)}
}

// projectName is the name the Pulumi.yaml in dir gives its project.
func projectName(dir string) (string, error) {
	path := filepath.Join(dir, workspace.ProjectFile+".yaml")
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("no %s.yaml in %s", workspace.ProjectFile, dir)
	}
	p, err := workspace.LoadProject(path)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	return p.Name.String(), nil
}

// build parses the flags common to both commands and runs the program for
// the stack under the mock engine.
func (b Bootstrap) build(fs *flag.FlagSet, env *env, args []string) (*plan.Plan, error) {
	var stack, dir string
	fs.StringVar(&stack, "stack", "", "the stack: its config is Pulumi.<stack>.yaml (required)")
	fs.StringVar(&dir, "dir", "", "the project directory (default: . or ./"+b.Dir+", whichever holds "+b.Project+")")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return nil, usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	if stack == "" {
		return nil, usageError{"--stack is required (e.g. --stack shared)"}
	}
	d, err := b.dir(dir)
	if err != nil {
		return nil, err
	}
	in, err := stackfile.Load(d, stack)
	if err != nil {
		return nil, err
	}
	return plan.Build(in, env.program)
}

func (b Bootstrap) runPlan(env *env, args []string) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	asJSON := fs.Bool("json", false, "write the plan as one JSON document")
	p, err := b.build(fs, env, args)
	if err != nil {
		return err
	}
	e, err := cost.Of(p)
	if err != nil {
		return fmt.Errorf("estimating the cost of stack %s: %w", p.Stack, err)
	}
	pp := &cost.PricedPlan{Plan: p, Cost: e}
	if *asJSON {
		return pp.WriteJSON(env.stdout)
	}
	return pp.WriteText(env.stdout)
}

func (b Bootstrap) runPolicy(env *env, args []string) error {
	fs := flag.NewFlagSet("policy", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	p, err := b.build(fs, env, args)
	if err != nil {
		return err
	}
	rep := policy.EvaluateIAM(p, b.Exceptions)
	if err := rep.WriteText(env.stdout); err != nil {
		return err
	}
	if failed := rep.Failures(); len(failed) > 0 {
		ids := make([]string, len(failed))
		for i, f := range failed {
			ids[i] = f.Check.ID
		}
		return fmt.Errorf("%d IAM check(s) failed on %s/%s: %s", len(failed), p.Project, p.Stack, strings.Join(ids, ", "))
	}
	return nil
}
