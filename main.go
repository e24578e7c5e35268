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

	"github.com/arrakis/infrastructure/internal/cli"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/network"
)

// appPort is the port the API container listens on.
const appPort = 3000

func main() {
	if len(os.Args) > 1 && cli.Handles(os.Args[1]) {
		os.Exit(cli.Main(os.Args[1:], run, os.Stdout, os.Stderr))
	}
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

	ctx.Export("vpcId", net.VPCID)
	// The tag running now, so previews and drift checks keep it (Makefile, CI).
	ctx.Export("imageTag", pulumi.String(cfg.API.ImageTag))
	return nil
}
