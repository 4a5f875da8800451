package events

// Spike is one recorded spike.
type Spike struct {
	Time       float64
	Population int32
	Neuron     int32
}

// Stats counts what a run did.
type Stats struct {
	Spikes         int64 // spikes emitted by neurons (sources not included)
	InputSpikes    int64 // spikes emitted by sources
	SynapticEvents int64 // synapses delivered
	QueueEvents    int64 // items popped from the queue, stale predictions included
}

// Options tune an Engine.
type Options struct {
	// Queue selects the queue implementation: "heap" (the default) or "btree".
	Queue string
	// RecordSpikes keeps every neuron spike for Spikes.
	RecordSpikes bool
}

// Engine simulates a Network. It is not safe for concurrent use.
type Engine struct{}

// New prepares an engine for net, which must stay unchanged while the engine is used.
func New(net *Network, opt Options) (*Engine, error) { panic("events: New not implemented") }

// Probe records one neuron's membrane potential at requested times.
type Probe struct {
	Population, Neuron int
	Times              []float64 // ascending
	V                  []float64 // filled as the run passes each time
}

// AddProbe asks for the membrane potential of a neuron at the given times (any order; they
// are sorted), computed exactly. It must be called before Run.
func (e *Engine) AddProbe(population, neuron int, times []float64) (*Probe, error) {
	panic("events: AddProbe not implemented")
}

// Run advances the simulation to tEnd, processing every event at times < tEnd. It may be
// called again with a later tEnd to continue.
func (e *Engine) Run(tEnd float64) error { panic("events: Run not implemented") }

// Spikes returns the recorded spikes in time order (Options.RecordSpikes).
func (e *Engine) Spikes() []Spike { panic("events: Spikes not implemented") }

// Stats returns the counts so far.
func (e *Engine) Stats() Stats { panic("events: Stats not implemented") }

// Now returns the time the simulation has reached.
func (e *Engine) Now() float64 { panic("events: Now not implemented") }
