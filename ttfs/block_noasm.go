//go:build !amd64 || purego

package ttfs

const haveAVX2 = false

func stepBlocks(a, u, un, weights, ws []float64, live []int32, masks []uint8, e, dx, cn, c0 float64, coarse bool) bool {
	return stepBlocksGo(a, u, un, weights, ws, live, masks, e, dx, cn, c0, coarse)
}

func accumulateRows(dst, w []float64, idx []int32, stride int, neg bool) {
	accumulateRowsGo(dst, w, idx, stride, neg)
}
