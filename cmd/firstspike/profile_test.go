package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requirePprof requires path to hold a gzip-compressed pprof profile.
func requirePprof(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(data, []byte{0x1f, 0x8b}), "%s: not gzip", path)
}

// TestTrainAndEvalCPUProfile: --cpuprofile on train and eval writes a profile and says so on
// stderr, leaving the --json line last on stdout; a profile that cannot be written is an error
// that names the flag and the file.
func TestTrainAndEvalCPUProfile(t *testing.T) {
	dir := t.TempDir()
	out, prof := filepath.Join(dir, "run"), filepath.Join(dir, "train.pprof")
	code, stdout, stderr := runCLI("train", "--epochs", "1", "--out", out, "--json", "--cpuprofile", prof)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "wrote CPU profile "+prof)
	assert.Regexp(t, `(?s)\{"epochs":1,.*\}\n$`, stdout)
	requirePprof(t, prof)

	evalProf := filepath.Join(dir, "eval.pprof")
	code, stdout, stderr = runCLI("eval", "--model", filepath.Join(out, "model.json"), "--data", "yinyang", "--json", "--cpuprofile", evalProf)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "wrote CPU profile "+evalProf)
	assert.Regexp(t, `(?s)\{"accuracy":.*\}\n$`, stdout)
	requirePprof(t, evalProf)

	bad := filepath.Join(dir, "no-such-dir", "eval.pprof")
	code, _, stderr = runCLI("eval", "--model", filepath.Join(out, "model.json"), "--data", "yinyang", "--cpuprofile", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "firstspike eval: --cpuprofile "+bad+": ")
	assert.NoFileExists(t, bad)
}
