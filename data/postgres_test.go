package data_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/data"
	"github.com/arrakis/infrastructure/internal/config"
	. "github.com/arrakis/infrastructure/internal/stacktest"
)

func TestPostgresInstanceSettings(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			w := wants[stack]
			res, _ := build(t, stack, nil)
			db := One(t, res, instanceType, "arrakis-postgres")

			assert.Equal(t, "arrakis-"+stack+"-postgres", Str(t, db, "identifier"))
			assert.Equal(t, "postgres", Str(t, db, "engine"))
			assert.Equal(t, "15.15", Str(t, db, "engineVersion"))
			assert.Equal(t, w.class, Str(t, db, "instanceClass"))
			assert.Equal(t, "gp3", Str(t, db, "storageType"))
			assert.Equal(t, w.storage, Int(t, db, "allocatedStorage"))
			assert.Equal(t, w.maxStorage, Int(t, db, "maxAllocatedStorage"), "storage autoscaling ceiling")
			assert.Equal(t, false, Get(t, db, "multiAz"))
			assert.Equal(t, true, Get(t, db, "storageEncrypted"))
			assert.Equal(t, false, Get(t, db, "publiclyAccessible"))
			assert.Equal(t, 5432, Int(t, db, "port"))
			assert.Equal(t, []string{postgresSG}, Strings(t, db, "vpcSecurityGroupIds"))
			assert.Equal(t, "rds-ca-rsa2048-g1", Str(t, db, "caCertIdentifier"))

			assert.Equal(t, "arrakis", Str(t, db, "dbName"))
			assert.Equal(t, "arrakis_admin", Str(t, db, "username"))
			assert.Equal(t, false, Get(t, db, "iamDatabaseAuthenticationEnabled"))

			assert.Equal(t, w.backupDays, Int(t, db, "backupRetentionPeriod"))
			assert.Equal(t, w.backupWindow, Str(t, db, "backupWindow"))
			assert.Equal(t, w.dbMaintenance, Str(t, db, "maintenanceWindow"))
			assert.Equal(t, true, Get(t, db, "copyTagsToSnapshot"))
			assert.Equal(t, w.deletionProtection, Get(t, db, "deletionProtection"))

			assert.Equal(t, true, Get(t, db, "performanceInsightsEnabled"))
			assert.Equal(t, 7, Int(t, db, "performanceInsightsRetentionPeriod"), "the free retention")
			assert.Equal(t, []string{"postgresql", "upgrade"}, Strings(t, db, "enabledCloudwatchLogsExports"))
			assert.Equal(t, true, Get(t, db, "autoMinorVersionUpgrade"))
			assert.Contains(t, db.IgnoreChanges, "engineVersion", "AWS minor upgrades are not drift to undo")
			assert.Equal(t, false, Get(t, db, "applyImmediately"))
		})
	}
}

func TestFinalSnapshotWhereDeletionProtectionIsOn(t *testing.T) {
	res, _ := build(t, "production", nil)
	db := One(t, res, instanceType, "arrakis-postgres")
	assert.Equal(t, false, Get(t, db, "skipFinalSnapshot"))
	assert.Equal(t, "arrakis-production-postgres-final", Str(t, db, "finalSnapshotIdentifier"))

	res, _ = build(t, "staging", nil)
	db = One(t, res, instanceType, "arrakis-postgres")
	assert.Equal(t, true, Get(t, db, "skipFinalSnapshot"), "staging is destroyable without a snapshot")
	_, _, ok := db.Get("finalSnapshotIdentifier")
	assert.False(t, ok)
}

func TestPostgresSubnetAndParameterGroups(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			res, _ := build(t, stack, nil)
			db := One(t, res, instanceType, "arrakis-postgres")

			subnets := One(t, res, rdsSubnetsType, "arrakis-postgres-subnets")
			assert.Equal(t, subnetIDs, Strings(t, subnets, "subnetIds"), "the private subnets")
			assert.Equal(t, OutputOf(t, subnets, "name"), Get(t, db, "dbSubnetGroupName"))

			params := One(t, res, paramsType, "arrakis-postgres-params")
			assert.Equal(t, "postgres15", Str(t, params, "family"))
			assert.Equal(t, "arrakis-"+stack+"-postgres15", Str(t, params, "name"))
			assert.Equal(t, OutputOf(t, params, "name"), Get(t, db, "parameterGroupName"))
			got := map[string]string{}
			for _, p := range Get(t, params, "parameters").([]any) {
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
}

func TestPostgresLogGroupsExistBeforeRDSExportsToThem(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			res, _ := build(t, stack, nil)
			db := One(t, res, instanceType, "arrakis-postgres")
			for _, log := range []string{"postgresql", "upgrade"} {
				g := One(t, res, logGroupType, "arrakis-postgres-log-"+log)
				assert.Equal(t, "/aws/rds/instance/arrakis-"+stack+"-postgres/"+log, Str(t, g, "name"))
				assert.Equal(t, wants[stack].logRetentionDays, Int(t, g, "retentionInDays"))
				assert.Contains(t, db.DependsOn, g.URN, "RDS would create the group without retention")
			}
		})
	}
}

func TestDatabaseWindowsDoNotOverlap(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			res, _ := build(t, stack, nil)
			db := One(t, res, instanceType, "arrakis-postgres")
			overlap, err := config.WindowsOverlap(Str(t, db, "backupWindow"), Str(t, db, "maintenanceWindow"))
			require.NoError(t, err)
			assert.False(t, overlap)

			redis := One(t, res, groupType, "arrakis-redis")
			overlap, err = config.WindowsOverlap(Str(t, redis, "snapshotWindow"), Str(t, redis, "maintenanceWindow"))
			require.NoError(t, err)
			assert.False(t, overlap)
		})
	}
	// The check itself can fail.
	overlap, err := config.WindowsOverlap("03:00-04:00", "mon:03:30-mon:04:30")
	require.NoError(t, err)
	assert.True(t, overlap)
}

func TestPostgresOutputsComeFromTheInstance(t *testing.T) {
	res, d := build(t, "production", nil)
	db := One(t, res, instanceType, "arrakis-postgres")
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
		assert.EqualValues(t, OutputOf(t, db, c.prop), await(t, c.out).Value, c.prop)
	}
	assert.Equal(t, "/aws/rds/instance/x/postgresql", data.RDSLogGroup("x", "postgresql"))
}
