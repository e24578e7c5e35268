package config

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"

	"github.com/arrakis/infrastructure/internal/naming"
	"github.com/arrakis/infrastructure/internal/rdsclass"
)

var (
	regionPattern      = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-\d$`)
	imageTagPattern    = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	cacheTypePattern   = regexp.MustCompile(`^cache\.[a-z0-9]+\.[a-z0-9]+$`)
	redisVerPattern    = regexp.MustCompile(`^(6\.2|7\.[01])$`)
	envNamePattern     = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)
	hostedZonePattern  = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
	bucketPattern      = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	dnsLabelPattern    = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	endpointSvcPattern = regexp.MustCompile(`^[a-z0-9-]+(\.[a-z0-9-]+)*$`)
	certificatePattern = regexp.MustCompile(`^arn:aws:acm:([a-z0-9-]+):\d{12}:certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// validate checks every value of cfg; problems go to ps.
func validate(cfg *Config, ps *problems) {
	if cfg.Tier != TierProduction && cfg.Tier != TierEphemeral {
		ps.add(key(tierKey), string(cfg.Tier), "must be %q or %q", TierProduction, TierEphemeral)
	}
	validateNetwork(cfg, ps)
	validateServices(cfg, ps)
	validateApp(&cfg.App, ps)
	validateDatabase(&cfg.Database, ps)
	validateRedis(&cfg.Redis, ps)
	validateEdge(&cfg.Edge, cfg.Region, ps)
	validateMonitoring(&cfg.Monitoring, ps)
	if free, size := cfg.Monitoring.Thresholds.RDSFreeStorageGiB, cfg.Database.AllocatedStorage; free >= float64(size) {
		ps.add(key("monitoring", "thresholds", "rdsFreeStorageGiB"), free, "must be below %s (%d GiB), or the alarm fires on an empty database", key("database", "allocatedStorage"), size)
	}
	validateSecrets(cfg, ps)
	validateAdopted(cfg, ps)
	validateServiceMap(cfg, ps)
	if cfg.Cost.MonthlyBudgetUSD <= 0 {
		ps.add(key("cost", "monthlyBudgetUsd"), cfg.Cost.MonthlyBudgetUSD, "must be a positive number of US dollars")
	}
}

func validateServices(cfg *Config, ps *problems) {
	if cfg.ImageTag != "" && !imageTagPattern.MatchString(cfg.ImageTag) {
		ps.add(ImageTagEnv, cfg.ImageTag, "must be a Docker image tag: letters, digits, _ . - (up to 128, not starting with . or -), or be empty to keep the running tag")
	}
	a := &cfg.API
	fargate(ps, "api", a.CPU, a.Memory)
	for _, c := range []struct {
		name string
		v    int
	}{{"desiredCount", a.DesiredCount}, {"minCount", a.MinCount}} {
		if c.v < 0 {
			ps.add(key("api", c.name), c.v, "must be 0 or more")
		}
	}
	if a.MaxCount < 1 {
		ps.add(key("api", "maxCount"), a.MaxCount, "must be at least 1")
	}
	if a.MinCount > a.DesiredCount || a.DesiredCount > a.MaxCount {
		ps.add(key("api", "desiredCount"), a.DesiredCount, "must satisfy minCount (%d) <= desiredCount <= maxCount (%d)", a.MinCount, a.MaxCount)
	}
	for _, t := range []struct {
		name string
		v    int
	}{{"cpuTarget", a.CPUTarget}, {"memoryTarget", a.MemoryTarget}} {
		if t.v < 10 || t.v > 95 {
			ps.add(key("api", t.name), t.v, "must be a utilisation percentage between 10 and 95")
		}
	}
	if a.RequestsPerTarget < 1 {
		ps.add(key("api", "requestsPerTarget"), a.RequestsPerTarget, "must be at least 1 request per target per minute")
	}

	w := &cfg.Worker
	fargate(ps, "worker", w.CPU, w.Memory)
	if w.DesiredCount < 0 {
		ps.add(key("worker", "desiredCount"), w.DesiredCount, "must be 0 or more")
	}
}

func fargate(ps *problems, section string, cpu, memory int) {
	if _, ok := fargateMemory[cpu]; !ok {
		ps.add(key(section, "cpu"), cpu, "must be a Fargate CPU size: %s", joinInts(FargateCPUs()))
		return
	}
	if !ValidFargate(cpu, memory) {
		ps.add(key(section, "memory"), memory, "with cpu %d Fargate accepts memory %s (MiB)", cpu, fargateMemoryText(cpu))
	}
}

func validateApp(a *App, ps *problems) {
	if a.NodeEnv == "" {
		ps.add(key("app", "nodeEnv"), a.NodeEnv, "must not be empty (e.g. production)")
	}
	if !slices.Contains(LogLevels, a.LogLevel) {
		ps.add(key("app", "logLevel"), a.LogLevel, "must be one of %s", strings.Join(LogLevels, ", "))
	}
	if len(a.ConfigKeys) == 0 {
		ps.add(key("app", "configKeys"), a.ConfigKeys, "must list at least one key of the app-config secret")
	}
	seen := map[string]bool{}
	for _, k := range a.ConfigKeys {
		switch {
		case !envNamePattern.MatchString(k):
			ps.add(key("app", "configKeys"), k, "each key must be an environment variable name (A-Z, 0-9, _)")
		case seen[k]:
			ps.add(key("app", "configKeys"), k, "each key may appear once")
		case reservedEnv[k]:
			ps.add(key("app", "configKeys"), k, "is already set by the program; choose another name")
		}
		seen[k] = true
	}
}

// reservedEnv are the variables the program itself sets in the containers.
var reservedEnv = map[string]bool{
	"NODE_ENV": true, "PORT": true, "API_PORT": true, "API_HOST": true, "LOG_LEVEL": true,
	"VAULT_NAMESPACE": true, "DISABLE_PII_SCRUBBING": true, "FEATURE_VAULT_ENABLED": true,
	"FEATURE_BILLING_ENABLED": true, "FEATURE_REDIS_ENABLED": true, "FEATURE_TELEGRAM_ENABLED": true,
	"VAULT_TOKEN": true, "DATABASE_URL": true, "REDIS_URL": true,
}

func validateDatabase(d *Database, ps *problems) {
	if _, ok := rdsclass.Lookup(d.InstanceClass); !ok {
		ps.add(key("database", "instanceClass"), d.InstanceClass, "must be an RDS instance class the program knows (its memory sets the connections alarm, its price the cost): %s", rdsclass.Families())
	}
	if problem := checkPostgresVersion(d.EngineVersion); problem != "" {
		ps.add(key("database", "engineVersion"), d.EngineVersion, "%s", problem)
	}
	if d.AllocatedStorage < 20 || d.AllocatedStorage > 65536 {
		ps.add(key("database", "allocatedStorage"), d.AllocatedStorage, "must be between 20 and 65536 GiB (gp3)")
	}
	if d.MaxAllocatedStorage <= d.AllocatedStorage || d.MaxAllocatedStorage > 65536 {
		ps.add(key("database", "maxAllocatedStorage"), d.MaxAllocatedStorage, "must be above allocatedStorage (%d) and at most 65536 GiB, so storage can grow", d.AllocatedStorage)
	}
	if d.BackupRetentionDays < 1 || d.BackupRetentionDays > 35 {
		ps.add(key("database", "backupRetentionDays"), d.BackupRetentionDays, "must be between 1 and 35 days")
	}
	validateWindows(ps, "database", 30, window{"backupWindow", "backup", d.BackupWindow}, d.MaintenanceWindow)
	if !slices.Contains(MonitoringIntervals, d.MonitoringIntervalSeconds) {
		ps.add(key("database", "monitoringIntervalSeconds"), d.MonitoringIntervalSeconds, "must be an interval RDS enhanced monitoring samples at: %s (0 turns it off)", joinInts(MonitoringIntervals))
	}
}

// MonitoringIntervals are the intervals (seconds) RDS enhanced monitoring
// accepts; 0 is off.
var MonitoringIntervals = []int{0, 1, 5, 10, 15, 30, 60}

// window is a daily window setting: its key, what it is for, its value.
type window struct{ key, what, value string }

// validateWindows checks a section's daily window and weekly maintenance
// window: each well formed and at least least minutes long (RDS asks 30,
// ElastiCache 60), and not overlapping.
func validateWindows(ps *problems, section string, least int, daily window, maintenance string) {
	dMin, _, dErr := DailyWindow(daily.value)
	if dErr != nil {
		ps.add(key(section, daily.key), daily.value, "%s", dErr)
	} else if dMin < least {
		ps.add(key(section, daily.key), daily.value, "must be at least %d minutes long", least)
	}
	mMin, _, mErr := WeeklyWindow(maintenance)
	if mErr != nil {
		ps.add(key(section, "maintenanceWindow"), maintenance, "%s", mErr)
	} else if mMin < least {
		ps.add(key(section, "maintenanceWindow"), maintenance, "must be at least %d minutes long", least)
	}
	if dErr == nil && mErr == nil {
		if o, _ := WindowsOverlap(daily.value, maintenance); o {
			ps.add(key(section, "maintenanceWindow"), maintenance, "must not overlap the %s window %s", daily.what, daily.value)
		}
	}
}

func validateRedis(r *Redis, ps *problems) {
	if !cacheTypePattern.MatchString(r.NodeType) {
		ps.add(key("redis", "nodeType"), r.NodeType, "must be an ElastiCache node type such as cache.t3.micro")
	}
	if !redisVerPattern.MatchString(r.EngineVersion) {
		ps.add(key("redis", "engineVersion"), r.EngineVersion, "must be a Redis OSS version ElastiCache offers with in-transit encryption and AUTH: \"6.2\", \"7.0\" or \"7.1\"")
	}
	if r.Nodes < 1 || r.Nodes > 6 {
		ps.add(key("redis", "nodes"), r.Nodes, "must be between 1 and 6 (a primary and up to 5 replicas)")
	}
	if r.SnapshotRetentionDays < 0 || r.SnapshotRetentionDays > 35 {
		ps.add(key("redis", "snapshotRetentionDays"), r.SnapshotRetentionDays, "must be between 0 (no snapshots) and 35 days")
	}
	validateWindows(ps, "redis", 60, window{"snapshotWindow", "snapshot", r.SnapshotWindow}, r.MaintenanceWindow)
}

func validateEdge(e *Edge, region string, ps *problems) {
	if !ValidFQDN(e.DomainName) {
		var v any = e.DomainName
		if e.DomainName == "" {
			v = nil
		}
		ps.add(key("edge", "domainName"), v, "must be a fully qualified domain name such as api.arrakis.community")
	}
	if e.HostedZoneID != "" && !hostedZonePattern.MatchString(e.HostedZoneID) {
		ps.add(key("edge", "hostedZoneId"), e.HostedZoneID, "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ, or be left out")
	}
	if e.CertificateARN != "" {
		// A load balancer can only serve a certificate of its own region.
		m := certificatePattern.FindStringSubmatch(e.CertificateARN)
		switch {
		case m == nil:
			ps.add(key("edge", "certificateArn"), e.CertificateARN, "must be an ACM certificate ARN such as arn:aws:acm:%s:123456789012:certificate/<id>, or be left out", region)
		case region != "" && m[1] != region:
			ps.add(key("edge", "certificateArn"), e.CertificateARN, "must be a certificate in aws:region %s: a load balancer serves only certificates of its own region", region)
		}
	}
	if e.AccessLogsBucket != "" && (!bucketPattern.MatchString(e.AccessLogsBucket) || strings.Contains(e.AccessLogsBucket, "..")) {
		ps.add(key("edge", "accessLogsBucket"), e.AccessLogsBucket, "must be an S3 bucket name, or be left out")
	}
	if r := e.WAF.RateLimit; r < MinWAFRateLimit || r > MaxWAFRateLimit {
		ps.add(key("edge", "waf", "rateLimitPer5Minutes"), r, "must be %d–%d requests per client address in five minutes", MinWAFRateLimit, MaxWAFRateLimit)
	}
}

// The range of a WAF rate-based rule's limit (requests per address per
// five minutes).
const (
	MinWAFRateLimit = 100
	MaxWAFRateLimit = 2_000_000_000
)

// ValidFQDN reports whether s is a fully qualified domain name of at least
// two labels, lower case, without a trailing dot.
func ValidFQDN(s string) bool {
	if len(s) > 253 {
		return false
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !dnsLabelPattern.MatchString(l) {
			return false
		}
	}
	// The top-level domain is never all digits.
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}

func validateMonitoring(m *Monitoring, ps *problems) {
	if !slices.Contains(LogRetentionDays, m.LogRetentionDays) {
		ps.add(key("monitoring", "logRetentionDays"), m.LogRetentionDays, "must be a period CloudWatch Logs accepts: %s", joinInts(LogRetentionDays))
	}
	seen := map[string]bool{}
	subscription := map[string]string{}
	for _, e := range m.AlarmEmails {
		a, err := mail.ParseAddress(e)
		slug := naming.Slug(e)
		switch {
		case err != nil || a.Address != e || !strings.Contains(e, "@") || !ValidFQDN(strings.ToLower(e[strings.LastIndex(e, "@")+1:])):
			ps.add(key("monitoring", "alarmEmails"), e, "each entry must be a plain e-mail address such as oncall@example.com")
		case seen[strings.ToLower(e)]:
			ps.add(key("monitoring", "alarmEmails"), e, "each address may appear once")
		case subscription[slug] != "":
			// Each address's subscription is named after it, cleaned.
			ps.add(key("monitoring", "alarmEmails"), e, "reads like %q once cleaned for a resource name (%s); list one of them", subscription[slug], slug)
		}
		seen[strings.ToLower(e)] = true
		if subscription[slug] == "" {
			subscription[slug] = e
		}
	}
	t := m.Thresholds
	for _, p := range []struct {
		name string
		v    float64
	}{
		{"apiCpuPercent", t.APICPUPercent}, {"apiMemoryPercent", t.APIMemoryPercent},
		{"workerCpuPercent", t.WorkerCPUPercent}, {"workerMemoryPercent", t.WorkerMemoryPercent},
		{"alb5xxRatePercent", t.ALB5xxRatePercent}, {"target5xxRatePercent", t.Target5xxRatePercent},
		{"rdsCpuPercent", t.RDSCPUPercent}, {"rdsConnectionsPercent", t.RDSConnectionsPercent},
		{"redisEngineCpuPercent", t.RedisEngineCPUPercent}, {"redisMemoryPercent", t.RedisMemoryPercent},
	} {
		if p.v <= 0 || p.v > 100 {
			ps.add(key("monitoring", "thresholds", p.name), p.v, "must be a percentage above 0 and at most 100")
		}
	}
	for _, p := range []struct {
		name string
		v    float64
	}{
		{"responseTimeP99Seconds", t.ResponseTimeP99Seconds}, {"rdsFreeStorageGiB", t.RDSFreeStorageGiB},
	} {
		if p.v <= 0 {
			ps.add(key("monitoring", "thresholds", p.name), p.v, "must be above 0")
		}
	}
	if t.WAFBlockedPer5Minutes <= 0 {
		ps.add(key("monitoring", "thresholds", "wafBlockedRequestsPer5Minutes"), t.WAFBlockedPer5Minutes, "must be above 0")
	}
	if t.RedisEvictionsPer5Minute < 0 {
		ps.add(key("monitoring", "thresholds", "redisEvictionsPer5Minutes"), t.RedisEvictionsPer5Minute, "must be 0 or more")
	}
}

func validateSecrets(cfg *Config, ps *problems) {
	rw := cfg.Secrets.RecoveryWindowDays
	switch {
	case rw == 0 && cfg.Tier == TierEphemeral:
		// Immediate deletion lets a torn-down stack be created again at once.
	case rw < 7 || rw > 30:
		allowed := "must be between 7 and 30 days"
		if cfg.Tier == TierEphemeral {
			allowed += ", or 0 (delete at once)"
		} else {
			allowed += " (0, immediate deletion, is for ephemeral stacks only)"
		}
		ps.add(key("secrets", "recoveryWindowDays"), rw, "%s", allowed)
	}

	seed := cfg.Secrets.AppConfigSeed
	if !seed.IsSet() || seed.value == OfflinePlaceholder {
		return
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(seed.value), &m); err != nil || m == nil {
		ps.add(key(appConfigSeedKey), seed, "must be a JSON object of the app-config keys")
		return
	}
	var missing []string
	for _, k := range cfg.App.ConfigKeys {
		if _, ok := m[k].(string); !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		ps.add(key(appConfigSeedKey), seed, "must hold a string for every key of %s; missing: %s", key("app", "configKeys"), strings.Join(missing, ", "))
	}
}

// OfflinePlaceholder stands in for a secure config value that cannot be
// decrypted, in the offline plan. It is never a valid secret.
const OfflinePlaceholder = "[offline placeholder: secure value not decrypted]"

// String shows a config summary without secrets, for logs.
func (c *Config) String() string {
	return fmt.Sprintf("stack %s (%s tier) in %s", c.Stack, c.Tier, c.Region)
}
