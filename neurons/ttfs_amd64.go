//go:build amd64 && !purego

package neurons

import "github.com/firstspike/firstspike/internal/simd"

// ttfsHaveAVX2 reports whether the processor and the operating system support AVX2.
var ttfsHaveAVX2 = simd.AVX2

// ttfsStepBlocksAVX2 is ttfsStepBlocksGo on four neurons per instruction. a, u, un and w
// point at the first element of slices that hold all neurons of the blocks in live, and masks
// at len(live) bytes.
//
//go:noescape
func ttfsStepBlocksAVX2(a, u, un, w, ws *float64, live []int32, masks *uint8, e, dx, lim, c0 float64, peaks bool) bool

// ttfsStepBlocks adds the window's weights to the live blocks' sums: a[n] += weights[n]·e and
// un[n] = u[n] + a[n]·dx, and, if ws is not nil, ws[n] += weights[n]; it sets bit j of
// masks[i] if neuron j of block live[i] passes the window tests (ttfsWindowTests) or, if
// coarse, the one test un ≥ ttfsCoarseLimit(c0, cn), which every neuron passes that passes the window
// tests. It reports whether any bit is set. The results are bit-identical to
// ttfsStepBlocksGo's.
func ttfsStepBlocks(a, u, un, weights, ws []float64, live []int32, masks []uint8, e, dx, cn, c0 float64, coarse bool) bool {
	if !ttfsHaveAVX2 || len(live) == 0 {
		return ttfsStepBlocksGo(a, u, un, weights, ws, live, masks, e, dx, cn, c0, coarse)
	}
	end := (int(live[len(live)-1]) + 1) * ttfsBlock // live is increasing
	if len(a) < end || len(u) < end || len(un) < end || len(weights) < end || len(masks) < len(live) || ws != nil && len(ws) < end {
		panic("neurons: ttfsStepBlocks: slices shorter than the live blocks")
	}
	var wsp *float64
	if ws != nil {
		wsp = &ws[0]
	}
	lim := cn
	if coarse {
		lim = ttfsCoarseLimit(c0, cn)
	}
	return ttfsStepBlocksAVX2(&a[0], &u[0], &un[0], &weights[0], wsp, live, &masks[0], e, dx, lim, c0, !coarse)
}

// ttfsAccumulateRowsAVX2 is ttfsAccumulateRowsGo on the first 4·n4 entries of dst.
//
//go:noescape
func ttfsAccumulateRowsAVX2(dst, w *float64, idx []int32, stride, n4 int, neg bool)

// ttfsAccumulateRows adds the rows idx of the matrix w (row k starts at idx[k]·stride) to dst,
// or subtracts them if neg, row after row: the results are bit-identical to
// ttfsAccumulateRowsGo's.
func ttfsAccumulateRows(dst, w []float64, idx []int32, stride int, neg bool) {
	n4 := len(dst) / 4
	if !ttfsHaveAVX2 || n4 == 0 || len(idx) == 0 {
		ttfsAccumulateRowsGo(dst, w, idx, stride, neg)
		return
	}
	for _, i := range idx {
		if i < 0 || int(i)*stride+len(dst) > len(w) {
			panic("neurons: ttfsAccumulateRows: row out of range")
		}
	}
	ttfsAccumulateRowsAVX2(&dst[0], &w[0], idx, stride, n4, neg)
	if tail := 4 * n4; tail < len(dst) {
		ttfsAccumulateRowsGo(dst[tail:], w[tail:], idx, stride, neg)
	}
}
