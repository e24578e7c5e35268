package monitoring_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stacktest"
	"github.com/arrakis/infrastructure/monitoring"
)

const (
	componentType   = "arrakis:monitoring:Monitoring"
	keyType         = "aws:kms/key:Key"
	aliasType       = "aws:kms/alias:Alias"
	topicType       = "aws:sns/topic:Topic"
	topicPolicyType = "aws:sns/topicPolicy:TopicPolicy"
	subscriptionTyp = "aws:sns/topicSubscription:TopicSubscription"
	alarmType       = "aws:cloudwatch/metricAlarm:MetricAlarm"
	dashboardType   = "aws:cloudwatch/dashboard:Dashboard"
)

// watched are the names of the other domains' resources, as those domains
// name them in a stack.
type watched struct {
	cluster, api, worker, alb, targetGroup, db, webACL string
	redis                                              []string
}

func watchedIn(stack string) watched {
	p := "arrakis-" + stack
	return watched{
		cluster:     p + "-cluster",
		api:         p + "-api",
		worker:      p + "-worker",
		alb:         "app/" + p + "-alb/0123456789abcdef",
		targetGroup: "targetgroup/" + p + "-api-tg/0123456789abcdef",
		db:          p + "-postgres",
		webACL:      p + "-web-acl",
		redis:       []string{p + "-redis-001"},
	}
}

// argsFor is a stack's monitoring.Args, watching the named resources, as
// main.go wires them.
func argsFor(cfg *config.Config, w watched) *monitoring.Args {
	a := monitoring.FromConfig(cfg)
	a.AccountID = mock.Account
	a.ServicesRunning = true
	a.ClusterName = pulumi.String(w.cluster)
	a.APIServiceName = pulumi.String(w.api)
	a.WorkerServiceName = pulumi.String(w.worker)
	a.ALBARNSuffix = pulumi.String(w.alb)
	a.TargetGroupARNSuffix = pulumi.String(w.targetGroup)
	a.DBInstanceIdentifier = pulumi.String(w.db)
	a.RedisMemberClusters = pulumi.ToStringArray(w.redis)
	a.WebACLName = pulumi.String(w.webACL)
	return a
}

// build runs monitoring.New for a stack; mutate may change the args first.
func build(t *testing.T, stack string, mutate func(*monitoring.Args)) (*mock.Result, *monitoring.Monitoring) {
	t.Helper()
	args := argsFor(stacktest.Config(t, stack), watchedIn(stack))
	if mutate != nil {
		mutate(args)
	}
	return stacktest.Build(t, stack, func(ctx *pulumi.Context) (*monitoring.Monitoring, error) { return monitoring.New(ctx, "arrakis", args) })
}

// topicARN is the ARN the mock gave the alerts topic.
func topicARN(t *testing.T, res *mock.Result) string {
	t.Helper()
	return stacktest.OutputOf(t, stacktest.One(t, res, topicType, "arrakis-alerts"), "arn").(string)
}
