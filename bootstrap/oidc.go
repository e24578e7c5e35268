package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// providerKey names the ARN of a GitHub OIDC provider the account already
// has. IAM holds one provider per URL in an account, so where one exists
// (made by hand or by the Terraform era) creating another fails with
// EntityAlreadyExists; with this key set the bootstrap looks it up and
// trusts it instead, and leaves it alone: it stays out of this stack's
// state, so `pulumi destroy` never deletes it.
const providerKey = project + ":githubOidcProviderArn"

// githubProvider returns the ARN of GitHub's OIDC provider: the existing
// one named by config, checked to be GitHub's and to accept the STS
// audience, or a new one.
func githubProvider(ctx *pulumi.Context, account, existing string) (pulumi.StringOutput, error) {
	if existing == "" {
		p, err := iam.NewOpenIdConnectProvider(ctx, "github", &iam.OpenIdConnectProviderArgs{
			Url:           pulumi.String("https://" + githubIssuer),
			ClientIdLists: pulumi.StringArray{pulumi.String(githubAudience)},
		})
		if err != nil {
			return pulumi.StringOutput{}, err
		}
		return p.Arn, nil
	}
	want := fmt.Sprintf("arn:aws:iam::%s:oidc-provider/%s", account, githubIssuer)
	if existing != want {
		return pulumi.StringOutput{}, fmt.Errorf("%s: got %q; must be GitHub's provider in this account, %s", providerKey, existing, want)
	}
	found, err := iam.LookupOpenIdConnectProvider(ctx, &iam.LookupOpenIdConnectProviderArgs{Arn: pulumi.StringRef(existing)})
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("%s: looking up %s: %w", providerKey, existing, err)
	}
	if err := checkProvider(found.Url, found.ClientIdLists); err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("%s: %s %w", providerKey, existing, err)
	}
	return pulumi.String(found.Arn).ToStringOutput(), nil
}

// checkProvider accepts a provider for GitHub Actions' tokens whose client
// ids include the audience aws-actions/configure-aws-credentials asks for.
// IAM reports the URL without its scheme.
func checkProvider(url string, clientIDs []string) error {
	if host := strings.TrimPrefix(url, "https://"); host != githubIssuer {
		return fmt.Errorf("is the provider for %q, not %s", url, githubIssuer)
	}
	if !slices.Contains(clientIDs, githubAudience) {
		return fmt.Errorf("does not accept the audience %s (its client ids: %v); add it: aws iam add-client-id-to-open-id-connect-provider --client-id %s",
			githubAudience, clientIDs, githubAudience)
	}
	return nil
}
