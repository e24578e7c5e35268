package config

import (
	"fmt"
	"regexp"
	"strconv"
)

// PostgreSQL 15 minor versions on RDS. RDS retires minors on a schedule:
// past a date it no longer creates instances on them, and it upgrades the
// running ones in their maintenance window. A stack naming a retired minor
// fails at CreateDBInstance on its first `up`, so config rejects it first.
//
// The table is data, not a network call: whoever updates it checks
// `aws rds describe-db-engine-versions --engine postgres --engine-version 15`
// and the RDS for PostgreSQL release calendar, then moves the date.
const postgresTableChecked = "2026-12-01"

// postgresRetired are the minors RDS no longer creates, each range with the
// date creation stopped ("" where it ended before this table was kept).
var postgresRetired = []struct {
	from, to int
	since    string
}{
	{from: 2, to: 8},
	{from: 9, to: 12, since: "2026-05-01"},
}

// PostgresOldestMinor is the oldest PostgreSQL 15 minor a stack may name:
// the one RDS upgraded the retired 15.9–15.12 to. 15.13 and 15.14 were
// still listed on the check date but are older than where RDS moves
// instances; a new database starts no lower. Newer minors than the table
// knows are accepted: RDS adds them after the check date.
const PostgresOldestMinor = 15

var pg15Pattern = regexp.MustCompile(`^15\.([1-9][0-9]*)$`)

// checkPostgresVersion says what is wrong with a PostgreSQL engine version,
// or "" when RDS creates it.
func checkPostgresVersion(v string) string {
	use := fmt.Sprintf("use \"15.%d\" or a later 15.x minor (table of RDS minors last checked %s)", PostgresOldestMinor, postgresTableChecked)
	m := pg15Pattern.FindStringSubmatch(v)
	if m == nil {
		return "must be a PostgreSQL 15 minor version such as \"15." + strconv.Itoa(PostgresOldestMinor) + "\" (the parameter group family is postgres15); " + use
	}
	minor, _ := strconv.Atoi(m[1])
	for _, r := range postgresRetired {
		if minor >= r.from && minor <= r.to {
			when := "before " + postgresTableChecked
			if r.since != "" {
				when = "on " + r.since
			}
			return fmt.Sprintf("RDS no longer creates it: RDS stopped creating 15.%d–15.%d %s and upgrades running instances to 15.%d or later; %s",
				r.from, r.to, when, PostgresOldestMinor, use)
		}
	}
	if minor < PostgresOldestMinor {
		return fmt.Sprintf("is older than 15.%d, where RDS upgrades retired minors to, and is next to be retired; %s", PostgresOldestMinor, use)
	}
	return ""
}
