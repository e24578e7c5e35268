package compute

import (
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/health"
)

// Service is a service beyond the API and the worker, run from config: its
// settings, and — when it is routed — its target group and the rule that
// lets the load balancer reach its tasks, both from the other domains.
type Service struct {
	Name string
	config.Service
	// TargetGroupARN and TargetGroupARNSuffix are the service's target
	// group (resolving once its listener rule forwards to it), set when the
	// service is routed.
	TargetGroupARN       pulumi.StringInput
	TargetGroupARNSuffix pulumi.StringInput
	// IngressRule is the id of the rule admitting the load balancer on the
	// service's port: the service waits for it.
	IngressRule pulumi.StringInput
}

// ServicesFromConfig are the configured services, by name, without their
// wiring.
func ServicesFromConfig(cfg *config.Config) []Service {
	var out []Service
	for _, name := range cfg.ServiceNames() {
		out = append(out, Service{Name: name, Service: cfg.Services[name]})
	}
	return out
}

// ServiceHealth is how a service with a port is checked: the API's timings
// on the service's port and path, with the service's start period when it
// sets one.
func ServiceHealth(s config.Service) health.Check {
	h := APIHealth
	h.Port, h.Path = s.Port, s.HealthPath
	if s.StartPeriod != nil {
		h.StartPeriod = *s.StartPeriod
	}
	return h
}

// ownImage reports whether a service runs the API's repository, whose
// image has the curl the container health check runs. An image from
// elsewhere is checked by the load balancer only, when it is routed.
func ownImage(s config.Service) bool { return s.Image == "" || s.Image == config.APIImage }

// ServiceDefinition is a configured service's container: the API's
// hardening and environment, only the secrets the service names, its own
// command and variables, and — with a port — its port and health check.
func ServiceDefinition(s Spec, svc Service) ContainerDefinition {
	c := base(svc.Name, s)
	if !ownImage(svc.Service) {
		c.Image = svc.Image
	}
	c.Secrets = secretRefsOf(s.Secrets, s.App.ConfigKeys, svc.Secrets)
	c.Command = svc.Command
	for k, v := range svc.Environment {
		c.Environment = append(c.Environment, KeyValue{Name: k, Value: v})
	}
	if svc.Port > 0 {
		h := ServiceHealth(svc.Service)
		port := strconv.Itoa(h.Port)
		c.PortMappings = []PortMapping{{ContainerPort: h.Port, Protocol: "tcp"}}
		if ownImage(svc.Service) {
			c.HealthCheck = containerHealthCheck(h)
		}
		c.Environment = append(c.Environment, KeyValue{Name: "PORT", Value: port})
	}
	sortEnv(c.Environment)
	return c
}

// validateServices checks the configured services' wiring; config has
// validated their settings.
func (a *Args) validateServices() error {
	seen := map[string]bool{}
	for _, s := range a.Services {
		switch {
		case slices.Contains(taskNames, s.Name) || seen[s.Name]:
			return fmt.Errorf("service %q is defined twice (api and worker are built in)", s.Name)
		case s.MinCount > s.MaxCount:
			return fmt.Errorf("service %s: task range %d–%d is empty", s.Name, s.MinCount, s.MaxCount)
		case s.Routed() && (s.TargetGroupARN == nil || s.TargetGroupARNSuffix == nil || s.IngressRule == nil):
			return fmt.Errorf("service %s is routed: its target group and ingress rule are required", s.Name)
		}
		seen[s.Name] = true
	}
	return nil
}

// serviceNames are the configured services' names, sorted.
func (a *Args) serviceNames() []string {
	names := make([]string, 0, len(a.Services))
	for _, s := range a.Services {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	return names
}

// service is the configured service of a name.
func (a *Args) service(name string) (Service, bool) {
	for _, s := range a.Services {
		if s.Name == name {
			return s, true
		}
	}
	return Service{}, false
}

// allTasks are the API, the worker and the configured services, in a
// stable order.
func (a *Args) allTasks() []string { return append(slices.Clone(taskNames), a.serviceNames()...) }
