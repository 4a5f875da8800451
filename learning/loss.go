package learning

import "math"

// SilentLabelLoss is the loss the reference assigns to a sample whose label neuron did not
// spike; such a sample gives no gradient.
const SilentLabelLoss = 100

// Loss scores the output spike times of one sample against its label.
type Loss interface {
	// Sample returns the loss of a sample with output times t and label y and writes ∂L/∂t
	// into grad (len(t)). It returns SilentLabelLoss and a zero grad if t[y] = +Inf.
	Sample(t []float64, y int, grad []float64) float64

	// Predict returns the class the times vote for, or −1 for no decision.
	Predict(t []float64) int
}

// TTFSLoss is the loss of the paper (docs/model.md §4): the cross-entropy of softmax(−t/(ξ τs)) plus a
// regulariser that pulls the label spike early,
//
//	L = log Σ_k exp(−t_k/(ξ τs)) + t_y/(ξ τs) + α exp(t_y/(β τs)).
//
// Predictions are the earliest output spike (Predict).
type TTFSLoss struct {
	Xi     float64 // ξ: softmax temperature in units of TauSyn, > 0
	Alpha  float64 // α: weight of the regulariser, ≥ 0
	Beta   float64 // β: time scale of the regulariser in units of TauSyn, > 0
	TauSyn float64 // τs
}

// Sample implements Loss. Silent non-label outputs contribute nothing.
//
// Special cases are:
//
//	Sample(t, y, grad) = SilentLabelLoss, grad = 0 if t[y] = +Inf
func (f TTFSLoss) Sample(t []float64, y int, grad []float64) float64 {
	clear(grad)
	ty := t[y]
	if math.IsInf(ty, 1) {
		return SilentLabelLoss
	}
	scale := f.Xi * f.TauSyn
	// Shift by the earliest time so that the exponentials cannot overflow.
	t0 := ty
	for _, tk := range t {
		t0 = min(t0, tk)
	}
	sum := 0.0
	for k, tk := range t {
		e := math.Exp(-(tk - t0) / scale)
		grad[k] = e
		sum += e
	}
	for k := range grad {
		grad[k] = -grad[k] / sum / scale
	}
	reg := f.Alpha * math.Exp(ty/(f.Beta*f.TauSyn))
	grad[y] += 1/scale + reg/(f.Beta*f.TauSyn)
	return math.Log(sum) - t0/scale + ty/scale + reg
}

// Predict implements Loss: the earliest output spike wins.
func (f TTFSLoss) Predict(t []float64) int { return Predict(t) }

// MSELoss is the mean squared error between the output times and targets, TCorrect for the
// label neuron and TWrong for the others (the reference's loss type MSE):
//
//	L = (1/K) Σ_k ½ (t_k − target_k)².
//
// Predictions are the output closest to TCorrect.
type MSELoss struct {
	TCorrect float64 // target time of the label neuron, in units of TauSyn
	TWrong   float64 // target time of the other neurons, in units of TauSyn
	TauSyn   float64 // τs
}

// Sample implements Loss. A silent non-label output contributes neither loss nor gradient,
// where the reference would produce an infinite loss.
//
// Special cases are:
//
//	Sample(t, y, grad) = SilentLabelLoss, grad = 0 if t[y] = +Inf
func (f MSELoss) Sample(t []float64, y int, grad []float64) float64 {
	clear(grad)
	if math.IsInf(t[y], 1) {
		return SilentLabelLoss
	}
	k := float64(len(t))
	loss := 0.0
	for j, tj := range t {
		if math.IsInf(tj, 1) {
			continue
		}
		target := f.TWrong * f.TauSyn
		if j == y {
			target = f.TCorrect * f.TauSyn
		}
		d := tj - target
		loss += d * d / 2
		grad[j] = d / k
	}
	return loss / k
}

// Predict implements Loss: the output closest to TCorrect wins, the lowest index on ties, −1
// if no output spiked.
func (f MSELoss) Predict(t []float64) int {
	best, bd := -1, math.Inf(1)
	for k, tk := range t {
		if d := math.Abs(tk - f.TCorrect*f.TauSyn); d < bd {
			best, bd = k, d
		}
	}
	return best
}
