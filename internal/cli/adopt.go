package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/adopt"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
	"github.com/arrakis/infrastructure/internal/stackfile"
)

// errReplaces makes `adopt` exit 1: something adopted would be replaced.
var errReplaces = errors.New("adopting as configured would replace running resources")

// runAdopt matches a Terraform state to the stack and writes the import
// file. Exit 0 when nothing adopted would be replaced, 1 otherwise, 2 for
// a state it cannot use.
func runAdopt(env *env, args []string) error {
	fs, sf := newFlags("adopt", env)
	tfstate := fs.String("tfstate", "", "the Terraform state, as `terraform state pull` prints it (required)")
	out := fs.String("out", "", "where to write the import file (default pulumi-import-<stack>.json); written mode 0600")
	asJSON := fs.Bool("json", false, "write the report as JSON")
	write := fs.Bool("write", false, "record in Pulumi.<stack>.yaml, under arrakis:adopted, what must stay as Terraform made it")
	rulesFile := fs.String("sg-rules", "", "the output of `aws ec2 describe-security-group-rules` for the state's groups, to import the rules Terraform wrote inline")
	if err := parse(fs, sf, args); err != nil {
		return err
	}
	if *tfstate == "" {
		return usageError{"--tfstate is required (terraform state pull > tfstate.json)"}
	}
	st, err := adopt.ReadState(*tfstate)
	if err != nil {
		return err
	}
	opts := adopt.Options{AwsxVersion: awsxVersion()}
	if *rulesFile != "" {
		if opts.Rules, err = adopt.ReadRules(*rulesFile); err != nil {
			return err
		}
	}
	if *write {
		path := filepath.Join(sf.dir, "Pulumi."+sf.stack+".yaml")
		origin := fmt.Sprintf("go run . adopt --write, from Terraform state lineage %s serial %d", st.Lineage, st.Serial)
		if err := st.CheckEnvironment(sf.stack); err != nil {
			return err
		}
		if err := adopt.WriteStackFile(path, adopt.Derive(st, sf.stack), origin); err != nil {
			return fmt.Errorf("recording the adopted settings: %w", err)
		}
		fmt.Fprintf(env.stderr, "adopt: wrote arrakis:adopted to %s\n", path)
	}

	prog, err := programOf(sf.dir, sf.stack, env.program)
	if err != nil {
		return err
	}
	res, err := adopt.Adopt(st, sf.stack, prog, opts)
	if err != nil {
		return err
	}
	path := *out
	if path == "" {
		path = "pulumi-import-" + sf.stack + ".json"
	}
	b, err := res.Import.JSON()
	if err != nil {
		return err
	}
	// It may hold the generated passwords (their import id is the value).
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return err
	}
	if *asJSON {
		err = res.Report.WriteJSON(env.stdout)
	} else {
		err = res.Report.WriteText(env.stdout, path)
	}
	if err != nil {
		return err
	}
	if !res.Report.OK() {
		return errReplaces
	}
	return nil
}

// programOf runs the program for a stack as it stands in the steady state
// and keeps what adopt needs besides the plan: the mock's outputs, and the
// route tables looked up per subnet.
func programOf(dir, stack string, program pulumi.RunFunc) (adopt.Program, error) {
	in, err := stackfile.Load(dir, stack)
	if err != nil {
		return adopt.Program{}, err
	}
	res, err := mock.RunWith(plan.NewRecorder(mock.Deployed(), in), in, program)
	if err != nil {
		return adopt.Program{}, err
	}
	p := adopt.Program{Plan: plan.FromResult(res), Outputs: map[string]map[string]any{}, RouteTables: map[string]string{}}
	for _, r := range res.Resources() {
		p.Outputs[r.URN] = mock.Revealed(r.Outputs)
	}
	for _, inv := range res.Invokes() {
		if inv.Token == token.GetRouteTable && inv.Result != nil {
			rt, _ := inv.Result["routeTableId"].V.(string)
			subnet, _ := inv.Args["subnetId"].V.(string)
			p.RouteTables[rt] = subnet
		}
	}
	return p, nil
}

// awsxVersion is the version of the awsx package the program is built
// with, for the import file's remote component.
func awsxVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/pulumi/pulumi-awsx/sdk/v2" {
				return d.Version[1:]
			}
		}
	}
	return "2.22.0"
}
