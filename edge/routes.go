package edge

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/health"
	"github.com/arrakis/infrastructure/internal/naming"
)

// Route sends the requests whose path matches Patterns to a service behind
// the load balancer: a target group of its own, checked as Health says,
// and a rule of the HTTPS listener at Priority (unique, stable).
type Route struct {
	Service  string
	Patterns []string
	Health   health.Check
	Priority int
}

// RouteTargetGroupRole is the role naming a route's target group:
// <service>-<port>. A new port replaces the target group (AWS cannot change
// a target group's port), and with the port in its name the new group is
// created beside the old one — the rule and the service move to it, then
// the old one goes — instead of colliding with it.
func RouteTargetGroupRole(service string, port int) string {
	return fmt.Sprintf("%s-%d", service, port)
}

// routes gives each routed service its target group and listener rule.
// Like the API's, a route's target group ARN resolves only once the rule
// forwards to it: ECS refuses a service on a target group no load balancer
// uses.
func (b *builder) routes() error {
	arns, suffixes := pulumi.StringMap{}, pulumi.StringMap{}
	for _, r := range b.args.Routes {
		name := b.Names.Name(RouteTargetGroupRole(r.Service, r.Health.Port), naming.LimitLoadBalancer)
		tg, err := b.targetGroupOf(r.Service+"-tg", name, r.Health)
		if err != nil {
			return err
		}
		rule, err := lb.NewListenerRule(b.Ctx, b.Child(r.Service+"-route"), &lb.ListenerRuleArgs{
			ListenerArn: b.e.HTTPSListenerARN,
			Priority:    pulumi.Int(r.Priority),
			Actions: lb.ListenerRuleActionArray{&lb.ListenerRuleActionArgs{
				Type:           pulumi.String("forward"),
				TargetGroupArn: tg.Arn,
			}},
			Conditions: lb.ListenerRuleConditionArray{&lb.ListenerRuleConditionArgs{
				PathPattern: &lb.ListenerRuleConditionPathPatternArgs{Values: pulumi.ToStringArray(r.Patterns)},
			}},
		}, b.Parent)
		if err != nil {
			return err
		}
		arns[r.Service] = forwardedBy(tg.Arn, rule.Arn)
		suffixes[r.Service] = forwardedBy(tg.ArnSuffix, rule.Arn)
	}
	b.e.RouteTargetGroupARNs = arns.ToStringMapOutput()
	b.e.RouteTargetGroupARNSuffixes = suffixes.ToStringMapOutput()
	return nil
}

// MaxPriority is the highest listener rule priority.
const MaxPriority = 50000

// validateRoutes checks what the load balancer would refuse: two rules of
// one priority, a priority out of range, too many patterns or wildcards in
// a rule, and a health check that cannot pass.
func (a *Args) validateRoutes() error {
	services, priorities := map[string]bool{"api": true}, map[int]string{}
	for _, r := range a.Routes {
		switch {
		case services[r.Service]:
			return fmt.Errorf("route %s: the service has a target group already", r.Service)
		case r.Priority < 1 || r.Priority > MaxPriority:
			return fmt.Errorf("route %s: priority %d is outside 1–%d", r.Service, r.Priority, MaxPriority)
		case priorities[r.Priority] != "":
			return fmt.Errorf("route %s: priority %d is %s's", r.Service, r.Priority, priorities[r.Priority])
		case len(r.Patterns) == 0 || len(r.Patterns) > config.MaxRoutes:
			return fmt.Errorf("route %s: a rule condition takes 1–%d path patterns, got %d", r.Service, config.MaxRoutes, len(r.Patterns))
		case config.RouteWildcards(r.Patterns) > config.MaxRouteWildcards:
			return fmt.Errorf("route %s: a rule takes at most %d wildcards", r.Service, config.MaxRouteWildcards)
		}
		if err := r.Health.Validate(); err != nil {
			return fmt.Errorf("route %s: %w", r.Service, err)
		}
		services[r.Service], priorities[r.Priority] = true, r.Service
	}
	return nil
}
