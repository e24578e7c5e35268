package monitoring_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stacktest"
	"github.com/arrakis/infrastructure/monitoring"
)

// awaitString waits for a string output.
func awaitString(o pulumi.Output) (string, error) {
	v, err := mock.Await(o)
	if err != nil {
		return "", err
	}
	s, _ := v.Value.(string)
	return s, nil
}

func TestOutputsComeFromTheResources(t *testing.T) {
	res, m := build(t, "production", nil)
	topic, err := awaitString(m.AlertsTopicARN)
	require.NoError(t, err)
	assert.Equal(t, topicARN(t, res), topic)
	assert.Equal(t, "arn:aws:sns:us-east-1:"+mock.Account+":arrakis-production-alerts", topic)

	key, err := awaitString(m.AlertsKeyARN)
	require.NoError(t, err)
	assert.Equal(t, stacktest.OutputOf(t, stacktest.One(t, res, keyType, "arrakis-alerts-key"), "arn"), key)

	names, err := mock.Await(m.AlarmNames)
	require.NoError(t, err)
	var want []any
	for _, a := range res.ByType(alarmType) {
		want = append(want, stacktest.Str(t, a, "name"))
	}
	assert.ElementsMatch(t, want, names.Value)
	assert.Contains(t, names.Value, "arrakis-production-api-cpu-high")
}

func TestEveryChildIsParentedToTheComponent(t *testing.T) {
	res, _ := build(t, "staging", nil)
	comps := res.ByType(componentType)
	require.Len(t, comps, 1)
	for _, r := range res.Resources() {
		if r.Type != componentType {
			assert.Equal(t, comps[0].URN, r.Parent, "%s %s", r.Type, r.Name)
		}
	}
}

// Config has rejected every bad value a user can give; what reaches the
// component wrongly is the program's mistake, and the error says what, in
// the program's terms, never naming a config key.
func TestNewRejectsArgsItCannotBuild(t *testing.T) {
	for name, c := range map[string]struct {
		mutate func(*monitoring.Args)
		want   string
	}{
		"unknown instance class": {func(a *monitoring.Args) { a.DBInstanceClass = "db.z9.large" }, `unknown RDS instance class "db.z9.large"`},
		"no redis node":          {func(a *monitoring.Args) { a.RedisNodes = 0 }, "at least one Redis node"},
		"addresses sharing a subscription name": {func(a *monitoring.Args) { a.Monitoring.AlarmEmails = []string{"a.b@x.io", "a-b@x.io"} },
			"would share the subscription name"},
		"missing resource name": {func(a *monitoring.Args) { a.TargetGroupARNSuffix = nil }, "TargetGroupARNSuffix is required"},
		"no account":            {func(a *monitoring.Args) { a.AccountID = "" }, "account id"},
	} {
		t.Run(name, func(t *testing.T) {
			args := argsFor(stacktest.Config(t, "production"), watchedIn("production"))
			c.mutate(args)
			err := stacktest.Rejected(t, "production", func(ctx *pulumi.Context) error {
				_, err := monitoring.New(ctx, "arrakis", args)
				return err
			})
			assert.Contains(t, err.Error(), "monitoring arrakis")
			assert.Contains(t, err.Error(), c.want)
			assert.NotRegexp(t, `arrakis:[a-z]`, err.Error(), "a domain names no config key")
		})
	}
}
