package config

// Namespace is the Pulumi config namespace of this project.
const Namespace = "arrakis"

// Tier decides the safety nets that only production-grade stacks carry:
// Pulumi `protect`, ALB deletion protection, immutable image tags, final
// snapshots and a minimum secret recovery window.
type Tier string

const (
	// TierProduction is the default: every data-loss guard on.
	TierProduction Tier = "production"
	// TierEphemeral stacks (staging, previews) must be destroyable with one
	// `pulumi destroy`, so they carry no protect and no final snapshots.
	TierEphemeral Tier = "ephemeral"
)

// NATStrategy is how many NAT gateways the VPC gets.
type NATStrategy string

const (
	// NATSingle is one NAT gateway for the whole VPC (the team's Terraform made this cost choice).
	NATSingle NATStrategy = "single"
	// NATPerAZ is one NAT gateway per availability zone.
	NATPerAZ NATStrategy = "perAz"
)

// Config is every setting of one stack, validated.
type Config struct {
	Project string
	Stack   string
	// Region is aws:region; every availability zone lies in it.
	Region string
	// DefaultTags are the provider's aws:defaultTags.tags.
	DefaultTags map[string]string

	// ImageTag is the tag of the arrakis-<stack>-api image to deploy in this
	// run, from the ARRAKIS_IMAGE_TAG environment variable (`make up
	// IMAGE_TAG=…`); empty keeps the tag the stack runs now. It is a run
	// input, never config: a tag in a committed file would be rewritten by
	// every deploy.
	ImageTag string

	Tier       Tier
	Network    Network
	API        API
	Worker     Worker
	App        App
	Database   Database
	Redis      Redis
	Edge       Edge
	Monitoring Monitoring
	Secrets    Secrets
	Cost       Cost
	// Adopted keeps what a stack taken over from Terraform must keep; empty
	// for stacks this program created.
	Adopted Adopted
	// Services are the services beyond the API and the worker, by name.
	Services map[string]Service
}

// Production reports whether the stack carries the production safety nets.
func (c *Config) Production() bool { return c.Tier == TierProduction }

// Network is arrakis:network.
type Network struct {
	CIDR               string      `json:"cidr"`
	AvailabilityZones  []string    `json:"availabilityZones"`
	PublicSubnets      []string    `json:"publicSubnets"`
	PrivateSubnets     []string    `json:"privateSubnets"`
	NATGateways        NATStrategy `json:"natGateways"`
	InterfaceEndpoints []string    `json:"interfaceEndpoints"`
	// TaskEgressPorts are the TCP ports the tasks may reach on the internet
	// (through the NAT): HTTPS for Discord, RPC and AWS APIs, 8200 for HCP
	// Vault.
	TaskEgressPorts []int `json:"taskEgressPorts"`
}

// API is arrakis:api, the REST API and Discord bot service.
type API struct {
	CPU          int `json:"cpu"`
	Memory       int `json:"memory"`
	DesiredCount int `json:"desiredCount"`
	MinCount     int `json:"minCount"`
	MaxCount     int `json:"maxCount"`
	// Spot lets tasks above the on-demand base of MinCount run on FARGATE_SPOT.
	Spot bool `json:"spot"`
	// Target-tracking autoscaling targets.
	CPUTarget         int `json:"cpuTarget"`
	MemoryTarget      int `json:"memoryTarget"`
	RequestsPerTarget int `json:"requestsPerTarget"`
}

// Worker is arrakis:worker, the background job runner.
type Worker struct {
	CPU          int  `json:"cpu"`
	Memory       int  `json:"memory"`
	DesiredCount int  `json:"desiredCount"`
	Spot         bool `json:"spot"`
}

// App is arrakis:app: the application settings passed to both containers.
type App struct {
	NodeEnv                string `json:"nodeEnv"`
	LogLevel               string `json:"logLevel"`
	FeatureVaultEnabled    bool   `json:"featureVaultEnabled"`
	FeatureBillingEnabled  bool   `json:"featureBillingEnabled"`
	FeatureTelegramEnabled bool   `json:"featureTelegramEnabled"`
	// ConfigKeys are the JSON keys of the app-config secret; each becomes an
	// environment variable of the same name, injected from Secrets Manager.
	ConfigKeys []string `json:"configKeys"`
}

// Database is arrakis:database, the RDS PostgreSQL instance.
type Database struct {
	InstanceClass       string `json:"instanceClass"`
	EngineVersion       string `json:"engineVersion"`
	AllocatedStorage    int    `json:"allocatedStorage"`
	MaxAllocatedStorage int    `json:"maxAllocatedStorage"`
	MultiAZ             bool   `json:"multiAz"`
	BackupRetentionDays int    `json:"backupRetentionDays"`
	DeletionProtection  bool   `json:"deletionProtection"`
	// BackupWindow is hh24:mi-hh24:mi in UTC.
	BackupWindow string `json:"backupWindow"`
	// MaintenanceWindow is ddd:hh24:mi-ddd:hh24:mi in UTC.
	MaintenanceWindow string `json:"maintenanceWindow"`
	// MonitoringIntervalSeconds is how often RDS enhanced monitoring
	// samples the operating system (1, 5, 10, 15, 30 or 60; 0 turns it off).
	MonitoringIntervalSeconds int `json:"monitoringIntervalSeconds"`
}

// Redis is arrakis:redis, the ElastiCache replication group.
type Redis struct {
	NodeType              string `json:"nodeType"`
	EngineVersion         string `json:"engineVersion"`
	Nodes                 int    `json:"nodes"`
	SnapshotRetentionDays int    `json:"snapshotRetentionDays"`
	SnapshotWindow        string `json:"snapshotWindow"`
	MaintenanceWindow     string `json:"maintenanceWindow"`
}

// Edge is arrakis:edge, the load balancer's public face.
type Edge struct {
	DomainName string `json:"domainName"`
	// HostedZoneID, when set, lets the program create the certificate's
	// validation records and the alias record in Route 53.
	HostedZoneID string `json:"hostedZoneId"`
	// CertificateARN, when set, is an ACM certificate for DomainName that is
	// already issued, in aws:region: the load balancer serves it and the
	// program requests none (for DNS outside Route 53).
	CertificateARN string `json:"certificateArn"`
	// AccessLogsBucket, when set, receives the ALB access logs.
	AccessLogsBucket string `json:"accessLogsBucket"`
	// WAF is the web ACL in front of the load balancer.
	WAF WAF `json:"waf"`
}

// WAF is arrakis:edge.waf.
type WAF struct {
	// Enabled puts a WAFv2 web ACL in front of the load balancer: AWS's
	// managed rule groups (IP reputation, common rule set, known bad
	// inputs) and a per-address rate limit.
	Enabled bool `json:"enabled"`
	// RateLimit is how many requests one client address may make in five
	// minutes before the rate rule blocks it (until it slows down).
	RateLimit int `json:"rateLimitPer5Minutes"`
}

// Monitoring is arrakis:monitoring.
type Monitoring struct {
	AlarmEmails      []string   `json:"alarmEmails"`
	LogRetentionDays int        `json:"logRetentionDays"`
	Thresholds       Thresholds `json:"thresholds"`
}

// Thresholds are the alarm thresholds a stack may override.
type Thresholds struct {
	APICPUPercent            float64 `json:"apiCpuPercent"`
	APIMemoryPercent         float64 `json:"apiMemoryPercent"`
	WorkerCPUPercent         float64 `json:"workerCpuPercent"`
	WorkerMemoryPercent      float64 `json:"workerMemoryPercent"`
	ALB5xxRatePercent        float64 `json:"alb5xxRatePercent"`
	Target5xxRatePercent     float64 `json:"target5xxRatePercent"`
	ResponseTimeP99Seconds   float64 `json:"responseTimeP99Seconds"`
	RDSCPUPercent            float64 `json:"rdsCpuPercent"`
	RDSFreeStorageGiB        float64 `json:"rdsFreeStorageGiB"`
	RDSConnectionsPercent    float64 `json:"rdsConnectionsPercent"`
	RedisEngineCPUPercent    float64 `json:"redisEngineCpuPercent"`
	RedisMemoryPercent       float64 `json:"redisMemoryPercent"`
	RedisEvictionsPer5Minute float64 `json:"redisEvictionsPer5Minutes"`
	// WAFBlockedPer5Minutes is how many requests the web ACL may block in
	// five minutes before the alarm calls it a spike.
	WAFBlockedPer5Minutes float64 `json:"wafBlockedRequestsPer5Minutes"`
}

// Secrets is arrakis:secrets.
type Secrets struct {
	// RecoveryWindowDays is how long a deleted secret can be restored:
	// 7–30, or 0 (immediate) on ephemeral stacks only.
	RecoveryWindowDays int `json:"recoveryWindowDays"`
	// AppConfigSeed and VaultTokenSeed come from the secret keys
	// arrakis:appConfigSeed and arrakis:vaultTokenSeed; they seed the
	// operator-owned secrets once and are never written again.
	AppConfigSeed  Secret `json:"-"`
	VaultTokenSeed Secret `json:"-"`
}

// Cost is arrakis:cost.
type Cost struct {
	// MonthlyBudgetUSD is the most the stack's estimate may reach.
	MonthlyBudgetUSD float64 `json:"monthlyBudgetUsd"`
}
