//go:build !amd64 || purego

package neurons

const ttfsHaveAVX2 = false

func ttfsStepBlocks(a, u, un, weights, ws []float64, live []int32, masks []uint8, e, dx, cn, c0 float64, coarse bool) bool {
	return ttfsStepBlocksGo(a, u, un, weights, ws, live, masks, e, dx, cn, c0, coarse)
}

func ttfsAccumulateRows(dst, w []float64, idx []int32, stride int, neg bool) {
	ttfsAccumulateRowsGo(dst, w, idx, stride, neg)
}
