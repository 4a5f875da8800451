package bench

import (
	"runtime"
	"slices"
	"time"
)

// Scenario names, as the firstspike bench command takes them.
const (
	ScenarioCUBA        = "cuba"
	ScenarioCUBAJump    = "cuba-jump"
	ScenarioTTFSYinYang = "ttfs-yinyang"
	ScenarioTTFSMNIST   = "ttfs-mnist"
	ScenarioTTFSKernel  = "ttfs-kernel"
	ScenarioQueueHold   = "queue-hold"
)

// Scenario names and summarises one benchmark scenario.
type Scenario struct {
	Name    string
	Summary string
}

// Scenarios returns the scenarios in the order the command lists them.
func Scenarios() []Scenario {
	return []Scenario{
		{ScenarioCUBA, "CUBA network (Brette et al. 2007, Benchmark 2): 4000 LIF neurons, exponential currents, one thread"},
		{ScenarioCUBAJump, "the same network with voltage-jump synapses (Benchmark 4), one thread"},
		{ScenarioTTFSYinYang, "first-spike inference, Yin-Yang 4+1-120+1-3, on all cores"},
		{ScenarioTTFSMNIST, "first-spike inference, MNIST 784-350-10, on all cores"},
		{ScenarioTTFSKernel, "the first-spike kernel ttfs.Neuron.Layer on the layers of both networks, one thread"},
		{ScenarioQueueHold, "hold model on queue.Heap and queue.BTree with 1k and 64k items pending"},
	}
}

// Env describes where a scenario ran.
type Env struct {
	GOMAXPROCS int    `json:"gomaxprocs"`
	NumCPU     int    `json:"num_cpu"`
	GoVersion  string `json:"go_version"`
	GOOS       string `json:"goos"`
	GOARCH     string `json:"goarch"`
}

func currentEnv() Env {
	return Env{
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		NumCPU:     runtime.NumCPU(),
		GoVersion:  runtime.Version(),
		GOOS:       runtime.GOOS,
		GOARCH:     runtime.GOARCH,
	}
}

// Timing summarises the times of the repeated runs of a measurement.
type Timing struct {
	Runs   []float64 `json:"runs_wall_s"` // wall-clock time of each run, s
	Median float64   `json:"wall_s"`      // median of Runs (mean of the middle two for an even count), s
	Min    float64   `json:"wall_min_s"`  // smallest of Runs, s

	// CPURuns holds the CPU time (user and system, all threads of the process) of each
	// run, s, and CPU their median; both are empty or 0 if the system does not report CPU
	// time. On a machine shared with other work, the CPU time of a single-threaded run is
	// far less noisy than its wall time, and close to the wall time it would take alone.
	CPURuns []float64 `json:"runs_cpu_s"`
	CPU     float64   `json:"cpu_s"`
}

// timer collects the wall and CPU times of runs.
type timer struct {
	wall, cpu []float64
	start     time.Time
	cpu0      time.Duration
	cpuOK     bool
}

func (t *timer) begin() {
	ru, ok := getRusage()
	t.cpu0, t.cpuOK = ru.cpu, ok
	t.start = time.Now()
}

func (t *timer) end() {
	wall := time.Since(t.start)
	ru, ok := getRusage()
	t.wall = append(t.wall, wall.Seconds())
	if ok && t.cpuOK {
		t.cpu = append(t.cpu, (ru.cpu - t.cpu0).Seconds())
	}
}

func (t *timer) timing() Timing {
	tm := Timing{Runs: t.wall, Median: median(t.wall), Min: slices.Min(t.wall)}
	if len(t.cpu) == len(t.wall) {
		tm.CPURuns, tm.CPU = t.cpu, median(t.cpu)
	}
	return tm
}

// median returns the median of x, the mean of the middle two for an even count. x must not
// be empty; it is not modified.
func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// rusage is what getRusage reports.
type rusage struct {
	peakRSS int64 // bytes
	cpu     time.Duration
}

// peakRSS returns the peak resident set size of the process so far, in bytes, or 0 if the
// system does not report it.
func peakRSS() int64 {
	ru, _ := getRusage()
	return ru.peakRSS
}

// repeats returns the number of runs a Repeat field asks for.
func repeats(r int) int { return max(r, 1) }

// ratio returns num/den, or 0 if den is not > 0, so that reports never hold NaN or ±Inf
// (JSON has no encoding for them).
func ratio(num, den float64) float64 {
	if !(den > 0) {
		return 0
	}
	return num / den
}
