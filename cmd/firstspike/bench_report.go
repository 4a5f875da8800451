package main

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/firstspike/firstspike/bench"
)

// The human-readable reports of the bench command. Lines that hold times or depend on the
// machine start with the labels that the tests' normalisation knows (wall, cpu, build,
// events/s, ns/event, samples/s, ns/sample, peak RSS, machine).

func writeCUBA(w io.Writer, r *bench.CUBAResult) {
	kind := "Benchmark 2, exponential currents (we 1.62 mV, wi -9 mV)"
	if r.Scenario == bench.ScenarioCUBAJump {
		kind = "Benchmark 4, voltage jumps (+0.25 mV, -2.25 mV)"
	}
	fmt.Fprintf(w, "%s: CUBA network of Brette et al. (2007), %s\n\n", r.Scenario, kind)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "neurons\t%d (%d excitatory, %d inhibitory)\n", r.Neurons, r.Excitatory, r.Inhibitory)
	fmt.Fprintf(tw, "synapses\t%d (connection probability %g)\n", r.Synapses, r.Probability)
	fmt.Fprintf(tw, "simulated\t%s ms, seed %d, %s queue\n", strconv.FormatFloat(r.Duration, 'g', -1, 64), r.Seed, r.Queue)
	fmt.Fprintf(tw, "spikes\t%d (mean rate %.3f Hz)\n", r.Spikes, r.RateHz)
	fmt.Fprintf(tw, "synaptic events\t%d\n", r.SynapticEvents)
	fmt.Fprintf(tw, "queue events\t%d\n", r.QueueEvents)
	fmt.Fprintf(tw, "checks\t%d (lower bounds re-evaluated)\n", r.Checks)
	fmt.Fprintf(tw, "exact solves\t%d\n", r.ExactSolves)
	fmt.Fprintf(tw, "build\t%.3f s (network and engine; not in the times below)\n", r.Build)
	writeTiming(tw, r.Timing)
	fmt.Fprintf(tw, "events/s\t%.4g (synaptic events per second of wall time)\n", r.EventsPerSecond)
	fmt.Fprintf(tw, "ns/event\t%s\n", wallCPU(r.NsPerEvent, r.CPUNsPerEvent))
	writeMachine(tw, r.PeakRSS, r.Env, "the engine runs on one goroutine")
	tw.Flush()
}

func writeTTFS(w io.Writer, r *bench.TTFSResult) {
	fmt.Fprintf(w, "%s: first-spike inference, %s network on the %s test split\n\n", r.Scenario, r.Layers, r.Data)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "weights\t%s\n", r.Weights)
	fmt.Fprintf(tw, "samples\t%d per run\n", r.Samples)
	mode := "forward (all output spike times)"
	if r.Mode == "classify" {
		mode = "classify (each sample up to its first output spike)"
	}
	fmt.Fprintf(tw, "mode\t%s\n", mode)
	fmt.Fprintf(tw, "accuracy\t%.2f %%\n", 100*r.Accuracy)
	writeTiming(tw, r.Timing)
	fmt.Fprintf(tw, "samples/s\t%.4g\n", r.SamplesPerSecond)
	fmt.Fprintf(tw, "ns/sample\t%s (all cores together)\n", wallCPU(r.NsPerSample, r.CPUNsPerSample))
	writeMachine(tw, r.PeakRSS, r.Env, "samples run on GOMAXPROCS goroutines")
	tw.Flush()
}

func writeKernel(w io.Writer, r *bench.KernelResult) {
	fmt.Fprintf(w, "%s: ttfs.Neuron.Layer, one goroutine; median wall and CPU times\n\n", r.Scenario)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "data\tlayer\tinputs\tneurons\tsamples\tspiking\tns/input/neuron\tcpu\tns/sample\tcpu\t")
	for _, l := range r.Layers {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.1f\t%.1f\t\n", l.Data, l.Layer, l.Inputs, l.Neurons, l.Samples,
			l.Spiking, l.NsPerInputNeuron, l.CPUNsPerInputNeuron, l.NsPerSample, l.CPUNsPerSample)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	seen := map[string]bool{}
	for _, l := range r.Layers {
		if !seen[l.Data] {
			fmt.Fprintf(tw, "weights\t%s: %s\n", l.Data, l.Weights)
			seen[l.Data] = true
		}
	}
	writeMachine(tw, r.PeakRSS, r.Env, "")
	tw.Flush()
}

func writeHold(w io.Writer, r *bench.HoldResult) {
	fmt.Fprintf(w, "%s: pop the first item, push it back later by an exponential increment;\nmedian and minimum wall time and median CPU time per hold\n\n", r.Scenario)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "queue\tpending\tholds\tns/hold\tmin\tcpu\t")
	for _, c := range r.Cases {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.1f\t%.1f\t\n", c.Queue, c.Pending, c.Holds, c.NsPerHold, c.Min*1e9/float64(c.Holds), c.CPUNsPerHold)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	writeMachine(tw, r.PeakRSS, r.Env, "")
	tw.Flush()
}

// writeTiming prints the wall and CPU times of the runs.
func writeTiming(w io.Writer, t bench.Timing) {
	runs := "1 run"
	if len(t.Runs) > 1 {
		runs = fmt.Sprintf("median of %d runs, min %.3f s", len(t.Runs), t.Min)
	}
	fmt.Fprintf(w, "wall\t%.3f s (%s)\n", t.Median, runs)
	if t.CPU > 0 {
		fmt.Fprintf(w, "cpu\t%.3f s (user and system, all threads; median)\n", t.CPU)
	}
}

// writeMachine prints the peak memory and where the run happened.
func writeMachine(w io.Writer, peakRSS int64, env bench.Env, threads string) {
	if peakRSS > 0 {
		fmt.Fprintf(w, "peak RSS\t%.1f MiB (whole process)\n", float64(peakRSS)/(1<<20))
	}
	if threads != "" {
		threads = "; " + threads
	}
	fmt.Fprintf(w, "machine\t%s %s/%s, %d CPUs, GOMAXPROCS %d%s\n", env.GoVersion, env.GOOS, env.GOARCH, env.NumCPU, env.GOMAXPROCS, threads)
}

// wallCPU formats a time per operation from the wall clock and, if known, from the CPU time.
func wallCPU(wall, cpu float64) string {
	if cpu > 0 {
		return fmt.Sprintf("%.2f (wall), %.2f (cpu)", wall, cpu)
	}
	return fmt.Sprintf("%.2f (wall)", wall)
}
