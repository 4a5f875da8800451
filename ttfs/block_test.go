package ttfs

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestStepBlocksMatchesGo checks that the window step of wide layers gives the same bits
// as its portable form, on sums with NaN (fired neurons), infinities, signed zeros, and window
// tests that hold with equality.
func TestStepBlocksMatchesGo(t *testing.T) {
	if !haveAVX2 {
		t.Skip("no AVX2 step on this machine: stepBlocks is stepBlocksGo")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1, -1, 2}
	draw := func() float64 {
		if rng.IntN(10) == 0 {
			return special[rng.IntN(len(special))]
		}
		return rng.NormFloat64() * math.Exp(4*rng.NormFloat64())
	}
	for trial := range 2000 {
		nb := 1 + rng.IntN(12)
		n := nb*blockSize + rng.IntN(blockSize)
		a, u, w := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range a {
			a[i], u[i], w[i] = draw(), draw(), draw()
		}
		e, dx, cn, c0 := math.Abs(draw()), math.Abs(draw()), draw(), draw()
		if trial%5 == 0 { // tests at equality: un == cn, aj == u
			e, dx = 1, 0
			copy(u, a)
			cn = u[rng.IntN(n)]
			c0 = a[rng.IntN(n)]
		}
		coarse := trial%3 == 0
		var live []int32
		for b := range nb {
			if rng.IntN(4) != 0 {
				live = append(live, int32(b))
			}
		}
		aGo, unGo, maskGo := append([]float64(nil), a...), make([]float64, n), make([]uint8, len(live))
		aAsm, unAsm, maskAsm := append([]float64(nil), a...), make([]float64, n), make([]uint8, len(live))
		var wsGo, wsAsm []float64 // the weight sums, kept on odd trials
		if trial%2 == 1 {
			wsGo = make([]float64, n)
			for i := range wsGo {
				wsGo[i] = draw()
			}
			wsAsm = append([]float64(nil), wsGo...)
		}
		anyGo := stepBlocksGo(aGo, u, unGo, w, wsGo, live, maskGo, e, dx, cn, c0, coarse)
		anyAsm := stepBlocks(aAsm, u, unAsm, w, wsAsm, live, maskAsm, e, dx, cn, c0, coarse)
		require.Equal(t, anyGo, anyAsm, "trial %d: any", trial)
		require.Equal(t, maskGo, maskAsm, "trial %d: masks", trial)
		for i := range n {
			requireSameFloat(t, aGo[i], aAsm[i], "trial %d: a[%d]", trial, i)
			requireSameFloat(t, unGo[i], unAsm[i], "trial %d: un[%d]", trial, i)
			if wsGo != nil {
				requireSameFloat(t, wsGo[i], wsAsm[i], "trial %d: ws[%d]", trial, i)
			}
		}
	}
}

// requireSameFloat requires got to have the bits of want, or both to be NaN: which NaN a sum
// of two NaNs gives depends on the order of its operands, which the compiler may swap.
func requireSameFloat(t *testing.T, want, got float64, msg string, args ...any) {
	t.Helper()
	if math.IsNaN(want) && math.IsNaN(got) {
		return
	}
	require.Equal(t, math.Float64bits(want), math.Float64bits(got), "%s = %v, want %v", fmt.Sprintf(msg, args...), got, want)
}

// TestLayerColumnSums checks that column sums, which let a group of equal times be summed
// from the rows outside it, give the times of the direct sum to rounding: MNIST-like layers
// (most inputs at t = 2), with silent inputs, while most neurons are live and after most
// have fired (per-block sums).
func TestLayerColumnSums(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	var direct, fromSums Scratch
	compared := 0
	for trial := range 60 {
		nOut := []int{10, 37, 350}[trial%3]
		in, w, _ := mnistLike(r, 784, nOut)
		for i := range in {
			if r.IntN(20) == 0 {
				in[i] = inf
			}
		}
		if trial%2 == 1 { // late background and strong weights: most neurons fire before it
			for i := range in {
				if in[i] == 2 {
					in[i] = 6
				}
			}
			for i := range w {
				w[i] *= 4
			}
		}
		for range 10 * (trial % 3) { // inputs after the group
			in[r.IntN(784)] = 8 + r.Float64()
		}
		cs := make([]float64, nOut)
		for i := range 784 {
			for j := range nOut {
				cs[j] += w[i*nOut+j]
			}
		}
		fromSums.ColumnSums = cs
		want, got := make([]float64, nOut), make([]float64, nOut)
		neuronET.Layer(want, in, w, &direct)
		neuronET.Layer(got, in, w, &fromSums)
		for j := range want {
			require.Equal(t, math.IsInf(want[j], 1), math.IsInf(got[j], 1), "trial %d neuron %d: %v vs %v", trial, j, got[j], want[j])
			if !math.IsInf(want[j], 1) {
				require.InDelta(t, want[j], got[j], 1e-11*(1+math.Abs(want[j])), "trial %d neuron %d", trial, j)
				compared++
			}
		}
	}
	require.Greater(t, compared, 1000)
	fromSums.ColumnSums = make([]float64, 3)
	in, w, _ := mnistLike(r, 784, 10)
	require.PanicsWithValue(t, "ttfs: Scratch.ColumnSums has 3 entries for 10 neurons", func() {
		neuronET.Layer(make([]float64, 10), in, w, &fromSums)
	})
}

// TestAccumulateRowsMatchesGo checks the vector row sums against their portable form,
// bit for bit, for lengths with and without a tail and both signs.
func TestAccumulateRowsMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for trial := range 300 {
		stride := 1 + r.IntN(60)
		nRows := 1 + r.IntN(40)
		w := make([]float64, nRows*stride)
		for i := range w {
			w[i] = r.NormFloat64() * math.Exp(6*r.NormFloat64())
		}
		n := 1 + r.IntN(stride)
		off := r.IntN(stride - n + 1)
		idx := make([]int32, r.IntN(50))
		for k := range idx {
			idx[k] = int32(r.IntN(nRows))
		}
		neg := trial%2 == 1
		want, got := make([]float64, n), make([]float64, n)
		for j := range want {
			want[j] = r.NormFloat64()
			got[j] = want[j]
		}
		accumulateRowsGo(want, w[off:], idx, stride, neg)
		accumulateRows(got, w[off:], idx, stride, neg)
		for j := range want {
			require.Equal(t, math.Float64bits(want[j]), math.Float64bits(got[j]), "trial %d: dst[%d] = %v, want %v", trial, j, got[j], want[j])
		}
	}
}

// TestStreamHasMajority checks the majority test against counting, on inputs with a
// majority time (first, last or inside the spread, also as ±0), just short of one, and none;
// with few inputs (not bucketed) and many, and with silent rows that count against it.
func TestStreamHasMajority(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	negZero := math.Copysign(0, -1)
	for trial := range 400 {
		n := []int{3, 20, 25, 101, 784}[trial%5]
		share := []float64{0.2, 0.49, 0.5, 0.51, 0.9}[(trial/5)%5]
		major := []float64{2, 0.15, 1, 0}[(trial/25)%4]
		times := make([]float64, n)
		for i := range times {
			switch {
			case r.Float64() < share && major == 0:
				times[i] = []float64{0, negZero}[r.IntN(2)]
			case r.Float64() < share:
				times[i] = major
			default:
				times[i] = 0.15 + 1.85*r.Float64()
			}
		}
		nRows := n + trial%3 // silent rows
		count := 0
		for _, v := range times {
			if v == major {
				count++
			}
		}
		var st stream
		st.init(finitePairs(nil, times), make([]pair, n))
		require.Equal(t, 2*count > nRows, st.hasMajority(nRows), "trial %d: n %d, %d of %d rows at %v", trial, n, count, nRows, major)
	}
}

// TestCoarseTestKeepsCrossings checks that every neuron that passes the window tests also
// passes the coarse step's one test, on random sums and on special values: the coarse step
// must never lose a crossing.
func TestCoarseTestKeepsCrossings(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1, -1, math.MaxFloat64, math.SmallestNonzeroFloat64}
	draw := func() float64 {
		if rng.IntN(4) == 0 {
			return special[rng.IntN(len(special))]
		}
		return rng.NormFloat64() * math.Exp(3*rng.NormFloat64())
	}
	passed := 0
	for range 200000 {
		a, u, un, c0, cn := draw(), draw(), draw(), draw(), draw()
		if rng.IntN(3) == 0 {
			un = c0 // at equality
		}
		if windowTests(a, u, un, c0, cn) {
			passed++
			require.GreaterOrEqual(t, un, coarseLimit(c0, cn), "a=%v u=%v un=%v c0=%v cn=%v", a, u, un, c0, cn)
		}
	}
	require.Greater(t, passed, 10000, "too few draws pass the window tests to check anything")
}
