// Package token is the vocabulary of the plan: the Pulumi type tokens of
// the resources this program registers and the function tokens of the
// invokes it calls, each written once. Everything that reads what the
// program registers — the plan, the policy checks, the cost model, the
// diagram, the Terraform adoption, the mock's fake outputs — names types
// through these constants, so a token cannot be misspelt in one reader and
// right in another.
//
// It is a package of its own, below internal/plan, because the mock needs
// the tokens too and internal/plan imports the mock. The constants are
// untyped strings: plan.Resource.Type is a string in the JSON document, and
// untyped constants compare with it, key maps by it and convert to
// tokens.Type without ceremony.
package token

// Network: the awsx VPC, what awsx creates inside it, and the program's own
// network resources (pulumi-aws v6 and awsx v2 tokens).
const (
	AwsxVPC                  = "awsx:ec2:Vpc"
	VPC                      = "aws:ec2/vpc:Vpc"
	Subnet                   = "aws:ec2/subnet:Subnet"
	RouteTable               = "aws:ec2/routeTable:RouteTable"
	RouteTableAssociation    = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	Route                    = "aws:ec2/route:Route"
	InternetGateway          = "aws:ec2/internetGateway:InternetGateway"
	NATGateway               = "aws:ec2/natGateway:NatGateway"
	EIP                      = "aws:ec2/eip:Eip"
	SecurityGroup            = "aws:ec2/securityGroup:SecurityGroup"
	DefaultSecurityGroup     = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	SecurityGroupRule        = "aws:ec2/securityGroupRule:SecurityGroupRule"
	SecurityGroupIngressRule = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	SecurityGroupEgressRule  = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	FlowLog                  = "aws:ec2/flowLog:FlowLog"
	VPCEndpoint              = "aws:ec2/vpcEndpoint:VpcEndpoint"
)

// Compute: ECS, its autoscaling, ECR and IAM.
const (
	ECSCluster                  = "aws:ecs/cluster:Cluster"
	ECSClusterCapacityProviders = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"
	ECSService                  = "aws:ecs/service:Service"
	ECSTaskDefinition           = "aws:ecs/taskDefinition:TaskDefinition"
	ScalableTarget              = "aws:appautoscaling/target:Target"
	ScalingPolicy               = "aws:appautoscaling/policy:Policy"
	ECRRepository               = "aws:ecr/repository:Repository"
	ECRLifecyclePolicy          = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
	ECRRepositoryPolicy         = "aws:ecr/repositoryPolicy:RepositoryPolicy"
	IAMRole                     = "aws:iam/role:Role"
	IAMRolePolicy               = "aws:iam/rolePolicy:RolePolicy"
	IAMPolicy                   = "aws:iam/policy:Policy"
	IAMRolePolicyAttachment     = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	IAMOpenIDConnectProvider    = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
)

// Data: PostgreSQL on RDS, Redis on ElastiCache, S3.
const (
	RDSInstance                 = "aws:rds/instance:Instance"
	RDSParameterGroup           = "aws:rds/parameterGroup:ParameterGroup"
	RDSSubnetGroup              = "aws:rds/subnetGroup:SubnetGroup"
	ElastiCacheReplicationGroup = "aws:elasticache/replicationGroup:ReplicationGroup"
	ElastiCacheSubnetGroup      = "aws:elasticache/subnetGroup:SubnetGroup"
	ElastiCacheParameterGroup   = "aws:elasticache/parameterGroup:ParameterGroup"
	S3Bucket                    = "aws:s3/bucket:Bucket"
	S3BucketV2                  = "aws:s3/bucketV2:BucketV2"
)

// Edge: the load balancer, its certificate and DNS.
const (
	LoadBalancer             = "aws:lb/loadBalancer:LoadBalancer"
	TargetGroup              = "aws:lb/targetGroup:TargetGroup"
	Listener                 = "aws:lb/listener:Listener"
	ListenerRule             = "aws:lb/listenerRule:ListenerRule"
	ACMCertificate           = "aws:acm/certificate:Certificate"
	ACMCertificateValidation = "aws:acm/certificateValidation:CertificateValidation"
	Route53Zone              = "aws:route53/zone:Zone"
	Route53Record            = "aws:route53/record:Record"
)

// Secrets and keys.
const (
	KMSKey         = "aws:kms/key:Key"
	KMSAlias       = "aws:kms/alias:Alias"
	Secret         = "aws:secretsmanager/secret:Secret"
	SecretVersion  = "aws:secretsmanager/secretVersion:SecretVersion"
	RandomPassword = "random:index/randomPassword:RandomPassword"
)

// Monitoring: logs, alarms, the dashboard and the alerts topic.
const (
	LogGroup             = "aws:cloudwatch/logGroup:LogGroup"
	MetricAlarm          = "aws:cloudwatch/metricAlarm:MetricAlarm"
	WebACL               = "aws:wafv2/webAcl:WebAcl"
	WebACLAssociation    = "aws:wafv2/webAclAssociation:WebAclAssociation"
	WebACLLogging        = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
	BackupSelection      = "aws:backup/selection:Selection"
	SecretRotation       = "aws:secretsmanager/secretRotation:SecretRotation"
	CompositeAlarm       = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
	Dashboard            = "aws:cloudwatch/dashboard:Dashboard"
	SNSTopic             = "aws:sns/topic:Topic"
	SNSTopicPolicy       = "aws:sns/topicPolicy:TopicPolicy"
	SNSTopicSubscription = "aws:sns/topicSubscription:TopicSubscription"
)

// Pulumi's own resources.
const (
	// StackReference is read, not created: the program's view of its own
	// previous deployment.
	StackReference = "pulumi:pulumi:StackReference"
	// ProviderPrefix starts the type token of every provider resource
	// ("pulumi:providers:aws").
	ProviderPrefix = "pulumi:providers:"
)

// Function tokens of the invokes the program calls.
const (
	GetCallerIdentity = "aws:index/getCallerIdentity:getCallerIdentity"
	GetPartition      = "aws:index/getPartition:getPartition"
	GetRegion         = "aws:index/getRegion:getRegion"
	GetRouteTable     = "aws:ec2/getRouteTable:getRouteTable"
	GetSecrets        = "aws:secretsmanager/getSecrets:getSecrets"
	GetSecretVersions = "aws:secretsmanager/getSecretVersions:getSecretVersions"
)

// Function tokens of the invokes the bootstrap program calls.
const (
	GetOpenIDConnectProvider = "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider"
)
