package neurons

// LIF is a current-based leaky integrate-and-fire neuron with exponentially decaying synaptic
// currents, one per receptor type:
//
//	TauMem dV/dt = −(V − Rest) + Σ_k I_k,    TauSyn[k] dI_k/dt = −I_k.
//
// Currents are in voltage units (current times membrane resistance): the CUBA model of
// Brette et al. (2007), dV/dt = (ge + gi − (V − El))/τm, is I_0 = ge and I_1 = gi.
// After a spike V is held at Reset for Refractory; the currents keep evolving.
type LIF struct {
	TauMem     float64   // membrane time constant > 0
	TauSyn     []float64 // synaptic time constant of each receptor type, each > 0
	Threshold  float64   // V at which the neuron spikes
	Reset      float64   // V after a spike
	Rest       float64   // resting (leak reversal) potential
	Refractory float64   // time V is held at Reset after a spike, ≥ 0
}

// Validate reports whether the parameters are usable: positive, finite time constants,
// finite potentials with Reset < Threshold, and a non-negative refractory period.
func (p *LIF) Validate() error { panic("neurons: LIF.Validate not implemented") }

// Propagate advances the free membrane (no input, no threshold) by dt ≥ 0 exactly. It returns
// the new V and updates the currents cur (len(TauSyn)) in place.
func (p *LIF) Propagate(v float64, cur []float64, dt float64) float64 {
	panic("neurons: LIF.Propagate not implemented")
}

// NextCrossing returns the smallest s in [0, horizon] at which the free membrane that starts
// at (v, cur) reaches Threshold, or +Inf if it does not within horizon (horizon may be +Inf).
// It returns 0 if v ≥ Threshold. It never misses a crossing and never returns NaN.
func (p *LIF) NextCrossing(v float64, cur []float64, horizon float64) float64 {
	panic("neurons: LIF.NextCrossing not implemented")
}
