package edge

import "github.com/arrakis/infrastructure/internal/naming"

// Names are the physical names of the load balancer and its target group.
type Names struct {
	ALB         string
	TargetGroup string
}

// NamesFor decides the physical names for a stack. Both fit the 32-character
// limit AWS sets for load balancers and target groups, whatever the stack is
// called.
func NamesFor(stack string) Names {
	n := naming.New(stack)
	return Names{
		ALB:         n.Name("alb", naming.LimitLoadBalancer),
		TargetGroup: n.Name("api-tg", naming.LimitLoadBalancer),
	}
}
