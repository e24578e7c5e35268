package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/arrakis/infrastructure/internal/plan/token"
)

// ReplacedOnChange lists, for the resource types this program names, the
// inputs whose change makes the provider replace the resource (ForceNew in
// the AWS provider's schema). Pulumi replaces by creating the new resource
// before deleting the old one, so a named resource replaced under the same
// name fails: "already exists" (InvalidGroup.Duplicate,
// DuplicateTargetGroupName, DBParameterGroupAlreadyExists…). The name is
// listed too, for completeness: renaming is the way out.
var ReplacedOnChange = map[string][]string{
	token.SecurityGroup:               {"name", "description", "vpcId"},
	token.TargetGroup:                 {"name", "port", "protocol", "protocolVersion", "targetType", "vpcId"},
	token.LoadBalancer:                {"name", "internal", "loadBalancerType"},
	token.RDSParameterGroup:           {"name", "family", "description"},
	token.RDSSubnetGroup:              {"name"},
	token.ElastiCacheSubnetGroup:      {"name"},
	token.RDSInstance:                 {"identifier", "engine", "dbName", "username", "storageEncrypted", "kmsKeyId"},
	token.ElastiCacheReplicationGroup: {"replicationGroupId", "engine", "port", "subnetGroupName", "atRestEncryptionEnabled"},
	token.Secret:                      {"name"},
	token.LogGroup:                    {"name"},
	token.IAMRole:                     {"name", "path"},
	token.IAMRolePolicy:               {"name", "role"},
	token.ECRRepository:               {"name", "encryptionConfigurations"},
	token.ECSCluster:                  {"name"},
	token.ECSService:                  {"name", "cluster", "launchType", "schedulingStrategy"},
	token.KMSAlias:                    {"name"},
	token.SNSTopic:                    {"name"},
	token.MetricAlarm:                 {"name"},
	token.Dashboard:                   {"dashboardName"},
	token.ScalingPolicy:               {"name", "resourceId", "scalableDimension", "serviceNamespace"},
	token.ECSClusterCapacityProviders: {"clusterName"},
	token.IAMRolePolicyAttachment:     {"role", "policyArn"},
	token.ECRLifecyclePolicy:          {"repository"},
	token.Listener:                    {"loadBalancerArn"},
	token.ACMCertificate:              {"domainName", "validationMethod"},
	token.SNSTopicPolicy:              {"arn"},
	token.VPCEndpoint:                 {"vpcId", "serviceName", "vpcEndpointType"},
	token.DefaultSecurityGroup:        {"vpcId"},
	token.VPC:                         {"cidrBlock"},
	token.Subnet:                      {"cidrBlock", "availabilityZone", "vpcId"},
	token.RouteTable:                  {"vpcId"},
	token.RouteTableAssociation:       {"subnetId"},
	token.Route:                       {"routeTableId", "destinationCidrBlock"},
	token.NATGateway:                  {"subnetId", "allocationId", "connectivityType"},
	token.EIP:                         {"domain"},
	token.WebACL:                      {"name", "scope"},
}

// ReplacementPins are, for every named resource of the plan, the values of
// the inputs whose change would replace it under the same name: one line
// each, "<type> <logical name>: <input> = <value>", sorted. A reviewed
// snapshot of them turns an accidental edit (a security group's
// description, a target group's port) into a failing test that says what it
// would do, instead of a failed `up`.
func (p *Plan) ReplacementPins() []string {
	var pins []string
	for _, r := range p.Resources {
		props, ok := ReplacedOnChange[r.Type]
		if !ok || !r.Custom || r.PhysicalName() == "" {
			continue
		}
		for _, prop := range props {
			v, ok := r.Inputs[prop]
			if !ok {
				continue
			}
			pins = append(pins, fmt.Sprintf("%s %s: %s = %s", r.Type, r.Name, prop, inline(v)))
		}
	}
	sort.Strings(pins)
	return pins
}

// PinsText is ReplacementPins as a file.
func (p *Plan) PinsText() string {
	return "# What replaces a named resource of stack " + p.Stack + " when it changes (see plan.ReplacedOnChange).\n" +
		strings.Join(p.ReplacementPins(), "\n") + "\n"
}
