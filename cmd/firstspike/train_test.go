package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files of the train and eval tests")

// normalise replaces what changes from run to run (paths, durations, rates) by placeholders.
func normalise(s, dir string) string {
	s = strings.ReplaceAll(s, dir, "$DIR")
	s = regexp.MustCompile(`ETA \S+`).ReplaceAllString(s, "ETA X")
	s = regexp.MustCompile(`"(wall_s|samples_per_s)":[0-9.e+-]+`).ReplaceAllString(s, `"$1":X`)
	// Keep six decimals of times, which may move in the last bits with the kernels.
	s = regexp.MustCompile(`("median_first_spike":)([0-9.e+-]+)`).ReplaceAllStringFunc(s, func(m string) string {
		i := strings.Index(m, ":")
		v, err := strconv.ParseFloat(m[i+1:], 64)
		if err != nil {
			return m
		}
		return m[:i+1] + strconv.FormatFloat(v, 'f', 6, 64)
	})
	return s
}

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), got, "golden file %s (go test -update rewrites it)", path)
}

func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(&o, &e, args)
	return code, o.String(), e.String()
}

// TestTrainYinYang trains the paper's Yin-Yang config for two epochs through the CLI and
// checks the output and the run folder.
func TestTrainYinYang(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "run")
	code, stdout, stderr := runCLI("train", "--epochs", "2", "--out", out, "--json")
	require.Equal(t, 0, code, stderr)
	golden(t, "train_yinyang.stdout.golden", normalise(stdout, dir))
	golden(t, "train_yinyang.stderr.golden", normalise(stderr, dir))
	for _, f := range []string{"config.yaml", "metrics.csv", "model.json", "checkpoints/last.json", "loss.png", "accuracy.png", "classmap.png", "spike_times.png"} {
		assert.FileExists(t, filepath.Join(out, f))
	}
	metrics, err := os.ReadFile(filepath.Join(out, "metrics.csv"))
	require.NoError(t, err)
	assert.Equal(t, 4, strings.Count(string(metrics), "\n"), "header, epoch 0 and two epochs:\n%s", metrics)
	// The config written is the preset with the epoch override, and loads again.
	code, _, stderr = runCLI("train", "--config", filepath.Join(out, "config.yaml"), "--epochs", "0", "--out", filepath.Join(dir, "again"))
	require.Equal(t, 0, code, stderr)
}

// TestTrainResumeIsBitIdentical checks that 1 epoch, --resume to 2 and --resume to 3 give
// the model of 3 epochs straight.
func TestTrainResumeIsBitIdentical(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	code, _, stderr := runCLI("train", "--epochs", "3", "--seed", "5", "--out", a)
	require.Equal(t, 0, code, stderr)
	code, _, stderr = runCLI("train", "--epochs", "1", "--seed", "5", "--out", b)
	require.Equal(t, 0, code, stderr)
	// Resume once from the run folder and once from the checkpoint file.
	code, _, stderr = runCLI("train", "--resume", b, "--epochs", "2")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "epochs 2..2")
	code, stdout, stderr := runCLI("train", "--resume", filepath.Join(b, "checkpoints", "last.json"), "--epochs", "3")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "epochs 3..3")
	assert.Contains(t, stdout, "after 3 epochs")
	ma, err := os.ReadFile(filepath.Join(a, "model.json"))
	require.NoError(t, err)
	mb, err := os.ReadFile(filepath.Join(b, "model.json"))
	require.NoError(t, err)
	require.Equal(t, ma, mb)
}

// TestTrainBadInput checks that bad configs and flags fail with a message naming the file,
// key and value, before anything is written.
func TestTrainBadInput(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile("../../learning/yamlconfig/presets/yinyang.yaml")
	require.NoError(t, err)
	write := func(name, old, new string) string {
		p := filepath.Join(dir, name)
		require.Contains(t, string(good), old)
		require.NoError(t, os.WriteFile(p, []byte(strings.Replace(string(good), old, new, 1)), 0o644))
		return p
	}
	existing := filepath.Join(dir, "existing")
	require.NoError(t, os.MkdirAll(existing, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(existing, "keep.txt"), []byte("keep"), 0o644))
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"negative learning rate", []string{"--config", write("lr.yaml", "learning_rate: 0.005", "learning_rate: -1")}, 1,
			"firstspike train: lr.yaml: training_params.learning_rate: -1: must be > 0\n"},
		{"unknown key", []string{"--config", write("key.yaml", "  xi: 0.2\n", "  xi: 0.2\n  zeta: 1\n")}, 1,
			"firstspike train: key.yaml: training_params.zeta: unknown key (line 18); known keys: "},
		{"wrong type", []string{"--config", write("type.yaml", "batch_size: 150", "batch_size: [150]")}, 1,
			"firstspike train: type.yaml: training_params.batch_size: a list (line 20): want an integer\n"},
		{"non-positive time constant", []string{"--config", write("tau.yaml", "tau_syn: 1.0", "tau_syn: -1.0")}, 1,
			"firstspike train: tau.yaml: neuron_params.tau_syn: -1: must be > 0 and finite\n"},
		{"layer sizes do not match the data", []string{"--config", write("size.yaml", "n_inputs: 4", "n_inputs: 5")}, 1,
			"firstspike train: size.yaml: network_layout.n_inputs: 5: data set yinyang/train has 4 inputs\n"},
		{"too few outputs for the classes", []string{"--config", write("out.yaml", "layer_sizes: [120, 3]", "layer_sizes: [120, 2]")}, 1,
			"firstspike train: out.yaml: network_layout.layer_sizes[1]: 2: data set yinyang/train has 3 classes\n"},
		{"hardware", []string{"--config", write("hx.yaml", "use_hicannx: false", "use_hicannx: true")}, 1,
			"firstspike train: hx.yaml: training_params.use_hicannx: true: no BrainScaleS-2 forward backend is available; set it to false to train the ideal model\n"},
		{"unknown data set", []string{"--config", write("data.yaml", "dataset: yin_yang", "dataset: cifar10")}, 1,
			"firstspike train: data.yaml: dataset: \"cifar10\": want yin_yang, mnist or 16x16_mnist\n"},
		{"missing config file", []string{"--config", filepath.Join(dir, "none.yaml")}, 1, "firstspike train: yamlconfig: open "},
		{"unknown preset", []string{"--preset", "cifar"}, 1, "firstspike train: yamlconfig: unknown preset \"cifar\" (have mnist, mnist16, yinyang)\n"},
		{"existing run folder", []string{"--epochs", "1"}, 1, "firstspike train: " + existing + ": the folder exists and is not empty; use --resume " + existing + " or another --out\n"},
		{"both config and preset", []string{"--config", "x.yaml", "--preset", "yinyang"}, 2, "firstspike train: give --config or --preset, not both\n"},
		{"negative epochs", []string{"--epochs", "-3"}, 2, "firstspike train: --epochs -3: must be ≥ 0\n"},
		{"stray argument", []string{"yinyang"}, 2, "firstspike train: unexpected argument \"yinyang\"\n"},
		{"negative seed", []string{"--seed", "-5"}, 2, "invalid value \"-5\" for flag -seed: "},
		{"missing checkpoint", []string{"--resume", filepath.Join(dir, "nothing")}, 1, "firstspike train: learning: open "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"train"}, tt.args...)
			if !strings.Contains(tt.name, "existing") {
				args = append(args, "--out", filepath.Join(dir, "out-"+strings.ReplaceAll(tt.name, " ", "-")))
			} else {
				args = append(args, "--out", existing)
			}
			code, stdout, stderr := runCLI(args...)
			assert.Equal(t, tt.code, code)
			assert.Empty(t, stdout)
			assert.True(t, strings.HasPrefix(stderr, tt.want), "stderr %q, want prefix %q", stderr, tt.want)
			_, err := os.Stat(filepath.Join(dir, "out-"+strings.ReplaceAll(tt.name, " ", "-")))
			assert.True(t, os.IsNotExist(err), "no run folder is created")
		})
	}
	ents, err := os.ReadDir(existing)
	require.NoError(t, err)
	require.Len(t, ents, 1, "the existing folder is left as it was")
}

// TestTrainDivergenceKeepsCheckpoint makes training diverge after a good first epoch (the
// schedule multiplies the learning rate by 1e308 every epoch, so it is infinite by epoch 3,
// and bumping is off so that every batch updates) and checks the message and the last good
// checkpoint.
func TestTrainDivergenceKeepsCheckpoint(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile("../../learning/yamlconfig/presets/yinyang.yaml")
	require.NoError(t, err)
	cfg := strings.Replace(string(good), "lr_scheduler: {type: StepLR, gamma: 0.95, step_size: 20}", "lr_scheduler: {type: StepLR, gamma: 1e308, step_size: 1}", 1)
	cfg = strings.Replace(cfg, "max_num_missing_spikes: [0.3, 0.0]", "max_num_missing_spikes: [1.0, 1.0]", 1)
	p := filepath.Join(dir, "diverge.yaml")
	require.NoError(t, os.WriteFile(p, []byte(cfg), 0o644))
	out := filepath.Join(dir, "run")
	code, stdout, stderr := runCLI("train", "--config", p, "--epochs", "5", "--out", out)
	require.Equal(t, 1, code, stderr)
	assert.Empty(t, stdout)
	last := filepath.Join(out, "checkpoints", "last.json")
	assert.Regexp(t, `firstspike train: learning: epoch [23], batch \d+: training diverged: .*; the last good checkpoint is `+regexp.QuoteMeta(last)+` \(epoch [12]\)\n$`, stderr)
	assert.FileExists(t, last)
	_, err = os.Stat(filepath.Join(out, "model.json"))
	assert.True(t, os.IsNotExist(err), "a diverged run writes no model")
}

// TestTrainSnapshots checks the checkpoint copies kept at epoch_snapshots.
func TestTrainSnapshots(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile("../../learning/yamlconfig/presets/yinyang.yaml")
	require.NoError(t, err)
	p := filepath.Join(dir, "snap.yaml")
	require.NoError(t, os.WriteFile(p, []byte(strings.Replace(string(good), "  epoch_number: 300\n", "  epoch_number: 2\n  epoch_snapshots: [1, 2]\n", 1)), 0o644))
	out := filepath.Join(dir, "run")
	code, _, stderr := runCLI("train", "--config", p, "--out", out)
	require.Equal(t, 0, code, stderr)
	ck := filepath.Join(out, "checkpoints")
	assert.FileExists(t, filepath.Join(ck, "epoch-0001.json"))
	last, err := os.ReadFile(filepath.Join(ck, "last.json"))
	require.NoError(t, err)
	two, err := os.ReadFile(filepath.Join(ck, "epoch-0002.json"))
	require.NoError(t, err)
	assert.Equal(t, last, two)
}

// TestTrainUsage: -h prints the usage on stdout and succeeds; a bad flag prints the message
// and the usage on stderr, nothing on stdout, and exits with status 2.
func TestTrainUsage(t *testing.T) {
	for _, h := range []string{"-h", "-help", "--help"} {
		code, stdout, stderr := runCLI("train", h)
		assert.Equal(t, 0, code, h)
		assert.True(t, strings.HasPrefix(stdout, "usage: firstspike train [--config FILE | --preset NAME]"), "%s: stdout %q", h, stdout)
		assert.Contains(t, stdout, "-resume DIR", h)
		assert.Empty(t, stderr, h)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"--bogus"}, "flag provided but not defined: -bogus\n"},
		{"bad value", []string{"--epochs", "two"}, "invalid value \"two\" for flag -epochs: parse error\n"},
		{"missing value", []string{"--out"}, "flag needs an argument: -out\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(append([]string{"train"}, tt.args...)...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.True(t, strings.HasPrefix(stderr, tt.want), "stderr %q, want prefix %q", stderr, tt.want)
			assert.Contains(t, stderr, "usage: firstspike train ")
		})
	}
}
