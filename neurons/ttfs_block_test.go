package neurons

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTTFSStepBlocksMatchesGo checks that the window step of wide layers gives the same bits
// as its portable form, on sums with NaN (fired neurons), infinities, signed zeros, and window
// tests that hold with equality.
func TestTTFSStepBlocksMatchesGo(t *testing.T) {
	if !ttfsHaveAVX2 {
		t.Skip("no AVX2 step on this machine: ttfsStepBlocks is ttfsStepBlocksGo")
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
		n := nb*ttfsBlock + rng.IntN(ttfsBlock)
		a, u, w := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range a {
			a[i], u[i], w[i] = draw(), draw(), draw()
		}
		e, dx, cn := math.Abs(draw()), math.Abs(draw()), draw()
		if trial%5 == 0 { // tests at equality: un == cn, aj == u
			e, dx = 1, 0
			copy(u, a)
			cn = u[rng.IntN(n)]
		}
		var live []int32
		for b := range nb {
			if rng.IntN(4) != 0 {
				live = append(live, int32(b))
			}
		}
		aGo, unGo, maskGo := append([]float64(nil), a...), make([]float64, n), make([]uint8, len(live))
		aAsm, unAsm, maskAsm := append([]float64(nil), a...), make([]float64, n), make([]uint8, len(live))
		anyGo := ttfsStepBlocksGo(aGo, u, unGo, w, live, maskGo, e, dx, cn)
		anyAsm := ttfsStepBlocks(aAsm, u, unAsm, w, live, maskAsm, e, dx, cn)
		require.Equal(t, anyGo, anyAsm, "trial %d: any", trial)
		require.Equal(t, maskGo, maskAsm, "trial %d: masks", trial)
		for i := range n {
			require.Equal(t, math.Float64bits(aGo[i]), math.Float64bits(aAsm[i]), "trial %d: a[%d] = %v, want %v", trial, i, aAsm[i], aGo[i])
			require.Equal(t, math.Float64bits(unGo[i]), math.Float64bits(unAsm[i]), "trial %d: un[%d] = %v, want %v", trial, i, unAsm[i], unGo[i])
		}
	}
}
