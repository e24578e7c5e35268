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
	"strconv"

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

// name is the logical name of every component.
const name = "arrakis"

func main() {
	if len(os.Args) > 1 && cli.Handles(os.Args[1]) {
		os.Exit(cli.Main(os.Args[1:], run, os.Stdout, os.Stderr))
	}
	pulumi.Run(run)
}

// run is the whole program: it validates the stack's config before anything
// is registered, builds the six domains and wires their outputs together.
// Each domain's FromConfig maps the config to its arguments; run adds what
// comes from the account and from the other domains.
func run(ctx *pulumi.Context) error {
	cfg, err := config.Load(ctx)
	if err != nil {
		return err
	}
	caller, err := aws.GetCallerIdentity(ctx, nil)
	if err != nil {
		return fmt.Errorf("looking up the AWS account: %w", err)
	}
	account := caller.AccountId

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

	netArgs := network.FromConfig(cfg)
	netArgs.AccountID = account
	netArgs.Ports = network.Ports{
		App: compute.AppPort, Postgres: data.PostgresPort, Redis: data.RedisPort,
		Services: cfg.RoutedPorts(),
	}
	net, err := network.New(ctx, name, netArgs)
	if err != nil {
		return err
	}

	dataArgs := data.FromConfig(cfg)
	dataArgs.AccountID = account
	dataArgs.PrivateSubnetIDs = net.PrivateSubnetIDs
	dataArgs.PostgresSecurityGroupID = net.PostgresSecurityGroupID
	dataArgs.RedisSecurityGroupID = net.RedisSecurityGroupID
	stores, err := data.New(ctx, name, dataArgs)
	if err != nil {
		return err
	}

	secretArgs := secrets.FromConfig(cfg)
	secretArgs.AccountID = account
	secretArgs.DB = secrets.DB{
		Host: stores.DBAddress, Port: stores.DBPort, Name: stores.DBName,
		Username: stores.DBUsername, Password: stores.DBPassword,
	}
	secretArgs.Redis = secrets.Redis{Host: stores.RedisPrimaryEndpoint, Port: stores.RedisPort, AuthToken: stores.RedisAuthToken}
	store, err := secrets.New(ctx, name, secretArgs)
	if err != nil {
		return err
	}

	edgeArgs := edge.FromConfig(cfg)
	edgeArgs.VPCID = net.VPCID
	edgeArgs.PublicSubnetIDs = net.PublicSubnetIDs
	edgeArgs.ALBSecurityGroupID = net.ALBSecurityGroupID
	edgeArgs.Health = compute.APIHealth
	for i, r := range edgeArgs.Routes {
		edgeArgs.Routes[i].Health = compute.ServiceHealth(cfg.Services[r.Service])
	}
	front, err := edge.New(ctx, name, edgeArgs)
	if err != nil {
		return err
	}

	computeArgs := compute.FromConfig(cfg)
	computeArgs.AccountID = account
	computeArgs.ImageTag, computeArgs.Running = status.ImageTag, status.Running()
	computeArgs.PrivateSubnetIDs = net.PrivateSubnetIDs
	computeArgs.TasksSecurityGroupID = net.TasksSecurityGroupID
	computeArgs.TargetGroupARN = front.TargetGroupARN
	computeArgs.ALBARNSuffix = front.ALBARNSuffix
	computeArgs.TargetGroupARNSuffix = front.TargetGroupARNSuffix
	computeArgs.AppConfigSecretARN = store.AppConfigSecretARN
	computeArgs.DBCredentialsSecretARN = store.DBCredentialsSecretARN
	computeArgs.RedisCredentialsSecretARN = store.RedisCredentialsSecretARN
	computeArgs.VaultTokenSecretARN = store.VaultTokenSecretARN
	computeArgs.SecretsKeyARN = store.KeyARN
	for i, svc := range computeArgs.Services {
		if svc.Routed() {
			computeArgs.Services[i].TargetGroupARN = front.RouteTargetGroupARNs.MapIndex(pulumi.String(svc.Name))
			computeArgs.Services[i].TargetGroupARNSuffix = front.RouteTargetGroupARNSuffixes.MapIndex(pulumi.String(svc.Name))
			computeArgs.Services[i].IngressRule = net.ServiceIngressRules.MapIndex(pulumi.String(strconv.Itoa(svc.Port)))
		}
	}
	services, err := compute.New(ctx, name, computeArgs)
	if err != nil {
		return err
	}

	watchArgs := monitoring.FromConfig(cfg)
	watchArgs.AccountID = account
	watchArgs.ServicesRunning = status.Running()
	watchArgs.ClusterName = services.ClusterName
	watchArgs.APIServiceName = services.APIServiceName
	watchArgs.WorkerServiceName = services.WorkerServiceName
	watchArgs.ALBARNSuffix = front.ALBARNSuffix
	watchArgs.TargetGroupARNSuffix = front.TargetGroupARNSuffix
	watchArgs.DBInstanceIdentifier = stores.DBInstanceIdentifier
	watchArgs.RedisMemberClusters = stores.RedisMemberClusters
	watchArgs.WebACLName = front.WebACLName
	for i, svc := range watchArgs.Services {
		watchArgs.Services[i].ServiceName = services.ServiceNames.MapIndex(pulumi.String(svc.Name))
		watchArgs.Services[i].TargetGroupARNSuffix = front.RouteTargetGroupARNSuffixes.MapIndex(pulumi.String(svc.Name))
	}
	watch, err := monitoring.New(ctx, name, watchArgs)
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
	ctx.Export("dbCredentialsSecretArn", store.DBCredentialsSecretARN)
	ctx.Export("redisCredentialsSecretArn", store.RedisCredentialsSecretARN)
	ctx.Export("alertsTopicArn", watch.AlertsTopicARN)
	// The tag this deployment runs: the next one keeps it unless given
	// another. What the services still wait for, empty once they run.
	ctx.Export(release.ImageTagOutput, pulumi.String(status.ImageTag))
	ctx.Export("servicesWaitingFor", pulumi.ToStringArray(status.Waiting))
	return nil
}
