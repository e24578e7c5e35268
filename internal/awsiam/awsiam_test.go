package awsiam_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/awsiam"
)

func TestDocumentsAreWrittenAsIAMExpectsThem(t *testing.T) {
	doc := awsiam.Document{Statement: []awsiam.Statement{
		awsiam.Allow("ReadAppConfig", []string{"secretsmanager:GetSecretValue"},
			[]string{"arn:aws:secretsmanager:us-east-1:123456789012:secret:arrakis-qa/app-config-AbCdEf"}),
		awsiam.Allow("", []string{"logs:CreateLogStream", "logs:PutLogEvents"}, []string{"*"}),
	}}
	text, err := doc.JSON()
	require.NoError(t, err)
	assert.JSONEq(t, `{
		"Version": "2012-10-17",
		"Statement": [
			{"Sid": "ReadAppConfig", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
			 "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:arrakis-qa/app-config-AbCdEf"},
			{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}
		]
	}`, text, "the version is set, one value is a plain string, empty fields are left out")
	assert.Equal(t, `{"Version":"2012-10-17","Statement":[{"Sid":"ReadAppConfig","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:arrakis-qa/app-config-AbCdEf"},{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`,
		text, "the text is stable, so a plan shows no spurious diff")
}

func TestAssumeRoleTrustsOneServiceForThisAccountOnly(t *testing.T) {
	doc := awsiam.AssumeRole("ecs-tasks.amazonaws.com", "123456789012", nil)
	text, err := doc.JSON()
	require.NoError(t, err)
	assert.JSONEq(t, `{
		"Version": "2012-10-17",
		"Statement": [{
			"Sid": "TrustOnlyEcsTasks",
			"Effect": "Allow",
			"Principal": {"Service": "ecs-tasks.amazonaws.com"},
			"Action": "sts:AssumeRole",
			"Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}
		}]
	}`, text)
}

func TestAssumeRoleAddsExtraConditionsToTheAccountGuard(t *testing.T) {
	extra := awsiam.Condition{
		"StringEquals": {"aws:SourceOrgID": {"o-abc123"}},
		"ArnLike":      {"aws:SourceArn": {"arn:aws:ecs:us-east-1:123456789012:*"}},
	}
	doc := awsiam.AssumeRole("vpc-flow-logs.amazonaws.com", "123456789012", extra)
	require.Len(t, doc.Statement, 1)
	s := doc.Statement[0]
	assert.Equal(t, "TrustOnlyVpcFlowLogs", s.Sid)
	assert.Equal(t, awsiam.Condition{
		"StringEquals": {"aws:SourceAccount": {"123456789012"}, "aws:SourceOrgID": {"o-abc123"}},
		"ArnLike":      {"aws:SourceArn": {"arn:aws:ecs:us-east-1:123456789012:*"}},
	}, s.Condition, "the account guard stays beside the extra keys of the same operator")
	assert.Equal(t, awsiam.Condition{
		"StringEquals": {"aws:SourceOrgID": {"o-abc123"}},
		"ArnLike":      {"aws:SourceArn": {"arn:aws:ecs:us-east-1:123456789012:*"}},
	}, extra, "the caller's conditions are not changed")
}

func TestParseReadsWhatIAMAccepts(t *testing.T) {
	doc, err := awsiam.Parse(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::a/*","arn:aws:s3:::b/*"]},
		{"Effect":"Deny","NotAction":["iam:*"],"Resource":"*"},
		{"Effect":"Allow","Action":["s3:GetObject","kms:Decrypt"],"Resource":"*"}]}`)
	require.NoError(t, err)
	assert.Equal(t, awsiam.List{"s3:GetObject"}, doc.Statement[0].Action, "a single string")
	assert.Equal(t, awsiam.List{"arn:aws:s3:::a/*", "arn:aws:s3:::b/*"}, doc.Statement[0].Resource, "a list")
	assert.Equal(t, awsiam.List{"iam:*"}, doc.Statement[1].NotAction)
	assert.Equal(t, []string{"kms:Decrypt", "s3:GetObject"}, doc.Actions(), "allowed actions, once each, sorted; denials are not allowed actions")

	_, err = awsiam.Parse(`{"Statement":[{"Effect":"Allow","Action":42}]}`)
	assert.ErrorContains(t, err, "parsing IAM policy")
	assert.ErrorContains(t, err, "expected a string or a list of strings")
}
