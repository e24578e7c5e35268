package network

import (
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// endpoints lets the private subnets reach AWS services without the NAT:
// S3 (where ECR keeps image layers) through a gateway endpoint on the private
// route tables, and each configured service through an interface endpoint in
// the private subnets with private DNS.
func (b *builder) endpoints() error {
	a := b.args
	if _, err := ec2.NewVpcEndpoint(b.Ctx, b.Child("s3-endpoint"), &ec2.VpcEndpointArgs{
		VpcId:           b.n.VPCID,
		ServiceName:     pulumi.String(ServiceName(a.Region, "s3")),
		VpcEndpointType: pulumi.String("Gateway"),
		RouteTableIds:   b.n.PrivateRouteTableIDs,
		Tags:            b.tags("s3"),
	}, b.Parent); err != nil {
		return err
	}
	for _, svc := range a.Network.InterfaceEndpoints {
		role := strings.ReplaceAll(svc, ".", "-")
		if _, err := ec2.NewVpcEndpoint(b.Ctx, b.Child(role+"-endpoint"), &ec2.VpcEndpointArgs{
			VpcId:             b.n.VPCID,
			ServiceName:       pulumi.String(ServiceName(a.Region, svc)),
			VpcEndpointType:   pulumi.String("Interface"),
			PrivateDnsEnabled: pulumi.Bool(true),
			SubnetIds:         b.n.PrivateSubnetIDs,
			SecurityGroupIds:  pulumi.StringArray{b.groups[tierEndpoints]},
			Tags:              b.tags(role),
		}, b.Parent); err != nil {
			return err
		}
	}
	return nil
}

// ServiceName is the endpoint service name of an AWS service in a region.
func ServiceName(region, service string) string {
	return "com.amazonaws." + region + "." + service
}
