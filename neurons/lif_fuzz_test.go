package neurons

import (
	"math"
	"testing"
)

// FuzzLIFNextCrossing checks NextCrossing on arbitrary neurons and states: never NaN, a time
// in [0, horizon] or +Inf, V ≈ Threshold there by Propagate and not clearly above it just
// before, and no crossing that a grid search on the textbook membrane finds earlier.
func FuzzLIFNextCrossing(f *testing.F) {
	f.Add(uint8(2), 20.0, 5.0, 10.0, -60.0, 10.0, -20.0, -50.0, -49.0, math.Inf(1)) // CUBA
	f.Add(uint8(2), 20.0, 5.0, 10.0, -50.2, 3.0, -1.0, -50.0, -49.0, 5.0)
	f.Add(uint8(1), 1.0, 1.0, 1.0, 0.0, 3.0, 0.0, 1.0, 0.0, math.Inf(1))        // τs = τm
	f.Add(uint8(1), 2.0, 1.0, 1.0, 0.0, 10.0, 0.0, 1.0, 0.0, math.Inf(1))       // τm = 2τs
	f.Add(uint8(2), 10.0, 10.00000001, 3.0, 0.0, 25.0, -3.0, 5.0, 0.0, 100.0)   // near-equal
	f.Add(uint8(2), 10.0, 3.0, 7.0, 0.0, 30.0, -10.0, 2.0, 0.0, math.Inf(1))    // general
	f.Add(uint8(0), 10.0, 1.0, 1.0, -55.0, 0.0, 0.0, -50.0, -40.0, math.Inf(1)) // no receptor
	f.Add(uint8(2), 20.0, 100.0, 10.0, -5.0, 2.0, -1.0, 1.0, 0.0, 1000.0)       // slow synapse
	f.Fuzz(func(t *testing.T, nrec uint8, tm, t0, t1, v, i0, i1, threshold, rest, horizon float64) {
		for _, x := range []float64{tm, t0, t1} {
			if !(x >= 1e-3 && x <= 1e3) {
				t.Skip()
			}
		}
		for _, x := range []float64{v, i0, i1, threshold, rest} {
			if !(math.Abs(x) <= 1e4) {
				t.Skip()
			}
		}
		if math.IsNaN(horizon) {
			t.Skip()
		}
		horizon = math.Abs(horizon)
		k := int(nrec % 3)
		p := LIF{TauMem: tm, TauSyn: []float64{t0, t1}[:k], Threshold: threshold, Reset: threshold - 1, Rest: rest}
		if p.Validate() != nil {
			t.Skip()
		}
		cur := []float64{i0, i1}[:k]
		s := p.NextCrossing(v, append([]float64(nil), cur...), horizon)
		if math.IsNaN(s) || s < 0 || (s > horizon && !math.IsInf(s, 1)) {
			t.Fatalf("NextCrossing = %v (horizon %v)", s, horizon)
		}
		if v >= threshold {
			if s != 0 {
				t.Fatalf("v ≥ Threshold, NextCrossing = %v", s)
			}
			return
		}
		scale := math.Abs(v-rest) + math.Abs(threshold-rest) + math.Abs(rest)*1e-3
		tmax := tm
		for j := range k {
			tk := p.TauSyn[j]
			scale += math.Abs(cur[j]) * math.Max(1, tk/math.Abs(tk-tm)*1e-3)
			tmax = math.Max(tmax, tk)
		}
		tol := 1e-9 * scale
		if !math.IsInf(s, 1) {
			c := append([]float64(nil), cur...)
			if vs := p.Propagate(v, c, s); vs < threshold-tol || (s > 0 && vs > threshold+tol) {
				t.Fatalf("NextCrossing = %v, but V there is %v, Threshold %v", s, vs, threshold)
			}
			if s > 0 {
				c := append([]float64(nil), cur...)
				if vb := p.Propagate(v, c, s*(1-1e-6)); vb > threshold+tol {
					t.Fatalf("NextCrossing = %v, but V(%v) = %v > Threshold %v", s, s*(1-1e-6), vb, threshold)
				}
			}
		}
		const n = 1000
		end := math.Min(horizon, 40*tmax)
		if j := refGrid(&p, v-rest, cur, threshold-rest, end, n, 10*tol); j >= 0 {
			if sj := end * float64(j) / n; !(s <= sj) {
				t.Fatalf("NextCrossing = %v, but u(%v) − θ = %v", s, sj, refU(&p, v-rest, cur, sj)-(threshold-rest))
			}
		}
	})
}
