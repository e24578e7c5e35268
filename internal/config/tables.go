package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// fargateMemory maps each Fargate CPU size (CPU units) to the memory sizes
// (MiB) AWS accepts with it.
var fargateMemory = map[int][]int{
	256:  {512, 1024, 2048},
	512:  steps(1024, 4096),
	1024: steps(2048, 8192),
	2048: steps(4096, 16384),
	4096: steps(8192, 30720),
}

func steps(from, to int) []int {
	var out []int
	for m := from; m <= to; m += 1024 {
		out = append(out, m)
	}
	return out
}

// FargateCPUs are the accepted task CPU sizes, ascending.
func FargateCPUs() []int { return slices.Sorted(maps.Keys(fargateMemory)) }

// ValidFargate reports whether cpu/memory is a task size Fargate accepts.
func ValidFargate(cpu, memory int) bool {
	return slices.Contains(fargateMemory[cpu], memory)
}

// fargateMemoryText describes the memory sizes allowed with cpu.
func fargateMemoryText(cpu int) string {
	m := fargateMemory[cpu]
	if len(m) == 0 {
		return ""
	}
	if cpu == 256 {
		return "512, 1024 or 2048"
	}
	return fmt.Sprintf("%d to %d in steps of 1024", m[0], m[len(m)-1])
}

// LogRetentionDays are the retention periods CloudWatch Logs accepts
// (0, "never expire", is left out on purpose: every log group has one).
var LogRetentionDays = []int{
	1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
	1096, 1827, 2192, 2557, 2922, 3288, 3653,
}

// InterfaceEndpointServices are the AWS services this program will create an
// interface endpoint for. The list guards against typos; extend it when the
// application starts calling another service.
var InterfaceEndpointServices = []string{
	"ecr.api", "ecr.dkr", "logs", "secretsmanager", "kms", "sts", "ssm", "ssmmessages",
	"ec2messages", "monitoring", "sns", "sqs", "ecs", "ecs-agent", "ecs-telemetry",
	"elasticloadbalancing", "xray",
}

// LogLevels are the levels the application accepts in LOG_LEVEL.
var LogLevels = []string{"fatal", "error", "warn", "info", "debug", "trace"}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}
