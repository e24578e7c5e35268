package stackfile_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/config"
	"github.com/arrakis/infrastructure/internal/stackfile"
)

// project writes a project directory: Pulumi.yaml (name arrakis, the given
// config declarations) and one file per entry of files (name -> content).
func project(t *testing.T, decls string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "Pulumi.yaml"), "name: arrakis\nruntime: go\n"+decls)
	for name, content := range files {
		write(t, filepath.Join(dir, name), content)
	}
	return dir
}

func write(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func TestProjectConfigFillsWhatTheStackLeavesOut(t *testing.T) {
	dir := project(t, `config:
  aws:region:
    value: us-east-1
  tier:
    type: string
    default: production
  network:
    type: object
    default: {}
  replicas: 3
  zones:
    type: array
    items: {type: string}
    default: [a, b]
`, map[string]string{
		"Pulumi.qa.yaml":   "config:\n  arrakis:tier: ephemeral\n  aws:region: eu-west-1\n",
		"Pulumi.bare.yaml": "config: {}\n",
	})

	in, err := stackfile.Load(dir, "qa")
	require.NoError(t, err)
	assert.Equal(t, "arrakis", in.Project)
	assert.Equal(t, "qa", in.Stack)
	assert.Equal(t, map[string]string{
		"arrakis:tier":     "ephemeral", // the stack's value wins over the default
		"aws:region":       "eu-west-1", // and over the project's value
		"arrakis:network":  "{}",
		"arrakis:replicas": "3", // shorthand declaration: a default
		"arrakis:zones":    `["a","b"]`,
	}, in.Values)

	in, err = stackfile.Load(dir, "bare")
	require.NoError(t, err)
	assert.Equal(t, "us-east-1", in.Values["aws:region"], "a project `value:` applies to every stack")
	assert.Equal(t, "production", in.Values["arrakis:tier"])
}

func TestBareKeysBelongToTheProject(t *testing.T) {
	dir := project(t, "", map[string]string{"Pulumi.qa.yaml": `config:
  tier: ephemeral
  edge:
    domainName: qa.example.com
  aws:region: eu-west-1
`})
	in, err := stackfile.Load(dir, "qa")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		"arrakis:tier": "ephemeral",
		"arrakis:edge": `{"domainName":"qa.example.com"}`,
		"aws:region":   "eu-west-1",
	}, in.Values)
}

// The program reads PULUMI_CONFIG: objects and lists as JSON text, scalars
// as their text, strings exactly as written.
func TestValuesAreTheTextTheEngineSends(t *testing.T) {
	dir := project(t, "", map[string]string{"Pulumi.qa.yaml": `config:
  arrakis:database:
    engineVersion: "15.15"
    allocatedStorage: 20
    multiAz: false
    ratio: 0.5
  arrakis:monitoring:
    alarmEmails: [ops@example.com]
    thresholds: {cpuHigh: 80}
  arrakis:count: 2
  arrakis:flag: true
  arrakis:code: "007"
  arrakis:version: "7.1"
  arrakis:ports: [443, 8200]
`})
	in, err := stackfile.Load(dir, "qa")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		"arrakis:database":   `{"allocatedStorage":20,"engineVersion":"15.15","multiAz":false,"ratio":0.5}`,
		"arrakis:monitoring": `{"alarmEmails":["ops@example.com"],"thresholds":{"cpuHigh":80}}`,
		"arrakis:count":      "2",
		"arrakis:flag":       "true",
		"arrakis:code":       "007",
		"arrakis:version":    "7.1",
		"arrakis:ports":      "[443,8200]",
	}, in.Values)
	assert.Empty(t, in.Secret)
}

func TestSecureValuesBecomeThePlaceholderAndStaySecret(t *testing.T) {
	dir := project(t, "", map[string]string{"Pulumi.qa.yaml": `config:
  arrakis:vaultTokenSeed:
    secure: AAABAMxZ1VYe3mHeEQm5qeVbr1lN
  arrakis:edge:
    domainName: qa.example.com
    apiKey:
      secure: AAABAN0tRe4l
  arrakis:tier: ephemeral
`})
	in, err := stackfile.Load(dir, "qa")
	require.NoError(t, err)
	assert.Equal(t, config.OfflinePlaceholder, in.Values["arrakis:vaultTokenSeed"])
	assert.Equal(t, `{"apiKey":"[offline placeholder: secure value not decrypted]","domainName":"qa.example.com"}`,
		in.Values["arrakis:edge"], "a secure value inside an object is replaced where it stands")
	assert.Equal(t, map[string]bool{"arrakis:vaultTokenSeed": true, "arrakis:edge": true}, in.Secret,
		"the keys holding a secure value are secret, the others not")
	for k, v := range in.Values {
		assert.NotContains(t, v, "AAABA", "%s leaks ciphertext", k)
	}
}

func TestDeclaredTypesAreEnforcedNamingTheKey(t *testing.T) {
	cases := []struct {
		name, decls, stack, want string
	}{
		{"object", "config:\n  network:\n    type: object\n    default: {}\n",
			"config:\n  arrakis:network: 10.0.0.0/16\n",
			"stack 'qa' with configuration key 'network' must be of type 'object'"},
		{"integer", "config:\n  replicas:\n    type: integer\n    default: 1\n",
			"config:\n  arrakis:replicas: many\n",
			"stack 'qa' with configuration key 'replicas' must be of type 'integer'"},
		{"boolean", "config:\n  spot:\n    type: boolean\n    default: false\n",
			"config:\n  arrakis:spot: sometimes\n",
			"stack 'qa' with configuration key 'spot' must be of type 'boolean'"},
		{"array items", "config:\n  ports:\n    type: array\n    items: {type: integer}\n    default: []\n",
			"config:\n  arrakis:ports: [443, https]\n",
			"stack 'qa' with configuration key 'ports' must be of type 'array<integer>'"},
		{"secret", "config:\n  token:\n    type: string\n    secret: true\n",
			"config:\n  arrakis:token: plain-text\n",
			"stack 'qa' with configuration key 'token' must be encrypted as it's secret"},
		{"required", "config:\n  domain:\n    type: string\n  zone:\n    type: string\n",
			"config: {}\n",
			"stack 'qa' is missing configuration values 'domain' and 'zone'"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := project(t, c.decls, map[string]string{"Pulumi.qa.yaml": c.stack})
			_, err := stackfile.Load(dir, "qa")
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Contains(t, err.Error(), filepath.Join(dir, "Pulumi.qa.yaml"), "the error names the file")
		})
	}
}

func TestValuesOfTheDeclaredTypeLoad(t *testing.T) {
	dir := project(t, `config:
  replicas: {type: integer, default: 1}
  spot: {type: boolean, default: false}
  ports: {type: array, items: {type: integer}, default: []}
  token: {type: integer, secret: true}
`, map[string]string{"Pulumi.qa.yaml": `config:
  arrakis:replicas: 3
  arrakis:spot: true
  arrakis:ports: [443, 8200]
  arrakis:token:
    secure: AAABAMxZ1VYe
`})
	in, err := stackfile.Load(dir, "qa")
	require.NoError(t, err, "a secure value cannot be type-checked offline, so it is not")
	assert.Equal(t, "3", in.Values["arrakis:replicas"])
	assert.Equal(t, "true", in.Values["arrakis:spot"])
	assert.Equal(t, "[443,8200]", in.Values["arrakis:ports"])
	assert.True(t, in.Secret["arrakis:token"])
}

func TestAProjectDefaultOfTheWrongTypeIsRejected(t *testing.T) {
	dir := project(t, "config:\n  replicas:\n    type: integer\n    default: many\n",
		map[string]string{"Pulumi.qa.yaml": "config: {}\n"})
	_, err := stackfile.Load(dir, "qa")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "configuration key 'replicas' is not of the expected type 'integer'")
}

func TestAStackEnvironmentIsRefused(t *testing.T) {
	for name, env := range map[string]string{
		"list":   "environment:\n  - arrakis/production\n",
		"inline": "environment:\n  imports: [arrakis/production]\n  values:\n    pulumiConfig:\n      arrakis:tier: production\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := project(t, "", map[string]string{"Pulumi.qa.yaml": env + "config:\n  arrakis:tier: ephemeral\n"})
			_, err := stackfile.Load(dir, "qa")
			require.Error(t, err)
			assert.Contains(t, err.Error(), filepath.Join(dir, "Pulumi.qa.yaml"))
			assert.Contains(t, err.Error(), "ESC environments (`environment:`), which cannot be opened offline")
		})
	}

	dir := project(t, "", map[string]string{"Pulumi.qa.yaml": "environment: []\nconfig:\n  arrakis:tier: ephemeral\n"})
	_, err := stackfile.Load(dir, "qa")
	assert.NoError(t, err, "an empty environment list imports nothing")
}

func TestAMissingStackFileSaysWhichFileAndListsTheStacks(t *testing.T) {
	dir := project(t, "", map[string]string{
		"Pulumi.staging.yaml":    "config: {}\n",
		"Pulumi.production.yaml": "config: {}\n",
	})
	_, err := stackfile.Load(dir, "qa")
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, "Pulumi.qa.yaml")+" does not exist")
	assert.Contains(t, err.Error(), "(stacks here: production, staging)")
}

func TestStackFilesLiveWhereTheProjectPutsThem(t *testing.T) {
	dir := project(t, "stackConfigDir: stacks\n", map[string]string{
		"stacks/Pulumi.qa.yaml": "config:\n  arrakis:tier: ephemeral\n",
		"Pulumi.stray.yaml":     "config:\n  arrakis:tier: production\n",
	})
	in, err := stackfile.Load(dir, "qa")
	require.NoError(t, err)
	assert.Equal(t, "ephemeral", in.Values["arrakis:tier"])
	assert.Equal(t, []string{"qa"}, stackfile.Stacks(dir), "a file beside Pulumi.yaml is not a stack of this project")
	_, err = stackfile.Load(dir, "stray")
	assert.ErrorContains(t, err, filepath.Join(dir, "stacks", "Pulumi.stray.yaml")+" does not exist")
}
