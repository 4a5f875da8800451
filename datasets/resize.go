package datasets

import (
	"fmt"
	"math"
)

// Resize16 crops the centre 24×24 pixels (rows and columns 2 to 25) of a 28×28 MNIST image
// src and shrinks them to the 16×16 image dst (both row-major, 0 = background), as the
// reference's torchvision CenterCrop(24) and Resize(16) do with Pillow's bilinear filter.
//
// The resampling follows Pillow's Image.resize(…, BILINEAR) step by step: a triangle filter
// stretched to the scale (support 1.5 input pixels at scale 1.5, so antialiased), weights
// normalised per output pixel and rounded to 22-bit fixed point, a horizontal pass then a
// vertical pass, each rounded to uint8. It reproduces Pillow 9.4 bit for bit on every
// MNIST image (see the tests).
//
// Resize16 panics if len(src) ≠ 784 or len(dst) ≠ 256. It does not allocate.
func Resize16(dst, src []uint8) {
	const w, crop, off, out = 28, 24, 2, 16
	if len(src) != w*w || len(dst) != out*out {
		panic(fmt.Sprintf("datasets: Resize16 needs 784 source and 256 destination pixels, got %d and %d", len(src), len(dst)))
	}
	var mid [crop * out]uint8 // crop rows × out columns after the horizontal pass
	k := &shrink24to16
	for y := range crop {
		row := src[(y+off)*w+off : (y+off)*w+off+crop]
		for x := range out {
			mid[y*out+x] = k.apply(x, row, 1)
		}
	}
	for y := range out {
		for x := range out {
			dst[y*out+x] = k.apply(y, mid[x:], out)
		}
	}
}

// fixedBits is the precision of Pillow's 8-bit resampling weights.
const fixedBits = 32 - 8 - 2

// resampleKernel holds, per output pixel, the first input pixel and the fixed-point weights
// of the input pixels it averages.
type resampleKernel struct {
	first   []int
	weights [][]int32
}

// shrink24to16 is the kernel that takes 24 pixels to 16; it is computed once and only read.
var shrink24to16 = newBilinearKernel(24, 16)

// newBilinearKernel computes Pillow's bilinear resampling weights for inSize → outSize
// pixels (precompute_coeffs and normalize_coeffs_8bpc in Pillow's Resample.c).
func newBilinearKernel(inSize, outSize int) resampleKernel {
	scale := float64(inSize) / float64(outSize)
	filterScale := max(scale, 1)
	support := 1 * filterScale // the triangle's support is 1 at scale 1
	invScale := 1 / filterScale
	k := resampleKernel{first: make([]int, outSize), weights: make([][]int32, outSize)}
	for xx := range outSize {
		center := float64(float64(xx)+0.5) * scale
		// Pillow rounds with a C cast (truncation toward zero) of value + 0.5.
		lo := max(int(center-support+0.5), 0)
		hi := min(int(center+support+0.5), inSize)
		w := make([]float64, hi-lo)
		var sum float64
		for i := range w {
			x := float64(float64(i+lo)-center+0.5) * invScale
			w[i] = max(1-math.Abs(x), 0)
			sum += w[i]
		}
		fixed := make([]int32, len(w))
		for i := range w {
			if sum != 0 {
				w[i] /= sum
			}
			fixed[i] = int32(0.5 + w[i]*(1<<fixedBits)) // w ≥ 0, so this rounds half up
		}
		k.first[xx], k.weights[xx] = lo, fixed
	}
	return k
}

// apply returns output pixel o of a line whose input pixel i is line[i*stride]: the
// fixed-point weighted sum, rounded and clamped to uint8 as Pillow does.
func (k *resampleKernel) apply(o int, line []uint8, stride int) uint8 {
	acc := int32(1 << (fixedBits - 1))
	j := k.first[o] * stride
	for _, w := range k.weights[o] {
		acc += int32(line[j]) * w
		j += stride
	}
	v := acc >> fixedBits
	return uint8(max(0, min(v, 255)))
}
