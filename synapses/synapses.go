package synapses

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Receptor selects what a synapse drives on its postsynaptic neuron: an index into the
// neuron's synaptic time constants (an exponentially decaying current, such as excitatory 0
// and inhibitory 1), or Jump for an instantaneous jump of the membrane potential.
type Receptor int

// Jump is the receptor of voltage-jump (delta) synapses.
const Jump Receptor = -1

// CSR is a sparse projection in compressed-row form. The synapses of presynaptic neuron i are
// the entries k in [RowStart[i], RowStart[i+1]): they reach postsynaptic neuron Post[k] with
// Weight[k] after Delay[k].
//
// Invariants (checked by Validate): len(RowStart) = NPre+1, RowStart[0] = 0, RowStart is
// non-decreasing and ends at len(Post) = len(Weight); 0 ≤ Post[k] < NPost; Delay is nil
// (every delay 0) or has one entry per synapse; weights and delays are finite and delays ≥ 0.
type CSR struct {
	NPre, NPost int
	RowStart    []int
	Post        []int32
	Weight      []float64
	Delay       []float64
}

// Len returns the number of synapses.
func (c *CSR) Len() int { return len(c.Post) }

// Row returns the targets, weights and delays (nil if all are 0) of presynaptic neuron i, as
// views into c.
func (c *CSR) Row(i int) (post []int32, weight, delay []float64) {
	lo, hi := c.RowStart[i], c.RowStart[i+1]
	if c.Delay != nil {
		delay = c.Delay[lo:hi]
	}
	return c.Post[lo:hi], c.Weight[lo:hi], delay
}

// Validate checks the invariants of c. Errors name the offending synapse and value.
func (c *CSR) Validate() error {
	if c.NPre < 0 || c.NPost < 0 {
		return fmt.Errorf("synapses: negative size %d×%d", c.NPre, c.NPost)
	}
	if len(c.RowStart) != c.NPre+1 {
		return fmt.Errorf("synapses: %d row starts for %d presynaptic neurons, want %d", len(c.RowStart), c.NPre, c.NPre+1)
	}
	if c.RowStart[0] != 0 {
		return fmt.Errorf("synapses: first row starts at %d, want 0", c.RowStart[0])
	}
	for i := 0; i < c.NPre; i++ {
		if c.RowStart[i+1] < c.RowStart[i] {
			return fmt.Errorf("synapses: row %d ends at %d before it starts at %d", i, c.RowStart[i+1], c.RowStart[i])
		}
	}
	n := c.RowStart[c.NPre]
	if len(c.Post) != n || len(c.Weight) != n {
		return fmt.Errorf("synapses: rows hold %d synapses but there are %d targets and %d weights", n, len(c.Post), len(c.Weight))
	}
	if c.Delay != nil && len(c.Delay) != n {
		return fmt.Errorf("synapses: %d delays for %d synapses", len(c.Delay), n)
	}
	for i := 0; i < c.NPre; i++ {
		for k := c.RowStart[i]; k < c.RowStart[i+1]; k++ {
			if p := c.Post[k]; p < 0 || int(p) >= c.NPost {
				return fmt.Errorf("synapses: synapse %d (%d→%d): target outside [0, %d)", k, i, p, c.NPost)
			}
			if w := c.Weight[k]; math.IsNaN(w) || math.IsInf(w, 0) {
				return fmt.Errorf("synapses: synapse %d (%d→%d): weight %v is not finite", k, i, c.Post[k], w)
			}
			if c.Delay != nil {
				if d := c.Delay[k]; !(d >= 0) || math.IsInf(d, 0) {
					return fmt.Errorf("synapses: synapse %d (%d→%d): delay %v is not a finite value ≥ 0", k, i, c.Post[k], d)
				}
			}
		}
	}
	return nil
}

// SortRowsByDelay orders the synapses of every row by increasing delay (stable, so equal
// delays keep their order), which lets a simulator deliver a spike's synapses one delay group
// at a time.
func (c *CSR) SortRowsByDelay() {
	if c.Delay == nil {
		return
	}
	for i := 0; i < c.NPre; i++ {
		lo, hi := c.RowStart[i], c.RowStart[i+1]
		if slices.IsSorted(c.Delay[lo:hi]) {
			continue
		}
		idx := make([]int, hi-lo)
		for k := range idx {
			idx[k] = lo + k
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			switch {
			case c.Delay[a] < c.Delay[b]:
				return -1
			case c.Delay[a] > c.Delay[b]:
				return 1
			}
			return 0
		})
		post := make([]int32, len(idx))
		w := make([]float64, len(idx))
		d := make([]float64, len(idx))
		for k, j := range idx {
			post[k], w[k], d[k] = c.Post[j], c.Weight[j], c.Delay[j]
		}
		copy(c.Post[lo:hi], post)
		copy(c.Weight[lo:hi], w)
		copy(c.Delay[lo:hi], d)
	}
}

// Dense is a full NPre × NPost weight matrix (row-major, row = presynaptic) with one delay.
type Dense struct {
	NPre, NPost int
	Weight      []float64
	Delay       float64
}

// CSR returns the projection as a CSR table holding every entry of the matrix, zeros
// included.
func (d *Dense) CSR() *CSR {
	if len(d.Weight) != d.NPre*d.NPost {
		panic(fmt.Sprintf("synapses: dense matrix %d×%d has %d weights", d.NPre, d.NPost, len(d.Weight)))
	}
	c := &CSR{NPre: d.NPre, NPost: d.NPost, RowStart: make([]int, d.NPre+1),
		Post: make([]int32, len(d.Weight)), Weight: slices.Clone(d.Weight)}
	for i := 0; i < d.NPre; i++ {
		c.RowStart[i+1] = (i + 1) * d.NPost
		for j := 0; j < d.NPost; j++ {
			c.Post[i*d.NPost+j] = int32(j)
		}
	}
	if d.Delay != 0 {
		c.Delay = make([]float64, len(d.Weight))
		for k := range c.Delay {
			c.Delay[k] = d.Delay
		}
	}
	return c
}

// Dist is a distribution that weights or delays are drawn from.
type Dist struct {
	kind distKind
	a, b float64
}

type distKind uint8

const (
	constant distKind = iota
	normal
	uniform
)

// Const is the distribution that always gives v.
func Const(v float64) Dist { return Dist{kind: constant, a: v} }

// Normal is the normal distribution with the given mean and standard deviation.
func Normal(mean, std float64) Dist { return Dist{kind: normal, a: mean, b: std} }

// Uniform is the uniform distribution on [lo, hi).
func Uniform(lo, hi float64) Dist { return Dist{kind: uniform, a: lo, b: hi} }

// Draw returns one value; a constant draws nothing from r.
func (d Dist) Draw(r *rand.Rand) float64 {
	switch d.kind {
	case normal:
		return d.a + d.b*r.NormFloat64()
	case uniform:
		return d.a + (d.b-d.a)*r.Float64()
	}
	return d.a
}

// IsConst reports whether d is a constant, and its value.
func (d Dist) IsConst() (float64, bool) { return d.a, d.kind == constant }

func (d Dist) String() string {
	switch d.kind {
	case normal:
		return fmt.Sprintf("normal(%g, %g)", d.a, d.b)
	case uniform:
		return fmt.Sprintf("uniform(%g, %g)", d.a, d.b)
	}
	return fmt.Sprintf("%g", d.a)
}

func (d Dist) validate(what string, nonNegative bool) error {
	for _, v := range []float64{d.a, d.b} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("synapses: %s %v: parameters must be finite", what, d)
		}
	}
	switch {
	case d.kind == normal && d.b < 0:
		return fmt.Errorf("synapses: %s %v: negative standard deviation", what, d)
	case d.kind == uniform && d.b < d.a:
		return fmt.Errorf("synapses: %s %v: upper bound below lower bound", what, d)
	case nonNegative && d.kind == constant && d.a < 0,
		nonNegative && d.kind == uniform && d.a < 0:
		return fmt.Errorf("synapses: %s %v: delays must be ≥ 0", what, d)
	}
	return nil
}

// Gen says how a generator draws synapses.
type Gen struct {
	Weight Dist
	Delay  Dist // a normal distribution is clipped at 0; the zero Dist means no delay

	// NoSelf leaves out i→i synapses; use it when pre and post are one population.
	NoSelf bool

	// Seed fixes the random draws: the same Seed gives the same synapses.
	Seed uint64
}

func (g *Gen) check() error {
	if err := g.Weight.validate("weight", false); err != nil {
		return err
	}
	return g.Delay.validate("delay", true)
}

// builder appends synapses row by row.
type builder struct {
	c     *CSR
	gen   *Gen
	r     *rand.Rand
	delay bool
}

func newBuilder(nPre, nPost int, g *Gen, capacity int) *builder {
	b := &builder{
		c: &CSR{NPre: nPre, NPost: nPost, RowStart: make([]int, 1, nPre+1),
			Post: make([]int32, 0, capacity), Weight: make([]float64, 0, capacity)},
		gen: g,
		r:   rand.New(rand.NewPCG(g.Seed, 0x9e3779b97f4a7c15)),
	}
	if v, ok := g.Delay.IsConst(); !ok || v != 0 {
		b.delay = true
		b.c.Delay = make([]float64, 0, capacity)
	}
	return b
}

func (b *builder) add(j int) {
	b.c.Post = append(b.c.Post, int32(j))
	b.c.Weight = append(b.c.Weight, b.gen.Weight.Draw(b.r))
	if b.delay {
		b.c.Delay = append(b.c.Delay, max(0, b.gen.Delay.Draw(b.r)))
	}
}

func (b *builder) endRow() { b.c.RowStart = append(b.c.RowStart, len(b.c.Post)) }

// AllToAll connects every presynaptic neuron to every postsynaptic one (but itself, with
// NoSelf).
func AllToAll(nPre, nPost int, g Gen) (*CSR, error) {
	if nPre < 0 || nPost < 0 {
		return nil, fmt.Errorf("synapses: all-to-all: negative size %d×%d", nPre, nPost)
	}
	if err := g.check(); err != nil {
		return nil, err
	}
	b := newBuilder(nPre, nPost, &g, nPre*nPost)
	for i := 0; i < nPre; i++ {
		for j := 0; j < nPost; j++ {
			if g.NoSelf && i == j {
				continue
			}
			b.add(j)
		}
		b.endRow()
	}
	return b.c, nil
}

// FixedProbability connects each pair (i, j) independently with probability p (but i→i,
// with NoSelf). It skips ahead geometrically, so its cost is proportional to the number of
// synapses, not nPre·nPost.
func FixedProbability(nPre, nPost int, p float64, g Gen) (*CSR, error) {
	if nPre < 0 || nPost < 0 {
		return nil, fmt.Errorf("synapses: fixed probability: negative size %d×%d", nPre, nPost)
	}
	if !(p >= 0 && p <= 1) {
		return nil, fmt.Errorf("synapses: fixed probability: p = %v is not in [0, 1]", p)
	}
	if err := g.check(); err != nil {
		return nil, err
	}
	expected := int(float64(nPre)*float64(nPost)*p*1.1) + 16
	b := newBuilder(nPre, nPost, &g, expected)
	logq := math.Log1p(-p)
	for i := 0; i < nPre; i++ {
		if p > 0 {
			j := -1
			for {
				if p == 1 {
					j++
				} else {
					// The gap to the next synapse is geometric with success probability p.
					u := 1 - b.r.Float64() // in (0, 1]
					gap := math.Floor(math.Log(u) / logq)
					if float64(j)+1+gap >= float64(nPost) {
						break
					}
					j += 1 + int(gap)
				}
				if j >= nPost {
					break
				}
				if g.NoSelf && i == j {
					continue
				}
				b.add(j)
			}
		}
		b.endRow()
	}
	return b.c, nil
}
