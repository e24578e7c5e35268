package data_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/data"
	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

func TestPasswordsAreGeneratedAndStaySecret(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, d := build(t, stack, nil)
		for _, c := range []struct {
			generator, resType, resName, input string
			forbidden                          string
			output                             pulumi.StringOutput
		}{
			{"arrakis-postgres-password", instanceType, "arrakis-postgres", "password", `/@" %$'\`, d.DBPassword},
			{"arrakis-redis-auth-token", groupType, "arrakis-redis", "authToken", `/@" %'\*()[]{}:?=+_`, d.RedisAuthToken},
		} {
			gen := stacktest.One(t, res, passwordType, c.generator)
			assert.GreaterOrEqual(t, stacktest.Int(t, gen, "length"), 32, c.generator)
			assert.LessOrEqual(t, stacktest.Int(t, gen, "length"), 128, c.generator)
			assert.Equal(t, true, stacktest.Get(t, gen, "special"))
			special := stacktest.Str(t, gen, "overrideSpecial")
			assert.NotEmpty(t, special)
			assert.False(t, strings.ContainsAny(special, c.forbidden), "%s may produce one of %q", c.generator, c.forbidden)

			result, secret, ok := gen.Output("result")
			require.True(t, ok)
			require.True(t, secret)

			target := stacktest.One(t, res, c.resType, c.resName)
			v, secret, ok := target.Get(c.input)
			require.True(t, ok, "%s has no %s", c.resName, c.input)
			assert.True(t, secret, "%s.%s is a secret", c.resName, c.input)
			assert.Equal(t, result, v, "%s.%s is the generated value", c.resName, c.input)

			out := await(t, c.output)
			assert.True(t, out.Secret, "the component's %s output is a secret", c.input)
			assert.Equal(t, result, out.Value)
		}
	})
}

// The ElastiCache rule, checked on the recorded input: only these special
// characters are accepted in an AUTH token.
func TestRedisAuthTokenUsesOnlyCharactersElastiCacheAccepts(t *testing.T) {
	res, _ := build(t, "production", nil)
	for _, c := range stacktest.Str(t, stacktest.One(t, res, passwordType, "arrakis-redis-auth-token"), "overrideSpecial") {
		assert.Contains(t, "!&#$^<>-", string(c))
	}
}

// The database, the cache and the credentials that open them are protected
// in production: replacing a generated password rotates it under the
// running tasks, which keep the old one until they restart.
func TestStatefulResourcesAreProtectedOnlyInProduction(t *testing.T) {
	stateful := map[string]bool{instanceType: true, groupType: true, passwordType: true}
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack, nil)
		seen := 0
		for _, r := range res.Resources() {
			assert.False(t, r.RetainOnDelete, "%s %s is retained on delete", r.Type, r.Name)
			if stateful[r.Type] {
				seen++
				assert.Equal(t, wants[stack].protect, r.Protect, "%s %s protect", r.Type, r.Name)
			} else {
				assert.False(t, r.Protect, "%s %s needs no protect", r.Type, r.Name)
			}
		}
		assert.Equal(t, 4, seen)
	})
}

// Editing how a credential is generated (length, character set) never
// regenerates it, on any stack: rotation is a deliberate `pulumi up
// --replace`, not a side effect of a refactor.
func TestCredentialsAreNeverRegeneratedByAnEdit(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack, nil)
		for _, name := range []string{"arrakis-postgres-password", "arrakis-redis-auth-token"} {
			p := stacktest.One(t, res, passwordType, name)
			assert.ElementsMatch(t, []string{"length", "special", "overrideSpecial", "upper", "lower", "numeric",
				"minLower", "minUpper", "minNumeric", "minSpecial"}, p.IgnoreChanges, name)
		}
	})
}

func TestEveryChildBelongsToTheComponent(t *testing.T) {
	res, _ := build(t, "production", nil)
	comp := stacktest.One(t, res, "arrakis:data:Data", "arrakis")
	for _, r := range res.Resources() {
		if r != comp {
			assert.Equal(t, comp.URN, r.Parent, "%s %s", r.Type, r.Name)
			assert.True(t, strings.HasPrefix(r.Name, "arrakis-"), r.Name)
		}
	}
}

func TestNamesFitAnyStackName(t *testing.T) {
	stack := "feature-branch-preview-with-a-very-long-name-indeed"
	args := argsFor(stacktest.Config(t, "staging"))
	res := stacktest.Run(t, stack, func(ctx *pulumi.Context) error {
		_, err := data.New(ctx, "arrakis", args)
		return err
	})
	id := stacktest.Str(t, stacktest.One(t, res, instanceType, "arrakis-postgres"), "identifier")
	assert.LessOrEqual(t, len(id), 63)
	group := stacktest.Str(t, stacktest.One(t, res, groupType, "arrakis-redis"), "replicationGroupId")
	assert.LessOrEqual(t, len(group), 40)
	for _, name := range []string{id, group} {
		assert.True(t, strings.HasPrefix(name, "arrakis-feature"), name)
	}
	assert.Equal(t, data.RDSLogGroup(id, "postgresql"), stacktest.Str(t, stacktest.One(t, res, logGroupType, "arrakis-postgres-log-postgresql"), "name"))
}

func TestNewRejectsArgsItCannotBuild(t *testing.T) {
	stacktest.RejectsEach(t, "production", func() *data.Args { return argsFor(stacktest.Config(t, "production")) }, map[string]func(*data.Args){
		"no subnets":        func(a *data.Args) { a.PrivateSubnetIDs = nil },
		"no postgres group": func(a *data.Args) { a.PostgresSecurityGroupID = nil },
		"no redis group":    func(a *data.Args) { a.RedisSecurityGroupID = nil },
		"no log retention":  func(a *data.Args) { a.LogRetentionDays = 0 },
		"no redis node":     func(a *data.Args) { a.Redis.Nodes = 0 },
	}, "data arrakis", func(ctx *pulumi.Context, a *data.Args) error {
		_, err := data.New(ctx, "arrakis", a)
		return err
	})
}

// On an ephemeral stack a change that replaces the database or the cache
// (their identifiers are fixed) deletes the old one first, so the new one
// can take the name; in production they are protected and Pulumi refuses to
// replace them at all.
func TestEphemeralStoresAreDeletedBeforeTheyAreReplaced(t *testing.T) {
	stacktest.EachStack(t, func(t *testing.T, stack string) {
		res, _ := build(t, stack, nil)
		for _, r := range []*mock.Resource{stacktest.One(t, res, instanceType, "arrakis-postgres"), stacktest.One(t, res, groupType, "arrakis-redis")} {
			assert.Equal(t, !wants[stack].protect, r.DeleteBeforeReplace, r.Name)
			assert.Equal(t, wants[stack].protect, r.Protect, r.Name)
		}
	})
}

// The password and the token stay secret by the program's own doing, even
// if the generator handed them over in the clear: what reaches RDS,
// ElastiCache and the component's outputs is a secret.
func TestGeneratedCredentialsAreSecretByTheProgramsOwnDoing(t *testing.T) {
	rec := mock.NewRecorder("arrakis", "staging", "us-east-1")
	rec.PlainGenerated = true
	args := argsFor(stacktest.Config(t, "staging"))
	var d *data.Data
	_, err := mock.RunWith(rec, config.Input{Project: "arrakis", Stack: "staging", Values: map[string]string{config.RegionKey: "us-east-1"}},
		func(ctx *pulumi.Context) error {
			var err error
			d, err = data.New(ctx, "arrakis", args)
			return err
		})
	require.NoError(t, err)
	p := rec.Find(passwordType, "arrakis-postgres-password")
	_, plain, _ := p.Output("result")
	require.False(t, plain, "the generator's answer is plain in this test")

	_, secret, ok := rec.Find(instanceType, "arrakis-postgres").Get("password")
	require.True(t, ok)
	assert.True(t, secret, "RDS receives the password as a secret")
	_, secret, ok = rec.Find(groupType, "arrakis-redis").Get("authToken")
	require.True(t, ok)
	assert.True(t, secret, "ElastiCache receives the token as a secret")
	for name, o := range map[string]pulumi.StringOutput{"DBPassword": d.DBPassword, "RedisAuthToken": d.RedisAuthToken} {
		v, err := mock.Await(o)
		require.NoError(t, err)
		assert.True(t, v.Secret, "%s is a secret output", name)
	}
}
