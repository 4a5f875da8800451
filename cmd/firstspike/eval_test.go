package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/internal/npy"
)

// pretrainedModel is the reference's pretrained Yin-Yang network
// (learning/testdata/yinyang-pretrained) in the model file format.
const pretrainedModel = "testdata/eval_yinyang_pretrained.json"

// TestEvalPretrainedYinYang evaluates the reference's pretrained network through the CLI: 96.0 %
// accuracy and, with the reference's eps, its recorded output times.
func TestEvalPretrainedYinYang(t *testing.T) {
	dir := t.TempDir()
	timesPath := filepath.Join(dir, "times.npy")
	code, stdout, stderr := runCLI("eval", "--model", pretrainedModel, "--data", "yinyang", "--eps", "1e-6", "--times-out", timesPath, "--json")
	require.Equal(t, 0, code, stderr)
	golden(t, "eval_yinyang.stdout.golden", normalise(stdout, dir))
	got, err := npy.ReadFile(timesPath)
	require.NoError(t, err)
	want, err := npy.ReadFile("../../learning/testdata/yinyang-pretrained/test_times.npy")
	require.NoError(t, err)
	require.Equal(t, []int{1000, 3}, got.Shape)
	for k, w := range want.Floats {
		g := got.Floats[k]
		if math.IsInf(w, 1) {
			require.True(t, math.IsInf(g, 1), "sample %d output %d", k/3, k%3)
			continue
		}
		require.InDelta(t, w, g, 1e-12, "sample %d output %d", k/3, k%3)
	}
}

// TestEvalClassify: --classify reports the accuracy and median first spike of the full
// evaluation (96.0 %, docs/model.md §8), and refuses --times-out.
func TestEvalClassify(t *testing.T) {
	code, stdout, stderr := runCLI("eval", "--model", pretrainedModel, "--data", "yinyang", "--classify", "--json")
	require.Equal(t, 0, code, stderr)
	golden(t, "eval_yinyang_classify.stdout.golden", normalise(stdout, t.TempDir()))
	code, stdout, stderr = runCLI("eval", "--model", pretrainedModel, "--data", "yinyang", "--classify", "--times-out", "x.npy")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.True(t, strings.HasPrefix(stderr, "firstspike eval: --times-out needs all output times: it does not go with --classify\n"), stderr)
}

// TestEvalDataFile evaluates samples read from a .csv file.
func TestEvalDataFile(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "few.csv")
	require.NoError(t, os.WriteFile(csv, []byte("0.4,1.2,1.6,0.8,0\n1.9,1.0,0.2,1.1,1\n"), 0o644))
	code, stdout, stderr := runCLI("eval", "--model", pretrainedModel, "--data", csv)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "on 2 samples of")
}

func TestEvalBadInput(t *testing.T) {
	dir := t.TempDir()
	model, err := os.ReadFile(pretrainedModel)
	require.NoError(t, err)
	nanModel := filepath.Join(dir, "nan.json")
	require.NoError(t, os.WriteFile(nanModel, []byte(strings.Replace(string(model), `[[1.4493075219147253,`, `[[NaN,`, 1)), 0o644))
	shortModel := filepath.Join(dir, "short.json")
	require.NoError(t, os.WriteFile(shortModel, model[:len(model)/2], 0o644))
	truncNPY := filepath.Join(dir, "trunc.npy")
	ref, err := os.ReadFile("../../learning/testdata/yinyang-pretrained/test_inputs.npy")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(truncNPY, ref[:200], 0o644))
	wide := filepath.Join(dir, "wide.csv")
	require.NoError(t, os.WriteFile(wide, []byte("0.4,1.2,1.6,0.8,0.1,0\n"), 0o644))
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"NaN weight", []string{"--model", nanModel, "--data", "yinyang"}, 1, "firstspike eval: nan.json: layers[0].weights[0][0]: NaN: weights must be finite\n"},
		{"truncated model", []string{"--model", shortModel, "--data", "yinyang"}, 1, "firstspike eval: short.json: unexpected EOF\n"},
		{"truncated npy", []string{"--model", pretrainedModel, "--data", truncNPY}, 1, "firstspike eval: "},
		{"inputs do not match", []string{"--model", pretrainedModel, "--data", wide}, 1, "firstspike eval: " + wide + ": 5 inputs per sample, but the model " + pretrainedModel + " takes 4\n"},
		{"missing model", []string{"--data", "yinyang"}, 2, "firstspike eval: --model is required\n"},
		{"missing data", []string{"--model", pretrainedModel}, 2, "firstspike eval: --data is required\n"},
		{"unknown split", []string{"--model", pretrainedModel, "--data", "yinyang", "--split", "dev"}, 1, "firstspike eval: datasets: yinyang: split \"dev\" unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(append([]string{"eval"}, tt.args...)...)
			assert.Equal(t, tt.code, code)
			assert.Empty(t, stdout)
			assert.True(t, strings.HasPrefix(stderr, tt.want), "stderr %q, want prefix %q", stderr, tt.want)
		})
	}
	_, _, stderr := runCLI("eval", "--model", pretrainedModel, "--data", truncNPY)
	assert.Contains(t, stderr, "trunc.npy", "the error names the file")
}

// TestEvalUsage: -h prints the usage on stdout and succeeds; a bad flag prints the message
// and the usage on stderr, nothing on stdout, and exits with status 2.
func TestEvalUsage(t *testing.T) {
	for _, h := range []string{"-h", "-help", "--help"} {
		code, stdout, stderr := runCLI("eval", h)
		assert.Equal(t, 0, code, h)
		assert.True(t, strings.HasPrefix(stdout, "usage: firstspike eval --model FILE --data "), "%s: stdout %q", h, stdout)
		assert.Contains(t, stdout, "-times-out FILE.npy", h)
		assert.Empty(t, stderr, h)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"--model", pretrainedModel, "--bogus"}, "flag provided but not defined: -bogus\n"},
		{"bad value", []string{"--eps", "small"}, "invalid value \"small\" for flag -eps: parse error\n"},
		{"missing value", []string{"--data"}, "flag needs an argument: -data\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(append([]string{"eval"}, tt.args...)...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.True(t, strings.HasPrefix(stderr, tt.want), "stderr %q, want prefix %q", stderr, tt.want)
			assert.Contains(t, stderr, "usage: firstspike eval ")
		})
	}
}
