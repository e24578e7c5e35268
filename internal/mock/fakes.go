package mock

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/arrakis/infrastructure/internal/plan/token"
)

// fake returns the id and outputs of a resource: its inputs, plus the
// computed properties the real provider would return, shaped like the real
// ones.
func (r *Recorder) fake(res *Resource) (string, resource.PropertyMap) {
	outs := res.Inputs.Copy()
	seed := res.Type + "::" + res.Name
	set := func(k string, v any) { outs[resource.PropertyKey(k)] = resource.NewPropertyValue(v) }
	name := func(keys ...string) string {
		for _, k := range keys {
			if v := str(res.Inputs, k); v != "" {
				return v
			}
		}
		return res.Name
	}
	arn := func(service, rest string) string {
		return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, r.Region, Account, rest)
	}

	if res.Type == token.AwsxVPC {
		return "", r.fakeVPC(res, outs)
	}
	if res.Type == token.StackReference {
		return str(res.Inputs, "name"), r.stackReference(res)
	}

	id := hexID(seed, 17)
	switch res.Type {
	case token.SecurityGroup:
		id = "sg-" + id
		set("arn", arn("ec2", "security-group/"+id))
	case token.DefaultSecurityGroup:
		id = "sg-" + id
	case token.SecurityGroupIngressRule, token.SecurityGroupEgressRule:
		id = "sgr-" + id
	case token.VPCEndpoint:
		id = "vpce-" + id
		set("arn", arn("ec2", "vpc-endpoint/"+id))
		if str(res.Inputs, "vpcEndpointType") == "Interface" {
			svc := str(res.Inputs, "serviceName")
			set("dnsEntries", []any{map[string]any{
				"dnsName":      id + "." + strings.TrimPrefix(svc, "com.amazonaws."+r.Region+".") + "." + r.Region + ".vpce.amazonaws.com",
				"hostedZoneId": "Z7HUB22UULQXV",
			}})
		}
	case token.FlowLog:
		id = "fl-" + id
		set("arn", arn("ec2", "vpc-flow-log/"+id))
	case token.LogGroup:
		id = name("name")
		set("arn", arn("logs", "log-group:"+id))
	case token.IAMRole:
		id = name("name")
		set("arn", fmt.Sprintf("arn:aws:iam::%s:role/%s", Account, id))
		set("uniqueId", "AROA"+strings.ToUpper(hexID(seed, 17)))
	case token.IAMPolicy:
		id = fmt.Sprintf("arn:aws:iam::%s:policy/%s", Account, name("name"))
		set("arn", id)
	case token.IAMRolePolicy:
		id = str(res.Inputs, "role") + ":" + name("name")
	case token.IAMRolePolicyAttachment:
		id = name("role") + "-" + hexID(seed, 8)
	case token.KMSKey:
		id = uuid(seed)
		set("keyId", id)
		set("arn", arn("kms", "key/"+id))
	case token.KMSAlias:
		id = name("name")
		set("arn", arn("kms", id))
		set("targetKeyArn", arn("kms", "key/"+str(res.Inputs, "targetKeyId")))
	case token.Secret:
		id = arn("secretsmanager", "secret:"+name("name")+"-"+hexID(seed, 6))
		set("arn", id)
	case token.SecretVersion:
		id = str(res.Inputs, "secretId") + "|" + uuid(seed)
		set("versionId", uuid(seed))
		set("arn", str(res.Inputs, "secretId"))
	case token.RandomPassword:
		id = "none"
		outs["result"] = resource.NewProperty("mock-" + hexID(seed, 24))
		if !r.PlainGenerated {
			outs["result"] = resource.MakeSecret(outs["result"])
		}
	case token.RDSInstance:
		ident := name("identifier")
		id = "db-" + strings.ToUpper(hexID(seed, 26))
		host := ident + ".c0" + hexID(seed, 10) + "." + r.Region + ".rds.amazonaws.com"
		set("address", host)
		port := intOf(res.Inputs, "port")
		set("endpoint", fmt.Sprintf("%s:%d", host, port))
		set("port", port)
		set("arn", arn("rds", "db:"+ident))
		set("resourceId", id)
		set("identifier", ident)
	case token.RDSSubnetGroup, token.RDSParameterGroup:
		id = name("name")
		set("arn", arn("rds", strings.ToLower(strings.TrimSuffix(strings.Split(res.Type, ":")[2], "Group"))+"grp:"+id))
	case token.ElastiCacheReplicationGroup:
		id = name("replicationGroupId")
		host := "master." + id + "." + hexID(seed, 6) + ".use1.cache.amazonaws.com"
		set("primaryEndpointAddress", host)
		set("readerEndpointAddress", "replica."+strings.TrimPrefix(host, "master."))
		set("arn", arn("elasticache", "replicationgroup:"+id))
		var members []any
		for i := 1; i <= max(1, intOf(res.Inputs, "numCacheClusters")); i++ {
			members = append(members, fmt.Sprintf("%s-%03d", id, i))
		}
		set("memberClusters", members)
	case token.ElastiCacheSubnetGroup, token.ElastiCacheParameterGroup:
		id = name("name")
		set("arn", arn("elasticache", "subnetgroup:"+id))
	case token.LoadBalancer:
		n := name("name")
		suffix := "app/" + n + "/" + hexID(seed, 16)
		id = arn("elasticloadbalancing", "loadbalancer/"+suffix)
		set("arn", id)
		set("arnSuffix", suffix)
		set("dnsName", n+"-"+digits(seed, 10)+"."+r.Region+".elb.amazonaws.com")
		set("zoneId", "Z35SXDOTRQ7X7K")
	case token.TargetGroup:
		suffix := "targetgroup/" + name("name") + "/" + hexID(seed, 16)
		id = arn("elasticloadbalancing", suffix)
		set("arn", id)
		set("arnSuffix", suffix)
	case token.Listener:
		id = arn("elasticloadbalancing", "listener/app/"+hexID(seed, 16))
		set("arn", id)
	case token.ACMCertificate:
		id = arn("acm", "certificate/"+uuid(seed))
		set("arn", id)
		set("status", "ISSUED")
		domain := str(res.Inputs, "domainName")
		set("domainValidationOptions", []any{map[string]any{
			"domainName":          domain,
			"resourceRecordName":  "_" + hexID(seed+"n", 32) + "." + domain + ".",
			"resourceRecordType":  "CNAME",
			"resourceRecordValue": "_" + hexID(seed+"v", 32) + "." + hexID(seed+"w", 10) + ".acm-validations.aws.",
		}})
	case token.ACMCertificateValidation:
		id = str(res.Inputs, "certificateArn")
	case token.Route53Record:
		id = str(res.Inputs, "zoneId") + "_" + str(res.Inputs, "name") + "_" + str(res.Inputs, "type")
		set("fqdn", strings.TrimSuffix(str(res.Inputs, "name"), "."))
	case token.ECSCluster:
		id = arn("ecs", "cluster/"+name("name"))
		set("arn", id)
	case token.ECSService:
		cluster := str(res.Inputs, "cluster")
		clusterName := cluster[strings.LastIndex(cluster, "/")+1:]
		id = arn("ecs", "service/"+clusterName+"/"+name("name"))
	case token.ECSTaskDefinition:
		family := name("family")
		set("arn", arn("ecs", "task-definition/"+family+":1"))
		set("arnWithoutRevision", arn("ecs", "task-definition/"+family))
		set("revision", 1)
		id = family
	case token.ECRRepository:
		id = name("name")
		set("arn", arn("ecr", "repository/"+id))
		set("repositoryUrl", fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", Account, r.Region, id))
		set("registryId", Account)
	case token.SNSTopic:
		id = arn("sns", name("name"))
		set("arn", id)
	case token.SNSTopicSubscription:
		id = str(res.Inputs, "topic") + ":" + uuid(seed)
		set("arn", id)
	case token.MetricAlarm:
		id = name("name")
		set("arn", arn("cloudwatch", "alarm:"+id))
	case token.Dashboard:
		id = name("dashboardName")
		set("dashboardArn", fmt.Sprintf("arn:aws:cloudwatch::%s:dashboard/%s", Account, id))
	case token.ScalableTarget:
		id = str(res.Inputs, "resourceId")
		set("arn", arn("application-autoscaling", "scalable-target/"+hexID(seed, 16)))
	case token.ScalingPolicy:
		id = name("name")
		set("arn", arn("autoscaling", "scalingPolicy:"+uuid(seed)+":resource/ecs/"+id))
	case token.S3BucketV2, token.S3Bucket:
		id = name("bucket")
		set("arn", "arn:aws:s3:::"+id)
		set("bucket", id)
	case token.WebACL:
		// A regional web ACL: its id is a UUID, its ARN names both.
		id = uuid(seed)
		set("arn", arn("wafv2", "regional/webacl/"+name("name")+"/"+id))
		set("capacity", 700)
	case token.WebACLAssociation:
		id = str(res.Inputs, "webAclArn") + "," + str(res.Inputs, "resourceArn")
	case token.WebACLLogging:
		id = str(res.Inputs, "resourceArn")
	case token.IAMOpenIDConnectProvider:
		id = fmt.Sprintf("arn:aws:iam::%s:oidc-provider/%s", Account, strings.TrimPrefix(str(res.Inputs, "url"), "https://"))
		set("arn", id)
	default:
		if res.Custom {
			set("arn", arn(service(res.Type), res.Name))
		}
	}
	return id, outs
}

// service is the ARN service of a type token such as aws:ec2/vpc:Vpc.
func service(typ string) string {
	parts := strings.Split(typ, ":")
	if len(parts) < 2 {
		return "unknown"
	}
	mod, _, _ := strings.Cut(parts[1], "/")
	return mod
}

func str(m resource.PropertyMap, k string) string {
	v, ok := m[resource.PropertyKey(k)]
	if !ok {
		return ""
	}
	if v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

func intOf(m resource.PropertyMap, k string) int {
	v, ok := m[resource.PropertyKey(k)]
	if ok && v.IsNumber() {
		return int(v.NumberValue())
	}
	return 0
}

// hexID is n deterministic hex digits derived from seed.
func hexID(seed string, n int) string {
	var out string
	for i := 0; len(out) < n; i++ {
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s#%d", seed, i)))
		out += hex.EncodeToString(sum[:])
	}
	return out[:n]
}

// digits is n deterministic decimal digits derived from seed.
func digits(seed string, n int) string {
	h := hexID(seed, n)
	b := []byte(h)
	for i, c := range b {
		b[i] = '0' + c%10
	}
	return string(b)
}

func uuid(seed string) string {
	h := hexID(seed, 32)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
