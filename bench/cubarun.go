package bench

import (
	"fmt"
	"math"
	"time"

	"github.com/firstspike/firstspike/events"
)

// DefaultCUBADuration is the biological time the CUBA scenarios simulate unless told
// otherwise: 10 s, in ms.
const DefaultCUBADuration = 10000.0

// CUBARun says how to run a CUBA scenario.
type CUBARun struct {
	Network CUBAConfig

	// Duration is the biological time to simulate, in ms; 0 means DefaultCUBADuration.
	Duration float64

	// Queue is the engine's event queue, events.Options.Queue.
	Queue events.QueueKind

	// Repeat is the number of runs: the network is built once and each run simulates it
	// from time 0 on a fresh engine. 0 means 1.
	Repeat int
}

// CUBAResult is what a CUBA scenario measured. The counts come from the engine's Stats and
// are the same for every run; RunCUBA checks that they are.
type CUBAResult struct {
	Scenario    string           `json:"scenario"` // "cuba" or "cuba-jump"
	Neurons     int              `json:"neurons"`
	Excitatory  int              `json:"excitatory"`
	Inhibitory  int              `json:"inhibitory"`
	Probability float64          `json:"probability"`
	Synapses    int              `json:"synapses"`
	Duration    float64          `json:"duration_ms"` // biological time simulated per run
	Queue       events.QueueKind `json:"queue"`
	Seed        uint64           `json:"seed"`

	Spikes         int64 `json:"spikes"`
	SynapticEvents int64 `json:"synaptic_events"`
	QueueEvents    int64 `json:"queue_events"`
	Checks         int64 `json:"checks"`
	ExactSolves    int64 `json:"exact_solves"`

	RateHz float64 `json:"rate_hz"` // spikes per neuron per second of biological time

	// Build is the time to build the network (connectivity, initial potentials) and the
	// first engine, s; it is not part of the wall times.
	Build float64 `json:"build_s"`
	Timing
	EventsPerSecond float64 `json:"events_per_s"`     // synaptic events per second of median wall time; 0 if the time is 0
	NsPerEvent      float64 `json:"ns_per_event"`     // median wall time per synaptic event, ns; 0 if there was none
	CPUNsPerEvent   float64 `json:"cpu_ns_per_event"` // median CPU time per synaptic event, ns; 0 if unknown or no event

	PeakRSS int64 `json:"peak_rss_bytes"` // of the whole process, after the runs; 0 if unknown
	Env
}

// RunCUBA builds the CUBA network of r.Network and simulates it for r.Duration, r.Repeat
// times. The engine is single-threaded; RunCUBA sets nothing about threads and reports
// GOMAXPROCS as it finds it. Only Engine.Run is timed. An error is returned if the network
// or options are invalid, if the engine fails, or if two runs disagree in any count (the
// engine is deterministic, so they must not).
func RunCUBA(r CUBARun) (*CUBAResult, error) {
	duration := r.Duration
	if duration == 0 {
		duration = DefaultCUBADuration
	}
	if !(duration > 0) || math.IsInf(duration, 0) {
		return nil, fmt.Errorf("bench: CUBA duration %g ms: must be finite and > 0", duration)
	}
	c := r.Network
	if c.Excitatory < 1 || c.Inhibitory < 1 {
		return nil, fmt.Errorf("bench: CUBA network of %d excitatory and %d inhibitory neurons: need at least one of each", c.Excitatory, c.Inhibitory)
	}
	if !(c.Probability >= 0 && c.Probability <= 1) {
		return nil, fmt.Errorf("bench: CUBA connection probability %g: must be in [0, 1]", c.Probability)
	}
	opt := events.Options{Queue: r.Queue}

	start := time.Now()
	net := CUBA(c)
	eng, err := events.New(net, opt)
	if err != nil {
		return nil, fmt.Errorf("bench: CUBA: %w", err)
	}
	build := time.Since(start).Seconds()

	res := &CUBAResult{
		Scenario:    ScenarioCUBA,
		Neurons:     c.Excitatory + c.Inhibitory,
		Excitatory:  c.Excitatory,
		Inhibitory:  c.Inhibitory,
		Probability: c.Probability,
		Duration:    duration,
		Queue:       r.Queue,
		Seed:        c.Seed,
		Build:       build,
	}
	if c.Jump {
		res.Scenario = ScenarioCUBAJump
	}
	for _, p := range net.Projections {
		res.Synapses += p.Synapses.Len()
	}

	var t timer
	var first events.Stats
	for run := range repeats(r.Repeat) {
		if run > 0 {
			if eng, err = events.New(net, opt); err != nil {
				return nil, fmt.Errorf("bench: CUBA: %w", err)
			}
		}
		t.begin()
		err := eng.Run(duration)
		t.end()
		if err != nil {
			return nil, fmt.Errorf("bench: CUBA run %d: %w", run+1, err)
		}
		st := eng.Stats()
		if run == 0 {
			first = st
		} else if st != first {
			return nil, fmt.Errorf("bench: CUBA run %d counted %+v, run 1 %+v: the engine is not deterministic", run+1, st, first)
		}
	}
	res.Spikes = first.Spikes
	res.SynapticEvents = first.SynapticEvents
	res.QueueEvents = first.QueueEvents
	res.Checks = first.Checks
	res.ExactSolves = first.ExactSolves
	res.RateHz = float64(first.Spikes) / float64(res.Neurons) / (duration / 1000)
	res.Timing = t.timing()
	res.EventsPerSecond = ratio(float64(first.SynapticEvents), res.Median)
	res.NsPerEvent = ratio(res.Median*1e9, float64(first.SynapticEvents))
	res.CPUNsPerEvent = ratio(res.CPU*1e9, float64(first.SynapticEvents))
	res.PeakRSS = peakRSS()
	res.Env = currentEnv()
	return res, nil
}
