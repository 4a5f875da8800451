package neurons

import (
	"math"
	"math/bits"
	"slices"
)

// ttfsPair is an input time as an order-preserving integer key and the input's index.
type ttfsPair struct {
	key uint64
	idx int32
}

// ttfsKey maps a finite time to an integer key with the same order; −0 and +0 get the same key.
func ttfsKey(t float64) uint64 {
	b := math.Float64bits(t + 0) // t + 0 turns −0 into +0
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

// ttfsInsertionSize is the length up to which insertion sort is used.
const ttfsInsertionSize = 24

func ttfsInsertionSort(p []ttfsPair) {
	for i := 1; i < len(p); i++ {
		v := p[i]
		j := i
		for j > 0 && p[j-1].key > v.key {
			p[j] = p[j-1]
			j--
		}
		p[j] = v
	}
}

// ttfsSort sorts p by key; pairs with equal keys keep their order, so that group sums are
// always formed in input order. tmp must be as long as p; count is scratch.
//
// Keys are bucketed by their leading bits above the smallest key in one stable counting pass
// (O(n): float64 bit patterns are close to logarithmic, so spike times in a range of a few
// τ spread well), and each bucket is finished by insertion sort, by nothing if all its keys are
// equal (the hundreds of MNIST background pixels that spike at exactly t = 2), or by a stable
// merge sort if it is large, so clustered keys cannot make the sort quadratic.
func ttfsSort(p, tmp []ttfsPair, count *[]int32) {
	n := len(p)
	if n <= ttfsInsertionSize {
		ttfsInsertionSort(p)
		return
	}
	lo, hi := p[0].key, p[0].key
	for _, v := range p[1:] {
		lo = min(lo, v.key)
		hi = max(hi, v.key)
	}
	if lo == hi {
		return
	}
	nbits := bits.Len(uint(n))
	shift := max(bits.Len64(hi-lo)-nbits, 0)
	nb := int((hi-lo)>>shift) + 1
	if cap(*count) < nb+1 {
		*count = make([]int32, nb+1)
	}
	c := (*count)[:nb+1]
	clear(c)
	for _, v := range p {
		c[(v.key-lo)>>shift+1]++
	}
	for b := 1; b <= nb; b++ {
		c[b] += c[b-1]
	}
	tmp = tmp[:n]
	for _, v := range p {
		b := (v.key - lo) >> shift
		tmp[c[b]] = v
		c[b]++
	}
	// c[b] is now the end of bucket b.
	start := int32(0)
	for b := 0; b < nb; b++ {
		end := c[b]
		if end-start > 1 {
			ttfsSortBucket(tmp[start:end])
		}
		start = end
	}
	copy(p, tmp)
}

func ttfsSortBucket(q []ttfsPair) {
	if len(q) <= ttfsInsertionSize {
		ttfsInsertionSort(q)
		return
	}
	k := q[0].key
	for _, v := range q[1:] {
		if v.key != k {
			slices.SortStableFunc(q, func(a, b ttfsPair) int {
				switch {
				case a.key < b.key:
					return -1
				case a.key > b.key:
					return 1
				}
				return 0
			})
			return
		}
	}
}
