package policy

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/awsiam"
	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// fixture is a hand-built plan of the whole program as it is meant to be
// it, compliant with every check, that a test breaks one field at a time.
type fixture struct {
	t   *testing.T
	p   *plan.Plan
	env Env
}

const (
	account   = "123456789012"
	keyID     = "1111aaaa-2222-3333-4444-555566667777"
	keyARN    = "arn:aws:kms:us-east-1:" + account + ":key/" + keyID
	dbSecret  = "arn:aws:secretsmanager:us-east-1:" + account + ":secret:arrakis-production/db-credentials-AbCdEf"
	topicARN  = "arn:aws:sns:us-east-1:" + account + ":arrakis-production-alerts"
	certARN   = "arn:aws:acm:us-east-1:" + account + ":certificate/9f8e7d6c-0000-1111-2222-333344445555"
	execRole  = "arn:aws:iam::" + account + ":role/arrakis-production-execution"
	taskRole  = "arn:aws:iam::" + account + ":role/arrakis-production-task"
	vpcURN    = "urn:pulumi:production::arrakis::awsx:ec2:Vpc::arrakis-vpc"
	aclID     = "a1b2c3d4-0000-1111-2222-333344445555"
	aclARN    = "arn:aws:wafv2:us-east-1:" + account + ":regional/webacl/arrakis-production-web-acl/" + aclID
	secretStr = "[secret]"
)

func world(port int) map[string]any {
	return map[string]any{"cidrIpv4": "0.0.0.0/0", "ipProtocol": "tcp", "fromPort": float64(port), "toPort": float64(port)}
}

func from(group string, port int) map[string]any {
	return map[string]any{"referencedSecurityGroupId": group, "ipProtocol": "tcp", "fromPort": float64(port), "toPort": float64(port)}
}

// compliant is the production plan every check passes on.
func compliant(t *testing.T) *fixture {
	f := &fixture{t: t, p: &plan.Plan{Project: "arrakis", Stack: "production", Outputs: map[string]any{
		"vpcId": "vpc-0123", "rdsEndpoint": secretStr, "redisEndpoint": secretStr,
	}}, env: Env{Stack: "production", Production: true, AccessLogsBucket: "arrakis-production-alb-logs"}}

	// network
	f.add(token.AwsxVPC, "arrakis-vpc", "", map[string]any{
		"availabilityZoneNames": []any{"us-east-1a", "us-east-1b"}, "cidrBlock": "10.0.0.0/16",
		"enableDnsHostnames": true, "enableDnsSupport": true, "natGateways": map[string]any{"strategy": "OnePerAz"},
		"subnetSpecs": []any{
			map[string]any{"type": "Public", "cidrBlocks": []any{"10.0.101.0/24", "10.0.102.0/24"}},
			map[string]any{"type": "Private", "cidrBlocks": []any{"10.0.1.0/24", "10.0.2.0/24"}},
		},
	})
	vpc := f.get("arrakis-vpc")
	vpc.Custom = false
	// As the program's transform leaves awsx's children: no public
	// addresses on launch.
	for _, c := range plan.VPCChildResources(*vpc) {
		if c.Type == token.Subnet {
			c.Inputs["mapPublicIpOnLaunch"] = false
		}
		vpc.Children = append(vpc.Children, c)
	}
	f.inVPC(f.add(token.DefaultSecurityGroup, "arrakis-default-sg", "sg-default", map[string]any{"vpcId": "vpc-0123"}))
	f.inVPC(f.add(token.FlowLog, "arrakis-flow-log", "fl-1", map[string]any{"trafficType": "ALL", "vpcId": "vpc-0123",
		"iamRoleArn": "arn:aws:iam::" + account + ":role/arrakis-production-flow-logs"}))
	for _, tier := range []string{tierALB, tierTasks, tierPostgres, tierRedis, tierEndpoints} {
		f.inVPC(f.add(token.SecurityGroup, "arrakis-"+tier+"-sg", "sg-"+tier, map[string]any{
			"name": "arrakis-production-" + tier, "description": tier + " tier", "vpcId": "vpc-0123"}))
	}
	// Port 80 from the VPC only: open to the world it is a finding
	// (ARK-NET-015) the real stacks accept.
	f.rule(token.SecurityGroupIngressRule, "arrakis-alb-http", "sg-alb", map[string]any{
		"cidrIpv4": "10.0.0.0/16", "ipProtocol": "tcp", "fromPort": float64(80), "toPort": float64(80)})
	f.rule(token.SecurityGroupIngressRule, "arrakis-alb-https", "sg-alb", world(443))
	f.rule(token.SecurityGroupEgressRule, "arrakis-alb-to-tasks", "sg-alb", from("sg-tasks", 3000))
	f.rule(token.SecurityGroupIngressRule, "arrakis-tasks-from-alb", "sg-tasks", from("sg-alb", 3000))
	f.rule(token.SecurityGroupEgressRule, "arrakis-tasks-to-internet-443", "sg-tasks", world(443))
	f.rule(token.SecurityGroupIngressRule, "arrakis-postgres-from-tasks", "sg-postgres", from("sg-tasks", 5433))
	f.rule(token.SecurityGroupIngressRule, "arrakis-redis-from-tasks", "sg-redis", from("sg-tasks", 6379))
	f.rule(token.SecurityGroupIngressRule, "arrakis-endpoints-https", "sg-endpoints", map[string]any{
		"cidrIpv4": "10.0.0.0/16", "ipProtocol": "tcp", "fromPort": float64(443), "toPort": float64(443)})
	f.inVPC(f.add(token.VPCEndpoint, "arrakis-s3-endpoint", "vpce-s3", map[string]any{"vpcEndpointType": "Gateway",
		"serviceName": "com.amazonaws.us-east-1.s3", "routeTableIds": []any{"rtb-1", "rtb-2"}, "vpcId": "vpc-0123"}))
	f.inVPC(f.add(token.VPCEndpoint, "arrakis-ecr-api-endpoint", "vpce-ecr", map[string]any{"vpcEndpointType": "Interface",
		"serviceName": "com.amazonaws.us-east-1.ecr.api", "privateDnsEnabled": true, "vpcId": "vpc-0123",
		"subnetIds": []any{"subnet-1", "subnet-2"}, "securityGroupIds": []any{"sg-endpoints"}}))
	f.inVPC(f.add(token.VPCEndpoint, "arrakis-ec2-endpoint", "vpce-ec2", map[string]any{"vpcEndpointType": "Interface",
		"serviceName": "com.amazonaws.us-east-1.ec2", "privateDnsEnabled": true, "vpcId": "vpc-0123",
		"subnetIds": []any{"subnet-1", "subnet-2"}, "securityGroupIds": []any{"sg-endpoints"}}))

	// logs, keys, secrets
	for _, g := range []string{"/aws/vpc/arrakis-production/flow-logs", "/ecs/arrakis-production/api"} {
		f.add(token.LogGroup, "log"+strings.ReplaceAll(g, "/", "-"), g, map[string]any{"name": g, "retentionInDays": float64(365), "kmsKeyId": keyARN})
	}
	f.add(token.KMSKey, "arrakis-secrets-key", keyID, map[string]any{"enableKeyRotation": true, "deletionWindowInDays": float64(30),
		"policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"kms:*","Resource":"*"}]}`,
	}).Protect = true
	f.add(token.KMSAlias, "arrakis-secrets-alias", "alias/arrakis-production-secrets", map[string]any{"name": "alias/arrakis-production-secrets", "targetKeyId": keyID})
	f.add(token.Secret, "arrakis-db-credentials", dbSecret, map[string]any{"name": "arrakis-production/db-credentials",
		"kmsKeyId": keyARN, "recoveryWindowInDays": float64(30)}).Protect = true
	f.add(token.SecretRotation, "arrakis-db-credentials-rotation", "rotation-1", map[string]any{"secretId": dbSecret,
		"rotationRules": map[string]any{"automaticallyAfterDays": float64(30)}})
	f.add(token.SecretVersion, "arrakis-db-credentials-value", dbSecret+"|v1", map[string]any{"secretId": dbSecret, "secretString": secretStr}).
		SecretInputs = []string{"secretString"}

	// IAM
	f.role("arrakis-flow-logs-role", "arrakis-production-flow-logs", "vpc-flow-logs.amazonaws.com")
	f.role("arrakis-execution-role", "arrakis-production-execution", "ecs-tasks.amazonaws.com")
	f.role("arrakis-task-role", "arrakis-production-task", "ecs-tasks.amazonaws.com")
	f.add(token.IAMRolePolicy, "arrakis-execution-secrets", "arrakis-production-execution:read-secrets", map[string]any{
		"name": "read-secrets", "role": "arrakis-production-execution",
		"policy": mustJSON(t, map[string]any{"Version": "2012-10-17", "Statement": []any{
			map[string]any{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": []any{dbSecret}},
			map[string]any{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": keyARN},
		}}),
	})
	f.add(token.IAMRolePolicyAttachment, "arrakis-execution-managed", "arrakis-production-execution-1", map[string]any{
		"role": "arrakis-production-execution", "policyArn": "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"})

	// data
	f.add(token.RDSParameterGroup, "arrakis-postgres-params", "arrakis-production-postgres15", map[string]any{
		"name": "arrakis-production-postgres15", "family": "postgres15", "parameters": []any{
			map[string]any{"name": "rds.force_ssl", "value": "1"}, map[string]any{"name": "log_statement", "value": "ddl"}}})
	db := f.add(token.RDSInstance, "arrakis-postgres", "db-ABC", map[string]any{
		"identifier": "arrakis-production-postgres", "storageEncrypted": true, "publiclyAccessible": false,
		"backupRetentionPeriod": float64(7), "deletionProtection": true, "skipFinalSnapshot": false,
		"finalSnapshotIdentifier": "arrakis-production-postgres-final", "parameterGroupName": "arrakis-production-postgres15",
		"enabledCloudwatchLogsExports": []any{"postgresql", "upgrade"}, "autoMinorVersionUpgrade": true,
		"copyTagsToSnapshot": true, "performanceInsightsEnabled": true, "multiAz": true, "storageType": "gp3",
		"allocatedStorage": float64(20), "maxAllocatedStorage": float64(100), "username": "arrakis_admin",
		"password": secretStr, "vpcSecurityGroupIds": []any{"sg-postgres"}, "port": float64(5433),
		"monitoringInterval": float64(60), "monitoringRoleArn": "arn:aws:iam::" + account + ":role/arrakis-production-postgres-monitoring",
		"iamDatabaseAuthenticationEnabled": true, "performanceInsightsKmsKeyId": keyARN,
	})
	f.add(token.BackupSelection, "arrakis-postgres-backup", "selection-1", map[string]any{
		"name": "arrakis-production-postgres", "resources": []any{"arn:aws:rds:us-east-1:" + account + ":db:arrakis-production-postgres"}})
	db.Protect, db.SecretInputs = true, []string{"password"}
	rg := f.add(token.ElastiCacheReplicationGroup, "arrakis-redis", "arrakis-production-redis", map[string]any{
		"replicationGroupId": "arrakis-production-redis", "atRestEncryptionEnabled": true, "transitEncryptionEnabled": true,
		"authToken": secretStr, "snapshotRetentionLimit": float64(7), "automaticFailoverEnabled": true,
		"numCacheClusters": float64(2), "subnetGroupName": "arrakis-production-redis", "securityGroupIds": []any{"sg-redis"},
		"port": float64(6379), "kmsKeyId": keyARN,
	})
	rg.Protect, rg.SecretInputs = true, []string{"authToken"}

	// compute
	f.add(token.ECSCluster, "arrakis-cluster", "arn:aws:ecs:us-east-1:"+account+":cluster/arrakis-production-cluster", map[string]any{
		"name": "arrakis-production-cluster", "settings": []any{map[string]any{"name": "containerInsights", "value": "enabled"}}})
	f.add(token.ECSTaskDefinition, "arrakis-api-task", "arrakis-production-api", map[string]any{
		"family": "arrakis-production-api", "cpu": "512", "memory": "1024", "networkMode": "awsvpc",
		"requiresCompatibilities": []any{"FARGATE"}, "executionRoleArn": execRole, "taskRoleArn": taskRole,
		"containerDefinitions": mustJSON(t, []any{map[string]any{
			"name": "api", "image": account + ".dkr.ecr.us-east-1.amazonaws.com/arrakis-production-api:abc123", "user": "1000",
			"readonlyRootFilesystem": true, "privileged": false,
			"logConfiguration": map[string]any{"logDriver": "awslogs", "options": map[string]any{"awslogs-group": "/ecs/arrakis-production/api"}},
			"environment":      []any{map[string]any{"name": "NODE_ENV", "value": "production"}, map[string]any{"name": "FEATURE_VAULT_ENABLED", "value": "true"}},
			"secrets":          []any{map[string]any{"name": "DATABASE_URL", "valueFrom": dbSecret + ":url::"}},
			"healthCheck":      map[string]any{"command": []any{"CMD-SHELL", "curl -f http://localhost:3000/health"}, "startPeriod": float64(60)},
		}}),
	})
	f.add(token.ECSService, "arrakis-api-service", "arn:aws:ecs:us-east-1:"+account+":service/arrakis-production-cluster/arrakis-production-api", map[string]any{
		"name": "arrakis-production-api", "cluster": "arn:aws:ecs:us-east-1:" + account + ":cluster/arrakis-production-cluster",
		"taskDefinition":                "arn:aws:ecs:us-east-1:" + account + ":task-definition/arrakis-production-api:1",
		"networkConfiguration":          map[string]any{"assignPublicIp": false, "securityGroups": []any{"sg-tasks"}, "subnets": []any{"subnet-1"}},
		"deploymentCircuitBreaker":      map[string]any{"enable": true, "rollback": true},
		"loadBalancers":                 []any{map[string]any{"containerName": "api", "containerPort": float64(3000)}},
		"healthCheckGracePeriodSeconds": float64(90),
	}).IgnoreChanges = []string{"desiredCount"}
	f.add(token.ScalableTarget, "arrakis-api-scaling", "service/arrakis-production-cluster/arrakis-production-api", map[string]any{
		"resourceId": "service/arrakis-production-cluster/arrakis-production-api", "scalableDimension": "ecs:service:DesiredCount",
		"minCapacity": float64(2), "maxCapacity": float64(4)})
	f.add(token.ECRRepository, "arrakis-api-repository", "arrakis-production-api", map[string]any{"name": "arrakis-production-api",
		"imageTagMutability": "IMMUTABLE", "imageScanningConfiguration": map[string]any{"scanOnPush": true},
		"encryptionConfigurations": []any{map[string]any{"encryptionType": "KMS", "kmsKey": keyARN}}}).Protect = true
	f.add(token.ECRLifecyclePolicy, "arrakis-api-lifecycle", "arrakis-production-api", map[string]any{"repository": "arrakis-production-api",
		"policy": `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}`})

	// edge
	f.add(token.LoadBalancer, "arrakis-alb", "arn:aws:elasticloadbalancing:us-east-1:"+account+":loadbalancer/app/arrakis-production-alb/1", map[string]any{
		"name": "arrakis-production-alb", "securityGroups": []any{"sg-alb"}, "dropInvalidHeaderFields": true, "enableDeletionProtection": true,
		"accessLogs": map[string]any{"enabled": true, "bucket": "arrakis-production-alb-logs"}})
	f.add(token.ACMCertificate, "arrakis-certificate", certARN, map[string]any{"domainName": "api.arrakis.community", "validationMethod": "DNS"})
	f.add(token.Listener, "arrakis-https", "arn:listener/https", map[string]any{"port": float64(443), "protocol": "HTTPS",
		"sslPolicy": tls13Policy, "certificateArn": certARN, "defaultActions": []any{map[string]any{"type": "forward"}}})
	f.add(token.Listener, "arrakis-http", "arn:listener/http", map[string]any{"port": float64(80), "protocol": "HTTP",
		"defaultActions": []any{map[string]any{"type": "redirect", "redirect": map[string]any{"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}}})
	visible := func(metric string) map[string]any {
		return map[string]any{"cloudwatchMetricsEnabled": true, "metricName": metric, "sampledRequestsEnabled": true}
	}
	f.add(token.WebACL, "arrakis-web-acl", aclID, map[string]any{
		"name": "arrakis-production-web-acl", "scope": "REGIONAL", "defaultAction": map[string]any{"allow": map[string]any{}},
		"visibilityConfig": visible("arrakis-production-web-acl"),
		"rules": []any{map[string]any{
			"name": "known-bad-inputs", "priority": float64(0), "overrideAction": map[string]any{"none": map[string]any{}},
			"statement":        map[string]any{"managedRuleGroupStatement": map[string]any{"vendorName": "AWS", "name": "AWSManagedRulesKnownBadInputsRuleSet"}},
			"visibilityConfig": visible("known-bad-inputs"),
		}},
	})
	f.add(token.WebACLAssociation, "arrakis-web-acl-association", aclARN+",alb", map[string]any{
		"resourceArn": "arn:aws:elasticloadbalancing:us-east-1:" + account + ":loadbalancer/app/arrakis-production-alb/1", "webAclArn": aclARN})
	f.add(token.WebACLLogging, "arrakis-web-acl-logging", aclARN, map[string]any{
		"resourceArn": aclARN, "logDestinationConfigs": []any{"arn:aws:logs:us-east-1:" + account + ":log-group:aws-waf-logs-arrakis-production"}})

	// monitoring
	f.add(token.SNSTopic, "arrakis-alerts", topicARN, map[string]any{"name": "arrakis-production-alerts",
		"kmsMasterKeyId": "arn:aws:kms:us-east-1:" + account + ":alias/arrakis-production-secrets"})
	f.add(token.MetricAlarm, "arrakis-api-cpu", "arrakis-production-api-cpu", map[string]any{"name": "arrakis-production-api-cpu",
		"alarmActions": []any{topicARN}, "okActions": []any{topicARN}, "treatMissingData": "notBreaching"})
	return f
}

// ephemeral is the compliant plan as a staging stack would build it: no
// protect.
func ephemeral(t *testing.T) *fixture {
	f := compliant(t)
	f.env = Env{Stack: "staging"}
	for i := range f.p.Resources {
		f.p.Resources[i].Protect = false
	}
	return f
}

func (f *fixture) add(typ, name, id string, inputs map[string]any) *plan.Resource {
	f.p.Resources = append(f.p.Resources, plan.Resource{
		URN: "urn:pulumi:" + f.env.Stack + "::arrakis::" + typ + "::" + name, Type: typ, Name: name, ID: id,
		Custom: true, Inputs: inputs, SecretInputs: []string{}, DependsOn: []string{},
	})
	return &f.p.Resources[len(f.p.Resources)-1]
}

func (f *fixture) inVPC(r *plan.Resource) { r.DependsOn = append(r.DependsOn, vpcURN) }

func (f *fixture) rule(typ, name, group string, in map[string]any) {
	in["securityGroupId"], in["description"] = group, name
	f.add(typ, name, "sgr-"+name, in)
}

func (f *fixture) role(name, physical, service string) {
	f.add(token.IAMRole, name, physical, map[string]any{"name": physical, "assumeRolePolicy": mustJSON(f.t, map[string]any{
		"Version": "2012-10-17", "Statement": []any{map[string]any{
			"Effect": "Allow", "Principal": map[string]any{"Service": service}, "Action": "sts:AssumeRole",
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": account}},
		}},
	}), "permissionsBoundary": awsiam.BoundaryARN(account)})
}

// get is the resource with a logical name.
func (f *fixture) get(name string) *plan.Resource {
	for i := range f.p.Resources {
		if f.p.Resources[i].Name == name {
			return &f.p.Resources[i]
		}
	}
	f.t.Fatalf("fixture has no resource %q", name)
	return nil
}

// set sets the input at a dotted path of a resource.
func (f *fixture) set(name, path string, v any) {
	m := f.get(name).Inputs
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[keys[len(keys)-1]] = v
}

// del removes the input at a dotted path.
func (f *fixture) del(name, path string) {
	m := f.get(name).Inputs
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		m = m[k].(map[string]any)
	}
	delete(m, keys[len(keys)-1])
}

// remove drops a resource from the plan.
func (f *fixture) remove(name string) {
	f.get(name)
	var kept []plan.Resource
	for _, r := range f.p.Resources {
		if r.Name != name {
			kept = append(kept, r)
		}
	}
	f.p.Resources = kept
}

// editJSON rewrites a JSON-document input (a policy, container definitions).
func (f *fixture) editJSON(name, key string, edit func(doc any) any) {
	var doc any
	require.NoError(f.t, json.Unmarshal([]byte(f.get(name).Inputs[key].(string)), &doc))
	f.set(name, key, mustJSON(f.t, edit(doc)))
}

// container edits the first container of a task definition.
func (f *fixture) container(edit func(c map[string]any)) {
	f.editJSON("arrakis-api-task", "containerDefinitions", func(doc any) any {
		edit(doc.([]any)[0].(map[string]any))
		return doc
	})
}

// statement edits the first statement of a policy document input.
func (f *fixture) statement(name, key string, edit func(st map[string]any)) {
	f.editJSON(name, key, func(doc any) any {
		edit(doc.(map[string]any)["Statement"].([]any)[0].(map[string]any))
		return doc
	})
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// wafRule edits the web ACL's only rule.
func (f *fixture) wafRule(edit func(r map[string]any)) {
	edit(f.get("arrakis-web-acl").Inputs["rules"].([]any)[0].(map[string]any))
}
