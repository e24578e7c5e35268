package config

import (
	"hash/fnv"
	"regexp"
	"slices"
	"strings"
)

// Service is one entry of arrakis:services: a service beyond the API and
// the worker, run from config alone. It gets the API's hardening, its own
// log group, roles and alarms; with a port and routes, a place behind the
// load balancer.
type Service struct {
	CPU          int `json:"cpu"`
	Memory       int `json:"memory"`
	DesiredCount int `json:"desiredCount"`
	// MinCount and MaxCount bound the task count; target-tracking
	// autoscaling runs when MaxCount is above MinCount. Both default to
	// DesiredCount.
	MinCount int `json:"minCount"`
	MaxCount int `json:"maxCount"`
	// Port is the port the container listens on; HealthPath is where it
	// answers 200 when healthy (default /health).
	Port       int    `json:"port"`
	HealthPath string `json:"healthPath"`
	// Routes are path patterns of the HTTPS listener sent to the service
	// (with Port); Public false keeps a service with a port off the load
	// balancer.
	Routes []string `json:"routes"`
	Public *bool    `json:"public"`
	// Secrets are which of the stack's four secrets the service reads; its
	// execution role may read exactly these.
	Secrets []string `json:"secrets"`
	// Command replaces the image's command; Environment adds plain
	// variables.
	Command     []string          `json:"command"`
	Environment map[string]string `json:"environment"`
	// Image is the image the service runs: "" or "api" for the API's
	// repository at the deployed tag (as the worker), or a public image
	// with its tag or digest ([registry/]repository:tag or @sha256:…),
	// which the tasks pull through the NAT gateway.
	Image string `json:"image"`
	// Spot runs the service on FARGATE_SPOT (a routed service keeps an
	// on-demand base of MinCount, as the API does).
	Spot bool `json:"spot"`
	// StartPeriod (seconds, 0–300) is how long after a task starts its
	// failing health checks do not count; the service ignores the load
	// balancer for that long plus the checks that make a target healthy.
	// Unset, the API's.
	StartPeriod *int `json:"healthCheckGracePeriodSeconds"`
	// Autoscaling targets, as the API's: CPU and memory %, requests per
	// task per minute when routed.
	CPUTarget         int `json:"cpuTarget"`
	MemoryTarget      int `json:"memoryTarget"`
	RequestsPerTarget int `json:"requestsPerTarget"`
	// CPUAlarmPercent and MemoryAlarmPercent are where the service's CPU
	// and memory alarms fire (average over 10 minutes).
	CPUAlarmPercent    float64 `json:"cpuAlarmPercent"`
	MemoryAlarmPercent float64 `json:"memoryAlarmPercent"`
}

// Routed reports whether the service sits behind the load balancer.
func (s Service) Routed() bool {
	return s.Port > 0 && len(s.Routes) > 0 && (s.Public == nil || *s.Public)
}

// Autoscaled reports whether the service scales between MinCount and
// MaxCount.
func (s Service) Autoscaled() bool { return s.MaxCount > s.MinCount }

// SecretNames are the stack's four secrets, as services name them.
var SecretNames = []string{"app-config", "db-credentials", "redis-credentials", "vault-token"}

// Images a service may name besides a full reference.
const APIImage = "api"

// Names that are not services: the API and the worker have sections of
// their own; the others would give a service's alarms or log group the
// name of one the stack has already (the load balancer's, the database's,
// Container Insights'), as would redis-NNN… (each Redis member's).
var (
	reservedServices     = []string{"api", "worker", "alb", "rds", "container-insights"}
	reservedRedisMembers = regexp.MustCompile(`^redis-\d{3}(-|$)`)
)

// takenBy is the name taken over from Terraform that a service's names
// would repeat: its resources are named arrakis-<stack>-<service>-…, and
// so may be one such name.
func takenBy(cfg *Config, service string) string {
	prefix := "arrakis-" + cfg.Stack + "-" + service + "-"
	for _, n := range cfg.Adopted.names() {
		if strings.HasPrefix(n, prefix) {
			return n
		}
	}
	return ""
}

// MaxStartPeriod is the longest health check start period ECS accepts.
const MaxStartPeriod = 300

// A service's routes are one path-pattern condition of one listener rule:
// the load balancer takes up to three values in a condition and up to five
// wildcards (* or ?) in a rule.
const (
	MaxRoutes         = 3
	MaxRouteWildcards = 5
)

// RouteWildcards counts the wildcards of path patterns.
func RouteWildcards(patterns []string) int {
	n := 0
	for _, p := range patterns {
		n += strings.Count(p, "*") + strings.Count(p, "?")
	}
	return n
}

// CredentialName matches environment variable names that hold
// credentials: their values belong in a secret, never in the plain
// environment.
var CredentialName = regexp.MustCompile(`(?i)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIAL|PEPPER|SALT|ECS_ENGINE_AUTH_DATA|DATABASE_URL|REDIS_URL)`)

var (
	serviceNamePattern = regexp.MustCompile(`^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$`)
	routePattern       = regexp.MustCompile(`^/[A-Za-z0-9_\-.$/~"'@:+*?&]{0,127}$`)
	imageRefPattern    = regexp.MustCompile(`^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$`)
)

// fill gives a service the defaults of what it leaves out; set holds the
// keys it gives. A key given as 0 stays 0 (and validation judges it).
func (s *Service) fill(set map[string]bool) {
	defaultInt := func(key string, v *int, d int) {
		if !set[key] {
			*v = d
		}
	}
	defaultInt("cpu", &s.CPU, 256)
	defaultInt("memory", &s.Memory, 512)
	desired := 1
	if set["minCount"] {
		desired = s.MinCount // a range alone starts at its minimum
	}
	defaultInt("desiredCount", &s.DesiredCount, desired)
	defaultInt("minCount", &s.MinCount, s.DesiredCount)
	defaultInt("maxCount", &s.MaxCount, max(s.MinCount, s.DesiredCount))
	defaultInt("cpuTarget", &s.CPUTarget, 70)
	defaultInt("memoryTarget", &s.MemoryTarget, 80)
	defaultInt("requestsPerTarget", &s.RequestsPerTarget, 1000)
	if !set["healthPath"] {
		s.HealthPath = "/health"
	}
	if !set["cpuAlarmPercent"] {
		s.CPUAlarmPercent = 80
	}
	if !set["memoryAlarmPercent"] {
		s.MemoryAlarmPercent = 80
	}
}

// RoutePriority is the listener rule priority of a service's routes:
// derived from its name alone, so adding or removing another service never
// moves it. Routes never overlap (config refuses it), so their order does
// not matter.
func RoutePriority(service string) int {
	h := fnv.New32a()
	h.Write([]byte(service))
	return 1 + int(h.Sum32()%49999)
}

func validateServiceMap(cfg *Config, ps *problems) {
	ports := map[int]string{APIPort: "the API"}
	priorities := map[int]string{}
	type route struct{ service, pattern string }
	var routes []route
	for _, name := range sortedKeys(cfg.Services) {
		s := cfg.Services[name]
		k := func(field string) string { return key("services", name) + "." + field }
		switch {
		case !serviceNamePattern.MatchString(name):
			ps.add(key("services", name), name, "a service name must be a DNS label: lower-case letters, digits and hyphens, up to 32, starting with a letter")
		case name == "api" || name == "worker":
			ps.add(key("services", name), name, "%s has its own section, arrakis:%s; choose another name", name, name)
		case slices.Contains(reservedServices, name) || reservedRedisMembers.MatchString(name):
			ps.add(key("services", name), name, "names resources the stack has already (its alarms, log groups); choose another name")
		case takenBy(cfg, name) != "":
			ps.add(key("services", name), name, "its resources would repeat %s, a name the stack took over from Terraform; choose another name", takenBy(cfg, name))
		}
		fargate(ps, "services."+name, s.CPU, s.Memory)
		switch {
		case s.DesiredCount < 0 || s.MinCount < 0:
			ps.add(k("desiredCount"), s.DesiredCount, "must be 0 or more")
		case s.MinCount > s.MaxCount:
			ps.add(k("minCount"), s.MinCount, "must not exceed maxCount (%d)", s.MaxCount)
		case s.DesiredCount < s.MinCount || s.DesiredCount > s.MaxCount:
			ps.add(k("desiredCount"), s.DesiredCount, "must satisfy minCount (%d) <= desiredCount <= maxCount (%d)", s.MinCount, s.MaxCount)
		}
		if s.Port != 0 {
			if s.Port < 1 || s.Port > 65535 || s.Port == 80 || s.Port == 443 {
				ps.add(k("port"), s.Port, "must be a TCP port other than 80 and 443 (the load balancer's)")
			} else if other, taken := ports[s.Port]; taken {
				ps.add(k("port"), s.Port, "is already %s's: the load balancer reaches each service on a port of its own", other)
			}
			ports[s.Port] = "service " + name
		}
		if !strings.HasPrefix(s.HealthPath, "/") || strings.ContainsAny(s.HealthPath, " \"'\\") {
			ps.add(k("healthPath"), s.HealthPath, "must be a path starting with /")
		}
		public := s.Public == nil || *s.Public
		switch {
		case len(s.Routes) > 0 && s.Port == 0:
			ps.add(k("routes"), s.Routes, "need a port: the load balancer forwards to the service's port")
		case len(s.Routes) > 0 && !public:
			ps.add(k("routes"), s.Routes, "contradict public: false (a service off the load balancer has no routes)")
		case len(s.Routes) > MaxRoutes:
			ps.add(k("routes"), s.Routes, "at most %d path patterns (the values one listener rule condition takes)", MaxRoutes)
		case RouteWildcards(s.Routes) > MaxRouteWildcards:
			ps.add(k("routes"), s.Routes, "at most %d wildcards (* or ?) in all (what one listener rule takes)", MaxRouteWildcards)
		}
		for _, r := range s.Routes {
			switch {
			case !routePattern.MatchString(r):
				ps.add(k("routes"), r, "each route must be a path pattern starting with / (up to 128 characters; * and ? are wildcards)")
			case globsIntersect(r, "/health"):
				ps.add(k("routes"), r, "would take the API's /health (the API answers every path no service claims)")
			default:
				routes = append(routes, route{name, r})
			}
		}
		if s.Routed() {
			p := RoutePriority(name)
			if other, taken := priorities[p]; taken {
				ps.add(key("services", name), name, "its listener rule priority %d is %s's too (derived from the name): rename one", p, other)
			}
			priorities[p] = name
		}
		seen := map[string]bool{}
		for _, sec := range s.Secrets {
			switch {
			case !slices.Contains(SecretNames, sec):
				ps.add(k("secrets"), sec, "each entry must be one of the stack's secrets: %s", strings.Join(SecretNames, ", "))
			case seen[sec]:
				ps.add(k("secrets"), sec, "each secret may appear once")
			}
			seen[sec] = true
		}
		for _, c := range s.Command {
			if c == "" {
				ps.add(k("command"), s.Command, "no part of the command may be empty")
			}
		}
		for _, v := range sortedKeys(s.Environment) {
			switch {
			case !envNamePattern.MatchString(v):
				ps.add(k("environment."+v), s.Environment[v], "each variable name must be A-Z, 0-9, _")
			case reservedEnv[v]:
				ps.add(k("environment."+v), s.Environment[v], "is set by the program; choose another name")
			case CredentialName.MatchString(v):
				ps.add(k("environment."+v), rawJSON("(a value, not shown)"), "looks like a credential: put it in app-config (arrakis:app.configKeys) and list app-config in the service's secrets")
			case slices.Contains(s.Secrets, "app-config") && slices.Contains(cfg.App.ConfigKeys, v):
				ps.add(k("environment."+v), s.Environment[v], "is a key of app-config, which the service reads as this variable; choose another name")
			}
		}
		if s.Image != "" && s.Image != APIImage && !imageRefPattern.MatchString(s.Image) {
			ps.add(k("image"), s.Image, "must be %q (the API's repository, the default) or a public image with its tag or digest, such as public.ecr.aws/org/proxy:1.2.3", APIImage)
		}
		if p := s.StartPeriod; p != nil && (*p < 0 || *p > MaxStartPeriod) {
			ps.add(k("healthCheckGracePeriodSeconds"), *p, "must be 0–%d seconds (the longest start period ECS gives a container)", MaxStartPeriod)
		}
		for _, t := range []struct {
			name string
			v    int
		}{{"cpuTarget", s.CPUTarget}, {"memoryTarget", s.MemoryTarget}} {
			if t.v < 10 || t.v > 95 {
				ps.add(k(t.name), t.v, "must be a utilisation percentage between 10 and 95")
			}
		}
		if s.RequestsPerTarget < 1 {
			ps.add(k("requestsPerTarget"), s.RequestsPerTarget, "must be at least 1 request per target per minute")
		}
		for _, t := range []struct {
			name string
			v    float64
		}{{"cpuAlarmPercent", s.CPUAlarmPercent}, {"memoryAlarmPercent", s.MemoryAlarmPercent}} {
			if t.v <= 0 || t.v > 100 {
				ps.add(k(t.name), t.v, "must be a percentage above 0 and at most 100")
			}
		}
	}
	for i := range routes {
		for j := i + 1; j < len(routes); j++ {
			a, b := routes[i], routes[j]
			if globsIntersect(a.pattern, b.pattern) {
				what := "overlaps"
				if a.pattern == b.pattern {
					what = "repeats"
				}
				ps.add(key("services", b.service)+".routes", b.pattern, "%s %q of service %s: a request must have one service", what, a.pattern, a.service)
			}
		}
	}
}

// APIPort is the port the API listens on: its container, its target group
// and the tasks' security group use it (compute serves it), and no
// configured service may take it.
const APIPort = 3000

// globsIntersect reports whether some path matches both patterns, where *
// stands for any run of characters and ? for one (the load balancer's path
// pattern syntax).
func globsIntersect(a, b string) bool {
	type pos struct{ i, j int }
	memo := map[pos]bool{}
	var match func(i, j int) bool
	match = func(i, j int) bool {
		if r, ok := memo[pos{i, j}]; ok {
			return r
		}
		var r bool
		switch {
		case i == len(a) && j == len(b):
			r = true
		case i < len(a) && a[i] == '*':
			r = match(i+1, j) || (j < len(b) && match(i, j+1)) || (j < len(b) && b[j] == '*' && match(i+1, j+1))
		case j < len(b) && b[j] == '*':
			r = match(i, j+1) || (i < len(a) && match(i+1, j))
		case i < len(a) && j < len(b):
			r = (a[i] == b[j] || a[i] == '?' || b[j] == '?') && match(i+1, j+1)
		}
		memo[pos{i, j}] = r
		return r
	}
	return match(0, 0)
}

// ServiceNames are the configured services, sorted.
func (c *Config) ServiceNames() []string { return sortedKeys(c.Services) }

// RoutedPorts are the ports of the services behind the load balancer,
// sorted.
func (c *Config) RoutedPorts() []int {
	var ports []int
	for _, name := range c.ServiceNames() {
		if s := c.Services[name]; s.Routed() {
			ports = append(ports, s.Port)
		}
	}
	slices.Sort(ports)
	return ports
}
