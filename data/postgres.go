package data

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/arrakis/infrastructure/internal/awsiam"
	"github.com/arrakis/infrastructure/internal/naming"
)

// What the application connects to.
const (
	DBName       = "arrakis"
	DBUsername   = "arrakis_admin"
	PostgresPort = 5432
)

const (
	// parameterFamily must match the engine's major version (config only
	// admits PostgreSQL 15).
	parameterFamily = "postgres15"
	// caCertificate is the RSA 2048 CA AWS recommends; the old rds-ca-2019
	// has expired.
	caCertificate = "rds-ca-rsa2048-g1"
	// performanceInsightsDays is the retention Performance Insights keeps
	// for free.
	performanceInsightsDays = 7
	// parameterGroupDescription forces a new group when it changes, under
	// the same name: a change needs a new name too.
	parameterGroupDescription = "PostgreSQL 15: TLS only, DDL and slow statements logged"
)

// Parameter is one non-default setting of the PostgreSQL parameter group.
type Parameter struct{ Name, Value string }

// Parameters force TLS on every connection, log schema changes, and log
// statements slower than a second.
var Parameters = []Parameter{
	{Name: "rds.force_ssl", Value: "1"},
	{Name: "log_statement", Value: "ddl"},
	{Name: "log_min_duration_statement", Value: "1000"},
}

// LogExports are the PostgreSQL logs RDS sends to CloudWatch Logs.
var LogExports = []string{"postgresql", "upgrade"}

// RDSLogGroup is the log group RDS writes an exported log of an instance to.
func RDSLogGroup(identifier, log string) string {
	return "/aws/rds/instance/" + identifier + "/" + log
}

// postgres builds the PostgreSQL instance with its subnet group, parameter
// group, exported log groups and master password.
func (b *builder) postgres() error {
	a, db := b.args, b.args.Database
	identifier := b.Names.Name("postgres", naming.LimitRDS)

	subnets, err := rds.NewSubnetGroup(b.Ctx, b.Child("postgres-subnets"), &rds.SubnetGroupArgs{
		Name:        pulumi.String(b.NameOr(a.DBSubnetGroupName, "postgres", naming.LimitDefault)),
		Description: pulumi.String("PostgreSQL: the private subnets"),
		SubnetIds:   a.PrivateSubnetIDs,
	}, b.Parent)
	if err != nil {
		return fmt.Errorf("subnet group: %w", err)
	}

	var params rds.ParameterGroupParameterArray
	for _, p := range Parameters {
		params = append(params, rds.ParameterGroupParameterArgs{Name: pulumi.String(p.Name), Value: pulumi.String(p.Value)})
	}
	// The family is part of the name, so a major upgrade gets a new group
	// beside the old one instead of a name clash.
	pg := a.DBParameterGroup
	if pg == (Named{}) {
		pg = Named{Name: b.Names.Name(parameterFamily, naming.LimitDefault), Description: parameterGroupDescription}
	}
	group, err := rds.NewParameterGroup(b.Ctx, b.Child("postgres-params"), &rds.ParameterGroupArgs{
		Name:        pulumi.String(pg.Name),
		Family:      pulumi.String(parameterFamily),
		Description: pulumi.String(pg.Description),
		Parameters:  params,
	}, b.Parent)
	if err != nil {
		return fmt.Errorf("parameter group: %w", err)
	}

	// RDS would create these itself, without retention; made first, they
	// keep the stack's retention.
	var logGroups []pulumi.Resource
	for _, log := range LogExports {
		g, err := cloudwatch.NewLogGroup(b.Ctx, b.Child("postgres-log-"+log), &cloudwatch.LogGroupArgs{
			Name:            pulumi.String(RDSLogGroup(identifier, log)),
			RetentionInDays: pulumi.Int(a.LogRetentionDays),
		}, b.Parent)
		if err != nil {
			return fmt.Errorf("log group %s: %w", log, err)
		}
		logGroups = append(logGroups, g)
	}

	password, err := b.generate(postgresPassword)
	if err != nil {
		return fmt.Errorf("password: %w", err)
	}
	monitoring, err := b.enhancedMonitoring()
	if err != nil {
		return fmt.Errorf("enhanced monitoring: %w", err)
	}

	var finalSnapshot pulumi.StringPtrInput
	if db.DeletionProtection {
		finalSnapshot = pulumi.String(b.Names.Name("postgres-final", naming.LimitDefault))
	}
	exports := pulumi.ToStringArray(LogExports)
	inst, err := rds.NewInstance(b.Ctx, b.Child("postgres"), &rds.InstanceArgs{
		Identifier:          pulumi.String(identifier),
		Engine:              pulumi.String("postgres"),
		EngineVersion:       pulumi.String(db.EngineVersion),
		InstanceClass:       pulumi.String(db.InstanceClass),
		StorageType:         pulumi.String("gp3"),
		AllocatedStorage:    pulumi.Int(db.AllocatedStorage),
		MaxAllocatedStorage: pulumi.Int(db.MaxAllocatedStorage),
		MultiAz:             pulumi.Bool(db.MultiAZ),
		StorageEncrypted:    pulumi.Bool(true),
		PubliclyAccessible:  pulumi.Bool(false),
		DbSubnetGroupName:   subnets.Name,
		VpcSecurityGroupIds: pulumi.StringArray{a.PostgresSecurityGroupID},
		ParameterGroupName:  group.Name,
		Port:                pulumi.Int(PostgresPort),
		CaCertIdentifier:    pulumi.String(caCertificate),

		DbName:   pulumi.String(DBName),
		Username: pulumi.String(DBUsername),
		Password: password,
		// The application signs in with the password. IAM authentication
		// lets an operator connect with a 15-minute token from their own
		// AWS identity (rds-db:connect on a database user they were
		// granted) instead of reading the master password.
		IamDatabaseAuthenticationEnabled: pulumi.Bool(true),
		MonitoringInterval:               pulumi.Int(db.MonitoringIntervalSeconds),
		MonitoringRoleArn:                monitoring.roleARN,

		BackupRetentionPeriod:   pulumi.Int(db.BackupRetentionDays),
		BackupWindow:            pulumi.String(db.BackupWindow),
		MaintenanceWindow:       pulumi.String(db.MaintenanceWindow),
		CopyTagsToSnapshot:      pulumi.Bool(true),
		DeletionProtection:      pulumi.Bool(db.DeletionProtection),
		SkipFinalSnapshot:       pulumi.Bool(!db.DeletionProtection),
		FinalSnapshotIdentifier: finalSnapshot,

		PerformanceInsightsEnabled:         pulumi.Bool(true),
		PerformanceInsightsRetentionPeriod: pulumi.Int(performanceInsightsDays),
		EnabledCloudwatchLogsExports:       exports,

		AutoMinorVersionUpgrade: pulumi.Bool(true),
		// Changes wait for the maintenance window.
		ApplyImmediately: pulumi.Bool(false),
	}, b.store(pulumi.DependsOn(append(logGroups, monitoring.ready...)),
		// With automatic minor upgrades AWS moves the instance past the
		// configured minor in the maintenance window; Pulumi must not then
		// try to "downgrade" it (RDS refuses). The configured version is
		// the one the instance is created with.
		pulumi.IgnoreChanges([]string{"engineVersion"}))...)
	if err != nil {
		return fmt.Errorf("instance: %w", err)
	}

	d := b.d
	d.DBInstanceIdentifier = inst.Identifier
	d.DBInstanceARN = inst.Arn
	d.DBAddress = inst.Address
	d.DBPort = inst.Port
	d.DBEndpoint = inst.Endpoint
	d.DBName = inst.DbName
	d.DBUsername = inst.Username
	d.DBPassword = password
	return nil
}

// EnhancedMonitoringPolicyARN is AWS's managed policy that lets RDS publish
// an instance's operating-system metrics to CloudWatch Logs (RDSOSMetrics).
const EnhancedMonitoringPolicyARN = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"

// monitoringRole is what the instance needs for enhanced monitoring: the
// role RDS assumes, and what must exist before RDS accepts it.
type monitoringRole struct {
	roleARN pulumi.StringPtrInput
	ready   []pulumi.Resource
}

// enhancedMonitoring creates the role RDS assumes to publish the
// instance's OS metrics every monitoringIntervalSeconds: trusted by
// monitoring.rds.amazonaws.com on behalf of this account only, with AWS's
// managed policy. RDS checks the role when the instance is created or
// modified, so the instance waits for the policy to be attached. With the
// interval at 0 there is no role and no monitoring.
func (b *builder) enhancedMonitoring() (monitoringRole, error) {
	if b.args.Database.MonitoringIntervalSeconds == 0 {
		return monitoringRole{}, nil
	}
	trust, err := awsiam.AssumeRole("monitoring.rds.amazonaws.com", b.args.AccountID, nil).JSON()
	if err != nil {
		return monitoringRole{}, err
	}
	role, err := iam.NewRole(b.Ctx, b.Child("postgres-monitoring-role"), &iam.RoleArgs{
		Name:             pulumi.String(b.Names.Name("postgres-monitoring", naming.LimitIAM)),
		Description:      pulumi.String("Lets RDS enhanced monitoring publish the PostgreSQL instance's OS metrics"),
		AssumeRolePolicy: pulumi.String(trust),
		// The CI deploy roles may create roles only under the
		// bootstrap's boundary.
		PermissionsBoundary: pulumi.String(awsiam.BoundaryARN(b.args.AccountID)),
	}, b.Parent)
	if err != nil {
		return monitoringRole{}, err
	}
	attached, err := iam.NewRolePolicyAttachment(b.Ctx, b.Child("postgres-monitoring-policy"), &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(EnhancedMonitoringPolicyARN),
	}, b.Parent)
	if err != nil {
		return monitoringRole{}, err
	}
	return monitoringRole{roleARN: role.Arn, ready: []pulumi.Resource{attached}}, nil
}
