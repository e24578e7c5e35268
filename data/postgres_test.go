package data_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/data"
	"github.com/arrakis/infrastructure/internal/awsiam"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

func TestPostgresInstanceSettings(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		w := wants[stack]
		res, _ := build(t, stack, nil)
		db := stacktest.One(t, res, instanceType, "arrakis-postgres")

		assert.Equal(t, "arrakis-"+stack+"-postgres", stacktest.Str(t, db, "identifier"))
		assert.Equal(t, "postgres", stacktest.Str(t, db, "engine"))
		assert.Equal(t, "15.15", stacktest.Str(t, db, "engineVersion"))
		assert.Equal(t, w.class, stacktest.Str(t, db, "instanceClass"))
		assert.Equal(t, "gp3", stacktest.Str(t, db, "storageType"))
		assert.Equal(t, w.storage, stacktest.Int(t, db, "allocatedStorage"))
		assert.Equal(t, w.maxStorage, stacktest.Int(t, db, "maxAllocatedStorage"), "storage autoscaling ceiling")
		assert.Equal(t, false, stacktest.Get(t, db, "multiAz"))
		assert.Equal(t, true, stacktest.Get(t, db, "storageEncrypted"))
		assert.Equal(t, false, stacktest.Get(t, db, "publiclyAccessible"))
		assert.Equal(t, 5432, stacktest.Int(t, db, "port"))
		assert.Equal(t, []string{postgresSG}, stacktest.Strings(t, db, "vpcSecurityGroupIds"))
		assert.Equal(t, "rds-ca-rsa2048-g1", stacktest.Str(t, db, "caCertIdentifier"))

		assert.Equal(t, "arrakis", stacktest.Str(t, db, "dbName"))
		assert.Equal(t, "arrakis_admin", stacktest.Str(t, db, "username"))
		assert.Equal(t, true, stacktest.Get(t, db, "iamDatabaseAuthenticationEnabled"), "operators may sign in with IAM tokens")

		assert.Equal(t, w.backupDays, stacktest.Int(t, db, "backupRetentionPeriod"))
		assert.Equal(t, w.backupWindow, stacktest.Str(t, db, "backupWindow"))
		assert.Equal(t, w.dbMaintenance, stacktest.Str(t, db, "maintenanceWindow"))
		assert.Equal(t, true, stacktest.Get(t, db, "copyTagsToSnapshot"))
		assert.Equal(t, w.deletionProtection, stacktest.Get(t, db, "deletionProtection"))

		assert.Equal(t, true, stacktest.Get(t, db, "performanceInsightsEnabled"))
		assert.Equal(t, 7, stacktest.Int(t, db, "performanceInsightsRetentionPeriod"), "the free retention")
		assert.Equal(t, []string{"postgresql", "upgrade"}, stacktest.Strings(t, db, "enabledCloudwatchLogsExports"))
		assert.Equal(t, true, stacktest.Get(t, db, "autoMinorVersionUpgrade"))
		assert.Contains(t, db.IgnoreChanges, "engineVersion", "AWS minor upgrades are not drift to undo")
		assert.Equal(t, false, stacktest.Get(t, db, "applyImmediately"))
	})
}

func TestFinalSnapshotWhereDeletionProtectionIsOn(t *testing.T) {
	res, _ := build(t, "production", nil)
	db := stacktest.One(t, res, instanceType, "arrakis-postgres")
	assert.Equal(t, false, stacktest.Get(t, db, "skipFinalSnapshot"))
	assert.Equal(t, "arrakis-production-postgres-final", stacktest.Str(t, db, "finalSnapshotIdentifier"))

	res, _ = build(t, "staging", nil)
	db = stacktest.One(t, res, instanceType, "arrakis-postgres")
	assert.Equal(t, true, stacktest.Get(t, db, "skipFinalSnapshot"), "staging is destroyable without a snapshot")
	_, _, ok := db.Get("finalSnapshotIdentifier")
	assert.False(t, ok)
}

func TestPostgresSubnetAndParameterGroups(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack, nil)
		db := stacktest.One(t, res, instanceType, "arrakis-postgres")

		subnets := stacktest.One(t, res, rdsSubnetsType, "arrakis-postgres-subnets")
		assert.Equal(t, subnetIDs, stacktest.Strings(t, subnets, "subnetIds"), "the private subnets")
		assert.Equal(t, stacktest.OutputOf(t, subnets, "name"), stacktest.Get(t, db, "dbSubnetGroupName"))

		params := stacktest.One(t, res, paramsType, "arrakis-postgres-params")
		assert.Equal(t, "postgres15", stacktest.Str(t, params, "family"))
		assert.Equal(t, "arrakis-"+stack+"-postgres15", stacktest.Str(t, params, "name"))
		assert.Equal(t, stacktest.OutputOf(t, params, "name"), stacktest.Get(t, db, "parameterGroupName"))
		got := map[string]string{}
		for _, p := range stacktest.Get(t, params, "parameters").([]any) {
			p := p.(map[string]any)
			got[p["name"].(string)] = p["value"].(string)
		}
		assert.Equal(t, map[string]string{
			"rds.force_ssl":              "1",
			"log_statement":              "ddl",
			"log_min_duration_statement": "1000",
		}, got)
	})
}

func TestPostgresLogGroupsExistBeforeRDSExportsToThem(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack, nil)
		db := stacktest.One(t, res, instanceType, "arrakis-postgres")
		for _, log := range []string{"postgresql", "upgrade"} {
			g := stacktest.One(t, res, logGroupType, "arrakis-postgres-log-"+log)
			assert.Equal(t, "/aws/rds/instance/arrakis-"+stack+"-postgres/"+log, stacktest.Str(t, g, "name"))
			assert.Equal(t, wants[stack].logRetentionDays, stacktest.Int(t, g, "retentionInDays"))
			assert.Contains(t, db.DependsOn, g.URN, "RDS would create the group without retention")
		}
	})
}

func TestDatabaseWindowsDoNotOverlap(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack, nil)
		db := stacktest.One(t, res, instanceType, "arrakis-postgres")
		overlap, err := config.WindowsOverlap(stacktest.Str(t, db, "backupWindow"), stacktest.Str(t, db, "maintenanceWindow"))
		require.NoError(t, err)
		assert.False(t, overlap)

		redis := stacktest.One(t, res, groupType, "arrakis-redis")
		overlap, err = config.WindowsOverlap(stacktest.Str(t, redis, "snapshotWindow"), stacktest.Str(t, redis, "maintenanceWindow"))
		require.NoError(t, err)
		assert.False(t, overlap)
	})
	// The check itself can fail.
	overlap, err := config.WindowsOverlap("03:00-04:00", "mon:03:30-mon:04:30")
	require.NoError(t, err)
	assert.True(t, overlap)
}

func TestPostgresOutputsComeFromTheInstance(t *testing.T) {
	res, d := build(t, "production", nil)
	db := stacktest.One(t, res, instanceType, "arrakis-postgres")
	for _, c := range []struct {
		prop string
		out  pulumi.Output
	}{
		{"identifier", d.DBInstanceIdentifier},
		{"arn", d.DBInstanceARN},
		{"address", d.DBAddress},
		{"endpoint", d.DBEndpoint},
		{"port", d.DBPort},
		{"dbName", d.DBName},
		{"username", d.DBUsername},
	} {
		assert.EqualValues(t, stacktest.OutputOf(t, db, c.prop), await(t, c.out).Value, c.prop)
	}
	assert.Equal(t, "/aws/rds/instance/x/postgresql", data.RDSLogGroup("x", "postgresql"))
}

// Enhanced monitoring samples the instance's OS every 60 s through a role
// RDS alone may assume, on behalf of this account only; RDS checks the role
// when it creates or modifies the instance, so the instance waits for the
// role's policy. An interval of 0 turns it off and leaves no role behind.
func TestEnhancedMonitoringHasARoleOnlyRDSMayAssume(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack, nil)
		db := stacktest.One(t, res, instanceType, "arrakis-postgres")
		role := stacktest.One(t, res, "aws:iam/role:Role", "arrakis-postgres-monitoring-role")
		attached := stacktest.One(t, res, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "arrakis-postgres-monitoring-policy")
		assert.Equal(t, 60, stacktest.Int(t, db, "monitoringInterval"))
		assert.Equal(t, stacktest.OutputOf(t, role, "arn"), stacktest.Get(t, db, "monitoringRoleArn"))
		assert.Contains(t, db.DependsOn, attached.URN)
		assert.Equal(t, "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole", stacktest.Str(t, attached, "policyArn"))
		assert.Equal(t, "arrakis-"+stack+"-postgres-monitoring", stacktest.Str(t, role, "name"))
		trust, err := awsiam.Parse(stacktest.Str(t, role, "assumeRolePolicy"))
		require.NoError(t, err)
		require.Len(t, trust.Statement, 1)
		assert.Equal(t, awsiam.List{"monitoring.rds.amazonaws.com"}, trust.Statement[0].Principal.Service)
		assert.Equal(t, awsiam.List{mock.Account}, trust.Statement[0].Condition["StringEquals"]["aws:SourceAccount"])
	})

	res, _ := build(t, "staging", func(a *data.Args) { a.Database.MonitoringIntervalSeconds = 0 })
	assert.Equal(t, 0, stacktest.Int(t, stacktest.One(t, res, instanceType, "arrakis-postgres"), "monitoringInterval"))
	assert.Empty(t, res.ByType("aws:iam/role:Role"))

	err := stacktest.Rejected(t, "staging", func(ctx *pulumi.Context) error {
		a := argsFor(stacktest.Config(t, "staging"))
		a.AccountID = ""
		_, err := data.New(ctx, "arrakis", a)
		return err
	})
	assert.ErrorContains(t, err, "enhanced monitoring needs the account id")
}
