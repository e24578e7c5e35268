package diagram_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/arrakis/infrastructure/internal/diagram"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

func res(typ, name, id string, inputs map[string]any) plan.Resource {
	return plan.Resource{URN: "urn:" + name, ID: id, Type: typ, Name: name, Custom: true, Inputs: inputs}
}

func list(v ...any) []any { return v }

func rule(ingress bool, name, group string, port float64, peer, cidr string) plan.Resource {
	typ := token.SecurityGroupEgressRule
	if ingress {
		typ = token.SecurityGroupIngressRule
	}
	in := map[string]any{"securityGroupId": group, "ipProtocol": "tcp", "fromPort": port, "toPort": port}
	if peer != "" {
		in["referencedSecurityGroupId"] = peer
	} else {
		in["cidrIpv4"] = cidr
	}
	return res(typ, name, "sgr-"+name, in)
}

func sg(name, id string) plan.Resource {
	return res(token.SecurityGroup, name, id, map[string]any{"name": "arrakis-test-" + name})
}

// stack is a hand-built plan of the whole architecture.
func stack(nat string) *plan.Plan {
	vpc := res(token.AwsxVPC, "arrakis-vpc", "", map[string]any{
		"cidrBlock":             "10.0.0.0/16",
		"availabilityZoneNames": list("us-east-1a", "us-east-1b"),
		"subnetSpecs": list(
			map[string]any{"type": "Public", "cidrBlocks": list("10.0.101.0/24", "10.0.102.0/24")},
			map[string]any{"type": "Private", "cidrBlocks": list("10.0.1.0/24", "10.0.2.0/24")},
		),
		"natGateways": map[string]any{"strategy": nat},
	})
	vpc.Custom, vpc.Remote = false, true
	return &plan.Plan{Stack: "test", Resources: []plan.Resource{
		vpc,
		sg("alb", "sg-1"), sg("tasks", "sg-2"), sg("postgres", "sg-3"), sg("endpoints", "sg-4"),
		rule(true, "alb-https", "sg-1", 443, "", "0.0.0.0/0"),
		rule(true, "alb-http", "sg-1", 80, "", "0.0.0.0/0"),
		rule(false, "alb-to-tasks", "sg-1", 3000, "sg-2", ""),
		rule(true, "tasks-from-alb", "sg-2", 3000, "sg-1", ""),
		rule(true, "postgres-from-tasks", "sg-3", 5432, "sg-2", ""),
		rule(false, "tasks-to-internet", "sg-2", 443, "", "0.0.0.0/0"),
		rule(true, "endpoints-from-vpc", "sg-4", 443, "", "10.0.0.0/16"),
		res(token.LoadBalancer, "arrakis-alb", "arn:alb", map[string]any{"name": "arrakis-test-alb", "securityGroups": list("sg-1")}),
		res(token.ECSService, "arrakis-api", "arn:svc", map[string]any{
			"name": "arrakis-test-api", "desiredCount": 2.0,
			"taskDefinition":       "arn:aws:ecs:us-east-1:123456789012:task-definition/arrakis-test-api:1",
			"networkConfiguration": map[string]any{"securityGroups": list("sg-2"), "assignPublicIp": false},
		}),
		res(token.ECSTaskDefinition, "arrakis-api-task", "arrakis-test-api", map[string]any{
			"family":               "arrakis-test-api",
			"containerDefinitions": `[{"name":"api","image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/arrakis-test-api:abc","secrets":[{"name":"DATABASE_URL","valueFrom":"arn:aws:secretsmanager:us-east-1:123456789012:secret:arrakis-test/db-credentials-x:url::"}]}]`,
		}),
		res(token.ECRRepository, "arrakis-ecr", "arrakis-test-api", map[string]any{"name": "arrakis-test-api"}),
		res(token.RDSInstance, "arrakis-postgres", "db-1", map[string]any{
			"identifier": "arrakis-test-postgres", "instanceClass": "db.t3.small", "vpcSecurityGroupIds": list("sg-3"),
		}),
		res(token.VPCEndpoint, "arrakis-logs-endpoint", "vpce-1", map[string]any{
			"serviceName": "com.amazonaws.us-east-1.logs", "vpcEndpointType": "Interface", "securityGroupIds": list("sg-4"),
		}),
		res(token.Secret, "arrakis-db-credentials", "arn:s", map[string]any{"name": "arrakis-test/db-credentials"}),
		res(token.SNSTopic, "arrakis-alerts", "arn:aws:sns:us-east-1:123456789012:arrakis-test-alerts", map[string]any{"name": "arrakis-test-alerts"}),
		res(token.SNSTopicSubscription, "arrakis-alerts-email", "sub", map[string]any{"topic": "arn:aws:sns:us-east-1:123456789012:arrakis-test-alerts", "protocol": "email"}),
		res(token.MetricAlarm, "arrakis-cpu", "cpu", map[string]any{"alarmActions": list("arn:aws:sns:us-east-1:123456789012:arrakis-test-alerts")}),
	}}
}

// block is the text of a subgraph, from its opening line to its end.
func block(t *testing.T, m, id string) string {
	t.Helper()
	i := strings.Index(m, "subgraph "+id+"[")
	if i < 0 {
		t.Fatalf("no subgraph %s in\n%s", id, m)
	}
	indent := m[strings.LastIndex(m[:i], "\n")+1 : i]
	j := strings.Index(m[i:], "\n"+indent+"end\n")
	return m[i : i+j]
}

func TestTrafficBetweenTiersComesFromTheRules(t *testing.T) {
	m := diagram.Mermaid(stack("Single"))
	for _, want := range []string{
		`internet -->|"443, 80"| sg_alb`,
		`sg_alb -->|"3000"| sg_tasks`,
		`sg_tasks -->|"5432"| sg_postgres`,
		`sg_tasks -->|"443"| nat_0`,
		`nat_0 -->|"443"| internet`,
		`cidr_10_0_0_0_16 -->|"443"| sg_endpoints`,
	} {
		assert.Contains(t, m, want)
	}
	assert.Equal(t, 1, strings.Count(m, `sg_alb -->|"3000"| sg_tasks`), "the ingress and egress halves of one flow are one arrow")
	assert.NotContains(t, m, "sg_tasks -->|\"443\"| internet", "private tasks reach the internet only through the NAT")
	assert.Contains(t, m, `cidr_10_0_0_0_16(["anything in the VPC"])`)
}

func TestTiersSubnetsAndMembers(t *testing.T) {
	m := diagram.Mermaid(stack("Single"))
	assert.True(t, strings.HasPrefix(m, "flowchart LR\n"))
	public, private := block(t, m, "tier_public"), block(t, m, "tier_private")
	assert.Contains(t, public, `subnet_public_0["public subnet us-east-1a<br/>10.0.101.0/24"]`)
	assert.Contains(t, public, `subnet_public_1["public subnet us-east-1b<br/>10.0.102.0/24"]`)
	assert.Contains(t, public, `nat_0["NAT gateway<br/>us-east-1a"]`)
	assert.Contains(t, public, `r_arrakis_alb["load balancer arrakis-test-alb"]`, "the group open to the internet is the public tier")
	assert.Contains(t, private, `subnet_private_1["private subnet us-east-1b<br/>10.0.2.0/24"]`)
	assert.Contains(t, block(t, m, "sg_tasks"), `r_arrakis_api["ECS service arrakis-test-api<br/>2 tasks"]`)
	assert.Contains(t, block(t, m, "sg_postgres"), `r_arrakis_postgres["RDS PostgreSQL arrakis-test-postgres<br/>db.t3.small"]`)
	assert.Contains(t, block(t, m, "sg_endpoints"), `interface endpoint logs`)
	assert.NotContains(t, public, "sg_tasks")

	perAZ := diagram.Mermaid(stack("OnePerAz"))
	assert.Contains(t, perAZ, `nat_1["NAT gateway<br/>us-east-1b"]`)
	assert.Contains(t, perAZ, `sg_tasks -->|"443"| nat_1`)
}

func TestServicesOutsideTheVPC(t *testing.T) {
	m := diagram.Mermaid(stack("Single"))
	assert.Contains(t, m, `secrets["Secrets Manager<br/>arrakis-test/db-credentials"]`)
	assert.Contains(t, m, `r_arrakis_api -.->|"secrets at start"| secrets`)
	assert.Contains(t, m, `r_arrakis_ecr -.->|"image"| r_arrakis_api`)
	assert.Contains(t, m, `alarms["CloudWatch alarms ×1"]`)
	assert.Contains(t, m, `alarms -->|"alarm and OK actions"| r_arrakis_alerts`)
	assert.Contains(t, m, `r_arrakis_alerts_subscribers(["1 e-mail subscription"])`)
	assert.Contains(t, m, `r_arrakis_alerts -->|"notifications"| r_arrakis_alerts_subscribers`)
}

func TestTheDrawingIsStable(t *testing.T) {
	assert.Equal(t, diagram.Mermaid(stack("Single")), diagram.Mermaid(stack("Single")))
}

func TestWithoutAVPCTheGroupsStillDraw(t *testing.T) {
	p := stack("Single")
	p.Resources = p.Resources[1:] // no awsx VPC
	m := diagram.Mermaid(p)
	assert.NotContains(t, m, "subgraph vpc")
	assert.Contains(t, m, `sg_tasks -->|"443"| internet`, "no NAT to go through")
	assert.Contains(t, m, `cidr_10_0_0_0_16(["addresses in 10.0.0.0/16"])`)
}
