package bench

import (
	"math/rand/v2"

	"github.com/firstspike/firstspike/events"
	"github.com/firstspike/firstspike/neurons"
	"github.com/firstspike/firstspike/synapses"
)

// CUBAConfig describes the CUBA network of Brette et al. (2007), Benchmark 2 (exponential
// currents) or Benchmark 4 (voltage jumps). Times are in ms, potentials in mV.
type CUBAConfig struct {
	Excitatory, Inhibitory int     // 3200, 800
	Probability            float64 // connection probability, 0.02
	Jump                   bool    // voltage-jump synapses (Benchmark 4)
	Seed                   uint64  // connectivity and initial potentials
}

// DefaultCUBA is the network of the benchmark: 4000 neurons, p = 0.02.
func DefaultCUBA() CUBAConfig {
	return CUBAConfig{Excitatory: 3200, Inhibitory: 800, Probability: 0.02, Seed: 1}
}

// CUBA parameters (Brette et al. 2007, Benchmark 2 and 4).
const (
	cubaTauM       = 20.0  // ms
	cubaTauE       = 5.0   // ms
	cubaTauI       = 10.0  // ms
	cubaThreshold  = -50.0 // mV
	cubaReset      = -60.0 // mV
	cubaRest       = -49.0 // mV
	cubaRefractory = 5.0   // ms
	cubaWe         = 1.62  // mV, exponential excitatory
	cubaWi         = -9.0  // mV, exponential inhibitory
	cubaJumpE      = 0.25  // mV, voltage jump
	cubaJumpI      = -2.25 // mV, voltage jump
)

// CUBA builds the network: two populations (excitatory first), the four projections between
// them with independent connections of probability p (no self-connections), and initial
// potentials uniform in [Vr, Vt].
func CUBA(c CUBAConfig) *events.Network {
	neuron := neurons.LIF{
		TauMem: cubaTauM, TauSyn: []float64{cubaTauE, cubaTauI},
		Threshold: cubaThreshold, Reset: cubaReset, Rest: cubaRest, Refractory: cubaRefractory,
	}
	r := rand.New(rand.NewPCG(c.Seed, 0xc0ba))
	initial := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = cubaReset + (cubaThreshold-cubaReset)*r.Float64()
		}
		return v
	}
	net := &events.Network{Populations: []events.Population{
		{Name: "exc", Size: c.Excitatory, Neuron: neuron, InitialV: initial(c.Excitatory)},
		{Name: "inh", Size: c.Inhibitory, Neuron: neuron, InitialV: initial(c.Inhibitory)},
	}}
	we, wi := cubaWe, cubaWi
	recE, recI := synapses.Receptor(0), synapses.Receptor(1)
	if c.Jump {
		we, wi = cubaJumpE, cubaJumpI
		recE, recI = synapses.Jump, synapses.Jump
	}
	sizes := []int{c.Excitatory, c.Inhibitory}
	names := []string{"exc", "inh"}
	for from := 0; from < 2; from++ {
		for to := 0; to < 2; to++ {
			w, rec := we, recE
			if from == 1 {
				w, rec = wi, recI
			}
			csr, err := synapses.FixedProbability(sizes[from], sizes[to], c.Probability, synapses.Gen{
				Weight: synapses.Const(w), NoSelf: from == to, Seed: c.Seed*4 + uint64(from*2+to),
			})
			if err != nil {
				panic("bench: " + err.Error())
			}
			net.Projections = append(net.Projections, events.Projection{
				Name: names[from] + "->" + names[to], From: events.Ref{Index: from}, To: to,
				Receptor: rec, Synapses: csr,
			})
		}
	}
	return net
}
