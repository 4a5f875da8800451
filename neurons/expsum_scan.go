package neurons

import "math"

// The scan walks the levels lazily from s = 0 upward. Level k is monotone between
// consecutive sign changes of level k+1 (its derivative, up to a positive factor), so each
// such piece holds at most one sign change of level k, found by a bracketed Newton
// iteration. Level 0 only asks for pieces until the first one on which it turns
// non-negative, and each level below computes only as many roots as the level above needs.

// scanFirst returns the smallest s in [0, hi] with level 0 ≥ 0, or +Inf.
func (sv *expsSolver) scanFirst() float64 {
	inf := math.Inf(1)
	for k := range sv.lv {
		sv.state[k] = expsLevelState{}
	}
	h0, _ := expsEval(sv.lv[0], 0)
	if h0 >= 0 {
		return 0
	}
	st := &sv.state[0]
	st.pos, st.hpos = 0, h0
	for {
		sv.pieceEnd(0)
		a, ha := st.pos, st.hpos
		if st.last && math.IsInf(st.end, 1) {
			if expsLimitSign(sv.lv, 0) <= 0 {
				return inf
			}
			a, ha, b, hb, ok := sv.expand(0, a, ha, 1)
			if !ok {
				return inf
			}
			return sv.solve(0, a, ha, b, hb)
		}
		b, hb := st.end, st.hend
		if hb >= 0 {
			return sv.solve(0, a, ha, b, hb)
		}
		if st.last {
			return inf
		}
		st.pos, st.hpos = b, hb
		st.haveEnd = false
	}
}

// pieceEnd finds the right end of the current piece of level k: the next sign change of
// level k+1, or hi.
func (sv *expsSolver) pieceEnd(k int) {
	st := &sv.state[k]
	if st.haveEnd {
		return
	}
	st.haveEnd = true
	if k+1 < len(sv.lv) {
		if r, ok := sv.nextRoot(k + 1); ok && r < sv.hi {
			st.end = r
			st.hend, _ = expsEval(sv.lv[k], r)
			st.last = false
			return
		}
	}
	st.end, st.last = sv.hi, true
	if !math.IsInf(sv.hi, 1) {
		st.hend, _ = expsEval(sv.lv[k], sv.hi)
	}
}

// nextRoot returns the next sign change of level k ≥ 1 in (pos, hi), in increasing order.
func (sv *expsSolver) nextRoot(k int) (float64, bool) {
	st := &sv.state[k]
	if st.exhausted {
		return 0, false
	}
	lv := sv.lv[k]
	if expsRank(lv) <= 1 {
		st.exhausted = true // constant sign
		return 0, false
	}
	if expsRank(lv) == 2 {
		st.exhausted = true
		r := expsRank2Root(lv)
		return r, r < sv.hi
	}
	if !st.started { // first call: start at 0
		st.started = true
		st.pos = 0
		st.hpos, _ = expsEval(lv, 0)
	}
	for {
		sv.pieceEnd(k)
		a, ha := st.pos, st.hpos
		if st.last && math.IsInf(st.end, 1) {
			st.exhausted = true
			sg := expsLimitSign(sv.lv, k)
			if sg == 0 || ha == 0 || lifSign(ha) == sg {
				return 0, false
			}
			a, ha, b, hb, ok := sv.expand(k, a, ha, sg)
			if !ok {
				return 0, false
			}
			return sv.solve(k, a, ha, b, hb), true
		}
		b, hb := st.end, st.hend
		st.pos, st.hpos = b, hb
		st.haveEnd = false
		if st.last {
			st.exhausted = true
		}
		if ha < 0 && hb > 0 || ha > 0 && hb < 0 {
			return sv.solve(k, a, ha, b, hb), true
		}
		if hb == 0 && ha != 0 && !st.last {
			return b, true
		}
		if st.exhausted {
			return 0, false
		}
	}
}

// expand looks beyond a for a point b where level k has the sign sg (for level 0: is ≥ 0),
// stepping by doubling multiples of the level's slowest time scale. It returns the last
// point passed (where the sign was still that of a) as the new left end.
func (sv *expsSolver) expand(k int, a, ha float64, sg int) (float64, float64, float64, float64, bool) {
	lv := sv.lv[k]
	step := expsSlowTime(lv)
	for range 2100 {
		b := a + step
		if math.IsInf(b, 1) || b == a {
			return 0, 0, 0, 0, false
		}
		hb, _ := expsEval(lv, b)
		if k == 0 && hb >= 0 || k > 0 && lifSign(hb) == sg {
			return a, ha, b, hb, true
		}
		a, ha = b, hb
		step *= 2
	}
	return 0, 0, 0, 0, false
}

// solve returns the sign change of level k in (a, b]; ha and hb are the level at a and b, of
// opposite signs (for level 0: ha < 0 ≤ hb). For level 0 the result is where the level, as
// computed, turns non-negative.
func (sv *expsSolver) solve(k int, a, ha, b, hb float64) float64 {
	lv := sv.lv[k]
	sg := 1.0
	if ha > 0 {
		sg = -1
	}
	var br solveBracket
	x := br.start(a, sg*ha, b, sg*hb)
	for done := x == b && b-a <= solveTol(a, b); !done; {
		h, dh := expsEval(lv, x)
		x, done = br.update(x, sg*h, sg*dh)
	}
	return x
}
