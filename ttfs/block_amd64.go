//go:build amd64 && !purego

package ttfs

import "github.com/firstspike/firstspike/internal/simd"

// haveAVX2 reports whether the processor and the operating system support AVX2.
var haveAVX2 = simd.AVX2

// stepBlocksAVX2 is stepBlocksGo on four neurons per instruction. a, u, un and w
// point at the first element of slices that hold all neurons of the blocks in live, and masks
// at len(live) bytes.
//
//go:noescape
func stepBlocksAVX2(a, u, un, w, ws *float64, live []int32, masks *uint8, e, dx, lim, c0 float64, peaks bool) bool

// stepBlocks adds the window's weights to the live blocks' sums: a[n] += weights[n]·e and
// un[n] = u[n] + a[n]·dx, and, if ws is not nil, ws[n] += weights[n]; it sets bit j of
// masks[i] if neuron j of block live[i] passes the window tests (windowTests) or, if
// coarse, the one test un ≥ coarseLimit(c0, cn), which every neuron passes that passes the window
// tests. It reports whether any bit is set. The results are bit-identical to
// stepBlocksGo's.
func stepBlocks(a, u, un, weights, ws []float64, live []int32, masks []uint8, e, dx, cn, c0 float64, coarse bool) bool {
	if !haveAVX2 || len(live) == 0 {
		return stepBlocksGo(a, u, un, weights, ws, live, masks, e, dx, cn, c0, coarse)
	}
	end := (int(live[len(live)-1]) + 1) * blockSize // live is increasing
	if len(a) < end || len(u) < end || len(un) < end || len(weights) < end || len(masks) < len(live) || ws != nil && len(ws) < end {
		panic("ttfs: stepBlocks: slices shorter than the live blocks")
	}
	var wsp *float64
	if ws != nil {
		wsp = &ws[0]
	}
	lim := cn
	if coarse {
		lim = coarseLimit(c0, cn)
	}
	return stepBlocksAVX2(&a[0], &u[0], &un[0], &weights[0], wsp, live, &masks[0], e, dx, lim, c0, !coarse)
}

// accumulateRowsAVX2 is accumulateRowsGo on the first 4·n4 entries of dst.
//
//go:noescape
func accumulateRowsAVX2(dst, w *float64, idx []int32, stride, n4 int, neg bool)

// accumulateRows adds the rows idx of the matrix w (row k starts at idx[k]·stride) to dst,
// or subtracts them if neg, row after row: the results are bit-identical to
// accumulateRowsGo's.
func accumulateRows(dst, w []float64, idx []int32, stride int, neg bool) {
	n4 := len(dst) / 4
	if !haveAVX2 || n4 == 0 || len(idx) == 0 {
		accumulateRowsGo(dst, w, idx, stride, neg)
		return
	}
	for _, i := range idx {
		if i < 0 || int(i)*stride+len(dst) > len(w) {
			panic("ttfs: accumulateRows: row out of range")
		}
	}
	accumulateRowsAVX2(&dst[0], &w[0], idx, stride, n4, neg)
	if tail := 4 * n4; tail < len(dst) {
		accumulateRowsGo(dst[tail:], w[tail:], idx, stride, neg)
	}
}
