// Package release decides, before anything is registered, what a stack's
// services run in this deployment: which image tag, and whether they may
// start at all.
//
// A brand-new stack has an empty image repository and operator-owned
// secrets without a value; tasks started then crash-loop
// (CannotPullContainerError, ResourceInitializationError) and page. So the
// services start at zero tasks, autoscaling included, until both exist, and
// the run says what is missing and how to provide it. The next `up` after
// that starts them.
//
// The image tag is a run input, never config: ARRAKIS_IMAGE_TAG (`make up
// IMAGE_TAG=…`) when given, otherwise the tag the previous deployment ran,
// read from the stack's own outputs. So a plain `pulumi up` never changes
// the image and never stops a running service.
package release

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ImageTagOutput is the stack output that records the tag a deployment
// runs; the next deployment keeps it when no tag is given.
const ImageTagOutput = "imageTag"

// currentStage is the label Secrets Manager gives a secret's value.
const currentStage = "AWSCURRENT"

// Secret is an operator-owned secret the services read at start.
type Secret struct {
	// Name is the secret's name, arrakis-<stack>/<leaf>.
	Name string
	// Seeded is true when the stack's config writes its first value.
	Seeded bool
	// Example is what an operator puts: a file or a variable.
	Example string
}

// Request is what Resolve needs to know about the stack.
type Request struct {
	// ImageTag is the run's ARRAKIS_IMAGE_TAG, "" when not given.
	ImageTag string
	// Repository is the name of the stack's image repository.
	Repository string
	// Secrets are the operator-owned secrets.
	Secrets []Secret
}

// Status is what this deployment runs.
type Status struct {
	// ImageTag is the tag both services run; "" when there is none yet.
	ImageTag string
	// Waiting says, in plain words, what the services wait for, each with
	// how to provide it; empty when they run.
	Waiting []string
}

// Running reports whether the services run their configured task counts.
func (s Status) Running() bool { return len(s.Waiting) == 0 }

// Message is what `up` prints when the services wait.
func (s Status) Message(stack string) string {
	if s.Running() {
		return ""
	}
	msg := fmt.Sprintf("stack %s: the API and the worker run 0 tasks until they have", stack)
	for _, w := range s.Waiting {
		msg += "\n  - " + w
	}
	return msg + fmt.Sprintf("\nThen run `make up STACK=%s` again (with IMAGE_TAG=<tag> if no image is deployed yet): the tasks start.", stack)
}

// Resolve looks up the previous deployment's image tag and the operator
// secrets' values, and decides.
func Resolve(ctx *pulumi.Context, req Request) (Status, error) {
	tag := req.ImageTag
	if tag == "" {
		prev, err := previousImageTag(ctx)
		if err != nil {
			return Status{}, err
		}
		tag = prev
	}
	set, err := secretsWithValue(ctx, req.Secrets)
	if err != nil {
		return Status{}, err
	}
	return Decide(tag, req, set), nil
}

// Decide is the pure part of Resolve: the services run once there is an
// image tag and every operator secret has a value (or an initial value
// from config, arrakis:appConfigSeed / arrakis:vaultTokenSeed).
func Decide(tag string, req Request, withValue map[string]bool) Status {
	st := Status{ImageTag: tag}
	if tag == "" {
		st.Waiting = append(st.Waiting, fmt.Sprintf(
			"an image in %s: push one, then deploy it with `make up IMAGE_TAG=<tag>` (or %s=<tag> pulumi up)",
			req.Repository, "ARRAKIS_IMAGE_TAG"))
	}
	for _, s := range req.Secrets {
		if s.Seeded || withValue[s.Name] {
			continue
		}
		st.Waiting = append(st.Waiting, fmt.Sprintf(
			"a value in secret %s: aws secretsmanager put-secret-value --secret-id %s --secret-string %s",
			s.Name, s.Name, s.Example))
	}
	return st
}

// previousImageTag reads the imageTag output of this stack's last
// deployment through a reference to the stack itself; "" for a stack never
// deployed, or deployed without an image.
func previousImageTag(ctx *pulumi.Context) (string, error) {
	name := fmt.Sprintf("%s/%s/%s", ctx.Organization(), ctx.Project(), ctx.Stack())
	self, err := pulumi.NewStackReference(ctx, name, nil)
	if err != nil {
		return "", fmt.Errorf("reading the previous deployment of %s: %w", name, err)
	}
	out, err := self.GetOutputDetails(ImageTagOutput)
	if err != nil {
		return "", fmt.Errorf("reading output %s of the previous deployment of %s: %w", ImageTagOutput, name, err)
	}
	tag, _ := out.Value.(string)
	return tag, nil
}

// secretsWithValue asks Secrets Manager which of the secrets exist with a
// current value. Listing is read-only and never returns a value: ListSecrets
// finds the secrets (none on a new stack), ListSecretVersionIds tells
// whether one has an AWSCURRENT version.
func secretsWithValue(ctx *pulumi.Context, secrets []Secret) (map[string]bool, error) {
	var names []string
	for _, s := range secrets {
		if !s.Seeded {
			names = append(names, s.Name)
		}
	}
	set := map[string]bool{}
	if len(names) == 0 {
		return set, nil
	}
	found, err := secretsmanager.GetSecrets(ctx, &secretsmanager.GetSecretsArgs{
		Filters: []secretsmanager.GetSecretsFilter{{Name: "name", Values: names}},
	})
	if err != nil {
		return nil, fmt.Errorf("listing the operator secrets %v: %w", names, err)
	}
	for _, name := range names {
		if !slices.Contains(found.Names, name) {
			continue
		}
		versions, err := secretsmanager.GetSecretVersions(ctx, &secretsmanager.GetSecretVersionsArgs{SecretId: name})
		if err != nil {
			return nil, fmt.Errorf("listing the versions of secret %s: %w", name, err)
		}
		for _, v := range versions.Versions {
			if slices.Contains(v.VersionStages, currentStage) {
				set[name] = true
			}
		}
	}
	return set, nil
}
