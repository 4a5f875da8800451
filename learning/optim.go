package learning

import (
	"fmt"
	"math"
)

// Optimizer updates a network's weights from their gradients. An Optimizer keeps state for
// the weights of one trainer; State and SetState carry that state through checkpoints.
type Optimizer interface {
	// Update changes params by grads at learning rate lr: params[l] and grads[l] are the
	// weights and the weight gradient of layer l, of equal lengths.
	Update(params, grads [][]float64, lr float64)

	// State returns a deep copy of the optimizer's state.
	State() OptimizerState

	// SetState restores a state that State returned, for weights shaped like params. It
	// returns an error naming the field, and changes nothing, if the state is of another
	// optimizer or shape.
	SetState(s OptimizerState, params [][]float64) error
}

// OptimizerState is the state of an Optimizer, as a checkpoint stores it. Type names the
// optimizer; the other fields hold what that optimizer keeps, shaped like the weights.
type OptimizerState struct {
	Type string      `json:"type"` // "adam" or "sgd"
	Step int         `json:"step,omitempty"`
	M    [][]float64 `json:"m,omitempty"`
	V    [][]float64 `json:"v,omitempty"`
	Buf  [][]float64 `json:"buf,omitempty"`
}

// Adam is the Adam optimizer with torch.optim.Adam's update order (no weight decay, no
// AMSGrad): per weight
//
//	m ← β1 m + (1−β1) g,  v ← β2 v + (1−β2) g²,
//	w ← w − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε).
//
// Its exported fields are its whole state. The moments are allocated, as zeros, by the first
// Update.
type Adam struct {
	Beta1, Beta2, Eps float64
	Step              int         // updates done
	M, V              [][]float64 // first and second moments, shaped like the weights
}

// NewAdam returns Adam with torch's defaults β1 = 0.9, β2 = 0.999 and ε = 1e-8.
func NewAdam() *Adam {
	return &Adam{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
}

// Update implements Optimizer.
func (a *Adam) Update(params, grads [][]float64, lr float64) {
	if a.M == nil && a.V == nil {
		a.M, a.V = zerosLike(params), zerosLike(params)
	}
	if len(a.M) != len(params) || len(a.V) != len(params) || len(grads) != len(params) {
		panic(fmt.Sprintf("learning: Adam: %d layers of weights, %d of gradients, %d and %d of moments", len(params), len(grads), len(a.M), len(a.V)))
	}
	a.Step++
	c1 := 1 - math.Pow(a.Beta1, float64(a.Step))
	c2 := math.Sqrt(1 - math.Pow(a.Beta2, float64(a.Step)))
	stepSize := lr / c1
	for l, p := range params {
		g, m, v := grads[l], a.M[l], a.V[l]
		if len(g) != len(p) || len(m) != len(p) || len(v) != len(p) {
			panic(fmt.Sprintf("learning: Adam: layer %d has %d weights, %d gradients, %d and %d moments", l, len(p), len(g), len(m), len(v)))
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

// State implements Optimizer.
func (a *Adam) State() OptimizerState {
	return OptimizerState{Type: "adam", Step: a.Step, M: copy2(a.M), V: copy2(a.V)}
}

// SetState implements Optimizer.
func (a *Adam) SetState(s OptimizerState, params [][]float64) error {
	if s.Type != "adam" {
		return fmt.Errorf("%q state does not fit Adam", s.Type)
	}
	if s.Step < 0 {
		return fmt.Errorf("step: %d: must be ≥ 0", s.Step)
	}
	for _, f := range []struct {
		name string
		x    [][]float64
	}{{"m", s.M}, {"v", s.V}} {
		if err := checkShape(f.name, f.x, params); err != nil {
			return err
		}
	}
	a.Step, a.M, a.V = s.Step, copy2(s.M), copy2(s.V)
	return nil
}

// SGD is stochastic gradient descent with torch.optim.SGD's momentum (no dampening, no
// Nesterov): b ← μ b + g (b = g at the first step), w ← w − lr·b. The zero value is plain
// gradient descent.
type SGD struct {
	Momentum float64
	Buf      [][]float64 // momentum buffers; nil until the first update with Momentum ≠ 0
}

// State implements Optimizer.
func (s *SGD) State() OptimizerState {
	return OptimizerState{Type: "sgd", Buf: copy2(s.Buf)}
}

// SetState implements Optimizer. A nil Buf is the state before the first update.
func (s *SGD) SetState(st OptimizerState, params [][]float64) error {
	if st.Type != "sgd" {
		return fmt.Errorf("%q state does not fit SGD", st.Type)
	}
	if st.Buf != nil {
		if err := checkShape("buf", st.Buf, params); err != nil {
			return err
		}
	}
	s.Buf = copy2(st.Buf)
	return nil
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

// checkShape reports whether x has the shape of params, naming x in its error.
func checkShape(name string, x, params [][]float64) error {
	if len(x) != len(params) {
		return fmt.Errorf("%s: %d layers: want %d", name, len(x), len(params))
	}
	for l := range x {
		if len(x[l]) != len(params[l]) {
			return fmt.Errorf("%s[%d]: %d values: want %d", name, l, len(x[l]), len(params[l]))
		}
	}
	return nil
}

// zerosLike returns zeros shaped like x.
func zerosLike(x [][]float64) [][]float64 {
	z := make([][]float64, len(x))
	for l := range x {
		z[l] = make([]float64, len(x[l]))
	}
	return z
}

// copy2 returns a deep copy of x (nil for nil).
func copy2(x [][]float64) [][]float64 {
	if x == nil {
		return nil
	}
	c := make([][]float64, len(x))
	for i := range x {
		c[i] = append([]float64(nil), x[i]...)
	}
	return c
}

// Schedule gives the learning rate of each epoch.
type Schedule interface {
	// Rate returns the learning rate during epoch e (0-based) for the first epoch's rate lr0.
	Rate(lr0 float64, e int) float64
}

// StepLR multiplies the learning rate by Gamma every StepSize epochs, as torch's StepLR
// stepped once per epoch.
type StepLR struct {
	Gamma    float64
	StepSize int // > 0
}

// Rate implements Schedule. It multiplies by Gamma once per decay, so that the rates are
// bit-identical to those of a run that steps the scheduler every epoch.
func (s StepLR) Rate(lr0 float64, e int) float64 {
	lr := lr0
	for k := 1; k <= e/s.StepSize; k++ {
		lr *= s.Gamma
	}
	return lr
}

// MultiStepLR multiplies the learning rate by Gamma at each of its milestone epochs, as
// torch's MultiStepLR stepped once per epoch.
type MultiStepLR struct {
	Gamma      float64
	Milestones []int
}

// Rate implements Schedule.
func (s MultiStepLR) Rate(lr0 float64, e int) float64 {
	lr := lr0
	for _, m := range s.Milestones {
		if m <= e {
			lr *= s.Gamma
		}
	}
	return lr
}
