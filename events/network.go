package events

import (
	"fmt"
	"math"

	"github.com/firstspike/firstspike/neurons"
	"github.com/firstspike/firstspike/synapses"
)

// Network describes what an Engine simulates: populations of LIF neurons, sources of input
// spikes and projections between them.
type Network struct {
	Populations []Population
	Sources     []Source
	Projections []Projection
}

// Population is a group of neurons with the same parameters.
type Population struct {
	Name   string
	Size   int
	Neuron neurons.LIF

	// InitialV holds each neuron's membrane potential at time 0; nil starts all at Rest.
	InitialV []float64
}

// Source is a group of input spike generators. Each emits the times listed in Spikes, or,
// when Spikes is nil, a Poisson train of the given Rate (spikes per time unit) over
// [Start, Stop) (Stop 0: until the end of the run), seeded by Seed.
type Source struct {
	Name   string
	Size   int
	Spikes [][]float64

	Rate        float64
	Start, Stop float64
	Seed        uint64
}

// Ref names the presynaptic side of a projection: a population or a source.
type Ref struct {
	Source bool // Index is into Network.Sources, else into Network.Populations
	Index  int
}

// Projection connects a population or source to a population. Synapses rows are presynaptic
// neurons, columns postsynaptic neurons.
type Projection struct {
	Name     string
	From     Ref
	To       int
	Receptor synapses.Receptor
	Synapses *synapses.CSR
}

func (n *Network) size(r Ref) (int, string, bool) {
	if r.Source {
		if r.Index < 0 || r.Index >= len(n.Sources) {
			return 0, "", false
		}
		return n.Sources[r.Index].Size, n.Sources[r.Index].Name, true
	}
	if r.Index < 0 || r.Index >= len(n.Populations) {
		return 0, "", false
	}
	return n.Populations[r.Index].Size, n.Populations[r.Index].Name, true
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Validate checks that the network can be simulated. Errors name the population, source or
// projection, the field and the value.
func (n *Network) Validate() error {
	for i := range n.Populations {
		p := &n.Populations[i]
		where := fmt.Sprintf("populations[%d] (%q)", i, p.Name)
		if p.Size <= 0 {
			return fmt.Errorf("%s: size %d must be > 0", where, p.Size)
		}
		if err := p.Neuron.Validate(); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if p.InitialV != nil {
			if len(p.InitialV) != p.Size {
				return fmt.Errorf("%s: %d initial potentials for %d neurons", where, len(p.InitialV), p.Size)
			}
			for k, v := range p.InitialV {
				if !finite(v) {
					return fmt.Errorf("%s: initial potential of neuron %d is %v", where, k, v)
				}
			}
		}
	}
	for i := range n.Sources {
		s := &n.Sources[i]
		where := fmt.Sprintf("sources[%d] (%q)", i, s.Name)
		if s.Size <= 0 {
			return fmt.Errorf("%s: size %d must be > 0", where, s.Size)
		}
		if s.Spikes != nil {
			if len(s.Spikes) != s.Size {
				return fmt.Errorf("%s: %d spike lists for %d sources", where, len(s.Spikes), s.Size)
			}
			for k, ts := range s.Spikes {
				for _, t := range ts {
					if !finite(t) || t < 0 {
						return fmt.Errorf("%s: spike time %v of source %d is not a finite time ≥ 0", where, t, k)
					}
				}
			}
			continue
		}
		if !finite(s.Rate) || s.Rate < 0 {
			return fmt.Errorf("%s: rate %v must be finite and ≥ 0", where, s.Rate)
		}
		if !finite(s.Start) || s.Start < 0 {
			return fmt.Errorf("%s: start %v must be finite and ≥ 0", where, s.Start)
		}
		if !finite(s.Stop) || (s.Stop != 0 && s.Stop < s.Start) {
			return fmt.Errorf("%s: stop %v must be finite and ≥ start %v (or 0)", where, s.Stop, s.Start)
		}
	}
	for i := range n.Projections {
		pr := &n.Projections[i]
		where := fmt.Sprintf("projections[%d] (%q)", i, pr.Name)
		nPre, _, ok := n.size(pr.From)
		if !ok {
			kind := "population"
			if pr.From.Source {
				kind = "source"
			}
			return fmt.Errorf("%s: from: no %s %d", where, kind, pr.From.Index)
		}
		if pr.To < 0 || pr.To >= len(n.Populations) {
			return fmt.Errorf("%s: to: no population %d", where, pr.To)
		}
		post := &n.Populations[pr.To]
		if pr.Receptor != synapses.Jump && (pr.Receptor < 0 || int(pr.Receptor) >= len(post.Neuron.TauSyn)) {
			return fmt.Errorf("%s: receptor %d: population %q has %d synaptic time constants", where, pr.Receptor, post.Name, len(post.Neuron.TauSyn))
		}
		if pr.Synapses == nil {
			return fmt.Errorf("%s: no synapses", where)
		}
		if pr.Synapses.NPre != nPre || pr.Synapses.NPost != post.Size {
			return fmt.Errorf("%s: synapses are %d×%d, but the populations have %d and %d neurons", where, pr.Synapses.NPre, pr.Synapses.NPost, nPre, post.Size)
		}
		if err := pr.Synapses.Validate(); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
	}
	return nil
}
