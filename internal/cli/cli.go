// Package cli is the program's offline command line: `go run . <command>`
// runs the same program `pulumi up` runs, under the mock engine, for a stack's
// config files, and reports on it. No AWS account, Pulumi CLI or network is
// needed.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/adopt"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/cost"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/policy"
	"github.com/arrakis/infrastructure/internal/stackfile"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the program or a check failed
	exitUsage = 2 // the command line was wrong
)

// command is one offline command.
type command struct {
	summary string
	run     func(env *env, args []string) error
}

var commands = map[string]command{
	"plan":    {"show what a stack would build and cost: plan --stack NAME [--json] [--diff OTHER] [--first-up] [--dir DIR]", runPlan},
	"cost":    {"monthly cost estimate; exits 1 above arrakis:cost.monthlyBudgetUsd: cost --stack NAME [--dir DIR]", runCost},
	"policy":  {"check a stack against the security and reliability policy: policy --stack NAME [--dir DIR]", runPolicy},
	"diagram": {"Mermaid architecture diagram of a stack: diagram --stack NAME [--dir DIR]", runDiagram},
	"readme":  {"rewrite README.md's generated blocks (diagram, cost): readme [--check] [--dir DIR]", runReadme},
	"adopt": {"take a running stack over from Terraform: adopt --stack NAME --tfstate FILE [--out FILE] [--json] [--write] [--sg-rules FILE] [--dir DIR]",
		runAdopt},
}

// Handles reports whether arg names an offline command; anything else is
// left to pulumi.Run.
func Handles(arg string) bool {
	_, ok := commands[arg]
	return ok || arg == "help" || arg == "-h" || arg == "--help"
}

// env is what a command works with.
type env struct {
	program pulumi.RunFunc
	stdout  io.Writer
	stderr  io.Writer
}

// usageError is a command line mistake.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Main runs the command in args and returns the process exit code.
func Main(args []string, program pulumi.RunFunc, stdout, stderr io.Writer) int {
	return dispatch(args, "Offline commands", commands, &env{program: program, stdout: stdout, stderr: stderr})
}

// dispatch runs the command args names from cmds and turns its error into
// a message and an exit code; with no command, or an unknown one, it lists
// cmds under title.
func dispatch(args []string, title string, cmds map[string]command, e *env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		writeUsage(e.stdout, title, cmds)
		return exitOK
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "unknown command %q\n", args[0])
		writeUsage(e.stderr, title, cmds)
		return exitUsage
	}
	stderr := e.stderr
	err := cmd.run(e, args[1:])
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "%s: %s\n", args[0], ue.msg)
		return exitUsage
	case adopt.IsInputError(err):
		fmt.Fprintf(stderr, "%s: %s\n", args[0], err)
		return exitUsage
	case errors.Is(err, errReplaces):
		fmt.Fprintf(stderr, "%s: %s: see REPLACE above; `adopt --write` keeps what Terraform made\n", args[0], err)
		return exitError
	default:
		fmt.Fprintf(stderr, "error: %s\n", clean(err))
		return exitError
	}
}

// writeUsage lists a program's offline commands under a title.
func writeUsage(w io.Writer, title string, cmds map[string]command) {
	fmt.Fprintf(w, "%s (no AWS account, no Pulumi CLI):\n", title)
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "Without a command the program runs under the Pulumi CLI (pulumi preview / up).")
}

// clean unwraps the engine's error list down to the program's own message.
func clean(err error) string {
	var ve *config.ValidationError
	if errors.As(err, &ve) {
		return ve.Error()
	}
	s := err.Error()
	s = strings.TrimPrefix(s, "1 error occurred:\n\t* ")
	return strings.TrimSpace(s)
}

// stackFlags are the flags every command takes.
type stackFlags struct {
	stack string
	dir   string
}

func newFlags(name string, env *env) (*flag.FlagSet, *stackFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	sf := &stackFlags{}
	fs.StringVar(&sf.stack, "stack", "", "the stack: its config is Pulumi.<stack>.yaml (required)")
	fs.StringVar(&sf.dir, "dir", ".", "the project directory (holding Pulumi.yaml)")
	return fs, sf
}

func parse(fs *flag.FlagSet, sf *stackFlags, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	if sf.stack == "" {
		return usageError{"--stack is required (e.g. --stack staging)"}
	}
	return nil
}

func runPlan(env *env, args []string) error {
	fs, sf := newFlags("plan", env)
	asJSON := fs.Bool("json", false, "write the plan as one JSON document")
	other := fs.String("diff", "", "compare with another stack, resource by resource")
	firstUp := fs.Bool("first-up", false, "show the stack's first `up`: no previous deployment, no image, no secret values (the services start at 0 tasks)")
	if err := parse(fs, sf, args); err != nil {
		return err
	}
	world := mock.Deployed()
	if *firstUp {
		world = mock.NewStack()
	}
	p, err := PlanIn(world, sf.dir, sf.stack, env.program)
	if err != nil {
		return err
	}
	if *other != "" {
		q, err := Plan(sf.dir, *other, env.program)
		if err != nil {
			return err
		}
		if err := plan.Compare(p.Plan, q.Plan).WriteText(env.stdout); err != nil {
			return err
		}
		if _, err := fmt.Fprintln(env.stdout); err != nil {
			return err
		}
		return cost.Compare(p.Cost, q.Cost).WriteText(env.stdout)
	}
	if *asJSON {
		return p.WriteJSON(env.stdout)
	}
	return p.WriteText(env.stdout)
}

// runPolicy prints the policy report of a stack and fails when a check
// finds a violation no written exception accepts.
func runPolicy(env *env, args []string) error {
	fs, sf := newFlags("policy", env)
	if err := parse(fs, sf, args); err != nil {
		return err
	}
	in, err := stackfile.Load(sf.dir, sf.stack)
	if err != nil {
		return err
	}
	p, err := plan.Build(in, env.program)
	if err != nil {
		return err
	}
	cfg, err := config.Parse(in)
	if err != nil {
		return err
	}
	rep := policy.Evaluate(p, policy.EnvOf(cfg))
	if err := rep.WriteText(env.stdout); err != nil {
		return err
	}
	if failed := rep.Failures(); len(failed) > 0 {
		ids := make([]string, len(failed))
		for i, f := range failed {
			ids[i] = f.Check.ID
		}
		return fmt.Errorf("%d policy check(s) failed on stack %s: %s", len(failed), sf.stack, strings.Join(ids, ", "))
	}
	return nil
}
