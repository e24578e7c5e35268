package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arrakis/infrastructure/internal/stacktest"
)

// `make preview` and `make up` hand the image tag to the program in the
// environment: no `pulumi config set`, no --config, and the committed stack
// file is untouched. A stand-in `pulumi` on PATH records how it is called.
func TestMakeDeploysPassTheTagWithoutTouchingCommittedFiles(t *testing.T) {
	for _, tool := range []string{"make", "git"} {
		_, err := exec.LookPath(tool)
		require.NoError(t, err, "%s is needed to run the Makefile", tool)
	}
	repo, bin := t.TempDir(), t.TempDir()
	for _, f := range []string{"Makefile", "Pulumi.yaml", "Pulumi.staging.yaml", "Pulumi.production.yaml"} {
		b, err := os.ReadFile(filepath.Join(stacktest.Root(t), f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(repo, f), b, 0o644))
	}
	calls := filepath.Join(t.TempDir(), "calls")
	require.NoError(t, os.WriteFile(filepath.Join(bin, "pulumi"),
		[]byte("#!/bin/sh\necho \"ARRAKIS_IMAGE_TAG=${ARRAKIS_IMAGE_TAG-<unset>} pulumi $*\" >> \""+calls+"\"\n"), 0o755))
	sh := func(name string, args ...string) string {
		cmd := exec.Command(name, args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s %v: %s", name, args, out)
		return string(out)
	}
	sh("git", "init", "-q")
	sh("git", "add", ".")
	sh("git", "commit", "-qm", "stack files")

	sh("make", "preview", "STACK=staging", "IMAGE_TAG=abc")
	sh("make", "up", "STACK=staging", "IMAGE_TAG=abc")
	sh("make", "up", "STACK=production")

	b, err := os.ReadFile(calls)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"ARRAKIS_IMAGE_TAG=abc pulumi preview --stack staging --diff",
		"ARRAKIS_IMAGE_TAG=abc pulumi up --stack staging",
		"ARRAKIS_IMAGE_TAG= pulumi up --stack production",
	}, strings.Split(strings.TrimSpace(string(b)), "\n"), "the tag travels in the environment; no tag keeps the running one")
	assert.NotContains(t, string(b), "config")
	assert.Empty(t, sh("git", "status", "--porcelain"), "no committed file changed")
}
