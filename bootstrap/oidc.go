package main

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// githubProvider creates GitHub's OIDC provider and returns its ARN.
func githubProvider(ctx *pulumi.Context) (pulumi.StringOutput, error) {
	p, err := iam.NewOpenIdConnectProvider(ctx, "github", &iam.OpenIdConnectProviderArgs{
		Url:           pulumi.String("https://" + githubIssuer),
		ClientIdLists: pulumi.StringArray{pulumi.String(githubAudience)},
	})
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return p.Arn, nil
}
