// Package secrets owns the stack's Secrets Manager secrets and the KMS key
// that encrypts them.
//
// The key (alias alias/arrakis-<stack>-secrets) rotates yearly. Its policy
// gives the account itself full use of the key, which hands every decision to
// IAM: the ECS execution roles receive kms:Decrypt on the key's ARN and
// secretsmanager:GetSecretValue on exactly the secrets they inject.
//
// Four secrets, all encrypted with that key:
//
//   - arrakis-<stack>/db-credentials and arrakis-<stack>/redis-credentials
//     belong to the program. Their value is JSON built from the data domain's
//     outputs ({host, port, database, username, password, url} with url
//     postgresql://…?sslmode=require; {host, port, auth, url} with url
//     rediss://:…@…:6379), rewritten on every `pulumi up` where the database
//     or the cache changed. Edits made by hand are overwritten; to change the
//     password, replace the generator in the data domain.
//   - arrakis-<stack>/app-config and arrakis-<stack>/vault-token belong to
//     the operators. The program creates the secrets but never writes a value
//     an operator put:
//     without a seed (arrakis:appConfigSeed / arrakis:vaultTokenSeed, set
//     with `pulumi config set --secret`) the secret is created empty, and an
//     operator puts the value with `aws secretsmanager put-secret-value`
//     before the services start (ECS fails to start tasks while it is
//     missing).
//     With a seed, the first `pulumi up` also creates a version holding the
//     seed. That version ignores later changes to its value: editing the seed
//     in config changes nothing in AWS, and a value an operator puts
//     afterwards becomes the current version without Pulumi ever seeing a
//     difference. Removing the seed from config deletes only Pulumi's record
//     of that version; AWS keeps whatever value is current. (In production
//     the seeded version is protected: unprotect it first.)
//     One way back to the seed remains: once operators have put two newer
//     values, the seeded version has no staging label left and AWS may
//     purge it; a `pulumi refresh` would then forget it and the next `up`
//     would write the seed again as the current value. So treat a seed as a
//     bootstrap: after the first real value is put, remove the seed.
//
// Every value is a Pulumi secret in the state and in this component's inputs:
// the credential JSON is built inside ApplyT from secret inputs and marked
// secret again, and seeds are secret config values.
//
// Deleted secrets stay recoverable for arrakis:secrets.recoveryWindowDays
// (7–30 days; 0, immediate deletion, is allowed on ephemeral stacks only, so
// a torn-down staging can be created again at once). In production the key
// and the four secrets carry Pulumi's protect, and the key's deletion window
// is the longest AWS allows.
package secrets
