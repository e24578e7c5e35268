// Command arrakis is the Pulumi program of the Arrakis platform: the API and
// Discord bot, the background worker, PostgreSQL and Redis on AWS.
//
// Run by the Pulumi CLI (`pulumi up`) it deploys the stack. Run with a
// command (`go run . plan --stack staging`) it shows offline what a stack
// would build; see internal/cli.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/compute"
	"github.com/arrakis/infrastructure/data"
	"github.com/arrakis/infrastructure/edge"
	"github.com/arrakis/infrastructure/internal/cli"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/release"
	"github.com/arrakis/infrastructure/monitoring"
	"github.com/arrakis/infrastructure/network"
	"github.com/arrakis/infrastructure/secrets"
)

const (
	// appPort is the port the API container listens on.
	appPort = 3000
	// healthPath is the API's health endpoint.
	healthPath = "/health"
	// name is the logical name of every component.
	name = "arrakis"
)

func main() {
	if len(os.Args) > 1 && cli.Handles(os.Args[1]) {
		os.Exit(cli.Main(os.Args[1:], run, os.Stdout, os.Stderr))
	}
	pulumi.Run(run)
}

// run is the whole program: it validates the stack's config before anything
// is registered, builds the six domains and wires their outputs together.
func run(ctx *pulumi.Context) error {
	cfg, err := config.Load(ctx)
	if err != nil {
		return err
	}
	// The connections alarm needs the class's max_connections: an unknown
	// class stops the program here, before anything is registered.
	if _, err := monitoring.MaxConnections(cfg.Database.InstanceClass); err != nil {
		return err
	}
	caller, err := aws.GetCallerIdentity(ctx, nil)
	if err != nil {
		return fmt.Errorf("looking up the AWS account: %w", err)
	}
	account, protect := caller.AccountId, cfg.Production()

	// What the services run: the image tag, and whether they may start yet.
	status, err := release.Resolve(ctx, release.Request{
		ImageTag:   cfg.ImageTag,
		Repository: compute.RepositoryName(ctx.Stack()),
		Secrets: []release.Secret{
			{Name: secrets.AppConfigName(ctx.Stack()), Seeded: cfg.Secrets.AppConfigSeed.IsSet(), Example: "file://app-config.json"},
			{Name: secrets.VaultTokenName(ctx.Stack()), Seeded: cfg.Secrets.VaultTokenSeed.IsSet(), Example: `"$VAULT_TOKEN"`},
		},
	})
	if err != nil {
		return err
	}
	if !status.Running() {
		if err := ctx.Log.Warn(status.Message(ctx.Stack()), nil); err != nil {
			return err
		}
	}

	net, err := network.New(ctx, name, &network.Args{
		Region:             cfg.Region,
		AccountID:          account,
		CIDR:               cfg.Network.CIDR,
		Zones:              cfg.Network.AvailabilityZones,
		PublicSubnets:      cfg.Network.PublicSubnets,
		PrivateSubnets:     cfg.Network.PrivateSubnets,
		PerAZNAT:           cfg.Network.NATGateways == config.NATPerAZ,
		InterfaceEndpoints: cfg.Network.InterfaceEndpoints,
		AppPort:            appPort,
		TaskEgressPorts:    cfg.Network.TaskEgressPorts,
		LogRetentionDays:   cfg.Monitoring.LogRetentionDays,
		Groups:             adoptedGroups(cfg.Adopted),
	})
	if err != nil {
		return err
	}

	stores, err := data.New(ctx, name, &data.Args{
		PrivateSubnetIDs:        net.PrivateSubnetIDs,
		PostgresSecurityGroupID: net.PostgresSecurityGroupID,
		RedisSecurityGroupID:    net.RedisSecurityGroupID,
		Database:                cfg.Database,
		Redis:                   cfg.Redis,
		Protect:                 protect,
		LogRetentionDays:        cfg.Monitoring.LogRetentionDays,
		DBSubnetGroupName:       cfg.Adopted.DBSubnetGroup,
		DBParameterGroup:        data.Named(cfg.Adopted.DBParameterGroup),
		RedisSubnetGroupName:    cfg.Adopted.RedisSubnetGroup,
	})
	if err != nil {
		return err
	}

	vault, err := secrets.New(ctx, name, &secrets.Args{
		AccountID:          account,
		RecoveryWindowDays: cfg.Secrets.RecoveryWindowDays,
		Protect:            protect,
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
		Names:          cfg.Adopted.SecretNames,
	})
	if err != nil {
		return err
	}

	front, err := edge.New(ctx, name, &edge.Args{
		VPCID:              net.VPCID,
		PublicSubnetIDs:    net.PublicSubnetIDs,
		ALBSecurityGroupID: net.ALBSecurityGroupID,
		DomainName:         cfg.Edge.DomainName,
		HostedZoneID:       cfg.Edge.HostedZoneID,
		CertificateARN:     cfg.Edge.CertificateARN,
		AccessLogsBucket:   cfg.Edge.AccessLogsBucket,
		AppPort:            appPort,
		HealthCheckPath:    healthPath,
		DeletionProtection: protect,
	})
	if err != nil {
		return err
	}

	services, err := compute.New(ctx, name, &compute.Args{
		Region:                    cfg.Region,
		AccountID:                 account,
		PrivateSubnetIDs:          net.PrivateSubnetIDs,
		TasksSecurityGroupID:      net.TasksSecurityGroupID,
		TargetGroupARN:            front.TargetGroupARN,
		ALBARNSuffix:              front.ALBARNSuffix,
		TargetGroupARNSuffix:      front.TargetGroupARNSuffix,
		AppConfigSecretARN:        vault.AppConfigSecretARN,
		DBCredentialsSecretARN:    vault.DBCredentialsSecretARN,
		RedisCredentialsSecretARN: vault.RedisCredentialsSecretARN,
		VaultTokenSecretARN:       vault.VaultTokenSecretARN,
		SecretsKeyARN:             vault.KeyARN,
		API:                       cfg.API,
		Worker:                    cfg.Worker,
		App:                       cfg.App,
		ImageTag:                  status.ImageTag,
		Running:                   status.Running(),
		AppPort:                   appPort,
		LogRetentionDays:          cfg.Monitoring.LogRetentionDays,
		Protect:                   protect,
		ImmutableTags:             protect,
		LaunchTypes:               cfg.Adopted.LaunchType,
		SharedRoles:               adoptedRoles(cfg.Adopted.Roles),
	})
	if err != nil {
		return err
	}

	watch, err := monitoring.New(ctx, name, &monitoring.Args{
		Region:                cfg.Region,
		AccountID:             account,
		AlarmEmails:           cfg.Monitoring.AlarmEmails,
		Thresholds:            cfg.Monitoring.Thresholds,
		DBInstanceClass:       cfg.Database.InstanceClass,
		DBAllocatedStorageGiB: cfg.Database.AllocatedStorage,
		RedisNodes:            cfg.Redis.Nodes,
		Protect:               protect,
		ServicesRunning:       status.Running(),
		ClusterName:           services.ClusterName,
		APIServiceName:        services.APIServiceName,
		WorkerServiceName:     services.WorkerServiceName,
		ALBARNSuffix:          front.ALBARNSuffix,
		TargetGroupARNSuffix:  front.TargetGroupARNSuffix,
		DBInstanceIdentifier:  stores.DBInstanceIdentifier,
		RedisMemberClusters:   stores.RedisMemberClusters,
	})
	if err != nil {
		return err
	}

	ctx.Export("vpcId", net.VPCID)
	ctx.Export("ecsClusterName", services.ClusterName)
	ctx.Export("albDnsName", front.ALBDNSName)
	ctx.Export("apiUrl", front.APIURL)
	ctx.Export("ecrRepositoryUrl", services.RepositoryURL)
	ctx.Export("rdsEndpoint", pulumi.ToSecret(stores.DBEndpoint))
	ctx.Export("redisEndpoint", pulumi.ToSecret(stores.RedisEndpoint))
	ctx.Export("dashboardUrl", watch.DashboardURL)
	ctx.Export("certificateValidationRecords", front.ValidationRecords)
	ctx.Export("dbCredentialsSecretArn", vault.DBCredentialsSecretARN)
	ctx.Export("redisCredentialsSecretArn", vault.RedisCredentialsSecretARN)
	ctx.Export("alertsTopicArn", watch.AlertsTopicARN)
	// The tag this deployment runs: the next one keeps it unless given
	// another. What the services still wait for, empty once they run.
	ctx.Export(release.ImageTagOutput, pulumi.String(status.ImageTag))
	ctx.Export("servicesWaitingFor", pulumi.ToStringArray(status.Waiting))
	return nil
}

// adoptedGroups are the security group names and descriptions a stack
// taken over from Terraform keeps, by tier.
func adoptedGroups(a config.Adopted) map[string]network.GroupName {
	groups := map[string]network.GroupName{}
	for tier, g := range a.SecurityGroups {
		groups[tier] = network.GroupName(g)
	}
	return groups
}

// adoptedRoles are the roles a stack taken over from Terraform shares, or
// nil for a task pair of its own each.
func adoptedRoles(r config.SharedRoles) *compute.SharedRoles {
	if !r.Set() {
		return nil
	}
	return &compute.SharedRoles{Execution: r.Execution, ExecutionPolicy: r.ExecutionPolicy, Task: r.Task}
}
