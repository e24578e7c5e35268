package awsiam_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/awsiam"
)

// A protected key waits the longest AWS allows before it is deleted; others
// the shortest.
func TestKeyDeletionWindow(t *testing.T) {
	assert.Equal(t, 30, awsiam.KeyDeletionWindowDays(true))
	assert.Equal(t, 7, awsiam.KeyDeletionWindowDays(false))
}

// Every key hands its use to the account's IAM, by one statement: the
// account root, every KMS action, on the key itself.
func TestAccountAdministersKey(t *testing.T) {
	text, err := awsiam.Document{Version: awsiam.Version, Statement: []awsiam.Statement{awsiam.AccountAdministersKey("123456789012")}}.JSON()
	require.NoError(t, err)
	assert.JSONEq(t, `{"Version":"2012-10-17","Statement":[{"Sid":"AccountAdministersKey","Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}]}`, text)
}

// An extra condition cannot replace the account guard of a trust policy.
func TestAssumeRoleKeepsTheAccountGuard(t *testing.T) {
	doc := awsiam.AssumeRole("ecs-tasks.amazonaws.com", "123456789012", awsiam.Condition{
		"StringEquals": {"aws:SourceAccount": {"*"}, "aws:SourceOrgID": {"o-1"}},
	})
	assert.Equal(t, awsiam.List{"123456789012"}, doc.Statement[0].Condition["StringEquals"]["aws:SourceAccount"])
	assert.Equal(t, awsiam.List{"o-1"}, doc.Statement[0].Condition["StringEquals"]["aws:SourceOrgID"])
}
