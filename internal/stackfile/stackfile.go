// Package stackfile reads a stack's configuration the way the Pulumi CLI
// hands it to the program, so the offline plan and the tests can run the
// program for a stack with no Pulumi CLI.
//
// The files are read by Pulumi's own loader (the SDK's workspace package):
// project config declarations, namespacing of bare keys, `secure:` values
// and the stack file's shape mean here exactly what they mean to `pulumi up`.
// Only the step that merges the project's config into the stack's lives in
// the CLI (pulumi/pkg, too large a dependency); project.go redoes it.
//
// Secure values cannot be decrypted without the stack's secrets provider;
// they become config.OfflinePlaceholder and stay marked secret.
package stackfile

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/encoding"
	pconfig "github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/arrakis/infrastructure/internal/config"
)

// Load returns the configuration of stack from the project in dir: every
// key with its value as the engine passes it to the program (objects and
// lists as JSON text, scalars as their text), and which keys are secret.
func Load(dir, stack string) (config.Input, error) {
	projectPath, project, err := loadProject(dir)
	if err != nil {
		return config.Input{}, err
	}
	path := workspace.ProjectStackPath(projectPath, project, tokens.QName(stack))
	// The loader returns an empty stack for a missing file (the CLI is about
	// to create it); offline a missing file is a mistyped stack name.
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return config.Input{}, fmt.Errorf("stack %q has no config file: %s does not exist (stacks here: %s)",
			stack, path, strings.Join(Stacks(dir), ", "))
	}
	ps, err := workspace.LoadProjectStack(nil, project, path)
	if err != nil {
		return config.Input{}, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(ps.EnvironmentBytes()) != 0 {
		return config.Input{}, fmt.Errorf("%s: the stack imports Pulumi ESC environments (`environment:`), "+
			"which cannot be opened offline, so its config would be incomplete; "+
			"move the values the program needs into the stack's `config:` to plan it offline", path)
	}
	if err := applyProjectConfig(stack, project, ps.Config); err != nil {
		return config.Input{}, fmt.Errorf("%s: %w", path, err)
	}
	values, err := ps.Config.Decrypt(offline{})
	if err != nil {
		return config.Input{}, fmt.Errorf("reading %s: %w", path, err)
	}

	in := config.Input{Project: project.Name.String(), Stack: stack, Values: map[string]string{}, Secret: map[string]bool{}}
	for k, v := range values {
		in.Values[k.String()] = v
	}
	for _, k := range ps.Config.SecureKeys() {
		in.Secret[k.String()] = true
	}
	return in, nil
}

// Stacks lists the stacks that have a config file in the project in dir.
func Stacks(dir string) []string {
	pattern := filepath.Join(dir, workspace.ProjectFile+".*.yaml")
	if projectPath, project, err := loadProject(dir); err == nil {
		// Where the CLI looks for a stack named "*" (stackConfigDir, the
		// project file's extension).
		pattern = workspace.ProjectStackPath(projectPath, project, "*")
	}
	matches, _ := filepath.Glob(pattern)
	prefix, suffix, _ := strings.Cut(filepath.Base(pattern), "*")
	var stacks []string
	for _, m := range matches {
		stacks = append(stacks, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m), prefix), suffix))
	}
	sort.Strings(stacks)
	return stacks
}

// loadProject reads the project file in dir (Pulumi.yaml, or the other
// names the CLI accepts).
func loadProject(dir string) (string, *workspace.Project, error) {
	for _, ext := range encoding.Exts {
		path := filepath.Join(dir, workspace.ProjectFile+ext)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		project, err := workspace.LoadProject(path)
		if err != nil {
			return "", nil, fmt.Errorf("reading the project file: %w", err)
		}
		return path, project, nil
	}
	return "", nil, fmt.Errorf("reading the project file: no %s.yaml in %s", workspace.ProjectFile, dir)
}

// offline "decrypts" every secure value to the placeholder: the values stay
// secret (the config map knows which keys are secure), only their text is
// unknown.
type offline struct{}

func (offline) DecryptValue(context.Context, string) (string, error) {
	return config.OfflinePlaceholder, nil
}

func (offline) BatchDecrypt(_ context.Context, ciphertexts []string) ([]string, error) {
	out := make([]string, len(ciphertexts))
	for i := range out {
		out[i] = config.OfflinePlaceholder
	}
	return out, nil
}

var _ pconfig.Decrypter = offline{}
