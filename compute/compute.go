package compute

import (
	"errors"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/component"
	"github.com/arrakis/infrastructure/internal/config"
)

const typeToken = "arrakis:compute:Compute"

// Args shapes the compute domain. Values that decide what is built are plain
// Go values; values wired from other domains are Pulumi inputs.
type Args struct {
	// Region and AccountID scope log configuration and IAM trust.
	Region    string
	AccountID string

	// From network.
	PrivateSubnetIDs     pulumi.StringArrayInput
	TasksSecurityGroupID pulumi.StringInput
	// From edge: the API's target group, and the ARN suffixes of the load
	// balancer and target group that name the requests-per-target metric.
	TargetGroupARN       pulumi.StringInput
	ALBARNSuffix         pulumi.StringInput
	TargetGroupARNSuffix pulumi.StringInput
	// From secrets: what the containers read, and the key that encrypts it.
	AppConfigSecretARN        pulumi.StringInput
	DBCredentialsSecretARN    pulumi.StringInput
	RedisCredentialsSecretARN pulumi.StringInput
	VaultTokenSecretARN       pulumi.StringInput
	SecretsKeyARN             pulumi.StringInput

	API    config.API
	Worker config.Worker
	App    config.App
	// ImageTag is the tag of the repository's image both tasks run; "" when
	// no image is deployed yet (the task definitions then name NoImageTag).
	ImageTag string
	// Running starts the configured task counts. Without it both services
	// run 0 tasks and autoscaling is pinned at 0: the stack waits for its
	// first image or its operator secrets.
	Running bool
	// LogRetentionDays applies to the container log groups.
	LogRetentionDays int
	// Protect puts Pulumi's protect on the image repository and keeps
	// `pulumi destroy` from deleting it while it holds images.
	Protect bool
	// ImmutableTags makes the repository refuse to overwrite a pushed tag.
	ImmutableTags bool

	// LaunchTypes, when set for a task (api, worker), runs its service on
	// that launch type (FARGATE, on demand) instead of capacity providers:
	// a service taken over from Terraform keeps it, because moving a
	// service between the two replaces it.
	LaunchTypes map[string]string
	// SharedRoles, when set, gives both tasks one execution role and one
	// task role with these names, as the Terraform the stack was taken over
	// from had them; otherwise each task has its own pair.
	SharedRoles *SharedRoles

	// Services are the services beyond the API and the worker, each with
	// its own task, roles and log group; the routed ones are wired to
	// their target group and ingress rule.
	Services []Service
}

// FromConfig is the part of Args a stack's config decides; the caller adds
// the account, the image tag and whether the services run, and wires the
// other domains' outputs.
func FromConfig(cfg *config.Config) *Args {
	a := &Args{
		Region: cfg.Region, API: cfg.API, Worker: cfg.Worker, App: cfg.App,
		LogRetentionDays: cfg.Monitoring.LogRetentionDays,
		Protect:          cfg.Production(), ImmutableTags: cfg.Production(),
		LaunchTypes: cfg.Adopted.LaunchType,
		Services:    ServicesFromConfig(cfg),
	}
	if r := cfg.Adopted.Roles; r.Set() {
		a.SharedRoles = &SharedRoles{Execution: r.Execution, ExecutionPolicy: r.ExecutionPolicy, Task: r.Task}
	}
	return a
}

// SharedRoles are the names of the roles both tasks share.
type SharedRoles struct {
	Execution       string
	ExecutionPolicy string // the execution role's inline policy
	Task            string
}

// Compute is what other domains may use.
type Compute struct {
	pulumi.ResourceState

	ClusterName        pulumi.StringOutput `pulumi:"clusterName"`
	ClusterARN         pulumi.StringOutput `pulumi:"clusterArn"`
	APIServiceName     pulumi.StringOutput `pulumi:"apiServiceName"`
	WorkerServiceName  pulumi.StringOutput `pulumi:"workerServiceName"`
	RepositoryURL      pulumi.StringOutput `pulumi:"repositoryUrl"`
	RepositoryName     pulumi.StringOutput `pulumi:"repositoryName"`
	APILogGroupName    pulumi.StringOutput `pulumi:"apiLogGroupName"`
	WorkerLogGroupName pulumi.StringOutput `pulumi:"workerLogGroupName"`
	// Each task has its own execution role (what ECS may read to start it)
	// and task role (the application's identity).
	APIExecutionRoleARN    pulumi.StringOutput `pulumi:"apiExecutionRoleArn"`
	WorkerExecutionRoleARN pulumi.StringOutput `pulumi:"workerExecutionRoleArn"`
	APITaskRoleARN         pulumi.StringOutput `pulumi:"apiTaskRoleArn"`
	WorkerTaskRoleARN      pulumi.StringOutput `pulumi:"workerTaskRoleArn"`
	// ServiceNames are the ECS service names of the configured services,
	// by service.
	ServiceNames pulumi.StringMapOutput `pulumi:"serviceNames"`
}

// New builds the compute domain.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Compute, error) {
	return component.New(ctx, component.Spec{Type: typeToken, Kind: "compute", Protect: args.Protect}, name, args.validate,
		func(base component.Base, c *Compute) []component.Step {
			return (&builder{Base: base, args: args, c: c, tasks: map[string]*task{}}).steps()
		}, opts...)
}

// steps build the compute domain in order.
func (b *builder) steps() []component.Step {
	return []component.Step{
		{What: "image repository", Do: b.repository},
		{What: "log groups", Do: b.logGroups},
		{What: "cluster", Do: b.cluster},
		{What: "container definitions", Do: b.renderDocuments},
		{What: "IAM roles", Do: b.roles},
		{What: "task definitions", Do: b.taskDefinitions},
		{What: "services", Do: b.services},
		{What: "autoscaling", Do: b.autoscaling},
		{What: "outputs", Do: b.outputs},
	}
}

// outputs are what the component tells the others about its tasks.
func (b *builder) outputs() error {
	c, api, worker := b.c, b.tasks[APIContainer], b.tasks[WorkerContainer]
	c.APIServiceName, c.WorkerServiceName = api.serviceName, worker.serviceName
	c.APILogGroupName, c.WorkerLogGroupName = api.logGroup, worker.logGroup
	c.APIExecutionRoleARN, c.WorkerExecutionRoleARN = api.executionRoleARN, worker.executionRoleARN
	c.APITaskRoleARN, c.WorkerTaskRoleARN = api.taskRoleARN, worker.taskRoleARN
	names := pulumi.StringMap{}
	for _, name := range b.args.serviceNames() {
		names[name] = b.tasks[name].serviceName
	}
	c.ServiceNames = names.ToStringMapOutput()
	return nil
}

// builder carries what every step needs.
type builder struct {
	component.Base
	args *Args
	c    *Compute

	// tasks are the API, the worker and the configured services, by
	// container name.
	tasks map[string]*task
	// capacity is the cluster's capacity provider association; services
	// wait for it before asking for FARGATE_SPOT.
	capacity pulumi.Resource
	// documents holds, by task, its container definitions and execution
	// policy, computed together from the same typed values.
	documents map[string]pulumi.StringMapOutput
}

// task is what the steps learn about one task.
type task struct {
	name             string
	logGroup         pulumi.StringOutput
	executionRoleARN pulumi.StringOutput
	taskRoleARN      pulumi.StringOutput
	taskDefinition   pulumi.StringOutput
	serviceName      pulumi.StringOutput
	// ready are the resources a service needs before its tasks can start:
	// the execution role's policies.
	ready []pulumi.Resource
}

// taskNames are the two tasks, in a stable order.
var taskNames = []string{APIContainer, WorkerContainer}

func (a *Args) validate() error {
	inputs := []pulumi.Input{
		a.PrivateSubnetIDs, a.TasksSecurityGroupID, a.TargetGroupARN, a.ALBARNSuffix, a.TargetGroupARNSuffix,
		a.AppConfigSecretARN, a.DBCredentialsSecretARN, a.RedisCredentialsSecretARN, a.VaultTokenSecretARN, a.SecretsKeyARN,
	}
	for _, in := range inputs {
		if in == nil {
			return errors.New("every wired input (subnets, security group, target group, secrets) is required")
		}
	}
	switch {
	case a.Region == "" || a.AccountID == "":
		return errors.New("region and account id are required")
	case a.Running && a.ImageTag == "":
		return errors.New("running services need an image tag")
	case a.API.MinCount < 1 || a.API.MinCount > a.API.MaxCount:
		return fmt.Errorf("API task range %d–%d is empty", a.API.MinCount, a.API.MaxCount)
	case a.LogRetentionDays <= 0:
		return fmt.Errorf("log retention %d days must be positive", a.LogRetentionDays)
	case a.SharedRoles != nil && (a.SharedRoles.Execution == "" || a.SharedRoles.ExecutionPolicy == "" || a.SharedRoles.Task == ""):
		return errors.New("shared roles need an execution role, its policy and a task role")
	}
	for task, lt := range a.LaunchTypes {
		if !slices.Contains(taskNames, task) || lt != Fargate {
			return fmt.Errorf("launch type %q for %q: only FARGATE, for api or worker", lt, task)
		}
	}
	return a.validateServices()
}
