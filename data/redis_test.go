package data_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/arrakis/infrastructure/data"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

func TestRedisReplicationGroupSettings(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		w := wants[stack]
		res, _ := build(t, stack, nil)
		g := stacktest.One(t, res, groupType, "arrakis-redis")

		assert.Equal(t, "arrakis-"+stack+"-redis", stacktest.Str(t, g, "replicationGroupId"))
		assert.NotEmpty(t, stacktest.Str(t, g, "description"))
		assert.Equal(t, "redis", stacktest.Str(t, g, "engine"))
		assert.Equal(t, "7.1", stacktest.Str(t, g, "engineVersion"))
		assert.Equal(t, "cache.t3.micro", stacktest.Str(t, g, "nodeType"))
		assert.Equal(t, 1, stacktest.Int(t, g, "numCacheClusters"))
		assert.Equal(t, 6379, stacktest.Int(t, g, "port"))
		assert.Equal(t, false, stacktest.Get(t, g, "automaticFailoverEnabled"), "one node has no replica to fail over to")
		assert.Equal(t, false, stacktest.Get(t, g, "multiAzEnabled"))

		assert.Equal(t, true, stacktest.Get(t, g, "atRestEncryptionEnabled"))
		assert.Equal(t, true, stacktest.Get(t, g, "transitEncryptionEnabled"))

		assert.Equal(t, w.snapshotDays, stacktest.Int(t, g, "snapshotRetentionLimit"))
		assert.Equal(t, w.redisSnapshotWindow, stacktest.Str(t, g, "snapshotWindow"))
		assert.Equal(t, w.redisMaintenance, stacktest.Str(t, g, "maintenanceWindow"))
		assert.Equal(t, true, stacktest.Get(t, g, "autoMinorVersionUpgrade"))

		subnets := stacktest.One(t, res, cacheSubnetsType, "arrakis-redis-subnets")
		assert.Equal(t, subnetIDs, stacktest.Strings(t, subnets, "subnetIds"), "the private subnets")
		assert.Equal(t, stacktest.OutputOf(t, subnets, "name"), stacktest.Get(t, g, "subnetGroupName"))
		assert.Equal(t, []string{redisSG}, stacktest.Strings(t, g, "securityGroupIds"))
	})
}

func TestRedisFinalSnapshotOnlyWhenProtected(t *testing.T) {
	res, _ := build(t, "production", nil)
	assert.Equal(t, "arrakis-production-redis-final", stacktest.Str(t, stacktest.One(t, res, groupType, "arrakis-redis"), "finalSnapshotIdentifier"))

	res, _ = build(t, "staging", nil)
	_, _, ok := stacktest.One(t, res, groupType, "arrakis-redis").Get("finalSnapshotIdentifier")
	assert.False(t, ok, "staging is destroyable without a snapshot")
}

func TestFailoverNeedsAReplica(t *testing.T) {
	for nodes, want := range map[int]bool{1: false, 2: true, 3: true, 6: true} {
		t.Run(fmt.Sprint(nodes), func(t *testing.T) {
			assert.Equal(t, want, data.Failover(nodes))
		})
	}
}

func TestTwoNodesFailOverAcrossZones(t *testing.T) {
	res, d := build(t, "staging", func(a *data.Args) { a.Redis.Nodes = 2 })
	g := stacktest.One(t, res, groupType, "arrakis-redis")
	assert.Equal(t, 2, stacktest.Int(t, g, "numCacheClusters"))
	assert.Equal(t, true, stacktest.Get(t, g, "automaticFailoverEnabled"))
	assert.Equal(t, true, stacktest.Get(t, g, "multiAzEnabled"))
	assert.Equal(t, []string{"arrakis-staging-redis-001", "arrakis-staging-redis-002"}, await(t, d.RedisMemberClusters).Value)
	assert.Equal(t, await(t, d.RedisMemberClusters).Value, strs(stacktest.OutputOf(t, g, "memberClusters")))
}

func TestRedisOutputsComeFromTheGroup(t *testing.T) {
	res, d := build(t, "production", nil)
	g := stacktest.One(t, res, groupType, "arrakis-redis")
	host := stacktest.OutputOf(t, g, "primaryEndpointAddress").(string)
	assert.Equal(t, g.ID, await(t, d.RedisReplicationGroupID).Value)
	assert.Equal(t, host, await(t, d.RedisPrimaryEndpoint).Value)
	assert.Equal(t, 6379, await(t, d.RedisPort).Value)
	assert.Equal(t, host+":6379", await(t, d.RedisEndpoint).Value)
	assert.Equal(t, strs(stacktest.OutputOf(t, g, "memberClusters")), await(t, d.RedisMemberClusters).Value)
}

// strs converts a recorded list of strings.
func strs(v any) []string {
	var out []string
	for _, e := range v.([]any) {
		out = append(out, e.(string))
	}
	return out
}
