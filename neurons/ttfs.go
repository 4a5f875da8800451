package neurons

// TTFS holds the parameters of the first-spike neuron of the spec (§1): a current-based LIF
// neuron that starts at rest, integrates exponentially decaying input currents and spikes at
// most once, at its first upward threshold crossing.
//
// The membrane follows C du/dt = GLeak (Leak − u) + Σ_i w_i Θ(t − t_i) exp(−(t − t_i)/TauSyn)
// with C = GLeak·TauMem. Two ratios have closed forms and are supported: TauMem = TauSyn
// (Lambert W) and TauMem = 2·TauSyn (quadratic/log).
type TTFS struct {
	TauSyn    float64 // synaptic time constant τs > 0
	TauMem    float64 // membrane time constant: TauSyn or 2·TauSyn
	Threshold float64 // ϑ > Leak
	Leak      float64 // resting potential E_l
	GLeak     float64 // leak conductance g_l > 0

	// Eps is added to the b-sum as in the reference implementation (spec §2, REF edge case
	// (i)); 0 gives exact times, 1e-6 reproduces the reference's recorded times.
	Eps float64
}

// Validate reports whether the parameters describe a supported neuron.
func (p TTFS) Validate() error { panic("neurons: TTFS.Validate not implemented") }

// FirstSpike returns the first spike time of one neuron whose inputs arrive at times (in any
// order; +Inf = no input) with the given weights. It returns +Inf if the membrane never reaches
// threshold. It panics if len(times) != len(weights).
func (p TTFS) FirstSpike(times, weights []float64) float64 {
	panic("neurons: TTFS.FirstSpike not implemented")
}

// LayerScratch holds reusable buffers for Layer; the zero value is ready to use. A scratch must
// not be shared between goroutines.
type LayerScratch struct{}

// Layer computes the first spike times of nOut neurons that share the same inputs: in holds
// the n input times of one sample (+Inf = no spike), w the n × nOut weights in row-major order
// (row = presynaptic, column = postsynaptic) and out receives nOut times. It sorts the inputs
// once and stops each neuron's scan at its first valid window.
func (p TTFS) Layer(out, in, w []float64, s *LayerScratch) {
	panic("neurons: TTFS.Layer not implemented")
}
