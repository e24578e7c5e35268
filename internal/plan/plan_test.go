package plan_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

type component struct{ pulumi.ResourceState }
type thing struct{ pulumi.CustomResourceState }

// program registers a component with two children, one holding a secret,
// and exports a plain and a secret output. size varies between "stacks".
func program(size int, extra bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		c := &component{}
		if err := ctx.RegisterComponentResource("arrakis:test:Box", "box", c); err != nil {
			return err
		}
		db := &thing{}
		if err := ctx.RegisterResource("aws:rds/instance:Instance", "box-db", pulumi.Map{
			"identifier":       pulumi.String("arrakis-" + ctx.Stack() + "-postgres"),
			"instanceClass":    pulumi.String("db.t3.small"),
			"allocatedStorage": pulumi.Int(size),
			"password":         pulumi.ToSecret(pulumi.String("hunter2")),
			"tags":             pulumi.StringMap{"Name": pulumi.String("db")},
		}, db, pulumi.Parent(c), pulumi.Protect(true)); err != nil {
			return err
		}
		if extra {
			if err := ctx.RegisterResource("aws:sns/topic:Topic", "box-topic", pulumi.Map{
				"name":   pulumi.String("arrakis-" + ctx.Stack() + "-alerts"),
				"policy": pulumi.String(`{"Version":"2012-10-17","Statement":[]}`),
			}, &thing{}, pulumi.Parent(c), pulumi.DependsOn([]pulumi.Resource{db})); err != nil {
				return err
			}
		}
		ctx.Export("plain", pulumi.String("visible"))
		ctx.Export("hidden", pulumi.ToSecret(pulumi.String("hunter2")))
		return nil
	}
}

func build(t *testing.T, stack string, size int, extra bool) *plan.Plan {
	t.Helper()
	in := config.Input{Project: "arrakis", Stack: stack, Values: map[string]string{"aws:region": "us-east-1"}}
	p, err := plan.Build(in, program(size, extra))
	require.NoError(t, err)
	return p
}

func TestJSONMasksEverySecretAndListsItsPath(t *testing.T) {
	p := build(t, "production", 20, true)
	var b bytes.Buffer
	require.NoError(t, p.WriteJSON(&b))
	assert.NotContains(t, b.String(), "hunter2", "no secret value anywhere in the document")

	var doc struct {
		Project   string           `json:"project"`
		Stack     string           `json:"stack"`
		Resources []map[string]any `json:"resources"`
		Outputs   map[string]any   `json:"outputs"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	assert.Equal(t, "arrakis", doc.Project)
	assert.Equal(t, "production", doc.Stack)
	assert.Equal(t, map[string]any{"plain": "visible", "hidden": "[secret]"}, doc.Outputs)

	byName := map[string]map[string]any{}
	for _, r := range doc.Resources {
		byName[r["name"].(string)] = r
		for _, field := range []string{"urn", "type", "name", "parent", "custom", "protect", "retainOnDelete", "dependsOn", "inputs", "secretInputs"} {
			assert.Contains(t, r, field, "every resource has %s", field)
		}
	}
	box, db, topic := byName["box"], byName["box-db"], byName["box-topic"]
	assert.Equal(t, "", box["parent"], "top-level resources have no parent")
	assert.Equal(t, false, box["custom"])
	assert.Equal(t, box["urn"], db["parent"])
	assert.Equal(t, true, db["protect"])
	assert.Equal(t, false, topic["protect"])
	assert.Equal(t, "[secret]", db["inputs"].(map[string]any)["password"])
	assert.Equal(t, []any{"password"}, db["secretInputs"])
	assert.Equal(t, []any{db["urn"]}, topic["dependsOn"])
	assert.Equal(t, float64(20), db["inputs"].(map[string]any)["allocatedStorage"])
	assert.Regexp(t, `^db-[0-9A-F]{26}$`, db["id"], "custom resources carry the mock's placeholder id")
	assert.Equal(t, "arn:aws:sns:us-east-1:123456789012:arrakis-production-alerts", topic["id"])
	assert.NotContains(t, box, "id", "components have no id")
}

func TestTextShowsTheTreeNamesOptionsAndCounts(t *testing.T) {
	p := build(t, "production", 20, true)
	var b bytes.Buffer
	require.NoError(t, p.WriteText(&b))
	text := b.String()
	assert.NotContains(t, text, "hunter2")
	assert.Contains(t, text, "Stack arrakis/production: 2 resources")
	assert.Contains(t, text, "arrakis:test:Box  box  [component]\n")
	assert.Contains(t, text, "\n  aws:rds/instance:Instance  box-db  → arrakis-production-postgres  [protect]\n")
	assert.Contains(t, text, "      password: [secret]\n")
	assert.Contains(t, text, "      policy: (JSON)\n        {\n          \"Version\": \"2012-10-17\",")
	assert.NotContains(t, text, "Name: db", "provider tags are not repeated per resource")
	assert.Regexp(t, `aws:sns/topic:Topic +1\n`, text)
	assert.Contains(t, text, "  hidden: [secret]\n")
}

func TestDiffReportsPresenceAndDifferingSettings(t *testing.T) {
	a := build(t, "production", 100, true)
	b := build(t, "staging", 20, false)
	d := plan.Compare(a, b)
	assert.Equal(t, []string{"arrakis:test:Box$aws:sns/topic:Topic::box-topic"}, d.OnlyA)
	assert.Empty(t, d.OnlyB)
	require.Len(t, d.Changed, 1)
	assert.Equal(t, []plan.Setting{{Path: "allocatedStorage", A: "100", B: "20"}}, d.Changed[0].Settings,
		"the identifier differs only by the stack name, so it is not reported")

	var out bytes.Buffer
	require.NoError(t, d.WriteText(&out))
	assert.Contains(t, out.String(), "Only in production (1):\n  aws:sns/topic:Topic  box-topic\n")
	assert.Contains(t, out.String(), "    allocatedStorage: 100 → 20\n")
	assert.NotContains(t, out.String(), "hunter2")
}

func TestVPCChildrenFollowTheNATStrategy(t *testing.T) {
	vpc := func(strategy string) plan.Resource {
		inputs := map[string]any{
			"availabilityZoneNames": []any{"us-east-1a", "us-east-1b", "us-east-1c"},
			"subnetSpecs":           []any{map[string]any{"type": "Public"}, map[string]any{"type": "Private"}},
		}
		if strategy != "" {
			inputs["natGateways"] = map[string]any{"strategy": strategy}
		}
		return plan.Resource{Type: token.AwsxVPC, Inputs: inputs}
	}
	for strategy, nat := range map[string]int{"Single": 1, "OnePerAz": 3, "None": 0, "": 3} {
		c := plan.VPCChildren(vpc(strategy))
		assert.Equal(t, nat, c.NATGateways, "strategy %q", strategy)
		assert.Equal(t, nat, c.ElasticIPs)
		assert.Equal(t, 6, c.Subnets)
	}
	assert.True(t, strings.HasPrefix(plan.VPCChildren(vpc("Single")).String(), "1 VPC, 1 internet gateway, 6 subnets"))
}

// The awsx VPC's children, as awsx v2.22.0 names and parents them: the
// Terraform adoption imports the running network at these URNs.
func TestVPCChildResourcesHaveAwsxNamesAndParents(t *testing.T) {
	vpc := plan.Resource{
		URN: "urn:pulumi:production::arrakis::arrakis:network:Network$awsx:ec2:Vpc::arrakis-vpc", Type: token.AwsxVPC, Name: "arrakis-vpc",
		Inputs: map[string]any{
			"availabilityZoneNames": []any{"us-east-1a", "us-east-1b"}, "cidrBlock": "10.0.0.0/16",
			"natGateways": map[string]any{"strategy": "Single"},
			"subnetSpecs": []any{
				map[string]any{"type": "Private", "cidrBlocks": []any{"10.0.1.0/24", "10.0.2.0/24"}},
				map[string]any{"type": "Public", "cidrBlocks": []any{"10.0.101.0/24", "10.0.102.0/24"}},
			},
		},
	}
	children := plan.VPCChildResources(vpc)
	byType := map[string]int{}
	urns := map[string]bool{}
	for _, c := range children {
		byType[c.Type]++
		urns[c.URN] = true
	}
	assert.Equal(t, map[string]int{token.VPC: 1, token.InternetGateway: 1, token.Subnet: 4, token.RouteTable: 4,
		token.RouteTableAssociation: 4, token.Route: 4, token.NATGateway: 1, token.EIP: 1}, byType)
	const p = "urn:pulumi:production::arrakis::arrakis:network:Network$awsx:ec2:Vpc$aws:ec2/vpc:Vpc"
	for _, urn := range []string{
		"urn:pulumi:production::arrakis::arrakis:network:Network$awsx:ec2:Vpc$aws:ec2/vpc:Vpc::arrakis-vpc",
		p + "$aws:ec2/internetGateway:InternetGateway::arrakis-vpc",
		p + "$aws:ec2/subnet:Subnet::arrakis-vpc-public-1",
		p + "$aws:ec2/subnet:Subnet::arrakis-vpc-private-2",
		p + "$aws:ec2/subnet:Subnet$aws:ec2/routeTable:RouteTable::arrakis-vpc-private-2",
		p + "$aws:ec2/subnet:Subnet$aws:ec2/routeTable:RouteTable$aws:ec2/routeTableAssociation:RouteTableAssociation::arrakis-vpc-public-2",
		p + "$aws:ec2/subnet:Subnet$aws:ec2/routeTable:RouteTable$aws:ec2/route:Route::arrakis-vpc-private-1",
		p + "$aws:ec2/subnet:Subnet$aws:ec2/natGateway:NatGateway::arrakis-vpc-1",
		p + "$aws:ec2/subnet:Subnet$aws:ec2/eip:Eip::arrakis-vpc-1",
	} {
		assert.True(t, urns[urn], urn)
	}
	// Public subnets come first in each zone, whatever the spec order; the
	// NAT is in zone 1's public subnet.
	assert.Equal(t, "arrakis-vpc-public-1", children[2].Name)
	for _, c := range children {
		if c.Type == token.NATGateway {
			assert.Equal(t, p+"$aws:ec2/subnet:Subnet::arrakis-vpc-public-1", c.Parent)
		}
		if c.Type == token.Subnet && c.Name == "arrakis-vpc-private-2" {
			assert.Equal(t, map[string]any{"availabilityZone": "us-east-1b", "cidrBlock": "10.0.2.0/24", "mapPublicIpOnLaunch": false}, c.Inputs)
		}
	}
}
