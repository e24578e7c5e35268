package network

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/naming"
)

// The load balancer's public ports.
const (
	httpsPort = 443
	httpPort  = 80
)

// Internet is the IPv4 address space.
const Internet = "0.0.0.0/0"

// tier is a security group of the stack.
type tier string

const (
	tierALB       tier = "alb"
	tierTasks     tier = "tasks"
	tierPostgres  tier = "postgres"
	tierRedis     tier = "redis"
	tierEndpoints tier = "endpoints"
)

var tierDescriptions = map[tier]string{
	tierALB:       "Load balancer: HTTP and HTTPS from the internet",
	tierTasks:     "ECS tasks: the API port from the load balancer only",
	tierPostgres:  "PostgreSQL: 5432 from the ECS tasks only",
	tierRedis:     "Redis: 6379 from the ECS tasks only",
	tierEndpoints: "VPC interface endpoints: HTTPS from inside the VPC",
}

// Rule is one allowed flow. Exactly one of Peer and CIDR is set.
type Rule struct {
	Role    string // logical role, e.g. "tasks-from-alb"
	Group   tier   // the group the rule belongs to
	Ingress bool
	Port    int
	Peer    tier   // the other security group
	CIDR    string // or an address range
}

// Rules is the least-privilege chain between the tiers: the world reaches
// only the ALB; the ALB reaches only the API port of the tasks; only the
// tasks reach PostgreSQL and Redis; the data tier opens nothing to a CIDR.
func Rules(ports Ports, egressPorts []int, vpcCIDR string, withEndpoints bool) []Rule {
	rules := []Rule{
		{Role: "alb-https-from-internet", Group: tierALB, Ingress: true, Port: httpsPort, CIDR: Internet},
		{Role: "alb-http-from-internet", Group: tierALB, Ingress: true, Port: httpPort, CIDR: Internet},
		{Role: "alb-to-tasks", Group: tierALB, Port: ports.App, Peer: tierTasks},
		{Role: "tasks-from-alb", Group: tierTasks, Ingress: true, Port: ports.App, Peer: tierALB},
		{Role: "tasks-to-postgres", Group: tierTasks, Port: ports.Postgres, Peer: tierPostgres},
		{Role: "tasks-to-redis", Group: tierTasks, Port: ports.Redis, Peer: tierRedis},
		{Role: "postgres-from-tasks", Group: tierPostgres, Ingress: true, Port: ports.Postgres, Peer: tierTasks},
		{Role: "redis-from-tasks", Group: tierRedis, Ingress: true, Port: ports.Redis, Peer: tierTasks},
	}
	for _, p := range ports.Services {
		rules = append(rules,
			Rule{Role: fmt.Sprintf("alb-to-tasks-%d", p), Group: tierALB, Port: p, Peer: tierTasks},
			Rule{Role: fmt.Sprintf("tasks-from-alb-%d", p), Group: tierTasks, Ingress: true, Port: p, Peer: tierALB})
	}
	for _, p := range egressPorts {
		rules = append(rules, Rule{Role: fmt.Sprintf("tasks-to-internet-%d", p), Group: tierTasks, Port: p, CIDR: Internet})
	}
	if withEndpoints {
		rules = append(rules, Rule{Role: "endpoints-https-from-vpc", Group: tierEndpoints, Ingress: true, Port: httpsPort, CIDR: vpcCIDR})
	}
	return rules
}

// securityGroups creates one group per tier, then the rules between them.
// Rules are separate resources so no group is ever rewritten in place, and
// the provider removes AWS's default allow-all egress from every group.
func (b *builder) securityGroups() error {
	a := b.args
	tiers := []tier{tierALB, tierTasks, tierPostgres, tierRedis}
	withEndpoints := len(a.Network.InterfaceEndpoints) > 0
	if withEndpoints {
		tiers = append(tiers, tierEndpoints)
	}
	b.groups = map[tier]pulumi.StringOutput{}
	for _, t := range tiers {
		g, adopted := a.Groups[string(t)]
		if !adopted {
			g = GroupName{Name: b.Names.Name(string(t), naming.LimitDefault), Description: tierDescriptions[t]}
		}
		sg, err := ec2.NewSecurityGroup(b.Ctx, b.Child(string(t)+"-sg"), &ec2.SecurityGroupArgs{
			Name:        pulumi.String(g.Name),
			Description: pulumi.String(g.Description),
			VpcId:       b.n.VPCID,
			Tags:        b.tags(string(t)),
		}, b.Parent)
		if err != nil {
			return err
		}
		b.groups[t] = sg.ID().ToStringOutput()
	}

	// The rules that open a service's port, both ends, by port.
	opening := map[int][]any{}
	for _, r := range Rules(a.Ports, a.Network.TaskEgressPorts, a.Network.CIDR, withEndpoints) {
		id, err := b.rule(r)
		if err != nil {
			return fmt.Errorf("rule %s: %w", r.Role, err)
		}
		albToTasks := (r.Group == tierALB && r.Peer == tierTasks) || (r.Group == tierTasks && r.Peer == tierALB)
		if albToTasks && slices.Contains(a.Ports.Services, r.Port) {
			opening[r.Port] = append(opening[r.Port], id)
		}
	}
	ingress := pulumi.StringMap{}
	for port, ids := range opening {
		// The first is the load balancer's egress rule; resolving once
		// both ends exist, the value makes a service wait for the path.
		ingress[strconv.Itoa(port)] = pulumi.All(ids...).ApplyT(func(v []any) string { return v[len(v)-1].(string) }).(pulumi.StringOutput)
	}
	b.n.ServiceIngressRules = ingress.ToStringMapOutput()
	b.n.ALBSecurityGroupID = b.groups[tierALB]
	b.n.TasksSecurityGroupID = b.groups[tierTasks]
	b.n.PostgresSecurityGroupID = b.groups[tierPostgres]
	b.n.RedisSecurityGroupID = b.groups[tierRedis]
	return nil
}

// rule creates one rule and returns its id.
func (b *builder) rule(r Rule) (pulumi.StringOutput, error) {
	var peer pulumi.StringPtrInput
	var cidr pulumi.StringPtrInput
	if r.Peer != "" {
		peer = b.groups[r.Peer]
	} else {
		cidr = pulumi.String(r.CIDR)
	}
	// The two rule kinds take the same arguments.
	args := vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           b.groups[r.Group],
		Description:               pulumi.String(r.Role),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(r.Port),
		ToPort:                    pulumi.Int(r.Port),
		ReferencedSecurityGroupId: peer,
		CidrIpv4:                  cidr,
	}
	if r.Ingress {
		rule, err := vpc.NewSecurityGroupIngressRule(b.Ctx, b.Child(r.Role), &args, b.Parent)
		if err != nil {
			return pulumi.StringOutput{}, err
		}
		return rule.ID().ToStringOutput(), nil
	}
	egress := vpc.SecurityGroupEgressRuleArgs(args)
	rule, err := vpc.NewSecurityGroupEgressRule(b.Ctx, b.Child(r.Role), &egress, b.Parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return rule.ID().ToStringOutput(), nil
}
