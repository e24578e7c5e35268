package config

import (
	"encoding/json"
	"os"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Keys the program reads outside the arrakis namespace.
const (
	RegionKey      = "aws:region"
	DefaultTagsKey = "aws:defaultTags"
)

// Top-level keys that are not sections.
const (
	tierKey           = "tier"
	appConfigSeedKey  = "appConfigSeed"
	vaultTokenSeedKey = "vaultTokenSeed"
)

// ImageTagEnv is the environment variable that carries the image tag of a
// run (`make up IMAGE_TAG=…` sets it).
const ImageTagEnv = "ARRAKIS_IMAGE_TAG"

// Input is a stack's raw configuration: every key with its value as the
// Pulumi engine hands it to the program (objects as JSON text), and the
// run's inputs that are not config.
type Input struct {
	Project string
	Stack   string
	Values  map[string]string
	// Secret holds the keys whose values are Pulumi secrets.
	Secret map[string]bool
	// ImageTag is the value of ARRAKIS_IMAGE_TAG for this run ("" unset).
	ImageTag string
}

// Load reads and validates the stack's configuration. The keys come from the
// engine's PULUMI_CONFIG (the same variable pulumi.Run reads), so that keys
// this program does not know are reported instead of ignored; the values are
// read through the context.
func Load(ctx *pulumi.Context) (*Config, error) {
	in := Input{Project: ctx.Project(), Stack: ctx.Stack(), Values: map[string]string{}, Secret: map[string]bool{},
		ImageTag: os.Getenv(ImageTagEnv)}
	keys := append(engineKeys(), RegionKey, DefaultTagsKey, key(tierKey), key(appConfigSeedKey), key(vaultTokenSeedKey))
	for _, s := range sectionNames() {
		keys = append(keys, key(s))
	}
	for _, k := range keys {
		if v, ok := ctx.GetConfig(k); ok {
			in.Values[k] = v
			in.Secret[k] = ctx.IsConfigSecret(k)
		}
	}
	return Parse(in)
}

// engineKeys lists the keys of the engine's config.
func engineKeys() []string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(os.Getenv(pulumi.EnvConfig)), &m); err != nil {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// sections maps each structured key to the part of cfg it fills.
func sections(cfg *Config) map[string]any {
	return map[string]any{
		"network":    &cfg.Network,
		"api":        &cfg.API,
		"worker":     &cfg.Worker,
		"app":        &cfg.App,
		"database":   &cfg.Database,
		"redis":      &cfg.Redis,
		"edge":       &cfg.Edge,
		"monitoring": &cfg.Monitoring,
		"secrets":    &cfg.Secrets,
		"cost":       &cfg.Cost,
		"adopted":    &cfg.Adopted,
		"services":   &cfg.Services,
	}
}

func sectionNames() []string {
	names := make([]string, 0, 12)
	for n := range sections(&Config{}) {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Parse turns a stack's raw configuration into a validated Config.
func Parse(in Input) (*Config, error) {
	cfg := defaults()
	cfg.Project, cfg.Stack, cfg.ImageTag = in.Project, in.Stack, in.ImageTag
	ps := &problems{}

	secs := sections(&cfg)
	var keys []string
	for k := range in.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	topLevel := append(sectionNames(), tierKey, appConfigSeedKey, vaultTokenSeedKey)
	for _, k := range keys {
		name, ok := strings.CutPrefix(k, Namespace+":")
		if !ok {
			continue
		}
		v := in.Values[k]
		switch {
		case secs[name] != nil:
			overlayObject(k, v, secs[name], ps)
		case name == tierKey:
			cfg.Tier = Tier(v)
		case name == appConfigSeedKey, name == vaultTokenSeedKey:
			s := Secret{value: v, set: true}
			if !in.Secret[k] {
				ps.add(k, "a plain-text value", "must be a secret: set it with `pulumi config set --secret %s`", name)
			}
			if name == appConfigSeedKey {
				cfg.Secrets.AppConfigSeed = s
			} else {
				cfg.Secrets.VaultTokenSeed = s
			}
		default:
			hint := ""
			if sec, _, dotted := strings.Cut(name, "."); dotted && secs[sec] != nil {
				hint = "; nested settings are set with `pulumi config set --path` so they live under " + key(sec)
			}
			ps.add(k, rawJSON(v), "unknown key%s%s; %s keys are: %s", suggest(name, topLevel), hint, Namespace, strings.Join(topLevel, ", "))
		}
	}

	readAWS(&cfg, in, ps)
	validate(&cfg, ps)
	// A problem under a secret key never shows the value.
	for i, p := range ps.list {
		for k, secret := range in.Secret {
			if secret && (p.Key == k || strings.HasPrefix(p.Key, k+".")) {
				ps.list[i].Value = redacted
			}
		}
	}
	if len(ps.list) > 0 {
		return nil, &ValidationError{Stack: in.Stack, Problems: ps.list}
	}
	return &cfg, nil
}

// readAWS reads the provider settings the program depends on.
func readAWS(cfg *Config, in Input, ps *problems) {
	cfg.Region = in.Values[RegionKey]
	if cfg.Region == "" {
		ps.add(RegionKey, nil, "must name the AWS region, e.g. us-east-1")
	} else if !regionPattern.MatchString(cfg.Region) {
		ps.add(RegionKey, cfg.Region, "must be an AWS region name such as us-east-1")
	}

	raw, ok := in.Values[DefaultTagsKey]
	if !ok {
		ps.add(DefaultTagsKey, nil, "must set tags %s", requiredTagsText(cfg.Stack))
		return
	}
	var dt struct {
		Tags map[string]string `json:"tags"`
	}
	if err := json.Unmarshal([]byte(raw), &dt); err != nil {
		ps.add(DefaultTagsKey, rawJSON(raw), "must be a mapping with a `tags` mapping of strings")
		return
	}
	cfg.DefaultTags = dt.Tags
	for _, t := range requiredTags(cfg.Stack) {
		if got, ok := dt.Tags[t[0]]; !ok || got != t[1] {
			var shown any
			if ok {
				shown = got
			}
			ps.add(DefaultTagsKey+".tags."+t[0], shown, "must be %q", t[1])
		}
	}
}

// requiredTags are the tags every taggable resource carries.
func requiredTags(stack string) [][2]string {
	return [][2]string{{"Project", "Arrakis"}, {"Environment", stack}, {"ManagedBy", "Pulumi"}}
}

func requiredTagsText(stack string) string {
	var parts []string
	for _, t := range requiredTags(stack) {
		parts = append(parts, t[0]+"="+t[1])
	}
	return strings.Join(parts, ", ")
}
