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

// ttfsKeyTime inverts ttfsKey.
func ttfsKeyTime(k uint64) float64 {
	if k>>63 != 0 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
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

// ttfsStream puts pairs in key order lazily: init distributes them into buckets by their
// leading key bits above the smallest key in one stable counting pass (O(n): float64 bit
// patterns are close to logarithmic, so spike times in a range of a few τ spread well), and
// each bucket is sorted only when the scan reaches it, so that a layer whose neurons all fire
// early never sorts its late inputs. A bucket is finished by insertion sort, by nothing if all
// its keys are equal (the hundreds of MNIST background pixels at exactly t = 2), or by a
// stable merge sort if it is large, so clustered keys cannot make the sort quadratic.
type ttfsStream struct {
	p      []ttfsPair // the pairs, bucket by bucket; p[:sorted] is in final order
	ends   []int32    // end of each bucket in p
	count  []int32    // scratch for the counting pass
	next   int        // next bucket to sort
	sorted int
	lo, hi uint64 // smallest and largest key
}

// init distributes p into tmp (as long as p), which becomes the stream's storage.
func (st *ttfsStream) init(p, tmp []ttfsPair) {
	n := len(p)
	st.next, st.sorted = 0, 0
	if n == 0 {
		st.p = p
		return
	}
	if n <= ttfsInsertionSize {
		ttfsInsertionSort(p)
		st.p, st.sorted = p, n
		st.lo, st.hi = p[0].key, p[n-1].key
		return
	}
	lo, hi := p[0].key, p[0].key
	for _, v := range p[1:] {
		lo = min(lo, v.key)
		hi = max(hi, v.key)
	}
	st.lo, st.hi = lo, hi
	if lo == hi {
		st.p, st.sorted = p, n
		return
	}
	nbits := bits.Len(uint(n)) - 1 // about two inputs per bucket
	shift := max(bits.Len64(hi-lo)-nbits, 0)
	nb := int((hi-lo)>>shift) + 1
	if cap(st.count) < nb+1 {
		st.count = make([]int32, nb+1)
	}
	c := st.count[:nb+1]
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
	st.p, st.ends = tmp, c[:nb] // c[b] is now the end of bucket b
}

// ensure sorts the buckets up to and including the one that holds position i < len(p).
func (st *ttfsStream) ensure(i int) {
	if i < st.sorted {
		return
	}
	st.sortTo(i)
}

func (st *ttfsStream) sortTo(i int) {
	for i >= st.sorted {
		end := int(st.ends[st.next])
		if end-st.sorted > 1 {
			ttfsSortBucket(st.p[st.sorted:end])
		}
		st.sorted = end
		st.next++
	}
}

func (st *ttfsStream) sortAll() {
	if len(st.p) > 0 {
		st.ensure(len(st.p) - 1)
	}
}

// ttfsBinaryInsertionSort is a stable insertion sort that finds each position by bisection and
// moves the larger keys with one copy: O(n log n) comparisons and fast block moves, for the
// up to 64 inputs of FirstSpike.
func ttfsBinaryInsertionSort(p []ttfsPair) {
	for i := 1; i < len(p); i++ {
		v := p[i]
		if p[i-1].key <= v.key {
			continue
		}
		lo, hi := 0, i-1 // the first position with a key > v.key is in [lo, hi]
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if p[m].key > v.key {
				hi = m
			} else {
				lo = m + 1
			}
		}
		copy(p[lo+1:i+1], p[lo:i])
		p[lo] = v
	}
}

func ttfsSortBucket(q []ttfsPair) {
	if len(q) <= ttfsInsertionSize {
		ttfsInsertionSort(q)
		return
	}
	k := q[0].key
	for _, v := range q[1:] {
		if v.key != k {
			slices.SortStableFunc(q, ttfsCompare)
			return
		}
	}
}

func ttfsCompare(a, b ttfsPair) int {
	switch {
	case a.key < b.key:
		return -1
	case a.key > b.key:
		return 1
	}
	return 0
}
