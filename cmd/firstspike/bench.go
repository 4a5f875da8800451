package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/firstspike/firstspike/bench"
	"github.com/firstspike/firstspike/events"
	"github.com/firstspike/firstspike/events/netfile"
	"github.com/firstspike/firstspike/learning"
)

const benchUsage = `usage: firstspike bench SCENARIO [flags]

Runs a throughput scenario and prints what it measured. With --json the last line of the
output is one JSON object holding the same numbers (times in s, rates per s).

ttfs-mnist, and ttfs-kernel unless its --model is a Yin-Yang model, read MNIST:
` + mnistSource + `
Scenarios:
%s
Flags:
`

// benchArgs are the parsed flags of the bench command.
type benchArgs struct {
	scenario   string
	duration   float64 // ms
	seed       uint64
	queue      events.QueueKind
	queueSet   bool
	repeat     int
	json       bool
	neurons    int
	samples    int
	holds      int
	model      string
	classify   bool
	cpuProfile string
}

// benchMaxNeurons bounds --neurons: the CUBA network has about 0.02·N² synapses, 2·10⁸
// (some GB) at this size.
const benchMaxNeurons = 100000

// benchFlagScenarios says which scenarios a flag applies to; flags not listed apply to all.
var benchFlagScenarios = map[string][]string{
	"duration": {bench.ScenarioCUBA, bench.ScenarioCUBAJump},
	"neurons":  {bench.ScenarioCUBA, bench.ScenarioCUBAJump},
	"queue":    {bench.ScenarioCUBA, bench.ScenarioCUBAJump, bench.ScenarioQueueHold},
	"samples":  {bench.ScenarioTTFSYinYang, bench.ScenarioTTFSMNIST, bench.ScenarioTTFSKernel},
	"model":    {bench.ScenarioTTFSYinYang, bench.ScenarioTTFSMNIST, bench.ScenarioTTFSKernel},
	"holds":    {bench.ScenarioQueueHold},
	"classify": {bench.ScenarioTTFSYinYang, bench.ScenarioTTFSMNIST},
}

func runBench(stdout, stderr io.Writer, args []string) int {
	a, code := parseBenchArgs(stdout, stderr, args)
	if code >= 0 {
		return code
	}
	if err := benchmark(stdout, a); err != nil {
		fmt.Fprintf(stderr, "firstspike bench: %v\n", err)
		return 1
	}
	return 0
}

// parseBenchArgs returns the arguments, or an exit code ≥ 0 if the command should stop.
// The scenario may come before or after the flags.
func parseBenchArgs(stdout, stderr io.Writer, args []string) (benchArgs, int) {
	var a benchArgs
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	duration := fs.String("duration", "10s", "biological time `T` to simulate, with a unit such as \"500ms\" or \"10s\" (a bare number is in ms)")
	fs.Uint64Var(&a.seed, "seed", 1, "seed `S` of the connectivity and initial potentials, the random weights or the queue increments")
	queue := fs.String("queue", "", "event queue `heap|btree` (cuba: default heap; queue-hold: default both)")
	fs.IntVar(&a.repeat, "repeat", 1, "run `N` times and report the median and minimum wall time")
	fs.BoolVar(&a.json, "json", false, "end the output with one line of JSON")
	fs.IntVar(&a.neurons, "neurons", 4000, "network size `N` for cuba (4/5 excitatory, connection probability 0.02)")
	fs.IntVar(&a.samples, "samples", 0, "samples `N` per run (and per layer for ttfs-kernel), cycling through the test split (default: ttfs-yinyang 100000, ttfs-mnist 10000, ttfs-kernel 20000 Yin-Yang / 2000 MNIST)")
	fs.IntVar(&a.holds, "holds", bench.DefaultHolds, "hold operations `N` per queue, size and run")
	fs.StringVar(&a.model, "model", "", "trained model `FILE` to run instead of random weights (ttfs-kernel then times that network only)")
	fs.BoolVar(&a.classify, "classify", false, "stop each sample at its first output spike, which decides its class, instead of computing all output times (ttfs-yinyang, ttfs-mnist)")
	fs.StringVar(&a.cpuProfile, "cpuprofile", "", "write a CPU profile of the runs (network building included) to `FILE`")
	fs.Usage = func() {
		var list strings.Builder
		for _, s := range bench.Scenarios() {
			fmt.Fprintf(&list, "  %-13s %s\n", s.Name, s.Summary)
		}
		fmt.Fprintf(fs.Output(), benchUsage, list.String())
		fs.PrintDefaults()
	}
	usageError := func(format string, args ...any) (benchArgs, int) {
		fmt.Fprintf(stderr, "firstspike bench: "+format+"\n", args...)
		fmt.Fprintln(stderr, `Run "firstspike bench -h" for usage.`)
		return a, 2
	}
	parse := func(args []string) int { return parseFlags(fs, args, stdout, stderr) }
	if code := parse(args); code >= 0 {
		return a, code
	}
	if fs.NArg() == 0 {
		return usageError("a SCENARIO is required")
	}
	a.scenario = fs.Arg(0)
	if code := parse(fs.Args()[1:]); code >= 0 {
		return a, code
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	known := false
	for _, s := range bench.Scenarios() {
		known = known || s.Name == a.scenario
	}
	if !known {
		return usageError("unknown scenario %q", a.scenario)
	}
	var misplaced string
	fs.Visit(func(f *flag.Flag) {
		if only, ok := benchFlagScenarios[f.Name]; ok && !slices.Contains(only, a.scenario) && misplaced == "" {
			misplaced = fmt.Sprintf("--%s applies only to %s", f.Name, strings.Join(only, ", "))
		}
	})
	if misplaced != "" {
		return usageError("%s, not to %s", misplaced, a.scenario)
	}

	d, err := netfile.ParseQuantity(*duration, netfile.Time)
	if err != nil {
		return usageError("--duration %q: %v", *duration, err)
	}
	if !(d > 0) {
		return usageError("--duration %q: must be > 0", *duration)
	}
	a.duration = d
	if *queue != "" {
		if err := a.queue.UnmarshalText([]byte(*queue)); err != nil {
			return usageError("--queue %q: must be heap or btree", *queue)
		}
		a.queueSet = true
	}
	if a.repeat < 1 {
		return usageError("--repeat %d: must be ≥ 1", a.repeat)
	}
	if a.neurons < 2 || a.neurons > benchMaxNeurons {
		return usageError("--neurons %d: must be in [2, %d] (one excitatory and one inhibitory at least; 0.02·N² synapses at most)", a.neurons, benchMaxNeurons)
	}
	if a.samples < 0 {
		return usageError("--samples %d: must be ≥ 1", a.samples)
	}
	if a.holds < 1 {
		return usageError("--holds %d: must be ≥ 1", a.holds)
	}
	return a, -1
}

// benchmark runs the scenario, with a CPU profile if asked for, and prints the report.
func benchmark(stdout io.Writer, a benchArgs) error {
	profile, err := startCPUProfile(a.cpuProfile)
	if err != nil {
		return err
	}
	result, text, err := runScenario(a)
	wrote, err := profile.stop(err)
	if err != nil {
		return err
	}
	io.WriteString(stdout, text)
	if wrote {
		io.WriteString(stdout, profile.profileWritten())
	}
	if a.json {
		return writeJSONLine(stdout, result)
	}
	return nil
}

// runScenario runs the scenario a names and returns its result and human-readable report.
func runScenario(a benchArgs) (any, string, error) {
	var model *learning.Network
	if a.model != "" {
		var err error
		if model, err = learning.LoadModel(a.model); err != nil {
			return nil, "", err
		}
	}
	var b strings.Builder
	switch a.scenario {
	case bench.ScenarioCUBA, bench.ScenarioCUBAJump:
		c := bench.DefaultCUBA()
		c.Excitatory = a.neurons * 4 / 5
		c.Inhibitory = a.neurons - c.Excitatory
		c.Jump = a.scenario == bench.ScenarioCUBAJump
		c.Seed = a.seed
		r, err := bench.RunCUBA(bench.CUBARun{Network: c, Duration: a.duration, Queue: a.queue, Repeat: a.repeat})
		if err != nil {
			return nil, "", err
		}
		writeCUBA(&b, r)
		return r, b.String(), nil
	case bench.ScenarioTTFSYinYang, bench.ScenarioTTFSMNIST:
		data := bench.DataYinYang
		if a.scenario == bench.ScenarioTTFSMNIST {
			data = bench.DataMNIST
		}
		if err := checkModel(a.model, model, data); err != nil {
			return nil, "", err
		}
		r, err := bench.RunTTFS(bench.TTFSRun{Data: data, Model: model, Seed: a.seed, Samples: a.samples, Repeat: a.repeat, Classify: a.classify})
		if err != nil {
			return nil, "", err
		}
		writeTTFS(&b, r)
		return r, b.String(), nil
	case bench.ScenarioTTFSKernel:
		run := bench.KernelRun{Seed: a.seed, Samples: a.samples, Repeat: a.repeat}
		if model != nil {
			data := bench.DataYinYang
			if model.Inputs() == benchDataShape[bench.DataMNIST].inputs {
				data = bench.DataMNIST
			}
			if err := checkModel(a.model, model, data); err != nil {
				return nil, "", err
			}
			run.Data = []string{data}
			run.Models = map[string]*learning.Network{data: model}
		}
		r, err := bench.RunKernel(run)
		if err != nil {
			return nil, "", err
		}
		writeKernel(&b, r)
		return r, b.String(), nil
	case bench.ScenarioQueueHold:
		run := bench.HoldRun{Holds: a.holds, Seed: a.seed, Repeat: a.repeat}
		if a.queueSet {
			run.Queues = []events.QueueKind{a.queue}
		}
		r, err := bench.RunHold(run)
		if err != nil {
			return nil, "", err
		}
		writeHold(&b, r)
		return r, b.String(), nil
	}
	panic("firstspike: unhandled scenario " + a.scenario)
}

// benchDataShape holds the inputs and classes of the scenarios' data sets.
var benchDataShape = map[string]struct{ inputs, classes int }{
	bench.DataYinYang: {4, 3},
	bench.DataMNIST:   {784, 10},
}

// checkModel returns an error naming the model file if model (nil: none) cannot run on data.
func checkModel(path string, model *learning.Network, data string) error {
	if model == nil {
		return nil
	}
	want := benchDataShape[data]
	if model.Inputs() != want.inputs {
		return fmt.Errorf("%s: the model has %d inputs; the %s data has %d", path, model.Inputs(), data, want.inputs)
	}
	if model.Outputs() < want.classes {
		return fmt.Errorf("%s: the model has %d outputs; the %s data has %d classes", path, model.Outputs(), data, want.classes)
	}
	return nil
}
