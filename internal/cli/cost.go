package cli

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/cost"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/stackfile"
)

// Plan is what `plan` shows for a stack: the offline plan with its monthly
// cost estimate against the stack's budget. The plan cannot read config, so
// the budget comes from the stack's file, parsed and validated the way the
// program does.
func Plan(dir, stack string, program pulumi.RunFunc) (*cost.PricedPlan, error) {
	return PlanIn(mock.Deployed(), dir, stack, program)
}

// PlanIn is Plan in a given world (mock.NewStack() for a first `up`).
func PlanIn(world mock.World, dir, stack string, program pulumi.RunFunc) (*cost.PricedPlan, error) {
	p, err := plan.ForStackIn(world, dir, stack, program)
	if err != nil {
		return nil, err
	}
	e, err := estimate(dir, p)
	if err != nil {
		return nil, err
	}
	return &cost.PricedPlan{Plan: p, Cost: e}, nil
}

// estimate prices a plan and sets the budget of its stack.
func estimate(dir string, p *plan.Plan) (*cost.Estimate, error) {
	e, err := cost.Of(p)
	if err != nil {
		return nil, fmt.Errorf("estimating the cost of stack %s: %w", p.Stack, err)
	}
	in, err := stackfile.Load(dir, p.Stack)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Parse(in)
	if err != nil {
		return nil, err
	}
	e.Budget = cfg.Cost.MonthlyBudgetUSD
	return e, nil
}

// runCost prints the estimate of a stack and fails when it exceeds the
// stack's budget.
func runCost(env *env, args []string) error {
	fs, sf := newFlags("cost", env)
	if err := parse(fs, sf, args); err != nil {
		return err
	}
	pp, err := Plan(sf.dir, sf.stack, env.program)
	if err != nil {
		return err
	}
	if err := pp.Cost.WriteText(env.stdout); err != nil {
		return err
	}
	return pp.Cost.CheckBudget()
}
