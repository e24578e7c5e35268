// Package config is the user interface of the Arrakis program: it reads every
// `arrakis:` key of a stack (plus the `aws:region` and `aws:defaultTags` the
// program relies on) into typed Go values, fills omitted keys with the
// production values of the Terraform the team ran before this program, and validates everything before the first
// resource is registered.
//
// A bad value never panics and never falls back silently: Load returns a
// *ValidationError listing every problem, each naming the key path
// (arrakis:database.backupRetentionDays), the value it found and what is
// allowed. Unknown keys are problems too, so a typo cannot leave a default in
// place unnoticed.
package config
