package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/awsiam"
	"github.com/arrakis/infrastructure/internal/naming"
)

// flowLogService is the only principal that may assume the flow log role.
const flowLogService = "vpc-flow-logs.amazonaws.com"

// flowLog records ALL traffic of the VPC to a CloudWatch log group, through
// a role only the flow log service of this account may assume.
func (b *builder) flowLog() error {
	a := b.args
	group, err := cloudwatch.NewLogGroup(b.Ctx, b.Child("flow-logs"), &cloudwatch.LogGroupArgs{
		Name:            pulumi.String("/aws/vpc/" + b.Names.Prefix() + "/flow-logs"),
		RetentionInDays: pulumi.Int(a.LogRetentionDays),
	}, b.Parent)
	if err != nil {
		return err
	}

	trust, err := FlowLogTrust(a.Region, a.AccountID).JSON()
	if err != nil {
		return err
	}
	role, err := iam.NewRole(b.Ctx, b.Child("flow-logs-role"), &iam.RoleArgs{
		Name:             pulumi.String(b.Names.Name("flow-logs", naming.LimitIAM)),
		Description:      pulumi.String("Lets VPC Flow Logs write the VPC's traffic log"),
		AssumeRolePolicy: pulumi.String(trust),
		// The CI deploy roles may create roles only under the
		// bootstrap's boundary.
		PermissionsBoundary: pulumi.String(awsiam.BoundaryARN(a.AccountID)),
	}, b.Parent)
	if err != nil {
		return err
	}
	policy := group.Arn.ApplyT(func(arn string) (string, error) {
		return FlowLogPermissions(arn).JSON()
	}).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicy(b.Ctx, b.Child("flow-logs-write"), &iam.RolePolicyArgs{
		Name:   pulumi.String("write-flow-logs"),
		Role:   role.ID(),
		Policy: policy,
	}, b.Parent); err != nil {
		return err
	}

	_, err = ec2.NewFlowLog(b.Ctx, b.Child("flow-log"), &ec2.FlowLogArgs{
		VpcId:                  b.n.VPCID,
		TrafficType:            pulumi.String("ALL"),
		LogDestinationType:     pulumi.String("cloud-watch-logs"),
		LogDestination:         group.Arn,
		IamRoleArn:             role.Arn,
		MaxAggregationInterval: pulumi.Int(60),
		Tags:                   b.tags("flow-log"),
	}, b.Parent)
	return err
}

// FlowLogTrust lets only VPC Flow Logs of this account, for this account's
// flow logs, assume the role.
func FlowLogTrust(region, account string) awsiam.Document {
	return awsiam.AssumeRole(flowLogService, account, awsiam.Condition{
		"ArnLike": {"aws:SourceArn": {fmt.Sprintf("arn:aws:ec2:%s:%s:vpc-flow-log/*", region, account)}},
	})
}

// FlowLogPermissions lets the role write to one log group only.
func FlowLogPermissions(logGroupARN string) awsiam.Document {
	return awsiam.Document{Version: awsiam.Version, Statement: []awsiam.Statement{
		awsiam.Allow("WriteFlowLogs",
			[]string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
			[]string{logGroupARN, logGroupARN + ":*"}),
	}}
}
