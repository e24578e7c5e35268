package secrets_test

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/awsiam"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stacktest"
	"github.com/arrakis/infrastructure/secrets"
)

var want = map[string]struct {
	protect            bool
	keyDeletionDays    int
	recoveryWindowDays int
}{
	"production": {protect: true, keyDeletionDays: 30, recoveryWindowDays: 30},
	"staging":    {protect: false, keyDeletionDays: 7, recoveryWindowDays: 0},
}

func TestKeyRotatesAndIsAliasedPerStack(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, s := build(t, stack)
		key := stacktest.One(t, res, keyType, "arrakis-secrets-key")
		assert.Equal(t, true, stacktest.Get(t, key, "enableKeyRotation"))
		assert.Equal(t, want[stack].keyDeletionDays, stacktest.Int(t, key, "deletionWindowInDays"))
		assert.Contains(t, stacktest.Str(t, key, "description"), "arrakis-"+stack)

		alias := stacktest.One(t, res, aliasType, "arrakis-secrets-key-alias")
		assert.Equal(t, "alias/arrakis-"+stack+"-secrets", stacktest.Str(t, alias, "name"))
		assert.Equal(t, stacktest.OutputOf(t, key, "keyId"), stacktest.Get(t, alias, "targetKeyId"))

		policy, err := awsiam.Parse(stacktest.Str(t, key, "policy"))
		require.NoError(t, err)
		require.Len(t, policy.Statement, 1)
		st := policy.Statement[0]
		assert.Equal(t, "Allow", st.Effect)
		assert.Equal(t, awsiam.List{"arn:aws:iam::" + mock.Account + ":root"}, st.Principal.AWS,
			"the account's IAM policies decide who may decrypt")
		assert.Empty(t, st.Principal.Service)
		assert.Equal(t, awsiam.List{"kms:*"}, st.Action)

		assert.Equal(t, stacktest.OutputOf(t, key, "arn"), stacktest.Await(t, s.KeyARN))
		assert.Equal(t, stacktest.OutputOf(t, key, "keyId"), stacktest.Await(t, s.KeyID))
	})
}

func TestSecretsAreNamedAndEncryptedWithTheKey(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, s := build(t, stack)
		keyARN := stacktest.OutputOf(t, stacktest.One(t, res, keyType, "arrakis-secrets-key"), "arn")
		require.Len(t, res.ByType(secretType), 4)
		for leaf, out := range map[string]pulumi.StringOutput{
			"app-config":        s.AppConfigSecretARN,
			"db-credentials":    s.DBCredentialsSecretARN,
			"redis-credentials": s.RedisCredentialsSecretARN,
			"vault-token":       s.VaultTokenSecretARN,
		} {
			sec := stacktest.One(t, res, secretType, "arrakis-"+leaf)
			assert.Equal(t, "arrakis-"+stack+"/"+leaf, stacktest.Str(t, sec, "name"))
			assert.NotEmpty(t, stacktest.Str(t, sec, "description"))
			assert.Equal(t, keyARN, stacktest.Get(t, sec, "kmsKeyId"), leaf)
			assert.Equal(t, want[stack].recoveryWindowDays, stacktest.Int(t, sec, "recoveryWindowInDays"), leaf)
			assert.Equal(t, stacktest.OutputOf(t, sec, "arn"), stacktest.Await(t, out), leaf)
		}
	})
}

// credentialsOf reads the value of a program-owned secret, checking that it
// is a secret version of that secret and a Pulumi secret.
func credentialsOf(t *testing.T, res *mock.Result, leaf string, into any) string {
	t.Helper()
	v := stacktest.One(t, res, versionType, "arrakis-"+leaf+"-value")
	assert.Equal(t, stacktest.One(t, res, secretType, "arrakis-"+leaf).ID, stacktest.Str(t, v, "secretId"))
	raw, secret, ok := v.Get("secretString")
	require.True(t, ok)
	assert.True(t, secret, "the %s JSON is a secret", leaf)
	require.NoError(t, json.Unmarshal([]byte(raw.(string)), into))
	return raw.(string)
}

func TestDBCredentialsJSON(t *testing.T) {
	res, _ := build(t, "production")
	var got map[string]any
	raw := credentialsOf(t, res, "db-credentials", &got)
	assert.ElementsMatch(t, []string{"host", "port", "database", "username", "password", "url"}, keys(got))

	var c secrets.DBCredentials
	require.NoError(t, json.Unmarshal([]byte(raw), &c))
	assert.Equal(t, secrets.DBCredentials{
		Host: dbHost, Port: 5432, Database: "arrakis", Username: "arrakis_admin", Password: dbPass, URL: c.URL,
	}, c)
	assert.Contains(t, raw, `&<>`, "no HTML escaping in the JSON")

	u, err := url.Parse(c.URL)
	require.NoError(t, err)
	assert.Equal(t, "postgresql", u.Scheme)
	assert.Equal(t, dbHost+":5432", u.Host)
	assert.Equal(t, "/arrakis", u.Path)
	assert.Equal(t, "arrakis_admin", u.User.Username())
	pw, _ := u.User.Password()
	assert.Equal(t, dbPass, pw, "the password survives the URL")
	assert.Equal(t, "require", u.Query().Get("sslmode"))
}

func TestRedisCredentialsJSON(t *testing.T) {
	res, _ := build(t, "staging")
	var got map[string]any
	raw := credentialsOf(t, res, "redis-credentials", &got)
	assert.ElementsMatch(t, []string{"host", "port", "auth", "url"}, keys(got))

	var c secrets.RedisCredentials
	require.NoError(t, json.Unmarshal([]byte(raw), &c))
	assert.Equal(t, secrets.RedisCredentials{Host: redisHost, Port: 6379, Auth: redisAuth, URL: c.URL}, c)

	u, err := url.Parse(c.URL)
	require.NoError(t, err)
	assert.Equal(t, "rediss", u.Scheme, "TLS")
	assert.Equal(t, redisHost+":6379", u.Host)
	assert.Equal(t, "", u.User.Username())
	auth, _ := u.User.Password()
	assert.Equal(t, redisAuth, auth)
	assert.Regexp(t, `^rediss://:[^@]+@`+redisHost+`:6379$`, c.URL)
}

func TestURLsCarryAnyPassword(t *testing.T) {
	for _, pw := range []string{"plain", `p@ss/w:rd?#&<>%[]{}`, "sp ace", `!&#$^<>-`, "100%", "a+b=c;d,e"} {
		t.Run(pw, func(t *testing.T) {
			u, err := url.Parse(secrets.PostgresURL("db.internal", 5432, "arrakis", "arrakis_admin", pw))
			require.NoError(t, err)
			got, _ := u.User.Password()
			assert.Equal(t, pw, got)
			assert.Equal(t, "db.internal:5432", u.Host)
			assert.Equal(t, "/arrakis", u.Path)
			assert.Equal(t, "sslmode=require", u.RawQuery)

			u, err = url.Parse(secrets.RedisURL("cache.internal", 6379, pw))
			require.NoError(t, err)
			got, _ = u.User.Password()
			assert.Equal(t, pw, got)
			assert.Equal(t, "cache.internal:6379", u.Host)
		})
	}
}

func TestOperatorSecretsGetNoValueWithoutSeed(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack)
		var versions []string
		for _, v := range res.ByType(versionType) {
			versions = append(versions, v.Name)
		}
		assert.ElementsMatch(t, []string{"arrakis-db-credentials-value", "arrakis-redis-credentials-value"}, versions,
			"operators put app-config and vault-token")
	})
}

func TestSeedsAreWrittenOnceAndStaySecret(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		cfg, appJSON := seeded(t, stack)
		res, _ := run(t, stack, cfg, nil)
		for leaf, seed := range map[string]string{"app-config": appJSON, "vault-token": vaultSeed} {
			v := stacktest.One(t, res, versionType, "arrakis-"+leaf+"-seed")
			assert.Equal(t, stacktest.One(t, res, secretType, "arrakis-"+leaf).ID, stacktest.Str(t, v, "secretId"))
			value, secret, ok := v.Get("secretString")
			require.True(t, ok)
			assert.True(t, secret, "the %s seed is a secret", leaf)
			assert.Equal(t, seed, value)
			assert.Equal(t, []string{"secretString"}, v.IgnoreChanges, "an operator's value is never overwritten")
			assert.Equal(t, want[stack].protect, v.Protect)
		}
	})
}

func TestStatefulResourcesAreProtectedOnlyInProduction(t *testing.T) {
	protected := map[string]bool{
		"arrakis-secrets-key": true, "arrakis-app-config": true, "arrakis-db-credentials": true,
		"arrakis-redis-credentials": true, "arrakis-vault-token": true,
		"arrakis-app-config-seed": true, "arrakis-vault-token-seed": true,
	}
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		cfg, _ := seeded(t, stack)
		res, _ := run(t, stack, cfg, nil)
		comp := stacktest.One(t, res, "arrakis:secrets:Secrets", "arrakis")
		seen := 0
		for _, r := range res.Resources() {
			if r != comp {
				assert.Equal(t, comp.URN, r.Parent, "%s belongs to the component", r.Name)
			}
			assert.False(t, r.RetainOnDelete, "%s is retained on delete", r.Name)
			if protected[r.Name] {
				seen++
				assert.Equal(t, want[stack].protect, r.Protect, "%s protect", r.Name)
			} else {
				assert.False(t, r.Protect, "%s needs no protect", r.Name)
			}
		}
		assert.Equal(t, len(protected), seen)
	})
}

func TestNewRejectsArgsItCannotBuild(t *testing.T) {
	stacktest.RejectsEach(t, "production", func() *secrets.Args { return argsFor(stacktest.Config(t, "production")) }, map[string]func(*secrets.Args){
		"no account":                 func(a *secrets.Args) { a.AccountID = "" },
		"recovery window 3":          func(a *secrets.Args) { a.Secrets.RecoveryWindowDays = 3 },
		"recovery window 31":         func(a *secrets.Args) { a.Secrets.RecoveryWindowDays = 31 },
		"immediate deletion protect": func(a *secrets.Args) { a.Secrets.RecoveryWindowDays = 0 },
		"no db password":             func(a *secrets.Args) { a.DB.Password = nil },
		"no redis token":             func(a *secrets.Args) { a.Redis.AuthToken = nil },
	}, "secrets arrakis", func(ctx *pulumi.Context, a *secrets.Args) error {
		_, err := secrets.New(ctx, "arrakis", a)
		return err
	})
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
