package main

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateSimulate = flag.Bool("update-simulate", false, "rewrite the golden files of the simulate tests")

// runCmd runs the program with args and returns its exit status, stdout and stderr.
func runCmd(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(&stdout, &stderr, args)
	return code, stdout.String(), stderr.String()
}

// normalizeSimulate replaces what changes from run to run in simulate's output: the wall
// time, the event rate and the output directory.
func normalizeSimulate(out, dir string) string {
	out = regexp.MustCompile(`(?m)^(wall time\s+)\S+ s$`).ReplaceAllString(out, "${1}WALL s")
	out = regexp.MustCompile(`(?m)^(events/s\s+)\S+ `).ReplaceAllString(out, "${1}RATE ")
	return strings.ReplaceAll(out, dir, "OUT")
}

// TestSimulateChain runs testdata/simulate/chain.json, whose spikes follow by hand from the
// file (all synapses are voltage jumps; V decays towards Rest = -70 mV with τm = 10 ms; the
// threshold is -50 mV):
//   - relay 0 gets +30 mV from the cue at 1 and 5 ms (V = -40 ≥ -50: it fires at once, and
//     has decayed back to -70 by 5 ms);
//   - relay 1 gets +30 mV at 2.5 + 0.5 = 3 ms and fires;
//   - out 0 gets +12 mV 1.25 ms after each relay spike, at 2.25, 4.25 and 6.25 ms: at 4.25,
//     V = -70 + 12·e^{-0.2} + 12 = -48.18 mV, so it fires (refractory until 5.75 ms); at 6.25
//     V = -58 mV;
//   - out 1 gets +6 mV at the same times and never reaches threshold.
func TestSimulateChain(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCmd("simulate", "--network", "testdata/simulate/chain.json", "--duration", "10 ms", "--out", dir)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)

	csv, err := os.ReadFile(filepath.Join(dir, "spikes.csv"))
	require.NoError(t, err)
	assert.Equal(t, "time_ms,neuron\n1,0\n3,1\n4.25,3\n5,0\n", string(csv))

	f, err := os.Open(filepath.Join(dir, "raster.png"))
	require.NoError(t, err)
	defer f.Close()
	_, err = png.Decode(f)
	require.NoError(t, err)

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 2, "only spikes.csv and raster.png, no leftovers")

	golden := "testdata/simulate/chain.golden"
	got := normalizeSimulate(stdout, dir)
	if *updateSimulate {
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), got)
}

// TestSimulateDefaultOut: without --out the files go to runs/simulate-<name>.
func TestSimulateDefaultOut(t *testing.T) {
	network, err := filepath.Abs("testdata/simulate/chain.json")
	require.NoError(t, err)
	t.Chdir(t.TempDir())
	code, stdout, stderr := runCmd("simulate", "--network", network, "--duration", "0.01 s")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "wrote runs/simulate-chain/spikes.csv and runs/simulate-chain/raster.png\n")
	_, err = os.Stat("runs/simulate-chain/spikes.csv")
	require.NoError(t, err)
	_, err = os.Stat("runs/simulate-chain/raster.png")
	require.NoError(t, err)
}

// readSpikes parses spikes.csv and checks its form.
func readSpikes(t *testing.T, path string, nNeurons int, duration float64) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	require.Equal(t, "time_ms,neuron", lines[0])
	prev := 0.0
	for _, l := range lines[1:] {
		ts, ns, ok := strings.Cut(l, ",")
		require.True(t, ok, l)
		tm, err := strconv.ParseFloat(ts, 64)
		require.NoError(t, err, l)
		n, err := strconv.Atoi(ns)
		require.NoError(t, err, l)
		require.True(t, tm >= prev && tm < duration, "time %v out of order or range", tm)
		require.True(t, n >= 0 && n < nNeurons, "neuron %d", n)
		prev = tm
	}
	return lines[1:]
}

// TestSimulateExample runs the annotated example with Poisson and explicit inputs: the
// printed spike count matches spikes.csv, a seed gives the same spikes whatever the queue,
// and another seed gives others.
func TestSimulateExample(t *testing.T) {
	const network = "../../examples/inputs.json"
	runs := map[string][]string{}
	for _, c := range []struct{ name, seed, queue string }{
		{"a", "3", "heap"}, {"b", "3", "btree"}, {"c", "4", "heap"},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		code, stdout, stderr := runCmd("simulate", "--network", network, "--duration", "200 ms", "--out", dir, "--seed", c.seed, "--queue", c.queue)
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, "seed "+c.seed+", 200 ms simulated, "+c.queue+" queue")
		spikes := readSpikes(t, filepath.Join(dir, "spikes.csv"), 50, 200)
		require.NotEmpty(t, spikes)
		m := regexp.MustCompile(`(?m)^spikes\s+(\d+)$`).FindStringSubmatch(stdout)
		require.NotNil(t, m, stdout)
		assert.Equal(t, strconv.Itoa(len(spikes)), m[1])
		runs[c.name] = spikes
	}
	assert.Equal(t, runs["a"], runs["b"], "heap and btree queues")
	assert.NotEqual(t, runs["a"], runs["c"], "seeds 3 and 4")
}

func TestSimulateUsage(t *testing.T) {
	code, stdout, _ := runCmd("simulate", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "usage: firstspike simulate --network FILE --duration T")
	assert.Contains(t, stdout, "-queue")
}

func TestSimulateErrors(t *testing.T) {
	chain, err := os.ReadFile("testdata/simulate/chain.json")
	require.NoError(t, err)
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, bytes.Replace(chain, []byte(`"tau_mem": "10 ms"`), []byte(`"tau_mem": "-5 ms"`), 1), 0o644))
	const good = "testdata/simulate/chain.json"
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no flags", nil, 2, "--network FILE is required"},
		{"no duration", []string{"--network", good}, 2, "--duration T is required"},
		{"duration unit", []string{"--network", good, "--duration", "10 parsecs"}, 2, `--duration "10 parsecs": unit "parsecs" is not a time unit`},
		{"duration negative", []string{"--network", good, "--duration", "-5 ms"}, 2, `--duration "-5 ms": must be > 0`},
		{"duration NaN", []string{"--network", good, "--duration", "NaN"}, 2, `--duration "NaN": not a number`},
		{"duration Inf", []string{"--network", good, "--duration", "1e999 s"}, 2, `--duration "1e999 s": out of range`},
		{"queue", []string{"--network", good, "--duration", "1", "--queue", "fibonacci"}, 2, `--queue "fibonacci": must be heap or btree`},
		{"seed", []string{"--network", good, "--duration", "1", "--seed", "-1"}, 2, `--seed "-1": must be an integer`},
		{"argument", []string{"--network", good, "--duration", "1", "extra"}, 2, `unexpected argument "extra"`},
		{"unknown flag", []string{"--network", good, "--duration", "1", "--speed", "2"}, 2, "flag provided but not defined: -speed"},
		{"missing file", []string{"--network", "testdata/simulate/missing.json", "--duration", "1"}, 1, "testdata/simulate/missing.json"},
		{"bad file", []string{"--network", bad, "--duration", "1"}, 1, bad + `: populations[0].neuron.tau_mem: "-5 ms": must be > 0`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// The output directory holds an earlier result, which must survive the error.
			dir := t.TempDir()
			old := []byte("time_ms,neuron\n1,2\n")
			require.NoError(t, os.WriteFile(filepath.Join(dir, "spikes.csv"), old, 0o644))
			code, stdout, stderr := runCmd(append(append([]string{"simulate"}, tc.args...), "--out", dir)...)
			assert.Equal(t, tc.code, code)
			assert.Contains(t, stderr, tc.want)
			assert.Empty(t, stdout)
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			require.Len(t, entries, 1)
			data, err := os.ReadFile(filepath.Join(dir, "spikes.csv"))
			require.NoError(t, err)
			assert.Equal(t, old, data)
		})
	}
}

// TestSimulateUnwritableOut: an output path that is a file is an error, and the file stays.
func TestSimulateUnwritableOut(t *testing.T) {
	file := filepath.Join(t.TempDir(), "taken")
	require.NoError(t, os.WriteFile(file, []byte("keep"), 0o644))
	code, stdout, stderr := runCmd("simulate", "--network", "testdata/simulate/chain.json", "--duration", "10 ms", "--out", file)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, file)
	assert.Empty(t, stdout)
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, "keep", string(data))

}
