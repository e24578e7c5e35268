// Command arrakis is the Pulumi program of the Arrakis platform: the API and
// Discord bot, the background worker, PostgreSQL and Redis on AWS.
//
// Run by the Pulumi CLI (`pulumi up`) it deploys the stack. Run with a
// command (`go run . plan --stack staging`) it shows offline what a stack
// would build; see internal/cli.
package main

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/data"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/network"
	"github.com/arrakis/infrastructure/secrets"
)

// appPort is the port the API container listens on.
const appPort = 3000

func main() {
	pulumi.Run(run)
}

// run is the whole program: it validates the stack's config before anything
// is registered, builds the domains and wires their outputs together.
func run(ctx *pulumi.Context) error {
	cfg, err := config.Load(ctx)
	if err != nil {
		return err
	}
	caller, err := aws.GetCallerIdentity(ctx, nil)
	if err != nil {
		return fmt.Errorf("looking up the AWS account: %w", err)
	}

	net, err := network.New(ctx, "arrakis", &network.Args{
		Region:             cfg.Region,
		AccountID:          caller.AccountId,
		CIDR:               cfg.Network.CIDR,
		Zones:              cfg.Network.AvailabilityZones,
		PublicSubnets:      cfg.Network.PublicSubnets,
		PrivateSubnets:     cfg.Network.PrivateSubnets,
		PerAZNAT:           cfg.Network.NATGateways == config.NATPerAZ,
		InterfaceEndpoints: cfg.Network.InterfaceEndpoints,
		AppPort:            appPort,
		TaskEgressPorts:    cfg.Network.TaskEgressPorts,
		LogRetentionDays:   cfg.Monitoring.LogRetentionDays,
	})
	if err != nil {
		return err
	}

	stores, err := data.New(ctx, "arrakis", &data.Args{
		PrivateSubnetIDs:        net.PrivateSubnetIDs,
		PostgresSecurityGroupID: net.PostgresSecurityGroupID,
		RedisSecurityGroupID:    net.RedisSecurityGroupID,
		Database:                cfg.Database,
		Redis:                   cfg.Redis,
		Protect:                 cfg.Production(),
		LogRetentionDays:        cfg.Monitoring.LogRetentionDays,
	})
	if err != nil {
		return err
	}

	vault, err := secrets.New(ctx, "arrakis", &secrets.Args{
		AccountID:          caller.AccountId,
		RecoveryWindowDays: cfg.Secrets.RecoveryWindowDays,
		Protect:            cfg.Production(),
		DB: secrets.DB{
			Host:     stores.DBAddress,
			Port:     stores.DBPort,
			Name:     stores.DBName,
			Username: stores.DBUsername,
			Password: stores.DBPassword,
		},
		Redis: secrets.Redis{
			Host:      stores.RedisPrimaryEndpoint,
			Port:      stores.RedisPort,
			AuthToken: stores.RedisAuthToken,
		},
		AppConfigSeed:  cfg.Secrets.AppConfigSeed,
		VaultTokenSeed: cfg.Secrets.VaultTokenSeed,
	})
	if err != nil {
		return err
	}

	ctx.Export("vpcId", net.VPCID)
	ctx.Export("rdsEndpoint", pulumi.ToSecret(stores.DBEndpoint))
	ctx.Export("redisEndpoint", pulumi.ToSecret(stores.RedisEndpoint))
	ctx.Export("dbCredentialsSecretArn", vault.DBCredentialsSecretARN)
	ctx.Export("redisCredentialsSecretArn", vault.RedisCredentialsSecretARN)
	return nil
}
