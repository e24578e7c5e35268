package data_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/data"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

const (
	instanceType     = "aws:rds/instance:Instance"
	rdsSubnetsType   = "aws:rds/subnetGroup:SubnetGroup"
	paramsType       = "aws:rds/parameterGroup:ParameterGroup"
	groupType        = "aws:elasticache/replicationGroup:ReplicationGroup"
	cacheSubnetsType = "aws:elasticache/subnetGroup:SubnetGroup"
	passwordType     = "random:index/randomPassword:RandomPassword"
	logGroupType     = "aws:cloudwatch/logGroup:LogGroup"
)

// What the network would hand over.
var (
	subnetIDs  = []string{"subnet-0private0a", "subnet-0private0b"}
	postgresSG = "sg-0postgres"
	redisSG    = "sg-0redis"
)

// argsFor is a stack's data.Args, wired to the network's subnets and
// groups as main.go wires them.
func argsFor(cfg *config.Config) *data.Args {
	a := data.FromConfig(cfg)
	a.AccountID = mock.Account
	a.PrivateSubnetIDs = pulumi.ToStringArray(subnetIDs)
	a.PostgresSecurityGroupID = pulumi.String(postgresSG)
	a.RedisSecurityGroupID = pulumi.String(redisSG)
	return a
}

// build runs data.New for a stack, with the args changed by mutate.
func build(t *testing.T, stack string, mutate func(*data.Args)) (*mock.Result, *data.Data) {
	t.Helper()
	args := argsFor(stacktest.Config(t, stack))
	if mutate != nil {
		mutate(args)
	}
	return stacktest.Build(t, stack, func(ctx *pulumi.Context) (*data.Data, error) { return data.New(ctx, "arrakis", args) })
}

// await reads a component output.
func await(t *testing.T, o pulumi.Output) mock.Value {
	t.Helper()
	v, err := mock.Await(o)
	require.NoError(t, err)
	require.True(t, v.Known)
	return v
}

// Expected values per stack, from the spec (not from the stack files, so a
// changed stack file shows up here).
type want struct {
	class               string
	storage, maxStorage int
	backupDays          int
	deletionProtection  bool
	protect             bool
	snapshotDays        int
	logRetentionDays    int
	backupWindow        string
	dbMaintenance       string
	redisSnapshotWindow string
	redisMaintenance    string
}

var wants = map[string]want{
	"production": {
		class: "db.t3.small", storage: 20, maxStorage: 100, backupDays: 7,
		deletionProtection: true, protect: true, snapshotDays: 7, logRetentionDays: 30,
		backupWindow: "03:00-04:00", dbMaintenance: "mon:04:00-mon:05:00",
		redisSnapshotWindow: "02:00-03:00", redisMaintenance: "sun:05:00-sun:06:00",
	},
	"staging": {
		class: "db.t3.micro", storage: 20, maxStorage: 50, backupDays: 1,
		deletionProtection: false, protect: false, snapshotDays: 1, logRetentionDays: 7,
		backupWindow: "03:00-04:00", dbMaintenance: "mon:04:00-mon:05:00",
		redisSnapshotWindow: "02:00-03:00", redisMaintenance: "sun:05:00-sun:06:00",
	},
}
