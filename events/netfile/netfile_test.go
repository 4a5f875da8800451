package netfile

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/events"
	"github.com/firstspike/firstspike/synapses"
)

func readTiny(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/tiny.json")
	require.NoError(t, err)
	return data
}

// TestBuildTiny checks every value built from testdata/tiny.json against the file, with the
// units converted by hand.
func TestBuildTiny(t *testing.T) {
	desc, err := Parse("tiny.json", readTiny(t))
	require.NoError(t, err)
	assert.Equal(t, "tiny", desc.Name)
	assert.Equal(t, uint64(3), desc.Seed)
	net, err := desc.Build(desc.Seed)
	require.NoError(t, err)

	require.Len(t, net.Populations, 2)
	exc, inh := net.Populations[0], net.Populations[1]
	assert.Equal(t, "exc", exc.Name)
	assert.Equal(t, 4, exc.Size)
	assert.Equal(t, 20.0, exc.Neuron.TauMem)
	assert.Equal(t, []float64{5, 10}, exc.Neuron.TauSyn)
	assert.Equal(t, -50.0, exc.Neuron.Threshold)
	assert.Equal(t, -60.0, exc.Neuron.Reset)
	assert.Equal(t, -49.0, exc.Neuron.Rest)
	assert.Equal(t, 2.0, exc.Neuron.Refractory)
	require.Len(t, exc.InitialV, 4)
	for _, v := range exc.InitialV {
		assert.True(t, v >= -60 && v < -50, "initial V %v outside [-60, -50)", v)
	}
	assert.Equal(t, "inh", inh.Name)
	assert.Equal(t, 10.0, inh.Neuron.TauMem)
	assert.Equal(t, []float64{5}, inh.Neuron.TauSyn) // "0.005 s"
	assert.Equal(t, -55.0, inh.Neuron.Reset)         // "-0.055 V"
	assert.Equal(t, -65.0, inh.Neuron.Rest)
	assert.Equal(t, 0.0, inh.Neuron.Refractory) // absent
	assert.Equal(t, []float64{-55, -52.5}, inh.InitialV)

	require.Len(t, net.Sources, 2)
	drive, cue := net.Sources[0], net.Sources[1]
	assert.Equal(t, events.Source{Name: "drive", Size: 3, Rate: 0.02, Start: 1, Stop: 500, Seed: drive.Seed}, drive)
	assert.Equal(t, events.Source{Name: "cue", Size: 2, Spikes: [][]float64{{0.25, 1, 5.5}, {}}}, cue)

	require.Len(t, net.Projections, 5)
	names := []string{"drive->exc", "exc->exc", "exc->inh", "inh->exc", "cue->inh"}
	for i, p := range net.Projections {
		assert.Equal(t, names[i], p.Name)
		require.NoError(t, p.Synapses.Validate(), p.Name)
	}

	// drive->exc: probability 0.5, normal weights, uniform delays in [1, 2).
	p := net.Projections[0]
	assert.Equal(t, events.Ref{Source: true, Index: 0}, p.From)
	assert.Equal(t, 0, p.To)
	assert.Equal(t, synapses.Receptor(0), p.Receptor)
	require.Equal(t, p.Synapses.Len(), len(p.Synapses.Delay))
	for _, d := range p.Synapses.Delay {
		assert.True(t, d >= 1 && d < 2, "delay %v", d)
	}

	// exc->exc: all to all without self-connections, 1.5 mV after 1 ms.
	p = net.Projections[1]
	assert.Equal(t, events.Ref{Index: 0}, p.From)
	assert.Equal(t, []int{0, 3, 6, 9, 12}, p.Synapses.RowStart)
	assert.Equal(t, []int32{1, 2, 3, 0, 2, 3, 0, 1, 3, 0, 1, 2}, p.Synapses.Post)
	for k := range p.Synapses.Post {
		assert.Equal(t, 1.5, p.Synapses.Weight[k])
		assert.Equal(t, 1.0, p.Synapses.Delay[k])
	}

	// exc->inh: a 4×2 matrix of jumps with one delay of 0.5 ms.
	p = net.Projections[2]
	assert.Equal(t, synapses.Jump, p.Receptor)
	assert.Equal(t, 1, p.To)
	assert.Equal(t, []float64{1, 2, 3, 4, 5, 6, 7, 8}, p.Synapses.Weight)
	assert.Equal(t, []float64{0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, p.Synapses.Delay)

	// inh->exc: the explicit list, grouped by presynaptic neuron in file order.
	p = net.Projections[3]
	assert.Equal(t, synapses.Receptor(1), p.Receptor) // "gaba" is exc's second synapse
	assert.Equal(t, &synapses.CSR{NPre: 2, NPost: 4, RowStart: []int{0, 2, 3},
		Post: []int32{1, 3, 0}, Weight: []float64{-2, -1, -3}, Delay: []float64{1.5, 0, 0}}, p.Synapses)

	// cue->inh: all to all, no delays.
	p = net.Projections[4]
	assert.Equal(t, events.Ref{Source: true, Index: 1}, p.From)
	assert.Nil(t, p.Synapses.Delay)
	assert.Equal(t, []float64{10, 10, 10, 10}, p.Synapses.Weight)
}

func TestBuildSeeds(t *testing.T) {
	data := readTiny(t)
	desc, err := Parse("tiny.json", data)
	require.NoError(t, err)
	a, err := desc.Build(7)
	require.NoError(t, err)
	b, err := desc.Build(7)
	require.NoError(t, err)
	assert.Equal(t, a, b, "same seed, same network")

	c, err := desc.Build(8)
	require.NoError(t, err)
	assert.NotEqual(t, a.Populations[0].InitialV, c.Populations[0].InitialV)
	assert.NotEqual(t, a.Projections[0].Synapses, c.Projections[0].Synapses)
	assert.NotEqual(t, a.Sources[0].Seed, c.Sources[0].Seed)

	// Each element draws from a stream of its own: moving the first projection to the end
	// and dropping a population's initial_v change no other draws.
	text := string(data)
	first := text[strings.Index(text, `{"name": "drive->exc"`):strings.Index(text, `{"from": "exc", "to": "exc"`)]
	moved := strings.Replace(text, first, "", 1)
	moved = strings.Replace(moved, `"connect": {"all_to_all": true}}`, `"connect": {"all_to_all": true}},`+strings.TrimSuffix(strings.TrimSpace(first), ","), 1)
	desc2, err := Parse("moved.json", []byte(moved))
	require.NoError(t, err)
	d, err := desc2.Build(7)
	require.NoError(t, err)
	require.Equal(t, "drive->exc", d.Projections[4].Name)
	assert.Equal(t, a.Projections[0].Synapses, d.Projections[4].Synapses)
	assert.Equal(t, a.Populations, d.Populations)
	assert.Equal(t, a.Sources, d.Sources)
}

// TestErrors edits testdata/tiny.json in one place and checks that the error names the file,
// the JSON path and the value.
func TestErrors(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     string
	}{
		// the format
		{"format", `"firstspike.network/v1"`, `"firstspike.network/v2"`, `tiny.json: format: "firstspike.network/v2": must be "firstspike.network/v1"`},
		{"no format", `"format": "firstspike.network/v1",`, ``, `tiny.json: top level: missing field "format"`},
		{"unknown top field", `"seed": 3,`, `"seed": 3, "sead": 4,`, `tiny.json: top level: unknown field "sead"`},
		{"duplicate field", `"seed": 3,`, `"seed": 3, "seed": 4,`, `tiny.json: seed: field appears twice`},
		{"bad name", `"name": "tiny"`, `"name": "../x"`, `tiny.json: name: "../x": must be 1 to 100 letters`},
		{"negative seed", `"seed": 3`, `"seed": -3`, `tiny.json: seed: -3: must be an integer in [0, 18446744073709551615]`},
		{"comment not a string", `"comment": "Exercises`, `"comment": 1, "x": "Exercises`, `tiny.json: comment: 1: a comment must be a string`},
		// populations
		{"tau ≤ 0", `"tau_mem": "20 ms"`, `"tau_mem": "-5 ms"`, `tiny.json: populations[0].neuron.tau_mem: "-5 ms": must be > 0`},
		{"tau 0", `"tau_mem": 10`, `"tau_mem": 0`, `tiny.json: populations[1].neuron.tau_mem: 0: must be > 0`},
		{"tau NaN", `"tau_mem": 10`, `"tau_mem": "NaN"`, `tiny.json: populations[1].neuron.tau_mem: "NaN": not a number`},
		{"tau overflow", `"tau_mem": 10`, `"tau_mem": 1e999`, `tiny.json: populations[1].neuron.tau_mem: 1e999: out of range`},
		{"tau wrong unit", `"tau_mem": "20 ms"`, `"tau_mem": "20 mV"`, `tiny.json: populations[0].neuron.tau_mem: "20 mV": unit "mV" is not a time unit`},
		{"tau not a quantity", `"tau_mem": "20 ms"`, `"tau_mem": [20]`, `tiny.json: populations[0].neuron.tau_mem: [20]: must be a time`},
		{"synaptic tau", `"tau": "10 ms"`, `"tau": "-10 ms"`, `tiny.json: populations[0].neuron.synapses[1].tau: "-10 ms": must be > 0`},
		{"unknown neuron field", `"tau_mem": "20 ms"`, `"tau_mem": "20 ms", "tau_m": 3`, `tiny.json: populations[0].neuron: unknown field "tau_m"`},
		{"missing threshold", `"threshold": -50, `, ``, `tiny.json: populations[1].neuron: missing field "threshold"`},
		{"reset above threshold", `"reset": "-60 mV"`, `"reset": "-40 mV"`, `tiny.json: populations[0].neuron.reset: "-40 mV": must be below the threshold -50 mV`},
		{"negative refractory", `"refractory": "2 ms"`, `"refractory": "-2 ms"`, `tiny.json: populations[0].neuron.refractory: "-2 ms": must be ≥ 0`},
		{"synapse named jump", `{"name": "gaba", "tau": "10 ms"}`, `{"name": "jump", "tau": "10 ms"}`, `tiny.json: populations[0].neuron.synapses[1].name: "jump": "jump" is reserved`},
		{"duplicate synapse", `{"name": "gaba", "tau": "10 ms"}`, `{"name": "ampa", "tau": "10 ms"}`, `tiny.json: populations[0].neuron.synapses[1].name: "ampa": already names populations[0].neuron.synapses[0]`},
		{"size 0", `"size": 4`, `"size": 0`, `tiny.json: populations[0].size: 0: must be in [1, 2147483647]`},
		{"size fraction", `"size": 4`, `"size": 4.5`, `tiny.json: populations[0].size: 4.5: must be an integer`},
		{"size string", `"size": 4`, `"size": "4"`, `tiny.json: populations[0].size: "4": must be an integer`},
		{"size huge", `"size": 4`, `"size": 1e12`, `tiny.json: populations[0].size: 1e12: must be an integer`},
		{"duplicate population", `{"name": "inh", "size": 2`, `{"name": "exc", "size": 2`, `tiny.json: populations[1].name: "exc": already names populations[0]`},
		{"source named like a population", `{"name": "cue", "size": 2`, `{"name": "inh", "size": 2`, `tiny.json: sources[1].name: "inh": already names populations[1]`},
		{"no populations", `"populations": [`, `"populations": [], "x": [`, `tiny.json: top level: unknown field "x"`},
		{"initial_v length", `"initial_v": ["-55 mV", -52.5]`, `"initial_v": ["-55 mV"]`, `tiny.json: populations[1].initial_v: ["-55 mV"]: has 1 values for 2 neurons`},
		{"initial_v NaN", `"initial_v": ["-55 mV", -52.5]`, `"initial_v": ["-55 mV", "nan"]`, `tiny.json: populations[1].initial_v[1]: "nan": not a number`},
		{"uniform shape", `{"uniform": ["-60 mV", "-50 mV"]}`, `{"uniform": ["-60 mV"]}`, `tiny.json: populations[0].initial_v.uniform: ["-60 mV"]: must be [low, high]`},
		{"uniform order", `{"uniform": ["-60 mV", "-50 mV"]}`, `{"uniform": ["-50 mV", "-60 mV"]}`, `tiny.json: populations[0].initial_v.uniform: ["-50 mV", "-60 mV"]: high must be ≥ low`},
		{"two distributions", `{"uniform": ["-60 mV", "-50 mV"]}`, `{"uniform": ["-60 mV", "-50 mV"], "normal": {"mean": 1, "std": 1}}`, `tiny.json: populations[0].initial_v: has fields uniform and normal, but only one of them is allowed`},
		// sources
		{"source without kind", `"poisson": {"rate": "20 Hz", "start": "1 ms", "stop": "0.5 s"}`, `"comment": "none"`, `tiny.json: sources[0]: needs one of the fields poisson, spikes`},
		{"negative rate", `"rate": "20 Hz"`, `"rate": "-20 Hz"`, `tiny.json: sources[0].poisson.rate: "-20 Hz": must be ≥ 0`},
		{"rate unit", `"rate": "20 Hz"`, `"rate": "20 ms"`, `tiny.json: sources[0].poisson.rate: "20 ms": unit "ms" is not a rate unit`},
		{"stop before start", `"stop": "0.5 s"`, `"stop": "0.5 ms"`, `tiny.json: sources[0].poisson.stop: "0.5 ms": must be after start (1 ms)`},
		{"spike lists", `"spikes": [[5.5, "1 ms", "250 us"], []]`, `"spikes": [[5.5]]`, `tiny.json: sources[1].spikes: [[5.5]]: has 1 spike lists for 2 sources`},
		{"negative spike time", `[5.5, "1 ms", "250 us"]`, `[5.5, "-1 ms", "250 us"]`, `tiny.json: sources[1].spikes[0][1]: "-1 ms": must be ≥ 0`},
		{"infinite spike time", `[5.5, "1 ms", "250 us"]`, `[5.5, "1e999 ms", "250 us"]`, `tiny.json: sources[1].spikes[0][1]: "1e999 ms": out of range`},
		{"spike list not a list", `[5.5, "1 ms", "250 us"]`, `5.5`, `tiny.json: sources[1].spikes[0]: 5.5: must be an array`},
		// projections
		{"missing population", `"from": "exc", "to": "inh"`, `"from": "exc", "to": "pyr"`, `tiny.json: projections[2].to: "pyr": no population has this name (there are "exc", "inh")`},
		{"missing source", `"from": "cue"`, `"from": "cues"`, `tiny.json: projections[4].from: "cues": no population or source has this name (there are "exc", "inh", "drive", "cue")`},
		{"to a source", `"from": "cue", "to": "inh"`, `"from": "cue", "to": "drive"`, `tiny.json: projections[4].to: "drive": no population has this name`},
		{"missing receptor", `"receptor": "gaba"`, `"receptor": "nmda"`, `tiny.json: projections[3].receptor: "nmda": population "exc" has no synapse of this name (it has "ampa", "gaba", "jump")`},
		{"receptor of the other population", `"to": "inh", "receptor": "jump", "weight": 10`, `"to": "inh", "receptor": "gaba", "weight": 10`, `tiny.json: projections[4].receptor: "gaba": population "inh" has no synapse of this name (it has "ampa", "jump")`},
		{"NaN weight", `"weight": 10`, `"weight": "NaN mV"`, `tiny.json: projections[4].weight: "NaN mV": not a number`},
		{"Inf weight", `"weight": 10`, `"weight": "Inf"`, `tiny.json: projections[4].weight: "Inf": not a number`},
		{"huge weight", `"weight": 10`, `"weight": 1e400`, `tiny.json: projections[4].weight: 1e400: out of range`},
		{"weight unit", `"weight": 10`, `"weight": "10 ms"`, `tiny.json: projections[4].weight: "10 ms": unit "ms" is not a potential unit`},
		{"missing weight", `"weight": 10, `, ``, `tiny.json: projections[4]: missing field "weight"`},
		{"negative delay", `"weight": "1.5 mV", "delay": "1 ms"`, `"weight": "1.5 mV", "delay": "-1 ms"`, `tiny.json: projections[1].delay: "-1 ms": must be ≥ 0`},
		{"negative uniform delay", `{"uniform": ["1 ms", "2 ms"]}`, `{"uniform": ["-1 ms", "2 ms"]}`, `tiny.json: projections[0].delay.uniform[0]: "-1 ms": must be ≥ 0`},
		{"negative std", `"std": "0.5 mV"`, `"std": "-0.5 mV"`, `tiny.json: projections[0].weight.normal.std: "-0.5 mV": must be ≥ 0`},
		{"normal without mean", `{"mean": "2 mV", "std": "0.5 mV"}`, `{"std": "0.5 mV"}`, `tiny.json: projections[0].weight.normal: missing field "mean"`},
		{"probability > 1", `{"probability": 0.5}`, `{"probability": 1.5}`, `tiny.json: projections[0].connect.probability: 1.5: must be in [0, 1]`},
		{"probability string", `{"probability": 0.5}`, `{"probability": "0.5"}`, `tiny.json: projections[0].connect.probability: "0.5": must be a number`},
		{"no connect rule", `{"probability": 0.5}`, `{}`, `tiny.json: projections[0].connect: needs one of the fields all_to_all, probability, list, matrix`},
		{"two connect rules", `{"probability": 0.5}`, `{"probability": 0.5, "all_to_all": true}`, `tiny.json: projections[0].connect: has fields all_to_all and probability, but only one of them is allowed`},
		{"all_to_all false", `{"all_to_all": true}}`, `{"all_to_all": false}}`, `tiny.json: projections[4].connect.all_to_all: false: must be true`},
		{"self between populations", `{"probability": 0.5}`, `{"probability": 0.5, "self": true}`, `tiny.json: projections[0].connect.self: true: applies only when from and to are the same population`},
		{"duplicate projection name", `{"from": "exc", "to": "exc",`, `{"name": "drive->exc", "from": "exc", "to": "exc",`, `tiny.json: projections[1]: projection name "drive->exc" is already used by projections[0]`},
		{"list entry shape", `[1, 0, -3, 0]`, `[1, 0, -3]`, `tiny.json: projections[3].connect.list[1]: [1, 0, -3]: must be [pre, post, weight, delay]`},
		{"list pre out of range", `[1, 0, -3, 0]`, `[2, 0, -3, 0]`, `tiny.json: projections[3].connect.list[1][0]: 2: must be in [0, 1]`},
		{"list post out of range", `[1, 0, -3, 0]`, `[1, 4, -3, 0]`, `tiny.json: projections[3].connect.list[1][1]: 4: must be in [0, 3]`},
		{"list negative delay", `[1, 0, -3, 0]`, `[1, 0, -3, -0.1]`, `tiny.json: projections[3].connect.list[1][3]: -0.1: must be ≥ 0`},
		{"list and weight", `"receptor": "gaba",`, `"receptor": "gaba", "weight": 1,`, `tiny.json: projections[3]: weight and delay come from the entries of connect.list`},
		{"matrix rows", `[[1, 2], [3, 4], [5, 6], ["7 mV", "0.008 V"]]`, `[[1, 2], [3, 4], [5, 6]]`, `tiny.json: projections[2].connect.matrix: [[1, 2], [3, 4], [5, 6]]: has 3 rows, want 4`},
		{"matrix columns", `[[1, 2], [3, 4], [5, 6], ["7 mV", "0.008 V"]]`, `[[1, 2], [3, 4], [5], ["7 mV", "0.008 V"]]`, `tiny.json: projections[2].connect.matrix[2]: [5]: has 1 columns, want 2`},
		{"matrix NaN", `["7 mV", "0.008 V"]`, `["7 mV", "NaN V"]`, `tiny.json: projections[2].connect.matrix[3][1]: "NaN V": not a number`},
		{"matrix delay distribution", `"delay": "0.5 ms"`, `"delay": {"uniform": [0, 1]}`, `tiny.json: projections[2].delay: {"uniform": [0, 1]}: must be a time`},
		{"self with a matrix", `{"matrix": [[1, 2]`, `{"self": true, "matrix": [[1, 2]`, `tiny.json: projections[2].connect.self: true: applies only to all_to_all and probability`},
		{"projections not a list", `"projections": [`, `"projections": {"a": [`, `tiny.json: projections: {"a": [{"name": "drive->exc", "from": "drive", "to": "exc...: must be an array`},
	}
	data := string(readTiny(t))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Contains(t, data, tc.old)
			edited := strings.Replace(data, tc.old, tc.new, 1)
			if tc.name == "projections not a list" {
				edited = strings.TrimSuffix(strings.TrimSpace(edited), "}") + "}}"
			}
			desc, err := Parse("tiny.json", []byte(edited))
			if err == nil {
				_, err = desc.Build(desc.Seed)
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		data, want string
	}{
		{"", "x.json:1:1: invalid JSON: unexpected end of file"},
		{"{\n  \"format\": 1,\n  \"seed\": 3 4\n}", "x.json:3:13: invalid JSON: invalid character '4' after object key:value pair"},
		{"{} {}", "x.json:1:4: invalid JSON: unexpected data after the top-level value"},
		{"[1, 2", "x.json:1:6: invalid JSON: unexpected end of file"},
		{strings.Repeat("[", 100), "invalid JSON: values nested more than 32 deep"},
		{"[]", "x.json: top level: []: must be an object"},
	}
	for _, tc := range tests {
		_, err := Parse("x.json", []byte(tc.data))
		require.Error(t, err, tc.data)
		assert.Contains(t, err.Error(), tc.want, tc.data)
	}
}

func TestDefaultName(t *testing.T) {
	data := strings.Replace(string(readTiny(t)), `"name": "tiny",`, "", 1)
	for file, want := range map[string]string{
		"nets/my net.json": "my-net",
		"a.b.json":         "a.b",
		"x/.json":          "network",
		"cuba":             "cuba",
	} {
		desc, err := Parse(file, []byte(data))
		require.NoError(t, err)
		assert.Equal(t, want, desc.Name, file)
	}
}

func TestRead(t *testing.T) {
	desc, err := Read("testdata/tiny.json")
	require.NoError(t, err)
	assert.Equal(t, "testdata/tiny.json", desc.File)
	_, err = Read("testdata/missing.json")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "testdata/missing.json")
}

// TestExamples loads every network in examples/ and checks the CUBA networks against the
// parameters of Brette et al. (2007), Benchmarks 2 and 4.
func TestExamples(t *testing.T) {
	files, err := filepath.Glob("../../examples/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	built := map[string]*events.Network{}
	for _, f := range files {
		desc, err := Read(f)
		require.NoError(t, err)
		net, err := desc.Build(desc.Seed)
		require.NoError(t, err, f)
		built[filepath.Base(f)] = net
	}
	for _, name := range []string{"cuba.json", "cuba-jump.json"} {
		net := built[name]
		require.NotNil(t, net, name)
		require.Len(t, net.Populations, 2)
		assert.Equal(t, 3200, net.Populations[0].Size)
		assert.Equal(t, 800, net.Populations[1].Size)
		for _, p := range net.Populations {
			lif := p.Neuron
			assert.Equal(t, 20.0, lif.TauMem)
			assert.Equal(t, -50.0, lif.Threshold)
			assert.Equal(t, -60.0, lif.Reset)
			assert.Equal(t, -49.0, lif.Rest)
			assert.Equal(t, 5.0, lif.Refractory)
			if name == "cuba.json" {
				assert.Equal(t, []float64{5, 10}, lif.TauSyn)
			}
			for _, v := range p.InitialV {
				require.True(t, v >= -60 && v < -50, "%s: initial V %v", name, v)
			}
		}
		require.Len(t, net.Projections, 4)
		total := 0
		for _, pr := range net.Projections {
			fromExc := pr.From == events.Ref{Index: 0}
			we, wi := 1.62, -9.0
			recE, recI := synapses.Receptor(0), synapses.Receptor(1)
			if name == "cuba-jump.json" {
				we, wi, recE, recI = 0.25, -2.25, synapses.Jump, synapses.Jump
			}
			want, rec := wi, recI
			if fromExc {
				want, rec = we, recE
			}
			assert.Equal(t, rec, pr.Receptor, pr.Name)
			for _, w := range pr.Synapses.Weight {
				require.Equal(t, want, w, pr.Name)
			}
			assert.Nil(t, pr.Synapses.Delay)
			total += pr.Synapses.Len()
		}
		// 4000² − 4000 pairs (no self-connections) connected with p = 0.02: mean 319 920,
		// standard deviation 560.
		assert.InDelta(t, 319920, total, 5*560, name)
	}
}

// TestValidates checks that built networks satisfy events.Network.Validate.
func TestValidates(t *testing.T) {
	desc, err := Parse("tiny.json", readTiny(t))
	require.NoError(t, err)
	net, err := desc.Build(1)
	require.NoError(t, err)
	require.NoError(t, net.Validate())
}

func FuzzParse(f *testing.F) {
	f.Add(string(readTinyF(f)))
	for _, p := range []string{"../../examples/*.json", "testdata/fuzz-seeds/*.json"} {
		files, _ := filepath.Glob(p)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err == nil {
				f.Add(string(data))
			}
		}
	}
	f.Add(`{"format": "firstspike.network/v1", "populations": [{"name": "a", "size": 1, "neuron": {"tau_mem": 1, "threshold": 1, "reset": 0, "rest": 0}}]}`)
	f.Fuzz(func(t *testing.T, data string) {
		desc, err := Parse("fuzz.json", []byte(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.json:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		// Do not build networks that would take a lot of memory.
		var cells float64
		for _, p := range desc.projections {
			cells += float64(p.nPre) * float64(p.nPost)
		}
		for _, p := range desc.populations {
			cells += float64(p.size)
		}
		if cells > 1e6 {
			return
		}
		net, err := desc.Build(desc.Seed)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.json:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		checkFinite(t, net)
	})
}

func readTinyF(f *testing.F) []byte {
	data, err := os.ReadFile("testdata/tiny.json")
	if err != nil {
		f.Fatal(err)
	}
	return data
}

// checkFinite fails if a built network holds a value the engine must never see.
func checkFinite(t *testing.T, net *events.Network) {
	t.Helper()
	bad := func(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }
	for _, p := range net.Populations {
		n := p.Neuron
		if bad(n.TauMem) || !(n.TauMem > 0) || bad(n.Threshold) || bad(n.Reset) || bad(n.Rest) ||
			bad(n.Refractory) || n.Refractory < 0 || !(n.Reset < n.Threshold) {
			t.Fatalf("population %q: bad neuron %+v", p.Name, n)
		}
		for _, tau := range n.TauSyn {
			if bad(tau) || !(tau > 0) {
				t.Fatalf("population %q: bad synaptic time constant %v", p.Name, tau)
			}
		}
		for _, v := range p.InitialV {
			if bad(v) {
				t.Fatalf("population %q: initial V %v", p.Name, v)
			}
		}
	}
	for _, s := range net.Sources {
		for _, ts := range s.Spikes {
			for _, x := range ts {
				if bad(x) || x < 0 {
					t.Fatalf("source %q: spike time %v", s.Name, x)
				}
			}
		}
		if bad(s.Rate) || s.Rate < 0 || bad(s.Start) || bad(s.Stop) {
			t.Fatalf("source %q: %+v", s.Name, s)
		}
	}
	for _, p := range net.Projections {
		if err := p.Synapses.Validate(); err != nil {
			t.Fatalf("projection %q: %v", p.Name, err)
		}
	}
}

func ExampleParse() {
	const file = `{
	  "format": "firstspike.network/v1",
	  "populations": [{"name": "out", "size": 2,
	    "neuron": {"tau_mem": "20 ms", "synapses": [{"name": "exc", "tau": "5 ms"}],
	               "threshold": "-50 mV", "reset": "-60 mV", "rest": "-65 mV", "refractory": "2 ms"}}],
	  "sources": [{"name": "in", "size": 1, "spikes": [["1 ms", "0.004 s"]]}],
	  "projections": [{"from": "in", "to": "out", "receptor": "exc", "weight": "30 mV",
	    "delay": "500 us", "connect": {"all_to_all": true}}]
	}`
	desc, err := Parse("example.json", []byte(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	net, err := desc.Build(desc.Seed)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(desc.Name, net.Populations[0].Neuron.TauSyn, net.Sources[0].Spikes)
	syn := net.Projections[0].Synapses
	fmt.Println(syn.Post, syn.Weight, syn.Delay)

	_, err = Parse("example.json", []byte(strings.Replace(file, `"20 ms"`, `"-20 ms"`, 1)))
	fmt.Println(err)
	// Output:
	// example [5] [[1 4]]
	// [0 1] [30 30] [0.5 0.5]
	// example.json: populations[0].neuron.tau_mem: "-20 ms": must be > 0
}
