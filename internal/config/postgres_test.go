package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

// RDS stopped creating PostgreSQL 15.9–15.12 on 2026-05-01 and moved running
// instances to 15.15 or later. A stack that names such a minor would fail at
// CreateDBInstance on its first `up`; config stops it before anything runs,
// says what to use and when the table was last checked.
func TestPostgresMinorsRDSNoLongerCreatesAreRejected(t *testing.T) {
	for _, v := range []string{"15.2", "15.8", "15.9", "15.10", "15.12", "15.13", "15.14"} {
		t.Run(v, func(t *testing.T) {
			_, err := config.Parse(stacktest.Set(t, stacktest.Input(t, "staging", nil), "arrakis:database.engineVersion", v))
			require.Error(t, err)
			msg := err.Error()
			assert.Contains(t, msg, `arrakis:database.engineVersion: got "`+v+`"`)
			assert.Contains(t, msg, `use "15.15" or a later 15.x minor`)
			assert.Contains(t, msg, "checked 2026-12-01", "the message dates the table")
		})
	}
	_, err := config.Parse(stacktest.Set(t, stacktest.Input(t, "staging", nil), "arrakis:database.engineVersion", "15.10"))
	assert.ErrorContains(t, err, "RDS stopped creating 15.9–15.12 on 2026-05-01")

	for _, v := range []string{"15.15", "15.16", "15.18", "15.21"} {
		_, err := config.Parse(stacktest.Set(t, stacktest.Input(t, "staging", nil), "arrakis:database.engineVersion", v))
		assert.NoError(t, err, v)
	}
	for _, v := range []string{"16.4", "15", "15.x", "15.015"} {
		_, err := config.Parse(stacktest.Set(t, stacktest.Input(t, "staging", nil), "arrakis:database.engineVersion", v))
		assert.ErrorContains(t, err, "arrakis:database.engineVersion", v)
	}
}

// Both stacks and the default name a minor RDS still creates.
func TestStacksNameACreatablePostgresMinor(t *testing.T) {
	for _, stack := range stacktest.Stacks {
		assert.Equal(t, "15.15", stacktest.Config(t, stack).Database.EngineVersion, stack)
	}
}

// One table of RDS classes decides what config accepts, what the cost model
// prices and what the connections alarm reads: a class outside it stops
// the program naming the key and the families it knows.
func TestDatabaseClassMustBeInTheTable(t *testing.T) {
	for _, class := range []string{"db.x2g.large", "db.t3.nano", "t3.small"} {
		_, err := config.Parse(stacktest.Set(t, stacktest.Input(t, "staging", nil), "arrakis:database.instanceClass", class))
		require.Error(t, err, class)
		assert.Contains(t, err.Error(), `arrakis:database.instanceClass: got "`+class+`"`)
		assert.Contains(t, err.Error(), "db.t3 and db.t4g from micro to 2xlarge")
	}
	for _, class := range []string{"db.t4g.medium", "db.r7g.4xlarge", "db.m6i.large"} {
		_, err := config.Parse(stacktest.Set(t, stacktest.Input(t, "staging", nil), "arrakis:database.instanceClass", class))
		assert.NoError(t, err, class)
	}
}

// The free-storage alarm must be able to stay quiet on an empty database,
// and each alarm address gets its own subscription.
func TestMonitoringValuesThatDependOnOtherKeys(t *testing.T) {
	_, err := config.Parse(stacktest.Set(t, stacktest.Input(t, "staging", nil), "arrakis:monitoring.thresholds.rdsFreeStorageGiB", 20))
	assert.ErrorContains(t, err, "arrakis:monitoring.thresholds.rdsFreeStorageGiB: got 20; must be below arrakis:database.allocatedStorage (20 GiB)")
	_, err = config.Parse(stacktest.Set(t, stacktest.Input(t, "staging", nil), "arrakis:monitoring.alarmEmails", []string{"a.b@x.io", "a-b@x.io"}))
	assert.ErrorContains(t, err, `arrakis:monitoring.alarmEmails: got "a-b@x.io"; reads like "a.b@x.io" once cleaned`)
}
