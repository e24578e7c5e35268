package compute

import (
	"encoding/json"
	"fmt"
	"slices"
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

// Documents are the container definitions and execution role policy of
// each task whose log group w holds, as JSON, keyed by containersKey and
// policyKey, and — given both the API's and the worker's — the policy of
// the role they may share. Both come from the same typed definitions, so
// the role reads exactly the secrets the containers reference.
func Documents(a *Args, w Refs) (map[string]string, error) {
	s := Spec{
		Image:   w.RepositoryURL + ":" + imageTag(a.ImageTag),
		Region:  a.Region,
		App:     a.App,
		Secrets: w.Secrets,
	}
	out := map[string]string{}
	var shared []ContainerDefinition
	for _, name := range a.allTasks() {
		var ok bool
		if s.LogGroup, ok = w.LogGroups[name]; !ok {
			continue
		}
		var def ContainerDefinition
		switch svc, configured := a.service(name); {
		case name == APIContainer:
			def = APIDefinition(s)
		case name == WorkerContainer:
			def = WorkerDefinition(s)
		case configured:
			def = ServiceDefinition(s, svc)
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
		if slices.Contains(taskNames, name) {
			shared = append(shared, def)
		}
	}
	// The pair of roles taken over from Terraform serves the API and the
	// worker only; every configured service has its own.
	if len(shared) != len(taskNames) {
		return out, nil
	}
	secrets, err := ReferencedSecrets(shared...)
	if err != nil {
		return nil, err
	}
	if out[sharedPolicyKey], err = ExecutionPolicy(a.Region, secrets, w.SecretsKeyARN).JSON(); err != nil {
		return nil, err
	}
	return out, nil
}

// renderDocuments computes Documents once the repository, the log groups
// and the secrets exist: the API's and the worker's together (they may
// share a role), each configured service's on its own, so that no task's
// documents wait for another's log group. Nothing is created inside the
// applies: they only render JSON.
func (b *builder) renderDocuments() error {
	a := b.args
	b.documents = map[string]pulumi.StringMapOutput{}
	render := func(tasks []string) pulumi.StringMapOutput {
		inputs := []any{
			b.c.RepositoryURL, a.AppConfigSecretARN, a.DBCredentialsSecretARN, a.RedisCredentialsSecretARN,
			a.VaultTokenSecretARN, a.SecretsKeyARN,
		}
		const fixed = 6
		for _, name := range tasks {
			inputs = append(inputs, b.tasks[name].logGroup)
		}
		return pulumi.All(inputs...).ApplyT(func(v []any) (map[string]string, error) {
			groups := map[string]string{}
			for i, name := range tasks {
				groups[name] = v[fixed+i].(string)
			}
			return Documents(a, Refs{
				RepositoryURL: v[0].(string),
				LogGroups:     groups,
				Secrets: SecretARNs{
					AppConfig: v[1].(string), DBCredentials: v[2].(string),
					RedisCredentials: v[3].(string), VaultToken: v[4].(string),
				},
				SecretsKeyARN: v[5].(string),
			})
		}).(pulumi.StringMapOutput)
	}
	core := render(taskNames)
	for _, name := range taskNames {
		b.documents[name] = core
	}
	for _, name := range a.serviceNames() {
		b.documents[name] = render([]string{name})
	}
	return nil
}

// document is one of the documents rendered with a task's.
func (b *builder) document(task, key string) pulumi.StringOutput {
	return b.documents[task].MapIndex(pulumi.String(key))
}

// taskDefinitions registers each task: Fargate, awsvpc, Linux on x86-64,
// sized from config, with a scratch volume for the read-only containers.
func (b *builder) taskDefinitions() error {
	a := b.args
	sizes := map[string][2]int{
		APIContainer:    {a.API.CPU, a.API.Memory},
		WorkerContainer: {a.Worker.CPU, a.Worker.Memory},
	}
	for _, s := range a.Services {
		sizes[s.Name] = [2]int{s.CPU, s.Memory}
	}
	for _, name := range a.allTasks() {
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
			ContainerDefinitions: b.document(name, containersKey(name)),
			Volumes:              ecs.TaskDefinitionVolumeArray{&ecs.TaskDefinitionVolumeArgs{Name: pulumi.String(tmpVolume)}},
		}, b.Parent)
		if err != nil {
			return err
		}
		t.taskDefinition = td.Arn
	}
	return nil
}
