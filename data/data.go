package data

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/component"
	"github.com/arrakis/infrastructure/internal/config"
)

const typeToken = "arrakis:data:Data"

// Args shapes the data tier. The settings of the stores are the stack's
// config sections as validated; the subnets and security groups are wired
// from the network.
type Args struct {
	// AccountID scopes the enhanced monitoring role's trust.
	AccountID string

	PrivateSubnetIDs        pulumi.StringArrayInput
	PostgresSecurityGroupID pulumi.StringInput
	RedisSecurityGroupID    pulumi.StringInput

	Database config.Database
	Redis    config.Redis

	// Protect puts Pulumi's protect on the instance, the replication group
	// and the credentials that open them, and gives Redis a final snapshot
	// on delete.
	Protect bool
	// LogRetentionDays applies to the log groups RDS exports to.
	LogRetentionDays int

	// DBSubnetGroupName, DBParameterGroup and RedisSubnetGroupName, when
	// set, are the names (and the parameter group's description) groups
	// taken over from Terraform keep. Each forces a replacement when it
	// changes, and the cache's subnet group name replaces the cache itself.
	DBSubnetGroupName    string
	DBParameterGroup     Named
	RedisSubnetGroupName string
}

// Named is a physical name with its description.
type Named struct{ Name, Description string }

// FromConfig is the part of Args a stack's config decides; the caller
// wires the network's subnets and security groups.
func FromConfig(cfg *config.Config) *Args {
	return &Args{
		Database: cfg.Database, Redis: cfg.Redis, Protect: cfg.Production(),
		LogRetentionDays:  cfg.Monitoring.LogRetentionDays,
		DBSubnetGroupName: cfg.Adopted.DBSubnetGroup, DBParameterGroup: Named(cfg.Adopted.DBParameterGroup),
		RedisSubnetGroupName: cfg.Adopted.RedisSubnetGroup,
	}
}

// Data is what other domains may use.
type Data struct {
	pulumi.ResourceState

	DBInstanceIdentifier pulumi.StringOutput `pulumi:"dbInstanceIdentifier"`
	DBInstanceARN        pulumi.StringOutput `pulumi:"dbInstanceArn"`
	// DBAddress is the host name; DBEndpoint is host:port.
	DBAddress  pulumi.StringOutput `pulumi:"dbAddress"`
	DBPort     pulumi.IntOutput    `pulumi:"dbPort"`
	DBEndpoint pulumi.StringOutput `pulumi:"dbEndpoint"`
	DBName     pulumi.StringOutput `pulumi:"dbName"`
	DBUsername pulumi.StringOutput `pulumi:"dbUsername"`
	// DBPassword is the master password, a Pulumi secret.
	DBPassword pulumi.StringOutput `pulumi:"dbPassword"`

	RedisReplicationGroupID pulumi.StringOutput `pulumi:"redisReplicationGroupId"`
	// RedisPrimaryEndpoint is the primary's host name; RedisEndpoint is
	// host:port.
	RedisPrimaryEndpoint pulumi.StringOutput `pulumi:"redisPrimaryEndpoint"`
	RedisPort            pulumi.IntOutput    `pulumi:"redisPort"`
	RedisEndpoint        pulumi.StringOutput `pulumi:"redisEndpoint"`
	// RedisAuthToken is the AUTH token, a Pulumi secret.
	RedisAuthToken pulumi.StringOutput `pulumi:"redisAuthToken"`
	// RedisMemberClusters are the cache cluster ids of the group's nodes
	// (the CacheClusterId dimension of the ElastiCache metrics).
	RedisMemberClusters pulumi.StringArrayOutput `pulumi:"redisMemberClusters"`
}

// New builds the database and the cache.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Data, error) {
	return component.New(ctx, component.Spec{Type: typeToken, Kind: "data", Protect: args.Protect}, name, args.validate,
		func(base component.Base, d *Data) []component.Step {
			b := &builder{Base: base, args: args, d: d}
			return []component.Step{{What: "PostgreSQL", Do: b.postgres}, {What: "Redis", Do: b.redis}}
		}, opts...)
}

// builder carries what every step needs.
type builder struct {
	component.Base
	args *Args
	d    *Data
}

// store are the options of the database and the cache. Their identifiers
// are fixed, so a change that replaces one (engine, database name,
// encryption, subnet group…) would create the new one under a name AWS
// still holds. Protected, Pulumi refuses the replacement outright; on an
// ephemeral stack the old one is deleted first and its data with it, which
// is what an ephemeral stack is for.
func (b *builder) store(extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	if !b.Protected() {
		extra = append(extra, pulumi.DeleteBeforeReplace(true))
	}
	return b.Stateful(extra...)
}

func (a *Args) validate() error {
	switch {
	case a.PrivateSubnetIDs == nil:
		return fmt.Errorf("private subnet ids are required")
	case a.PostgresSecurityGroupID == nil || a.RedisSecurityGroupID == nil:
		return fmt.Errorf("the PostgreSQL and Redis security groups are required")
	case a.LogRetentionDays <= 0:
		return fmt.Errorf("log retention must be a positive number of days, got %d", a.LogRetentionDays)
	case a.Redis.Nodes < 1:
		return fmt.Errorf("redis needs at least one node, got %d", a.Redis.Nodes)
	case a.Database.MonitoringIntervalSeconds > 0 && a.AccountID == "":
		return fmt.Errorf("enhanced monitoring needs the account id its role trusts")
	}
	return nil
}
