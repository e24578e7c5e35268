// Package secrets owns the stack's Secrets Manager secrets and the KMS key
// that encrypts them.
//
// The key (alias alias/arrakis-<stack>-secrets) rotates yearly; its policy
// hands every decision to IAM, and the ECS execution roles receive
// kms:Decrypt on it (through Secrets Manager only) and
// secretsmanager:GetSecretValue on exactly the secrets they inject.
//
// Four secrets, all encrypted with that key:
//
//   - db-credentials and redis-credentials belong to the program: their
//     value is JSON built from the data domain's outputs ({host, port,
//     database, username, password, url}; {host, port, auth, url}) and is
//     rewritten whenever the database or the cache changes.
//   - app-config and vault-token belong to the operators: the program
//     creates them and never writes a value an operator put. A stack may
//     give each an initial value (arrakis:appConfigSeed,
//     arrakis:vaultTokenSeed, secret config values): that version is
//     written once and ignores later changes (README, "Secrets and the
//     first image", says how operators use this).
//
// Every value is a Pulumi secret in the state and in this component's
// inputs: the credential JSON is built inside ApplyT from secret inputs and
// marked secret again, and initial values are secret config values.
package secrets
