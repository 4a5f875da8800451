package learning

import (
	"fmt"
	"math"
)

// Optimizer updates parameters from their gradients. params[l] and grads[l] are the weights
// and the weight gradient of layer l.
type Optimizer interface {
	Update(params, grads [][]float64, lr float64)
}

// Adam is the Adam optimizer with torch.optim.Adam's defaults and update order (no weight
// decay, no AMSGrad): per parameter
//
//	m ← β1 m + (1−β1) g,  v ← β2 v + (1−β2) g²,
//	w ← w − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε).
//
// Its exported fields are its whole state, so that a checkpoint can restore it exactly.
type Adam struct {
	Beta1, Beta2, Eps float64
	Step              int         // updates done
	M, V              [][]float64 // first and second moments, shaped like the parameters
}

// NewAdam returns Adam with β1 = 0.9, β2 = 0.999, ε = 1e-8 and zero moments for parameters
// shaped like params.
func NewAdam(params [][]float64) *Adam {
	a := &Adam{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
	for _, p := range params {
		a.M = append(a.M, make([]float64, len(p)))
		a.V = append(a.V, make([]float64, len(p)))
	}
	return a
}

// Update implements Optimizer.
func (a *Adam) Update(params, grads [][]float64, lr float64) {
	a.Step++
	c1 := 1 - math.Pow(a.Beta1, float64(a.Step))
	c2 := math.Sqrt(1 - math.Pow(a.Beta2, float64(a.Step)))
	stepSize := lr / c1
	for l, p := range params {
		g, m, v := grads[l], a.M[l], a.V[l]
		if len(g) != len(p) || len(m) != len(p) {
			panic(fmt.Sprintf("learning: Adam: layer %d has %d parameters, %d gradients, %d moments", l, len(p), len(g), len(m)))
		}
		// Element by element: the same bits however the range is split between goroutines.
		if len(p) <= rangeChunk {
			a.update(p, g, m, v, stepSize, c2)
			continue
		}
		parallelRange(len(p), func(lo, hi int) {
			a.update(p[lo:hi], g[lo:hi], m[lo:hi], v[lo:hi], stepSize, c2)
		})
	}
}

func (a *Adam) update(p, g, m, v []float64, stepSize, c2 float64) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	for k := range p {
		gk := g[k]
		m[k] = a.Beta1*m[k] + (1-a.Beta1)*gk
		v[k] = a.Beta2*v[k] + (1-a.Beta2)*gk*gk
		p[k] -= stepSize * m[k] / (math.Sqrt(v[k])/c2 + a.Eps)
	}
}

// SGD is stochastic gradient descent with torch.optim.SGD's momentum (no dampening, no
// Nesterov): b ← μ b + g (b = g at the first step), w ← w − lr·b.
type SGD struct {
	Momentum float64
	Buf      [][]float64 // momentum buffers; nil until the first update with Momentum ≠ 0
}

// Update implements Optimizer.
func (s *SGD) Update(params, grads [][]float64, lr float64) {
	if s.Momentum != 0 && s.Buf == nil {
		for _, g := range grads {
			s.Buf = append(s.Buf, append([]float64(nil), g...))
		}
	} else if s.Momentum != 0 {
		for l, g := range grads {
			b := s.Buf[l]
			for k := range b {
				b[k] = s.Momentum*b[k] + g[k]
			}
		}
	}
	for l, p := range params {
		d := grads[l]
		if s.Momentum != 0 {
			d = s.Buf[l]
		}
		if len(d) != len(p) {
			panic(fmt.Sprintf("learning: SGD: layer %d has %d parameters and %d gradients", l, len(p), len(d)))
		}
		for k := range p {
			p[k] -= lr * d[k]
		}
	}
}

// Schedule gives the learning rate of each epoch.
type Schedule struct {
	// Type is "StepLR" (multiply by Gamma every StepSize epochs), "MultiStepLR" (multiply by
	// Gamma at each of Milestones) or "" (constant).
	Type       string
	Gamma      float64
	StepSize   int
	Milestones []int
}

// Rate returns the learning rate during epoch e (0-based) for the initial rate lr0. Like
// torch's schedulers stepped once per epoch, it multiplies by Gamma once per decay, so that
// the rates are bit-identical to a run that steps the scheduler every epoch.
func (s Schedule) Rate(lr0 float64, e int) float64 {
	lr := lr0
	switch s.Type {
	case "StepLR":
		for k := 1; k <= e/s.StepSize; k++ {
			lr *= s.Gamma
		}
	case "MultiStepLR":
		for _, m := range s.Milestones {
			if m <= e {
				lr *= s.Gamma
			}
		}
	}
	return lr
}
