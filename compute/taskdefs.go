package compute

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/naming"
)

// NoImageTag is the tag the task definitions name while no image is
// deployed; no task runs them then.
const NoImageTag = "no-image-yet"

func imageTag(tag string) string {
	if tag == "" {
		return NoImageTag
	}
	return tag
}

// containersKey and policyKey index the documents computed for a task.
func containersKey(task string) string { return task + "/containers" }
func policyKey(task string) string     { return task + "/execution-policy" }

// sharedPolicyKey indexes the execution policy of a role both tasks share.
const sharedPolicyKey = "shared/execution-policy"

// Refs are the values the documents need that only exist once other
// resources do.
type Refs struct {
	RepositoryURL string
	LogGroups     map[string]string // by task
	Secrets       SecretARNs
	SecretsKeyARN string
}

// Documents are each task's container definitions and its execution role's
// policy, as JSON, keyed by containersKey and policyKey. Both come from the
// same typed definitions, so the role reads exactly the secrets the
// containers reference.
func Documents(a *Args, w Refs) (map[string]string, error) {
	s := Spec{
		Image:   w.RepositoryURL + ":" + imageTag(a.ImageTag),
		Region:  a.Region,
		App:     a.App,
		Secrets: w.Secrets,
	}
	out := map[string]string{}
	var all []ContainerDefinition
	for _, name := range taskNames {
		s.LogGroup = w.LogGroups[name]
		def := WorkerDefinition(s)
		if name == APIContainer {
			def = APIDefinition(s)
		}
		containers, err := json.Marshal([]ContainerDefinition{def})
		if err != nil {
			return nil, fmt.Errorf("marshalling %s containers: %w", name, err)
		}
		secrets, err := ReferencedSecrets(def)
		if err != nil {
			return nil, err
		}
		policy, err := ExecutionPolicy(a.Region, secrets, w.SecretsKeyARN).JSON()
		if err != nil {
			return nil, err
		}
		out[containersKey(name)] = string(containers)
		out[policyKey(name)] = policy
		all = append(all, def)
	}
	secrets, err := ReferencedSecrets(all...)
	if err != nil {
		return nil, err
	}
	if out[sharedPolicyKey], err = ExecutionPolicy(a.Region, secrets, w.SecretsKeyARN).JSON(); err != nil {
		return nil, err
	}
	return out, nil
}

// renderDocuments computes Documents once the repository, the log groups and the
// secrets exist. Nothing is created inside the apply: it only renders JSON.
func (b *builder) renderDocuments() error {
	a := b.args
	b.documents = pulumi.All(
		b.c.RepositoryURL, b.tasks[APIContainer].logGroup, b.tasks[WorkerContainer].logGroup,
		a.AppConfigSecretARN, a.DBCredentialsSecretARN, a.RedisCredentialsSecretARN, a.VaultTokenSecretARN,
		a.SecretsKeyARN,
	).ApplyT(func(v []any) (map[string]string, error) {
		return Documents(a, Refs{
			RepositoryURL: v[0].(string),
			LogGroups:     map[string]string{APIContainer: v[1].(string), WorkerContainer: v[2].(string)},
			Secrets: SecretARNs{
				AppConfig: v[3].(string), DBCredentials: v[4].(string),
				RedisCredentials: v[5].(string), VaultToken: v[6].(string),
			},
			SecretsKeyARN: v[7].(string),
		})
	}).(pulumi.StringMapOutput)
	return nil
}

// taskDefinitions registers each task: Fargate, awsvpc, Linux on x86-64,
// sized from config, with a scratch volume for the read-only containers.
func (b *builder) taskDefinitions() error {
	a := b.args
	sizes := map[string][2]int{
		APIContainer:    {a.API.CPU, a.API.Memory},
		WorkerContainer: {a.Worker.CPU, a.Worker.Memory},
	}
	for _, name := range taskNames {
		t := b.tasks[name]
		td, err := ecs.NewTaskDefinition(b.Ctx, b.Child(name+"-taskdef"), &ecs.TaskDefinitionArgs{
			Family:                  pulumi.String(b.Names.Name(name, naming.LimitDefault)),
			RequiresCompatibilities: pulumi.StringArray{pulumi.String("FARGATE")},
			NetworkMode:             pulumi.String("awsvpc"),
			Cpu:                     pulumi.String(strconv.Itoa(sizes[name][0])),
			Memory:                  pulumi.String(strconv.Itoa(sizes[name][1])),
			RuntimePlatform: &ecs.TaskDefinitionRuntimePlatformArgs{
				OperatingSystemFamily: pulumi.String("LINUX"),
				CpuArchitecture:       pulumi.String("X86_64"),
			},
			ExecutionRoleArn:     t.executionRoleARN,
			TaskRoleArn:          t.taskRoleARN,
			ContainerDefinitions: b.documents.MapIndex(pulumi.String(containersKey(name))),
			Volumes:              ecs.TaskDefinitionVolumeArray{&ecs.TaskDefinitionVolumeArgs{Name: pulumi.String(tmpVolume)}},
		}, b.Parent)
		if err != nil {
			return err
		}
		t.taskDefinition = td.Arn
	}
	return nil
}
