package config

// DefaultAppConfigKeys are the JSON keys of arrakis-<stack>/app-config that the
// application reads as environment variables.
var DefaultAppConfigKeys = []string{
	"BGT_ADDRESS", "BERACHAIN_RPC_URLS", "TRIGGER_PROJECT_ID", "TRIGGER_SECRET_KEY",
	"DISCORD_BOT_TOKEN", "DISCORD_GUILD_ID", "DISCORD_CHANNEL_THE_DOOR", "DISCORD_CHANNEL_CENSUS",
	"DISCORD_ROLE_NAIB", "DISCORD_ROLE_FEDAYKIN", "ADMIN_API_KEYS", "API_KEY_PEPPER",
	"RATE_LIMIT_SALT", "WEBHOOK_SECRET",
}

// defaults returns the value of every omitted key: the production values of
// the Terraform the team ran before this program.
func defaults() Config {
	return Config{
		Tier: TierProduction,
		Network: Network{
			CIDR:               "10.0.0.0/16",
			AvailabilityZones:  []string{"us-east-1a", "us-east-1b"},
			PublicSubnets:      []string{"10.0.101.0/24", "10.0.102.0/24"},
			PrivateSubnets:     []string{"10.0.1.0/24", "10.0.2.0/24"},
			NATGateways:        NATSingle,
			InterfaceEndpoints: []string{"ecr.api", "ecr.dkr", "logs"},
			TaskEgressPorts:    []int{443, 8200},
		},
		API: API{
			CPU: 512, Memory: 1024, DesiredCount: 2, MinCount: 2, MaxCount: 4,
			CPUTarget: 70, MemoryTarget: 80, RequestsPerTarget: 1000,
		},
		Worker: Worker{CPU: 256, Memory: 512, DesiredCount: 1, Spot: true},
		App: App{
			NodeEnv: "production", LogLevel: "info",
			FeatureVaultEnabled: true, FeatureBillingEnabled: false, FeatureTelegramEnabled: false,
			ConfigKeys: append([]string(nil), DefaultAppConfigKeys...),
		},
		Database: Database{
			InstanceClass: "db.t3.small", EngineVersion: "15.15",
			AllocatedStorage: 20, MaxAllocatedStorage: 100,
			MultiAZ: false, BackupRetentionDays: 7, DeletionProtection: true,
			BackupWindow: "03:00-04:00", MaintenanceWindow: "mon:04:00-mon:05:00",
			MonitoringIntervalSeconds: 60,
		},
		Redis: Redis{
			NodeType: "cache.t3.micro", EngineVersion: "7.1", Nodes: 1,
			SnapshotRetentionDays: 7,
			SnapshotWindow:        "02:00-03:00", MaintenanceWindow: "sun:05:00-sun:06:00",
		},
		Monitoring: Monitoring{
			LogRetentionDays: 30,
			Thresholds: Thresholds{
				APICPUPercent: 80, APIMemoryPercent: 80,
				WorkerCPUPercent: 80, WorkerMemoryPercent: 80,
				ALB5xxRatePercent: 5, Target5xxRatePercent: 5,
				ResponseTimeP99Seconds: 2,
				RDSCPUPercent:          80, RDSFreeStorageGiB: 2, RDSConnectionsPercent: 80,
				RedisEngineCPUPercent: 80, RedisMemoryPercent: 80, RedisEvictionsPer5Minute: 100,
				WAFBlockedPer5Minutes: 1000,
			},
		},
		Edge:     Edge{WAF: WAF{Enabled: true, RateLimit: 2000}},
		Secrets:  Secrets{RecoveryWindowDays: 30},
		Cost:     Cost{MonthlyBudgetUSD: 260},
		Services: map[string]Service{},
	}
}
