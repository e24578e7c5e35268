package adopt

import (
	"fmt"
	"strings"

	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// A matched Terraform instance: the program resource it becomes and the id
// `pulumi import` takes for it.
type matched struct {
	obj    Object
	target *target
	id     string
	// note says where the instance came from when it is not a managed
	// Terraform resource (a data source's secret, a log group AWS made).
	note string
}

// left is a Terraform instance the program does not take over, and why.
type left struct {
	obj    Object
	reason string
}

// matcher matches the instances of one state to one program.
type matcher struct {
	st      *State
	objs    []Object
	x       *targets
	stack   string
	subnets map[string]*target // Terraform subnet id -> the awsx subnet child
	// translator, once the resources are matched.
	translator *translator
}

// rule turns one instance into a match (t, id) or a reason it stays with
// Terraform.
type rule func(m *matcher, o Object) (t *target, id, reason string)

// Terraform security groups, by their name in the Terraform code, and the
// tier each is in the program.
var groupTiers = map[string]string{
	"alb": "alb", "ecs_tasks": "tasks", "rds": "postgres", "redis": "redis", "vpc_endpoints": "endpoints",
}

// Terraform secret names (after arrakis-<stack>/) and the program's.
var secretLeaves = map[string]string{
	"database": "db-credentials", "db-credentials": "db-credentials",
	"redis": "redis-credentials", "redis-credentials": "redis-credentials",
	"app-config": "app-config", "vault-token": "vault-token",
}

// Terraform's generated passwords, by their name in the Terraform code, and
// the program's generator each one is.
var passwordRoles = map[string]string{"db_password": "postgres-password", "redis_auth": "redis-auth-token"}

const (
	reasonFlowLog = "the program runs its own flow log (log group /aws/vpc/<stack>/flow-logs, its own role): " +
		"Terraform's stays in AWS, writing a second copy, until deleted after the migration"
	reasonDefaultVPCObject = "AWS made it with the VPC and deletes it with the VPC; the program does not manage it, nothing changes in AWS"
)

var rules = map[string]rule{
	"aws_vpc": func(m *matcher, o Object) (*target, string, string) {
		return m.x.byKey[key(token.VPC, m.x.vpc.Name)], str(o.Attrs, "id"), ""
	},
	"aws_subnet": func(m *matcher, o Object) (*target, string, string) {
		t := m.subnets[str(o.Attrs, "id")]
		if t == nil {
			return nil, "", fmt.Sprintf("no subnet of the program has CIDR %s: it stays in AWS; the program's arrakis:network subnets differ", str(o.Attrs, "cidr_block"))
		}
		return t, str(o.Attrs, "id"), ""
	},
	"aws_route_table": func(m *matcher, o Object) (*target, string, string) {
		// awsx gives each subnet a table; Terraform's module shared one per
		// tier. The shared table becomes the table of its first subnet; the
		// program creates the others and moves the subnets onto them.
		s := m.firstSubnetOf(str(o.Attrs, "id"))
		if s == nil {
			return nil, "", "no subnet of the program uses it"
		}
		return m.x.byKey[key(token.RouteTable, s.Name)], str(o.Attrs, "id"), ""
	},
	"aws_route": func(m *matcher, o Object) (*target, string, string) {
		s := m.firstSubnetOf(str(o.Attrs, "route_table_id"))
		if s == nil || str(o.Attrs, "destination_cidr_block") != "0.0.0.0/0" {
			return nil, "", "not a default route of a table the program takes over"
		}
		return m.x.byKey[key(token.Route, s.Name)], str(o.Attrs, "route_table_id") + "_" + str(o.Attrs, "destination_cidr_block"), ""
	},
	"aws_route_table_association": func(m *matcher, o Object) (*target, string, string) {
		s := m.subnets[str(o.Attrs, "subnet_id")]
		if s == nil {
			return nil, "", "its subnet is not the program's"
		}
		// AWS refuses a second association for a subnet: the running one
		// is taken over, and `up` points it at the subnet's own table.
		return m.x.byKey[key(token.RouteTableAssociation, s.Name)], str(o.Attrs, "subnet_id") + "/" + str(o.Attrs, "route_table_id"), ""
	},
	"aws_internet_gateway": func(m *matcher, o Object) (*target, string, string) {
		return m.x.byKey[key(token.InternetGateway, m.x.vpc.Name)], str(o.Attrs, "id"), ""
	},
	"aws_nat_gateway": func(m *matcher, o Object) (*target, string, string) {
		t := m.inSubnetZone(token.NATGateway, str(o.Attrs, "subnet_id"))
		if t == nil {
			return nil, "", "the program has no NAT gateway in its subnet's zone (arrakis:network.natGateways)"
		}
		return t, str(o.Attrs, "id"), ""
	},
	"aws_eip": func(m *matcher, o Object) (*target, string, string) {
		for _, nat := range m.ofType("aws_nat_gateway") {
			if str(nat.Attrs, "allocation_id") == str(o.Attrs, "id") {
				if t := m.inSubnetZone(token.EIP, str(nat.Attrs, "subnet_id")); t != nil {
					return t, str(o.Attrs, "id"), ""
				}
			}
		}
		return nil, "", "no NAT gateway of the program uses it"
	},
	"aws_default_security_group": func(m *matcher, o Object) (*target, string, string) {
		return m.x.only(token.DefaultSecurityGroup), str(o.Attrs, "id"), ""
	},
	"aws_default_route_table": func(*matcher, Object) (*target, string, string) { return nil, "", reasonDefaultVPCObject },
	"aws_default_network_acl": func(*matcher, Object) (*target, string, string) { return nil, "", reasonDefaultVPCObject },
	"aws_flow_log":            func(*matcher, Object) (*target, string, string) { return nil, "", reasonFlowLog },
	"aws_iam_policy":          func(*matcher, Object) (*target, string, string) { return nil, "", reasonFlowLog },
	"aws_acm_certificate_validation": func(*matcher, Object) (*target, string, string) {
		return nil, "", "not an AWS object (Terraform's wait for issuance): the program's own validation finds the certificate issued and changes nothing"
	},
	"aws_ecs_task_definition": func(_ *matcher, o Object) (*target, string, string) {
		return nil, "", fmt.Sprintf("the program registers a new revision of family %s and the services move to it (a rolling deployment); this revision stays registered until deregistered", str(o.Attrs, "family"))
	},
	"aws_secretsmanager_secret_version": func(*matcher, Object) (*target, string, string) {
		return nil, "", "the program writes its own version of the credentials JSON (the same password and endpoint, its own keys); this one stays as the secret's AWSPREVIOUS version"
	},
	"aws_security_group": func(m *matcher, o Object) (*target, string, string) {
		tier, ok := groupTiers[o.Name]
		if !ok {
			return nil, "", "no tier of the program is this group"
		}
		t := m.x.child(token.SecurityGroup, tier+"-sg")
		if t == nil {
			return nil, "", fmt.Sprintf("the stack has no %s group (arrakis:network.interfaceEndpoints is empty?)", tier)
		}
		return t, str(o.Attrs, "id"), ""
	},
	"aws_vpc_endpoint": func(m *matcher, o Object) (*target, string, string) {
		t := m.x.named(token.VPCEndpoint, "serviceName", str(o.Attrs, "service_name"))
		if t == nil {
			return nil, "", "the program has no endpoint for " + str(o.Attrs, "service_name") + " (arrakis:network.interfaceEndpoints)"
		}
		return t, str(o.Attrs, "id"), ""
	},
	"aws_lb": func(m *matcher, o Object) (*target, string, string) {
		return m.x.named(token.LoadBalancer, "name", str(o.Attrs, "name")), str(o.Attrs, "arn"), ""
	},
	"aws_lb_target_group": func(m *matcher, o Object) (*target, string, string) {
		return m.x.named(token.TargetGroup, "name", str(o.Attrs, "name")), str(o.Attrs, "arn"), ""
	},
	"aws_lb_listener": func(m *matcher, o Object) (*target, string, string) {
		for _, t := range m.x.ofType(token.Listener) {
			if port, _ := t.Number("port"); port == num(o.Attrs["port"]) {
				return t, str(o.Attrs, "arn"), ""
			}
		}
		return nil, "", "the program has no listener on this port"
	},
	"aws_acm_certificate": func(m *matcher, o Object) (*target, string, string) {
		t := m.x.named(token.ACMCertificate, "domainName", str(o.Attrs, "domain_name"))
		if t == nil {
			return nil, "", "the program requests no certificate for " + str(o.Attrs, "domain_name") + " (arrakis:edge.certificateArn serves one, or the domain differs): it stays in ACM"
		}
		return t, str(o.Attrs, "arn"), ""
	},
	"aws_ecs_cluster": func(m *matcher, o Object) (*target, string, string) {
		return m.x.named(token.ECSCluster, "name", str(o.Attrs, "name")), str(o.Attrs, "name"), ""
	},
	"aws_ecs_cluster_capacity_providers": func(m *matcher, o Object) (*target, string, string) {
		return m.x.only(token.ECSClusterCapacityProviders), str(o.Attrs, "cluster_name"), ""
	},
	"aws_ecs_service": func(m *matcher, o Object) (*target, string, string) {
		cluster := str(o.Attrs, "cluster")
		return m.x.named(token.ECSService, "name", str(o.Attrs, "name")),
			cluster[strings.LastIndex(cluster, "/")+1:] + "/" + str(o.Attrs, "name"), ""
	},
	"aws_ecr_repository": func(m *matcher, o Object) (*target, string, string) {
		return m.x.named(token.ECRRepository, "name", str(o.Attrs, "name")), str(o.Attrs, "name"), ""
	},
	"aws_ecr_lifecycle_policy": func(m *matcher, o Object) (*target, string, string) {
		return m.x.only(token.ECRLifecyclePolicy), str(o.Attrs, "repository"), ""
	},
	"aws_cloudwatch_log_group": func(m *matcher, o Object) (*target, string, string) {
		if o.Module != "" {
			return nil, "", reasonFlowLog
		}
		t := m.x.named(token.LogGroup, "name", str(o.Attrs, "name"))
		if t == nil {
			return nil, "", "the program has no log group " + str(o.Attrs, "name") + ": it stays in CloudWatch Logs with its logs until deleted"
		}
		return t, str(o.Attrs, "name"), ""
	},
	"aws_cloudwatch_metric_alarm": func(m *matcher, o Object) (*target, string, string) {
		t := m.x.named(token.MetricAlarm, "name", str(o.Attrs, "alarm_name"))
		if t == nil {
			return nil, "", "the program has no alarm of this name (its alarms replace it): it keeps alarming in AWS until deleted"
		}
		return t, str(o.Attrs, "alarm_name"), ""
	},
	"aws_cloudwatch_dashboard": func(m *matcher, o Object) (*target, string, string) {
		return m.x.named(token.Dashboard, "dashboardName", str(o.Attrs, "dashboard_name")), str(o.Attrs, "dashboard_name"), ""
	},
	"aws_db_instance": func(m *matcher, o Object) (*target, string, string) {
		return m.x.named(token.RDSInstance, "identifier", str(o.Attrs, "identifier")), str(o.Attrs, "identifier"), ""
	},
	"aws_db_parameter_group": func(m *matcher, o Object) (*target, string, string) {
		return m.x.only(token.RDSParameterGroup), str(o.Attrs, "name"), ""
	},
	"aws_db_subnet_group": func(m *matcher, o Object) (*target, string, string) {
		return m.x.only(token.RDSSubnetGroup), str(o.Attrs, "name"), ""
	},
	"aws_elasticache_replication_group": func(m *matcher, o Object) (*target, string, string) {
		return m.x.named(token.ElastiCacheReplicationGroup, "replicationGroupId", str(o.Attrs, "replication_group_id")),
			str(o.Attrs, "replication_group_id"), ""
	},
	"aws_elasticache_subnet_group": func(m *matcher, o Object) (*target, string, string) {
		return m.x.only(token.ElastiCacheSubnetGroup), str(o.Attrs, "name"), ""
	},
	"aws_iam_role": func(m *matcher, o Object) (*target, string, string) {
		if o.Module != "" {
			return nil, "", reasonFlowLog
		}
		role := m.taskRole(o)
		if role == "" {
			return nil, "", "no task definition uses it: the program does not need it; it stays in IAM until deleted"
		}
		return m.roleTarget(token.IAMRole, role+"-role"), str(o.Attrs, "name"), ""
	},
	"aws_iam_role_policy": func(m *matcher, o Object) (*target, string, string) {
		role := m.taskRole(m.roleNamed(str(o.Attrs, "role")))
		if role != "execution" {
			return nil, "", "an inline policy the program does not give this role: it stays on the adopted role, " +
				"unmanaged, until removed with `aws iam delete-role-policy` once the application is known not to need it"
		}
		return m.roleTarget(token.IAMRolePolicy, "execution-secrets"), str(o.Attrs, "role") + ":" + str(o.Attrs, "name"), ""
	},
	"aws_iam_role_policy_attachment": func(m *matcher, o Object) (*target, string, string) {
		if o.Module != "" {
			return nil, "", reasonFlowLog
		}
		role := m.taskRole(m.roleNamed(str(o.Attrs, "role")))
		if role != "execution" {
			return nil, "", "a managed policy the program does not attach: it stays attached until detached by hand"
		}
		return m.roleTarget(token.IAMRolePolicyAttachment, "execution-managed"), str(o.Attrs, "role") + "/" + str(o.Attrs, "policy_arn"), ""
	},
	"aws_secretsmanager_secret": func(m *matcher, o Object) (*target, string, string) {
		name := str(o.Attrs, "name")
		leaf, ok := secretLeaves[strings.TrimPrefix(name, m.x.prefix+"/")]
		if !ok || !strings.HasPrefix(name, m.x.prefix+"/") {
			return nil, "", "not one of the program's four secrets: it stays in Secrets Manager"
		}
		return m.x.child(token.Secret, leaf), str(o.Attrs, "arn"), ""
	},
	"aws_sns_topic": func(m *matcher, o Object) (*target, string, string) {
		return m.x.named(token.SNSTopic, "name", str(o.Attrs, "name")), str(o.Attrs, "arn"), ""
	},
	"random_password": func(m *matcher, o Object) (*target, string, string) {
		role, ok := passwordRoles[o.Name]
		if !ok {
			return nil, "", "not a credential the program generates"
		}
		return m.x.child(token.RandomPassword, role), str(o.Attrs, "result"), ""
	},
}

// ofType lists the state's managed instances of a Terraform type.
func (m *matcher) ofType(typ string) []Object {
	var out []Object
	for _, o := range m.objs {
		if o.Mode == "managed" && o.Type == typ {
			out = append(out, o)
		}
	}
	return out
}

// mapSubnets pairs Terraform's subnets with the awsx subnets by CIDR.
func (m *matcher) mapSubnets() {
	m.subnets = map[string]*target{}
	for _, o := range m.ofType("aws_subnet") {
		for _, t := range m.x.ofType(token.Subnet) {
			if t.Str("cidrBlock") == str(o.Attrs, "cidr_block") && t.Str("availabilityZone") == str(o.Attrs, "availability_zone") {
				m.subnets[str(o.Attrs, "id")] = t
			}
		}
	}
}

// firstSubnetOf is the program subnet, in the lowest zone, that Terraform
// associates with a route table.
func (m *matcher) firstSubnetOf(table string) *target {
	var best *target
	for _, a := range m.ofType("aws_route_table_association") {
		if str(a.Attrs, "route_table_id") != table {
			continue
		}
		if s := m.subnets[str(a.Attrs, "subnet_id")]; s != nil && (best == nil || s.Name < best.Name) {
			best = s
		}
	}
	return best
}

// inSubnetZone is the awsx child of a type under the public subnet of the
// zone a Terraform subnet is in.
func (m *matcher) inSubnetZone(typ, subnetID string) *target {
	s := m.subnets[subnetID]
	if s == nil {
		return nil
	}
	for _, t := range m.x.ofType(typ) {
		if t.Parent == s.URN {
			return t
		}
	}
	return nil
}

// roleNamed is the Terraform role of a name.
func (m *matcher) roleNamed(name string) Object {
	for _, o := range m.ofType("aws_iam_role") {
		if str(o.Attrs, "name") == name {
			return o
		}
	}
	return Object{}
}

// taskRole says what a Terraform role is to the tasks: "execution" or
// "task" when a task definition uses it so, "" otherwise.
func (m *matcher) taskRole(role Object) string {
	arn := str(role.Attrs, "arn")
	if arn == "" {
		return ""
	}
	for _, td := range m.ofType("aws_ecs_task_definition") {
		switch arn {
		case str(td.Attrs, "execution_role_arn"):
			return "execution"
		case str(td.Attrs, "task_role_arn"):
			return "task"
		}
	}
	return ""
}

// roleTarget is the program's shared role resource (execution-role,
// task-role…) when the stack keeps Terraform's shared roles, else the
// API's own, which Terraform's then stands for.
func (m *matcher) roleTarget(typ, role string) *target {
	if t := m.x.child(typ, role); t != nil && !strings.Contains(t.Name, "-api-") && !strings.Contains(t.Name, "-worker-") {
		return t
	}
	return m.x.child(typ, "api-"+role)
}

// num reads a JSON number.
func num(v any) float64 {
	f, _ := v.(float64)
	return f
}

// match pairs every managed instance, and the secrets behind data sources,
// with the program.
func (m *matcher) match() ([]matched, []left) {
	m.mapSubnets()
	var ms []matched
	var ls []left
	taken := map[*target]string{}
	for _, o := range m.objs {
		var r rule
		switch {
		case o.Mode == "data" && o.Type == "aws_secretsmanager_secret":
			r = rules[o.Type] // made by hand, read by Terraform: adopted too
		case o.Mode != "managed":
			continue
		default:
			var ok bool
			if r, ok = rules[o.Type]; !ok {
				ls = append(ls, left{o, "a type the program does not build: it stays in AWS, unmanaged"})
				continue
			}
		}
		t, id, reason := r(m, o)
		switch {
		case reason != "":
			ls = append(ls, left{o, reason})
		case t == nil:
			ls = append(ls, left{o, "the program has no such resource: it stays in AWS, unmanaged"})
		case taken[t] != "":
			ls = append(ls, left{o, fmt.Sprintf("%s already becomes %s", taken[t], t.URN)})
		default:
			taken[t] = o.Address
			mm := matched{obj: o, target: t, id: id}
			if o.Mode == "data" {
				mm.note = "made by hand; Terraform only read it"
			}
			ms = append(ms, mm)
		}
	}
	ms = append(ms, m.madeByAWS(taken)...)
	return ms, ls
}

// madeByAWS are log groups AWS created for Terraform's resources, outside
// its state, that the program manages: creating them again would fail.
func (m *matcher) madeByAWS(taken map[*target]string) []matched {
	var out []matched
	add := func(o Object, name, why string) {
		t := m.x.named(token.LogGroup, "name", name)
		if t != nil && taken[t] == "" {
			taken[t] = o.Address
			out = append(out, matched{obj: Object{Address: o.Address + " (" + why + ")", Type: "aws_cloudwatch_log_group",
				Mode: "managed", Attrs: map[string]any{"name": name, "id": name}}, target: t, id: name, note: why})
		}
	}
	for _, o := range m.ofType("aws_ecs_cluster") {
		for _, s := range plan.AsList(o.Attrs["setting"]) {
			if st, _ := s.(map[string]any); st["name"] == "containerInsights" && st["value"] != "disabled" {
				add(o, "/aws/ecs/containerinsights/"+str(o.Attrs, "name")+"/performance", "made by AWS for Container Insights")
			}
		}
	}
	for _, o := range m.ofType("aws_db_instance") {
		for _, l := range plan.AsList(o.Attrs["enabled_cloudwatch_logs_exports"]) {
			if s, ok := l.(string); ok {
				add(o, "/aws/rds/instance/"+str(o.Attrs, "identifier")+"/"+s, "made by RDS for its exported "+s+" log")
			}
		}
	}
	return out
}
