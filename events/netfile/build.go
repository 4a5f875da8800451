package netfile

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/firstspike/firstspike/events"
	"github.com/firstspike/firstspike/synapses"
)

// Build draws the network the description specifies. Every random choice — initial
// potentials, connectivity, weights and delays drawn from distributions, Poisson trains —
// uses its own stream, seeded by a hash of seed, the kind of element and its name, so the
// same seed gives the same network, and adding, removing or reordering one element leaves
// the draws of the others unchanged. Pass desc.Seed to use the file's seed.
//
// Spike lists are sorted. Each population's neurons are indexed in order, and the network's
// populations, sources and projections keep the order of the file.
//
// Build returns an error, naming the file and the element, if a distribution wide enough to
// overflow draws a value that is not finite; the engine never sees such a value.
func (desc *Description) Build(seed uint64) (*events.Network, error) {
	d := &decoder{file: desc.File}
	net := &events.Network{
		Populations: make([]events.Population, len(desc.populations)),
		Sources:     make([]events.Source, len(desc.sources)),
		Projections: make([]events.Projection, len(desc.projections)),
	}
	for i := range desc.populations {
		p := &desc.populations[i]
		ep := events.Population{Name: p.name, Size: p.size, Neuron: p.neuron}
		ep.Neuron.TauSyn = slices.Clone(p.neuron.TauSyn)
		switch p.initial.kind {
		case initialList:
			ep.InitialV = slices.Clone(p.initial.values)
		case initialDist:
			r := rand.New(rand.NewPCG(derive(seed, "initial_v", p.name), pcgStream))
			ep.InitialV = make([]float64, p.size)
			for k := range ep.InitialV {
				v := p.initial.dist.Draw(r)
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, d.fail(p.initial.path, nil, "%v: drew %v for neuron %d; narrow the distribution", p.initial.dist, v, k)
				}
				ep.InitialV[k] = v
			}
		}
		net.Populations[i] = ep
	}
	for i := range desc.sources {
		s := &desc.sources[i]
		es := events.Source{Name: s.name, Size: s.size}
		if s.spikes != nil {
			es.Spikes = make([][]float64, len(s.spikes))
			for k, ts := range s.spikes {
				es.Spikes[k] = slices.Clone(ts)
			}
		} else {
			es.Rate, es.Start, es.Stop = s.rate, s.start, s.stop
			es.Seed = derive(seed, "source", s.name)
		}
		net.Sources[i] = es
	}
	for i := range desc.projections {
		p := &desc.projections[i]
		c, err := p.build(derive(seed, "projection", p.name))
		if err != nil {
			return nil, d.fail(p.path, nil, "%w", err)
		}
		if err := checkDrawn(c, p); err != nil {
			return nil, d.fail(p.path, nil, "%w", err)
		}
		net.Projections[i] = events.Projection{
			Name:     p.name,
			From:     events.Ref{Source: p.from.source, Index: p.from.index},
			To:       p.to,
			Receptor: p.receptor,
			Synapses: c,
		}
	}
	return net, nil
}

// pcgStream is the second word of every PCG seed; the first comes from derive.
const pcgStream = 0x6a09e667f3bcc909

func (p *projection) build(seed uint64) (*synapses.CSR, error) {
	gen := synapses.Gen{Weight: p.weight, Delay: p.delay, NoSelf: p.noSelf, Seed: seed}
	switch p.connect {
	case connectAllToAll:
		return synapses.AllToAll(p.nPre, p.nPost, gen)
	case connectProbability:
		return synapses.FixedProbability(p.nPre, p.nPost, p.p, gen)
	case connectMatrix:
		delay, _ := p.delay.IsConst()
		dense := synapses.Dense{NPre: p.nPre, NPost: p.nPost, Weight: slices.Clone(p.matrix), Delay: delay}
		return dense.CSR(), nil
	}
	return p.listCSR(), nil
}

// listCSR arranges the explicit synapses by presynaptic neuron, keeping the file order
// within each row.
func (p *projection) listCSR() *synapses.CSR {
	c := &synapses.CSR{NPre: p.nPre, NPost: p.nPost, RowStart: make([]int, p.nPre+1),
		Post: make([]int32, len(p.list)), Weight: make([]float64, len(p.list))}
	if p.hasDelay {
		c.Delay = make([]float64, len(p.list))
	}
	for _, e := range p.list {
		c.RowStart[e.pre+1]++
	}
	for i := 0; i < p.nPre; i++ {
		c.RowStart[i+1] += c.RowStart[i]
	}
	next := slices.Clone(c.RowStart[:p.nPre])
	for _, e := range p.list {
		k := next[e.pre]
		next[e.pre]++
		c.Post[k], c.Weight[k] = e.post, e.weight
		if c.Delay != nil {
			c.Delay[k] = e.delay
		}
	}
	return c
}

// checkDrawn refuses weights and delays that overflowed while being drawn from a very wide
// distribution.
func checkDrawn(c *synapses.CSR, p *projection) error {
	for k, w := range c.Weight {
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return fmt.Errorf("weight %v drew %v for synapse %d; narrow the distribution", p.weight, w, k)
		}
	}
	for k, v := range c.Delay {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("delay %v drew %v for synapse %d; narrow the distribution", p.delay, v, k)
		}
	}
	return nil
}

// derive returns the seed of the random stream of one element of the network.
func derive(seed uint64, kind, name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(name))
	return splitmix64(seed ^ splitmix64(h.Sum64()))
}

// splitmix64 is the finaliser of Steele, Lea and Flood's SplitMix64 generator, a bijective
// mix of 64 bits.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
