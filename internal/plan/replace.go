package plan

import (
	"fmt"
	"sort"
	"strings"
)

// ReplacedOnChange lists, for the resource types this program names, the
// inputs whose change makes the provider replace the resource (ForceNew in
// the AWS provider's schema). Pulumi replaces by creating the new resource
// before deleting the old one, so a named resource replaced under the same
// name fails: "already exists" (InvalidGroup.Duplicate,
// DuplicateTargetGroupName, DBParameterGroupAlreadyExists…). The name is
// listed too, for completeness: renaming is the way out.
var ReplacedOnChange = map[string][]string{
	"aws:ec2/securityGroup:SecurityGroup":                       {"name", "description", "vpcId"},
	"aws:lb/targetGroup:TargetGroup":                            {"name", "port", "protocol", "protocolVersion", "targetType", "vpcId"},
	"aws:lb/loadBalancer:LoadBalancer":                          {"name", "internal", "loadBalancerType"},
	"aws:rds/parameterGroup:ParameterGroup":                     {"name", "family", "description"},
	"aws:rds/subnetGroup:SubnetGroup":                           {"name"},
	"aws:elasticache/subnetGroup:SubnetGroup":                   {"name"},
	"aws:rds/instance:Instance":                                 {"identifier", "engine", "dbName", "username", "storageEncrypted", "kmsKeyId"},
	"aws:elasticache/replicationGroup:ReplicationGroup":         {"replicationGroupId", "engine", "port", "subnetGroupName", "atRestEncryptionEnabled"},
	"aws:secretsmanager/secret:Secret":                          {"name"},
	"aws:cloudwatch/logGroup:LogGroup":                          {"name"},
	"aws:iam/role:Role":                                         {"name", "path"},
	"aws:iam/rolePolicy:RolePolicy":                             {"name", "role"},
	"aws:ecr/repository:Repository":                             {"name", "encryptionConfigurations"},
	"aws:ecs/cluster:Cluster":                                   {"name"},
	"aws:ecs/service:Service":                                   {"name", "cluster", "launchType", "schedulingStrategy"},
	"aws:kms/alias:Alias":                                       {"name"},
	"aws:sns/topic:Topic":                                       {"name"},
	"aws:cloudwatch/metricAlarm:MetricAlarm":                    {"name"},
	"aws:cloudwatch/dashboard:Dashboard":                        {"dashboardName"},
	"aws:appautoscaling/policy:Policy":                          {"name", "resourceId", "scalableDimension", "serviceNamespace"},
	"aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": {"clusterName"},
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment":         {"role", "policyArn"},
	"aws:ecr/lifecyclePolicy:LifecyclePolicy":                   {"repository"},
	"aws:lb/listener:Listener":                                  {"loadBalancerArn"},
	"aws:acm/certificate:Certificate":                           {"domainName", "validationMethod"},
	"aws:sns/topicPolicy:TopicPolicy":                           {"arn"},
	"aws:ec2/vpcEndpoint:VpcEndpoint":                           {"vpcId", "serviceName", "vpcEndpointType"},
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":         {"vpcId"},
	TypeVPC:                   {"cidrBlock"},
	TypeSubnet:                {"cidrBlock", "availabilityZone", "vpcId"},
	TypeRouteTable:            {"vpcId"},
	TypeRouteTableAssociation: {"subnetId"},
	TypeRoute:                 {"routeTableId", "destinationCidrBlock"},
	TypeNATGateway:            {"subnetId", "allocationId", "connectivityType"},
	TypeEIP:                   {"domain"},
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
