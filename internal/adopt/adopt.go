// Package adopt takes a running stack over from Terraform: it matches every
// instance of a Terraform state to what this program registers for the
// stack (the offline plan, the awsx VPC's children included), writes the
// `pulumi import --file` document that adopts the running resources under
// the program's URNs, derives the arrakis:adopted settings that keep what
// must stay as Terraform made it, and reports what would be adopted, what
// replaced, what only Terraform has and what the program creates.
package adopt

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/arrakis/infrastructure/internal/naming"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// Report is what adopting a state into a stack does.
type Report struct {
	Stack string `json:"stack"`
	// State names the state: its lineage and serial.
	State         string     `json:"state"`
	Adopt         []Adopted  `json:"adopt"`
	Replace       []Replaced `json:"replace"`
	TerraformOnly []Left     `json:"terraformOnly"`
	Create        []Created  `json:"create"`
	// Conflicts are resources the program would create that AWS already
	// has outside the state (security group rules Terraform kept inline):
	// they must be imported by id before `up`, or `up` fails on them.
	Conflicts []Conflict `json:"conflicts"`
	// Warnings are things to know before importing.
	Warnings []string `json:"warnings"`
}

// Adopted is a running resource the import takes over.
type Adopted struct {
	Address string `json:"address"`
	URN     string `json:"urn"`
	Type    string `json:"type"`
	ID      string `json:"id"`
	// Changes are the in-place updates the first `up` makes to it.
	Changes []string `json:"changes"`
}

// Replaced is a running resource the first `up` would replace.
type Replaced struct {
	Address    string   `json:"address"`
	URN        string   `json:"urn"`
	Attributes []string `json:"attributes"`
}

// Left is a Terraform instance the program does not take over.
type Left struct {
	Address string `json:"address"`
	Reason  string `json:"reason"`
}

// Created is a resource the program creates new.
type Created struct {
	URN  string `json:"urn"`
	Type string `json:"type"`
}

// Conflict is a creation AWS would refuse.
type Conflict struct {
	URN    string `json:"urn"`
	Type   string `json:"type"`
	Reason string `json:"reason"`
}

// Result is a report with the import file that goes with it.
type Result struct {
	Report Report
	Import ImportFile
}

// OK reports whether nothing adopted would be replaced.
func (r Report) OK() bool { return len(r.Replace) == 0 }

// Options are what the command adds to the state and the program.
type Options struct {
	// Rules is the account's security group rules, as `aws ec2
	// describe-security-group-rules` prints them, to import the rules
	// Terraform kept inline; nil when not given.
	Rules *SecurityGroupRules
	// AwsxVersion is the awsx package version the program uses.
	AwsxVersion string
}

// Adopt matches a state to the program of a stack.
func Adopt(st *State, stack string, p Program, opts Options) (*Result, error) {
	if err := st.CheckEnvironment(stack); err != nil {
		return nil, err
	}
	x := newTargets(p)
	if x.vpc == nil {
		return nil, fmt.Errorf("the plan of stack %s has no awsx VPC", stack)
	}
	x.prefix = naming.New(stack).Prefix()
	m := &matcher{st: st, objs: st.Objects(), x: x, stack: stack}
	ms, ls := m.match()
	tr := newTranslator(ms, m)
	m.translator = tr

	rep := Report{Stack: stack, State: fmt.Sprintf("lineage %s, serial %d", st.Lineage, st.Serial),
		Adopt: []Adopted{}, Replace: []Replaced{}, TerraformOnly: []Left{}, Create: []Created{}, Conflicts: []Conflict{}, Warnings: []string{}}
	taken := map[string]bool{}
	for _, mm := range ms {
		taken[mm.target.URN] = true
		replace, changes := tr.diff(mm)
		if changes == nil {
			changes = []string{}
		}
		id := mm.id
		if mm.target.Type == token.RandomPassword {
			id = "[secret: the password itself]"
			if mm.id == "" || mm.id == redacted {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s: the state holds no value (%q), so the import file leaves it out and the first `up` would generate a new one, rotating the credential under the running tasks: "+
					"do not import; run adopt on the state `terraform state pull` prints, which holds the value", mm.obj.Address, mm.id))
			}
		}
		rep.Adopt = append(rep.Adopt, Adopted{Address: mm.obj.Address, URN: mm.target.URN, Type: mm.target.Type, ID: id, Changes: changes})
		if len(replace) > 0 {
			rep.Replace = append(rep.Replace, Replaced{Address: mm.obj.Address, URN: mm.target.URN, Attributes: replace})
		}
	}
	for _, l := range ls {
		rep.TerraformOnly = append(rep.TerraformOnly, Left{Address: l.obj.Address, Reason: l.reason})
	}

	rules, conflicts, extra := matchRules(m, x, opts.Rules)
	for _, r := range rules {
		taken[r.target.URN] = true
		rep.Adopt = append(rep.Adopt, Adopted{Address: r.obj.Address, URN: r.target.URN, Type: r.target.Type, ID: r.id, Changes: []string{}})
	}
	ms = append(ms, rules...)
	rep.Conflicts = append(rep.Conflicts, conflicts...)
	rep.TerraformOnly = append(rep.TerraformOnly, extra...)
	if len(conflicts) > 0 {
		rep.Warnings = append(rep.Warnings, rulesLookupHint(m))
	}

	for _, t := range x.all {
		if taken[t.URN] || !t.Custom {
			continue
		}
		rep.Create = append(rep.Create, Created{URN: t.URN, Type: t.Type})
	}
	conflicting := map[string]bool{}
	for _, c := range rep.Conflicts {
		conflicting[c.URN] = true
	}
	rep.Create = slices.DeleteFunc(rep.Create, func(c Created) bool { return conflicting[c.URN] })

	imp, err := importFile(x, ms, opts)
	if err != nil {
		return nil, err
	}
	sortReport(&rep)
	return &Result{Report: rep, Import: imp}, nil
}

// redacted is what shared copies of a state hold instead of a secret.
const redacted = "REDACTED"

func sortReport(r *Report) {
	sort.SliceStable(r.Adopt, func(i, j int) bool { return r.Adopt[i].URN < r.Adopt[j].URN })
	sort.SliceStable(r.Replace, func(i, j int) bool { return r.Replace[i].URN < r.Replace[j].URN })
	sort.SliceStable(r.TerraformOnly, func(i, j int) bool { return r.TerraformOnly[i].Address < r.TerraformOnly[j].Address })
	sort.SliceStable(r.Create, func(i, j int) bool { return r.Create[i].URN < r.Create[j].URN })
	sort.SliceStable(r.Conflicts, func(i, j int) bool { return r.Conflicts[i].URN < r.Conflicts[j].URN })
}

// StateRemovals are the addresses to `terraform state rm` once the import
// has succeeded: everything adopted, each resource block once.
func (r Report) StateRemovals() []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range r.Adopt {
		addr := a.Address
		if i := strings.Index(addr, " ("); i >= 0 {
			continue // not in the state (made by AWS)
		}
		if strings.HasPrefix(addr, "data.") || strings.Contains(addr, ".data.") {
			continue // data sources leave with their module
		}
		if strings.HasPrefix(addr, "sg-rule ") {
			continue
		}
		if i := strings.Index(addr, "["); i >= 0 {
			addr = addr[:i] // the whole block
		}
		if !seen[addr] {
			seen[addr] = true
			out = append(out, addr)
		}
	}
	sort.Strings(out)
	return out
}
