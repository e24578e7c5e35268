package adopt

import (
	"strings"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/naming"
)

// Derive is the arrakis:adopted settings that keep, for a stack taken over
// from this state, what a change would otherwise replace: the security
// groups' names and descriptions, the credentials secrets' names, the
// subnet and parameter groups' names, the services' launch type, and the
// execution and task roles the tasks share.
func Derive(st *State, stack string) config.Adopted {
	m := &matcher{st: st, objs: st.Objects()}
	prefix := naming.New(stack).Prefix()
	a := config.Adopted{}
	for _, o := range m.ofType("aws_security_group") {
		if tier, ok := groupTiers[o.Name]; ok {
			if a.SecurityGroups == nil {
				a.SecurityGroups = map[string]config.NameAndDescription{}
			}
			a.SecurityGroups[tier] = config.NameAndDescription{Name: str(o.Attrs, "name"), Description: str(o.Attrs, "description")}
		}
	}
	for _, o := range m.ofType("aws_secretsmanager_secret") {
		name := str(o.Attrs, "name")
		leaf := secretLeaves[strings.TrimPrefix(name, prefix+"/")]
		if (leaf == "db-credentials" || leaf == "redis-credentials") && name != prefix+"/"+leaf {
			if a.SecretNames == nil {
				a.SecretNames = map[string]string{}
			}
			a.SecretNames[leaf] = name
		}
	}
	for _, o := range m.ofType("aws_db_subnet_group") {
		a.DBSubnetGroup = str(o.Attrs, "name")
	}
	for _, o := range m.ofType("aws_db_parameter_group") {
		a.DBParameterGroup = config.NameAndDescription{Name: str(o.Attrs, "name"), Description: str(o.Attrs, "description")}
	}
	for _, o := range m.ofType("aws_elasticache_subnet_group") {
		a.RedisSubnetGroup = str(o.Attrs, "name")
	}
	for _, o := range m.ofType("aws_ecs_service") {
		task := strings.TrimPrefix(str(o.Attrs, "name"), prefix+"-")
		if lt := str(o.Attrs, "launch_type"); lt != "" {
			if a.LaunchType == nil {
				a.LaunchType = map[string]string{}
			}
			a.LaunchType[task] = lt
		}
	}
	a.Roles = sharedRoles(m)
	return a
}

// sharedRoles are the roles every task definition of the state uses, when
// they all use the same pair.
func sharedRoles(m *matcher) config.SharedRoles {
	var exec, task string
	for _, td := range m.ofType("aws_ecs_task_definition") {
		e, t := roleName(str(td.Attrs, "execution_role_arn")), roleName(str(td.Attrs, "task_role_arn"))
		if (exec != "" && e != exec) || (task != "" && t != task) {
			return config.SharedRoles{} // each task has its own: the program's default shape
		}
		exec, task = e, t
	}
	if exec == "" || task == "" {
		return config.SharedRoles{}
	}
	r := config.SharedRoles{Execution: exec, Task: task}
	for _, p := range m.ofType("aws_iam_role_policy") {
		if str(p.Attrs, "role") == exec {
			r.ExecutionPolicy = str(p.Attrs, "name")
		}
	}
	if r.ExecutionPolicy == "" {
		r.ExecutionPolicy = "read-task-secrets"
	}
	return r
}

func roleName(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }
