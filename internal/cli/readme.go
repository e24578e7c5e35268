package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/cost"
	"github.com/arrakis/infrastructure/internal/diagram"
	"github.com/arrakis/infrastructure/internal/plan"
)

// ReadmeStacks are the stacks README.md describes; the diagram is drawn
// from the first.
var ReadmeStacks = []string{"production", "staging"}

// ReadmeBlocks generates the parts of README.md that come from the
// program, by block name: "diagram" (the architecture of production) and
// "cost" (the estimate of every README stack).
func ReadmeBlocks(dir string, program pulumi.RunFunc) (map[string]string, error) {
	var estimates []*cost.Estimate
	var first *plan.Plan
	for _, stack := range ReadmeStacks {
		pp, err := Plan(dir, stack, program)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = pp.Plan
		}
		estimates = append(estimates, pp.Cost)
	}
	return map[string]string{
		"diagram": "```mermaid\n" + diagram.Mermaid(first) + "```\n",
		"cost":    cost.Markdown(estimates...),
	}, nil
}

// ReplaceBlock puts content between the markers <!-- name:start --> and
// <!-- name:end --> of doc.
func ReplaceBlock(doc, name, content string) (string, error) {
	start, end := "<!-- "+name+":start -->", "<!-- "+name+":end -->"
	i, j := strings.Index(doc, start), strings.Index(doc, end)
	if i < 0 || j < i {
		return "", fmt.Errorf("README.md has no %s … %s block", start, end)
	}
	return doc[:i+len(start)] + "\n\n" + content + "\n" + doc[j:], nil
}

// runReadme rewrites README.md's generated blocks, or with --check fails
// when they are out of date.
func runReadme(env *env, args []string) error {
	fs := flag.NewFlagSet("readme", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	dir := fs.String("dir", ".", "the project directory (holding Pulumi.yaml and README.md)")
	check := fs.Bool("check", false, "only check that README.md is current")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	path := filepath.Join(*dir, "README.md")
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	blocks, err := ReadmeBlocks(*dir, env.program)
	if err != nil {
		return err
	}
	doc := string(data)
	for _, name := range []string{"diagram", "cost"} {
		if doc, err = ReplaceBlock(doc, name, blocks[name]); err != nil {
			return err
		}
	}
	if doc == string(data) {
		fmt.Fprintf(env.stdout, "%s is current\n", path)
		return nil
	}
	if *check {
		return fmt.Errorf("%s is out of date: what the program builds or costs changed; run make readme and review the diff", path)
	}
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "rewrote the generated blocks of %s\n", path)
	return nil
}

// runDiagram prints a stack's architecture as a Mermaid flowchart.
func runDiagram(env *env, args []string) error {
	fs, sf := newFlags("diagram", env)
	if err := parse(fs, sf, args); err != nil {
		return err
	}
	p, err := plan.ForStack(sf.dir, sf.stack, env.program)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(env.stdout, diagram.Mermaid(p))
	return err
}
