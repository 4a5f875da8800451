package learning

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/ttfs"
)

// TestLayerBackwardRecordedMatchesLayerBackward checks the backward pass from the forward
// pass's record against LayerBackward, which sums and solves again, on narrow and wide layers
// with equal times, silent inputs, ε, NaN and zero errors, column drops and overflowing sums.
func TestLayerBackwardRecordedMatchesLayerBackward(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	var s BackwardScratch
	var fs ttfs.Scratch
	var rec ttfs.Record
	boundary := 0
	for trial := range 300 {
		p := gradET
		if trial%3 == 0 {
			p.Eps = 1e-6
		}
		if trial%25 == 24 {
			p = gradDT // not recorded: LayerBackward
		}
		n, m := 1+r.IntN(120), 1+r.IntN(40)
		in := make([]float64, n)
		for i := range in {
			switch r.IntN(6) {
			case 0:
				in[i] = math.Inf(1)
			case 1:
				in[i] = 2
			default:
				in[i] = 3 * r.Float64()
			}
		}
		if trial%20 == 7 {
			in[0] = -1000 // spread beyond the record's frame: LayerBackward
		}
		w := make([]float64, n*m)
		for i := range w {
			w[i] = (0.3 + r.NormFloat64()) * 4 / math.Sqrt(float64(n))
			if trial%20 == 9 && i < m {
				w[i] *= 1e300 // the shared sums overflow for these neurons: per-neuron path
			}
		}
		out := make([]float64, m)
		p.RecordLayer(out, in, w, &fs, &rec)
		delta := make([]float64, m)
		for j := range delta {
			delta[j] = r.NormFloat64()
			switch r.IntN(8) {
			case 0:
				delta[j] = math.NaN()
			case 1:
				delta[j] = 0
			}
		}
		maxDw := []float64{0, 0.2, math.Inf(1), 0.05}[trial%4]
		g0 := make([]float64, n*m)
		for i := range g0 {
			g0[i] = r.Float64()
		}
		gWant, dWant := append([]float64(nil), g0...), make([]float64, n)
		LayerBackward(p, in, out, w, delta, maxDw, gWant, dWant, &s)
		gGot, dGot := append([]float64(nil), g0...), make([]float64, n)
		LayerBackwardRecorded(p, &rec, in, out, w, delta, maxDw, gGot, dGot, &s)
		// A spike within rounding of an input's arrival (the overflow trials' huge weights fire
		// their neuron at once) may be reported an ulp before its cause: LayerBackward then
		// leaves that input out of the causal set, the record keeps it. Both are right to
		// rounding in time, not in gradient; such layers are not compared.
		if spikeAtInput(in, out, delta) {
			require.Equal(t, 9, trial%20, "trial %d: a spike at an input's time without huge weights", trial)
			boundary++
			continue
		}
		for k := range gWant {
			require.InDelta(t, gWant[k], gGot[k], 1e-9*(1+math.Abs(gWant[k])), "trial %d: gW[%d][%d]", trial, k/m, k%m)
		}
		for i := range dWant {
			require.InDelta(t, dWant[i], dGot[i], 1e-9*(1+math.Abs(dWant[i])), "trial %d: ∂L/∂in[%d]", trial, i)
		}
		gNil := append([]float64(nil), g0...)
		LayerBackwardRecorded(p, &rec, in, out, w, delta, maxDw, gNil, nil, &s)
		require.Equal(t, gGot, gNil, "trial %d: deltaIn = nil changes gW", trial)
	}
	require.Less(t, boundary, 15, "overflow trials not compared: some must be")
}

// spikeAtInput reports whether an output with an error spiked within 1e-12 (relative) of an
// input's time.
func spikeAtInput(in, out, delta []float64) bool {
	for j, to := range out {
		if math.IsInf(to, 1) || delta[j] == 0 || math.IsNaN(delta[j]) {
			continue
		}
		for _, ti := range in {
			if math.Abs(ti-to) <= 1e-12*(1+math.Abs(to)) {
				return true
			}
		}
	}
	return false
}

// TestLayerBackwardRecordedAllocatesNothing checks that the recorded backward pass reuses its
// scratch.
func TestLayerBackwardRecordedAllocatesNothing(t *testing.T) {
	net := gradMNISTNet(1)
	st := net.state()
	var rec ttfs.Record
	in := net.in[0]
	gradET.RecordLayer(st.hid[:net.nHid], in, net.w1, &st.fs, &rec)
	dHid := st.dHid[:net.nHid]
	for j := range dHid {
		dHid[j] = 0.1 * float64(j%3-1)
	}
	LayerBackwardRecorded(gradET, &rec, in, st.hid[:net.nHid], net.w1, dHid, 0.2, st.g1, nil, &st.bs)
	allocs := testing.AllocsPerRun(5, func() {
		LayerBackwardRecorded(gradET, &rec, in, st.hid[:net.nHid], net.w1, dHid, 0.2, st.g1, nil, &st.bs)
	})
	require.Zero(t, allocs)
}

// TestDeferredFirstLayerGradientSameBits checks that the first layer's weight gradient summed
// row by row over a chunk of samples (etDeferred) has the bits of the one summed sample by
// sample: on wide and narrow layers, samples with few inputs among deferred ones, with column drops, overflowing sums (the per-neuron
// path, which must flush the held terms first), samples without a record, a second gradient
// written in between (another layer's), inputs spread so wide that every neuron takes the
// per-neuron path, and more samples than an etDeferred holds.
func TestDeferredFirstLayerGradientSameBits(t *testing.T) {
	r := rand.New(rand.NewPCG(43, 44))
	var fs ttfs.Scratch
	for trial := range 40 {
		p := gradET
		n, m := 1+r.IntN(200), 1+r.IntN(60)
		if trial%4 == 0 {
			n = 1 + r.IntN(16) // inputs not sorted for the backward pass: no deferral
		}
		w := make([]float64, n*m)
		for i := range w {
			w[i] = (0.3 + r.NormFloat64()) * 4 / math.Sqrt(float64(n))
		}
		samples := 1 + r.IntN(etDeferredSamples+20)
		var direct, deferred BackwardScratch
		var hold etDeferred
		deferred.deferred = &hold
		gDirect, gDeferred := make([]float64, n*m), make([]float64, n*m)
		oDirect, oDeferred := make([]float64, n*m), make([]float64, n*m)
		dIn := make([]float64, n)
		for range samples {
			in := make([]float64, n)
			for i := range in {
				if r.IntN(6) == 0 {
					in[i] = math.Inf(1)
				} else {
					in[i] = 3 * r.Float64()
				}
			}
			if trial%4 == 1 && r.IntN(3) == 0 {
				for i := 16; i < n; i++ {
					in[i] = math.Inf(1) // at most 16 causal inputs: this sample is not deferred
				}
			}
			noRecord := r.IntN(8) == 0
			if noRecord && r.IntN(2) == 0 {
				in[0] = -1000 // spread beyond the shared frame: every neuron on the per-neuron path
			}
			ws := w
			if r.IntN(10) == 0 {
				ws = append([]float64(nil), w...)
				ws[0] *= 1e300 // neuron 0's shared sums overflow: per-neuron path
			}
			out := make([]float64, m)
			var rec ttfs.Record
			p.RecordLayer(out, in, ws, &fs, &rec)
			delta := make([]float64, m)
			for j := range delta {
				delta[j] = r.NormFloat64()
			}
			maxDw := []float64{0, 0.2, 0.05}[r.IntN(3)]
			switch {
			case noRecord:
				LayerBackward(p, in, out, ws, delta, maxDw, gDirect, nil, &direct)
				LayerBackward(p, in, out, ws, delta, maxDw, gDeferred, nil, &deferred)
			case r.IntN(7) == 0: // another layer's gradient, with ∂L/∂in
				LayerBackwardRecorded(p, &rec, in, out, ws, delta, maxDw, oDirect, dIn, &direct)
				LayerBackwardRecorded(p, &rec, in, out, ws, delta, maxDw, oDeferred, dIn, &deferred)
			default:
				LayerBackwardRecorded(p, &rec, in, out, ws, delta, maxDw, gDirect, nil, &direct)
				LayerBackwardRecorded(p, &rec, in, out, ws, delta, maxDw, gDeferred, nil, &deferred)
			}
		}
		hold.flush()
		for k := range gDirect {
			require.Equal(t, math.Float64bits(gDirect[k]), math.Float64bits(gDeferred[k]), "trial %d: gW[%d][%d] = %v, want %v", trial, k/m, k%m, gDeferred[k], gDirect[k])
			require.Equal(t, math.Float64bits(oDirect[k]), math.Float64bits(oDeferred[k]), "trial %d: other gW[%d][%d]", trial, k/m, k%m)
		}
	}
}

// TestSortLatestFirstByWindow checks that ordering the recorded neurons by spike window and
// then by insertion gives sortLatestFirst's order (decreasing time, ties by index) on wide and
// narrow layers, including equal spike times (equal inputs and weights: twin neurons).
func TestSortLatestFirstByWindow(t *testing.T) {
	r := rand.New(rand.NewPCG(45, 46))
	var fs ttfs.Scratch
	var rec ttfs.Record
	var s BackwardScratch
	for trial := range 200 {
		n, m := 17+r.IntN(100), 1+r.IntN(60)
		in := make([]float64, n)
		for i := range in {
			in[i] = 3 * r.Float64()
			if r.IntN(4) == 0 {
				in[i] = 2 // groups of equal times
			}
		}
		w := make([]float64, n*m)
		for i := range w {
			w[i] = (0.3 + r.NormFloat64()) * 4 / math.Sqrt(float64(n))
		}
		for j := 1; j < m; j += 3 { // twins of their left neighbour: equal spike times
			for i := range n {
				w[i*m+j] = w[i*m+j-1]
			}
		}
		out := make([]float64, m)
		gradET.RecordLayer(out, in, w, &fs, &rec)
		s.act, s.inIdx = s.act[:0], s.inIdx[:0]
		lastWin := -1
		for j, to := range out {
			if win, _ := rec.Spike(j); win >= 0 && finite(to) {
				s.act = append(s.act, int32(j))
				lastWin = max(lastWin, win)
			}
		}
		for i := range n {
			s.inIdx = append(s.inIdx, int32(i))
		}
		want := append([]int32(nil), s.act...)
		s.act = want
		s.sortLatestFirst(out)
		want = append([]int32(nil), s.act...)
		for k := len(s.act) - 1; k > 0; k-- { // shuffle: the result must not depend on the start
			z := r.IntN(k + 1)
			s.act[k], s.act[z] = s.act[z], s.act[k]
		}
		s.actWin = s.actWin[:0]
		for _, j := range s.act {
			win, _ := rec.Spike(int(j))
			s.actWin = append(s.actWin, int32(win))
		}
		s.sortLatestFirstByWindow(out, lastWin)
		require.True(t, s.sorted)
		require.Equal(t, want, s.act, "trial %d", trial)
	}
}
