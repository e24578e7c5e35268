package data

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/naming"
)

// RedisPort is the port Redis listens on.
const RedisPort = 6379

// Failover reports whether a replication group of n nodes gets automatic
// failover and Multi-AZ: both need a replica to promote, and AWS refuses
// them on a single node.
func Failover(nodes int) bool { return nodes >= 2 }

// redis builds the replication group with its subnet group and AUTH token.
func (b *builder) redis() error {
	a, r := b.args, b.args.Redis

	subnets, err := elasticache.NewSubnetGroup(b.Ctx, b.Child("redis-subnets"), &elasticache.SubnetGroupArgs{
		Name:        pulumi.String(b.NameOr(a.RedisSubnetGroupName, "redis", naming.LimitDefault)),
		Description: pulumi.String("Redis: the private subnets"),
		SubnetIds:   a.PrivateSubnetIDs,
	}, b.Parent)
	if err != nil {
		return fmt.Errorf("subnet group: %w", err)
	}

	token, err := b.generate(redisAuthToken)
	if err != nil {
		return fmt.Errorf("AUTH token: %w", err)
	}

	var finalSnapshot pulumi.StringPtrInput
	if a.Protect {
		finalSnapshot = pulumi.String(b.Names.Name("redis-final", naming.LimitDefault))
	}
	failover := Failover(r.Nodes)
	group, err := elasticache.NewReplicationGroup(b.Ctx, b.Child("redis"), &elasticache.ReplicationGroupArgs{
		ReplicationGroupId: pulumi.String(b.Names.Name("redis", naming.LimitRedis)),
		Description:        pulumi.String("Arrakis cache and job queues (" + b.Ctx.Stack() + ")"),
		Engine:             pulumi.String("redis"),
		EngineVersion:      pulumi.String(r.EngineVersion),
		NodeType:           pulumi.String(r.NodeType),
		NumCacheClusters:   pulumi.Int(r.Nodes),
		Port:               pulumi.Int(RedisPort),
		SubnetGroupName:    subnets.Name,
		SecurityGroupIds:   pulumi.StringArray{a.RedisSecurityGroupID},

		AutomaticFailoverEnabled: pulumi.Bool(failover),
		MultiAzEnabled:           pulumi.Bool(failover),

		AtRestEncryptionEnabled:  pulumi.Bool(true),
		TransitEncryptionEnabled: pulumi.Bool(true),
		AuthToken:                token,

		SnapshotRetentionLimit:  pulumi.Int(r.SnapshotRetentionDays),
		SnapshotWindow:          pulumi.String(r.SnapshotWindow),
		MaintenanceWindow:       pulumi.String(r.MaintenanceWindow),
		FinalSnapshotIdentifier: finalSnapshot,
		AutoMinorVersionUpgrade: pulumi.Bool(true),
		ApplyImmediately:        pulumi.Bool(false),
	}, b.store()...)
	if err != nil {
		return fmt.Errorf("replication group: %w", err)
	}

	d := b.d
	d.RedisReplicationGroupID = group.ID().ToStringOutput()
	d.RedisPrimaryEndpoint = group.PrimaryEndpointAddress
	d.RedisPort = group.Port.Elem()
	d.RedisEndpoint = pulumi.Sprintf("%s:%d", group.PrimaryEndpointAddress, d.RedisPort)
	d.RedisAuthToken = token
	d.RedisMemberClusters = group.MemberClusters
	return nil
}
