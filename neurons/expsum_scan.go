package neurons

import "math"

// The scan walks the levels lazily from s = 0 upward. Level k is monotone between
// consecutive sign changes of level k+1 (its derivative, up to a positive factor), so each
// such piece holds at most one sign change of level k, found by a bracketed Newton
// iteration. Level 0 only asks for pieces until the first one on which it turns
// non-negative, and each level below computes only as many roots as the level above needs.

// scanFirst returns the smallest s in [0, hi] with level 0 ≥ 0, or +Inf.
func (sv *solver) scanFirst() float64 {
	inf := math.Inf(1)
	for k := range sv.n {
		sv.state[k] = levelState{}
	}
	st := &sv.state[0]
	st.hpos, st.dpos = eval(sv.lv0, 0)
	if st.hpos >= 0 {
		return 0
	}
	for {
		sv.pieceEnd(0)
		if st.last && math.IsInf(st.end, 1) {
			if sv.limitSign(0) <= 0 || !sv.expand(0, st, 1) {
				return inf
			}
		}
		if st.hend >= 0 {
			return sv.solve(0, st)
		}
		if st.last {
			return inf
		}
		sv.advance(st)
	}
}

// pieceEnd finds the right end of the current piece of level k: the next sign change of
// level k+1, or hi.
func (sv *solver) pieceEnd(k int) {
	st := &sv.state[k]
	if st.haveEnd {
		return
	}
	st.haveEnd = true
	st.end, st.last = sv.hi, true
	if k+1 < sv.n {
		if r, ok := sv.nextRoot(k + 1); ok && r < sv.hi {
			st.end, st.last = r, false
		}
	}
	if !math.IsInf(st.end, 1) {
		st.hend, st.dend = eval(sv.level(k), st.end)
	}
}

// advance moves the scan of a level to its next piece.
func (sv *solver) advance(st *levelState) {
	st.pos, st.hpos, st.dpos = st.end, st.hend, st.dend
	st.haveEnd = false
	st.exhausted = st.last
}

// nextRoot returns the next sign change of level k ≥ 1 in (pos, hi), in increasing order.
func (sv *solver) nextRoot(k int) (float64, bool) {
	st := &sv.state[k]
	if st.exhausted {
		return 0, false
	}
	lv := sv.level(k)
	switch rank(lv) {
	case 0, 1:
		st.exhausted = true // constant sign
		return 0, false
	case 2:
		st.exhausted = true
		r := rank2Root(lv)
		return r, r < sv.hi
	}
	if !st.started {
		st.started = true
		st.hpos, st.dpos = eval(lv, 0)
	}
	for {
		sv.pieceEnd(k)
		ha := st.hpos
		if st.last && math.IsInf(st.end, 1) {
			st.exhausted = true
			sg := sv.limitSign(k)
			if sg == 0 || ha == 0 || sign(ha) == sg || !sv.expand(k, st, sg) {
				return 0, false
			}
			return sv.solve(k, st), true
		}
		hb, b := st.hend, st.end
		if ha < 0 && hb > 0 || ha > 0 && hb < 0 {
			r := sv.solve(k, st)
			sv.advance(st)
			return r, true
		}
		sv.advance(st)
		if hb == 0 && ha != 0 && !st.exhausted {
			return b, true
		}
		if st.exhausted {
			return 0, false
		}
	}
}

// expand replaces the infinite end of the current piece of level k by a finite one where the
// level has the sign sg (for level 0: is ≥ 0), stepping beyond pos by doubling multiples of
// the level's slowest time scale; pos follows, since the sign there is still the old one.
// It reports false if no such point is found.
func (sv *solver) expand(k int, st *levelState, sg int) bool {
	lv := sv.level(k)
	step := slowTime(lv)
	for range 2100 {
		b := st.pos + step
		if math.IsInf(b, 1) || b == st.pos {
			return false
		}
		hb, db := eval(lv, b)
		if k == 0 && hb >= 0 || k > 0 && sign(hb) == sg {
			st.end, st.hend, st.dend = b, hb, db
			return true
		}
		st.pos, st.hpos, st.dpos = b, hb, db
		step *= 2
	}
	return false
}

// solve returns the sign change of level k in the current piece of st, whose ends have
// opposite signs (for level 0: hpos < 0 ≤ hend). For level 0 the result is where the level,
// as computed, turns non-negative.
func (sv *solver) solve(k int, st *levelState) float64 {
	lv := sv.level(k)
	sg := 1.0
	if st.hpos > 0 {
		sg = -1
	}
	rel := solveEps
	if k > 0 {
		rel = solveEpsSplit
	}
	var br solveBracket
	x := br.start(st.pos, sg*st.hpos, sg*st.dpos, st.end, sg*st.hend, sg*st.dend, rel)
	for done := br.closed(); !done; {
		h, dh, d2h := eval2(lv, x)
		x, done = br.update(x, sg*h, sg*dh, sg*d2h)
	}
	return x
}
