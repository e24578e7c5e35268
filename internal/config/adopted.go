package config

import (
	"maps"
	"regexp"
	"slices"
)

// Adopted is arrakis:adopted: what a stack taken over from Terraform keeps
// as Terraform made it, so that importing the running resources replaces
// none of them. `go run . adopt --write` derives it from the Terraform state;
// new stacks leave it out and get the program's own names and settings.
//
// Every entry pins a value whose change would replace a running resource
// (a security group's name and description, a secret's name, a subnet or
// parameter group's name, an ECS service's launch type) or keeps a shape the
// running tasks depend on (the execution and task roles api and worker
// share). Removing an entry later is a deliberate change: the plan then
// shows the replacement it causes (moving the worker to Spot replaces its
// service, for instance).
type Adopted struct {
	// SecurityGroups are the tier groups' names and descriptions, by tier
	// (alb, tasks, postgres, redis, endpoints).
	SecurityGroups map[string]NameAndDescription `json:"securityGroups"`
	// SecretNames are the credentials secrets' names, by secret
	// (db-credentials, redis-credentials).
	SecretNames map[string]string `json:"secretNames"`
	// DBSubnetGroup, RedisSubnetGroup and DBParameterGroup are the names (and
	// the parameter group's description) the database and the cache use.
	DBSubnetGroup    string             `json:"dbSubnetGroup"`
	DBParameterGroup NameAndDescription `json:"dbParameterGroup"`
	RedisSubnetGroup string             `json:"redisSubnetGroup"`
	// LaunchType runs a service (api, worker) on a launch type instead of
	// capacity providers: FARGATE, on demand. It wins over the service's
	// spot setting until it is removed.
	LaunchType map[string]string `json:"launchType"`
	// Roles, when set, is the one execution role and the one task role that
	// api and worker share, and the execution role's inline policy.
	Roles SharedRoles `json:"roles"`
}

// NameAndDescription is a physical name with the description that goes
// with it (both force a replacement when they change).
type NameAndDescription struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// SharedRoles are the roles an adopted stack's tasks share.
type SharedRoles struct {
	Execution       string `json:"execution"`
	ExecutionPolicy string `json:"executionPolicy"`
	Task            string `json:"task"`
}

// Set reports whether the roles are adopted.
func (r SharedRoles) Set() bool { return r != SharedRoles{} }

// names are the physical names the stack took over.
func (a Adopted) names() []string {
	names := []string{a.DBSubnetGroup, a.DBParameterGroup.Name, a.RedisSubnetGroup, a.Roles.Execution, a.Roles.Task}
	for _, g := range sortedKeys(a.SecurityGroups) {
		names = append(names, a.SecurityGroups[g].Name)
	}
	for _, s := range sortedKeys(a.SecretNames) {
		names = append(names, a.SecretNames[s])
	}
	return names
}

// Any reports whether anything is adopted.
func (a Adopted) Any() bool {
	return len(a.SecurityGroups) > 0 || len(a.SecretNames) > 0 || a.DBSubnetGroup != "" ||
		a.DBParameterGroup != (NameAndDescription{}) || a.RedisSubnetGroup != "" || len(a.LaunchType) > 0 || a.Roles.Set()
}

// What may be adopted, by key.
var (
	AdoptableGroups  = []string{"alb", "tasks", "postgres", "redis", "endpoints"}
	AdoptableSecrets = []string{"db-credentials", "redis-credentials"}
	AdoptableLaunch  = []string{"api", "worker"}
)

// LaunchTypeFargate is the one launch type a service may keep.
const LaunchTypeFargate = "FARGATE"

var (
	sgNamePattern      = regexp.MustCompile(`^[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]{1,255}$`)
	secretNamePattern  = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]{1,512}$`)
	subnetGroupPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9 ._-]{0,254}$`)
	paramGroupPattern  = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]{0,254}$`)
	roleNamePattern    = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	policyNamePattern  = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)
	descriptionPattern = regexp.MustCompile(`^[\x20-\x7e]{1,255}$`)
)

func validateAdopted(cfg *Config, ps *problems) {
	a := &cfg.Adopted
	for _, tier := range sortedKeys(a.SecurityGroups) {
		g, k := a.SecurityGroups[tier], key("adopted", "securityGroups", tier)
		switch {
		case !slices.Contains(AdoptableGroups, tier):
			ps.add(k, nil, "unknown security group tier; adoptable tiers are %v", AdoptableGroups)
		case tier == "endpoints" && len(cfg.Network.InterfaceEndpoints) == 0:
			ps.add(k, g.Name, "the stack has no interface endpoints (arrakis:network.interfaceEndpoints), so no endpoints group to keep")
		}
		if !sgNamePattern.MatchString(g.Name) || len(g.Name) >= 3 && g.Name[:3] == "sg-" {
			ps.add(k+".name", g.Name, "must be a security group name: 1–255 characters, not starting with sg-")
		}
		if !descriptionPattern.MatchString(g.Description) {
			ps.add(k+".description", g.Description, "must be the group's description: 1–255 printable ASCII characters")
		}
	}
	for _, leaf := range sortedKeys(a.SecretNames) {
		k := key("adopted", "secretNames", leaf)
		if !slices.Contains(AdoptableSecrets, leaf) {
			ps.add(k, nil, "unknown secret; adoptable secrets are %v (app-config and vault-token keep their names anyway)", AdoptableSecrets)
		}
		if !secretNamePattern.MatchString(a.SecretNames[leaf]) {
			ps.add(k, a.SecretNames[leaf], "must be a Secrets Manager secret name (letters, digits, /_+=.@-)")
		}
	}
	for _, s := range []struct{ key, value string }{{"dbSubnetGroup", a.DBSubnetGroup}, {"redisSubnetGroup", a.RedisSubnetGroup}} {
		if s.value != "" && !subnetGroupPattern.MatchString(s.value) {
			ps.add(key("adopted", s.key), s.value, "must be a subnet group name: lower-case letters, digits, spaces, . _ -")
		}
	}
	if pg := a.DBParameterGroup; pg != (NameAndDescription{}) {
		if !paramGroupPattern.MatchString(pg.Name) {
			ps.add(key("adopted", "dbParameterGroup", "name"), pg.Name, "must be a DB parameter group name: a letter, then letters, digits and hyphens")
		}
		if !descriptionPattern.MatchString(pg.Description) {
			ps.add(key("adopted", "dbParameterGroup", "description"), pg.Description, "must be the group's description: 1–255 printable ASCII characters")
		}
	}
	for _, svc := range sortedKeys(a.LaunchType) {
		k := key("adopted", "launchType", svc)
		if !slices.Contains(AdoptableLaunch, svc) {
			ps.add(k, nil, "unknown service; services are %v", AdoptableLaunch)
		}
		if a.LaunchType[svc] != LaunchTypeFargate {
			ps.add(k, a.LaunchType[svc], "must be %q (the on-demand Fargate launch type a Terraform service ran on)", LaunchTypeFargate)
		}
	}
	if r := a.Roles; r.Set() {
		for _, f := range []struct{ name, value string }{{"execution", r.Execution}, {"task", r.Task}} {
			if !roleNamePattern.MatchString(f.value) {
				ps.add(key("adopted", "roles", f.name), f.value, "must be an IAM role name (1–64 of letters, digits, +=,.@_-)")
			}
		}
		if !policyNamePattern.MatchString(r.ExecutionPolicy) {
			ps.add(key("adopted", "roles", "executionPolicy"), r.ExecutionPolicy, "must be the name of the execution role's inline policy (1–128 of letters, digits, +=,.@_-)")
		}
		if r.Execution == r.Task {
			ps.add(key("adopted", "roles", "task"), r.Task, "must differ from the execution role: the application's identity is not the one ECS starts it with")
		}
	}
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
