package edge

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/health"
)

// Load balancer and target group settings.
const (
	// idleTimeoutSeconds is AWS's default, written down: REST calls finish
	// far sooner, and a client that keeps a WebSocket through the load
	// balancer must ping within it anyway.
	idleTimeoutSeconds = 60
	// desyncMitigation "defensive" (AWS's default, made explicit) blocks the
	// request-smuggling shapes that are dangerous while still serving
	// merely unusual requests; "strictest" would reject those too and has
	// no client here that needs it.
	desyncMitigation = "defensive"

	// deregistrationDelaySeconds is how long a stopping task keeps its
	// in-flight requests. The bot's Discord gateway WebSocket is an
	// outbound connection, not one through the load balancer, so draining
	// only has to finish REST calls, which take well under a second; ECS
	// sends SIGTERM after the delay, and the bot then closes its gateway
	// session. 30 s instead of AWS's 300 s keeps deployments and scale-in
	// from stalling five minutes per task.
	deregistrationDelaySeconds = 30
)

// loadBalancer creates the internet-facing ALB in the public subnets.
func (b *builder) loadBalancer() error {
	a := b.args
	var logs lb.LoadBalancerAccessLogsPtrInput
	if a.Edge.AccessLogsBucket != "" {
		logs = &lb.LoadBalancerAccessLogsArgs{
			Bucket:  pulumi.String(a.Edge.AccessLogsBucket),
			Enabled: pulumi.Bool(true),
			// The bucket may serve several stacks.
			Prefix: pulumi.String(b.Names.Prefix()),
		}
	}
	alb, err := lb.NewLoadBalancer(b.Ctx, b.Child("alb"), &lb.LoadBalancerArgs{
		Name:                     pulumi.String(b.names.ALB),
		Internal:                 pulumi.Bool(false),
		LoadBalancerType:         pulumi.String("application"),
		Subnets:                  a.PublicSubnetIDs,
		SecurityGroups:           pulumi.StringArray{a.ALBSecurityGroupID},
		DropInvalidHeaderFields:  pulumi.Bool(true),
		DesyncMitigationMode:     pulumi.String(desyncMitigation),
		IdleTimeout:              pulumi.Int(idleTimeoutSeconds),
		EnableDeletionProtection: pulumi.Bool(a.DeletionProtection),
		AccessLogs:               logs,
	}, b.Parent)
	if err != nil {
		return err
	}
	b.e.ALBARN = alb.Arn
	b.e.ALBARNSuffix = alb.ArnSuffix
	b.e.ALBDNSName = alb.DnsName
	b.e.ALBZoneID = alb.ZoneId
	return nil
}

// targetGroup creates the API's target group.
func (b *builder) targetGroup() error {
	tg, err := b.targetGroupOf("api-tg", b.names.TargetGroup, b.args.Health)
	if err != nil {
		return err
	}
	b.apiTargetGroup = tg
	return nil
}

// targetGroupOf creates a target group checked as h says: Fargate tasks
// register by IP on h's port.
func (b *builder) targetGroupOf(role, name string, h health.Check) (*lb.TargetGroup, error) {
	return lb.NewTargetGroup(b.Ctx, b.Child(role), &lb.TargetGroupArgs{
		Name:                pulumi.String(name),
		Port:                pulumi.Int(h.Port),
		Protocol:            pulumi.String("HTTP"),
		TargetType:          pulumi.String("ip"),
		VpcId:               b.args.VPCID,
		DeregistrationDelay: pulumi.Int(deregistrationDelaySeconds),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Enabled:            pulumi.Bool(true),
			Path:               pulumi.String(h.Path),
			Protocol:           pulumi.String("HTTP"),
			Port:               pulumi.String("traffic-port"),
			Matcher:            pulumi.String(h.Matcher),
			Interval:           pulumi.Int(h.Interval),
			Timeout:            pulumi.Int(h.Timeout),
			HealthyThreshold:   pulumi.Int(h.HealthyThreshold),
			UnhealthyThreshold: pulumi.Int(h.UnhealthyThreshold),
		},
		// The services keep no session state in a task.
		Stickiness: &lb.TargetGroupStickinessArgs{
			Type:    pulumi.String("lb_cookie"),
			Enabled: pulumi.Bool(false),
		},
	}, b.Parent)
}
