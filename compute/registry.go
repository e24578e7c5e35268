package compute

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/naming"
)

// KeepImages is how many of the newest images the repository keeps. CI
// pushes one per commit; a rollback further back than this means a rebuild.
const KeepImages = 10

// RepositoryName is the name of a stack's image repository,
// arrakis-<stack>-api: both tasks run its images.
func RepositoryName(stack string) string { return naming.New(stack).Name("api", naming.LimitDefault) }

// repository creates the image repository both tasks run from: scanned on
// push, expiring all but the newest images, tags immutable where CI pushes
// one per commit. A protected repository is never force-deleted; an
// unprotected one is, so a staging destroy does not stop at its images.
func (b *builder) repository() error {
	a := b.args
	mutability := "MUTABLE"
	if a.ImmutableTags {
		mutability = "IMMUTABLE"
	}
	repo, err := ecr.NewRepository(b.Ctx, b.Child("api-repository"), &ecr.RepositoryArgs{
		Name:               pulumi.String(RepositoryName(b.Ctx.Stack())),
		ImageTagMutability: pulumi.String(mutability),
		ImageScanningConfiguration: &ecr.RepositoryImageScanningConfigurationArgs{
			ScanOnPush: pulumi.Bool(true),
		},
		EncryptionConfigurations: ecr.RepositoryEncryptionConfigurationArray{&ecr.RepositoryEncryptionConfigurationArgs{
			EncryptionType: pulumi.String("AES256"),
		}},
		ForceDelete: pulumi.Bool(!a.Protect),
	}, b.Stateful()...)
	if err != nil {
		return err
	}
	policy, err := LifecyclePolicy(KeepImages)
	if err != nil {
		return err
	}
	if _, err := ecr.NewLifecyclePolicy(b.Ctx, b.Child("api-repository-lifecycle"), &ecr.LifecyclePolicyArgs{
		Repository: repo.Name,
		Policy:     pulumi.String(policy),
	}, b.Parent); err != nil {
		return err
	}
	b.c.RepositoryURL = repo.RepositoryUrl
	b.c.RepositoryName = repo.Name
	return nil
}

// lifecyclePolicy is an ECR lifecycle policy document.
type lifecyclePolicy struct {
	Rules []lifecycleRule `json:"rules"`
}

type lifecycleRule struct {
	RulePriority int                `json:"rulePriority"`
	Description  string             `json:"description"`
	Selection    lifecycleSelection `json:"selection"`
	Action       lifecycleAction    `json:"action"`
}

type lifecycleSelection struct {
	TagStatus   string `json:"tagStatus"`
	CountType   string `json:"countType"`
	CountNumber int    `json:"countNumber"`
}

type lifecycleAction struct {
	Type string `json:"type"`
}

// LifecyclePolicy expires every image but the newest keep, tagged or not.
func LifecyclePolicy(keep int) (string, error) {
	if keep < 1 {
		return "", fmt.Errorf("keeping %d images would expire the running one", keep)
	}
	doc := lifecyclePolicy{Rules: []lifecycleRule{{
		RulePriority: 1,
		Description:  fmt.Sprintf("Keep the newest %d images", keep),
		Selection:    lifecycleSelection{TagStatus: "any", CountType: "imageCountMoreThan", CountNumber: keep},
		Action:       lifecycleAction{Type: "expire"},
	}}}
	out, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("marshalling lifecycle policy: %w", err)
	}
	return string(out), nil
}
