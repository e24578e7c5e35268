// Package health is how a service's health is checked — by its container
// and by the load balancer in front of it — and what follows from the two
// together: how long the service must ignore the load balancer after a task
// starts.
package health

import (
	"errors"
	"fmt"
)

// Check is one service's health check.
type Check struct {
	// Path and Port are where the service answers: HTTP 200 means healthy.
	Path string
	Port int
	// Interval and Timeout (seconds) apply to both checks.
	Interval, Timeout int
	// Retries is how many failed container checks in a row make the task
	// unhealthy; StartPeriod (seconds) is how long after start they do not
	// count.
	Retries, StartPeriod int
	// HealthyThreshold and UnhealthyThreshold are how many load balancer
	// checks in a row make a target healthy or unhealthy; Matcher is the
	// HTTP codes of a healthy answer.
	HealthyThreshold, UnhealthyThreshold int
	Matcher                              string
}

// GracePeriod is how long (seconds) the service ignores the load balancer's
// checks after a task starts: the container's start period, then the time
// the load balancer needs to see it healthy — the first passing check can
// come as the start period ends, and HealthyThreshold passing checks an
// Interval apart make the target healthy. Shorter, ECS would stop tasks
// that are still starting.
func (c Check) GracePeriod() int { return c.StartPeriod + (c.HealthyThreshold-1)*c.Interval }

// Validate reports a check AWS would refuse or that cannot pass.
func (c Check) Validate() error {
	switch {
	case c.Path == "" || c.Path[0] != '/':
		return fmt.Errorf("health check path %q must start with /", c.Path)
	case c.Port <= 0 || c.Port > 65535:
		return fmt.Errorf("health check port %d is not a TCP port", c.Port)
	case c.Timeout < 2 || c.Interval <= c.Timeout:
		// ELB: timeout 2–120 s and below the interval; ECS likewise.
		return fmt.Errorf("health check timeout %d s must be at least 2 s and below the interval %d s", c.Timeout, c.Interval)
	case c.Retries < 1 || c.HealthyThreshold < 2 || c.UnhealthyThreshold < 2:
		return errors.New("retries must be at least 1 and the load balancer's thresholds at least 2")
	case c.Matcher == "":
		return errors.New("the load balancer needs the HTTP codes of a healthy answer")
	}
	return nil
}
