package ttfs

import (
	"math"
	"slices"
)

// pair is a finite input time and the input's index.
type pair struct {
	t   float64
	idx int32
	bkt int32 // the bucket of t during stream.init
}

// finitePairs appends the finite times with their indices to dst.
func finitePairs(dst []pair, times []float64) []pair {
	n := len(dst)
	dst = slices.Grow(dst, len(times))[:n+len(times)]
	for i, t := range times {
		// Every pair is written and only the finite ones are kept: no branch to mispredict.
		dst[n] = pair{t: t, idx: int32(i)}
		if t-t == 0 { // false for ±Inf and NaN
			n++
		}
	}
	return dst[:n]
}

// insertionSize is the length up to which insertion sort is used.
const insertionSize = 24

func insertionSort(p []pair) {
	for i := 1; i < len(p); i++ {
		v := p[i]
		j := i
		for j > 0 && p[j-1].t > v.t {
			p[j] = p[j-1]
			j--
		}
		p[j] = v
	}
}

// stream puts pairs in time order lazily: init distributes them into about n/2 buckets of
// equal width between the earliest and the latest time in one counting pass, and each bucket
// is sorted only when the scan reaches it, so that a layer whose neurons all fire early never
// sorts its late inputs. A bucket is finished by insertion sort, by nothing if all its times
// are equal (the hundreds of MNIST background pixels at exactly t = 2), or by the standard
// library's sort if it is large, so clustered times cannot make the sort quadratic. Equal
// times (−0 and +0 included) end up adjacent, in an order that depends only on the input.
type stream struct {
	p        []pair  // the pairs, bucket by bucket; p[:sorted] is in final order
	ends     []int32 // end of each bucket in p
	spare    []pair  // as long as p and free, if p is bucketed: see sortBucket
	bucketed bool    // p is in buckets (ends holds their ends), else sorted
	subs     []int32 // sortBucket's bucket ends
	next     int     // next bucket to sort
	sorted   int
	lo, hi   float64 // earliest and latest time
}

// init distributes p into tmp (as long as p), which becomes the stream's storage.
func (st *stream) init(p, tmp []pair) {
	n := len(p)
	st.next, st.sorted, st.spare, st.bucketed = 0, 0, nil, false
	if n == 0 {
		st.p = p
		return
	}
	if n <= insertionSize {
		insertionSort(p)
		st.p, st.sorted = p, n
		st.lo, st.hi = p[0].t, p[n-1].t
		return
	}
	lo, hi := keyRange(p)
	tlo, thi := unkey(lo), unkey(hi)
	st.lo, st.hi = tlo, thi
	if lo == hi {
		st.p, st.sorted = p, n
		return
	}
	nb := n / 2
	scale := float64(nb) / (thi - tlo)
	if !(scale > 0 && scale <= math.MaxFloat64) {
		// A span that overflows, or one so small that the scale does: no buckets.
		slices.SortStableFunc(p, compare)
		st.p, st.sorted = p, n
		return
	}
	if cap(st.ends) < nb {
		st.ends = make([]int32, nb)
	}
	c := st.ends[:nb]
	tmp = tmp[:n]
	distribute(p, tmp, c, tlo, scale)
	st.p, st.ends, st.spare, st.bucketed = tmp, c, p, true // c[b] is now the end of bucket b
}

// keyRange returns the earliest and latest of the times of p (not empty) as keys
// (key), −0 before +0 as min and max order them: no branches.
func keyRange(p []pair) (lo, hi int64) {
	lo = key(p[0].t)
	hi = lo
	for _, v := range p[1:] {
		k := key(v.t)
		lo, hi = min(lo, k), max(hi, k)
	}
	return lo, hi
}

// distribute moves the pairs p into dst (as long as p) by bucket, keeping their order
// within a bucket: of the len(ends) buckets of width 1/scale from tlo, a time t ≥ tlo goes
// to bucket ⌊(t − tlo)·scale⌋, or to the last one if that is beyond it. Afterwards ends[b]
// is the end of bucket b in dst.
func distribute(p, dst []pair, ends []int32, tlo, scale float64) {
	clear(ends)
	last := uint(len(ends) - 1)
	for i := range p {
		// (t − lo)·scale ≥ 0: a conversion to int is a single instruction, one to uint is not.
		b := min(uint(int((p[i].t-tlo)*scale)), last)
		p[i].bkt = int32(b)
		ends[b]++
	}
	start := int32(0)
	for b, cnt := range ends {
		ends[b] = start
		start += cnt
	}
	for _, v := range p {
		d := ends[v.bkt]
		dst[d] = v
		ends[v.bkt] = d + 1
	}
}

// key returns an integer whose order is that of the finite times t, with −0 before +0: the
// bits of t, with those of the magnitude flipped for negative t. unkey is its inverse.
func key(t float64) int64 {
	k := int64(math.Float64bits(t))
	return k ^ int64(uint64(k>>63)>>1)
}

func unkey(k int64) float64 {
	return math.Float64frombits(uint64(k ^ int64(uint64(k>>63)>>1)))
}

// hasMajority reports whether more than half of nRows inputs share one time: the group that
// blockWeights forms from column sums. Such a group lies in one bucket, which then holds more
// than half of the inputs; a majority vote (Boyer and Moore's) in that bucket finds its time.
func (st *stream) hasMajority(nRows int) bool {
	q := st.p
	if 2*len(q) <= nRows {
		return false
	}
	if st.bucketed {
		var big []pair
		from := int32(0)
		for _, end := range st.ends {
			if 2*int(end-from) > nRows {
				big = st.p[from:end]
				break
			}
			from = end
		}
		if big == nil {
			return false
		}
		q = big
	}
	cand, votes := q[0].t, 0
	for _, v := range q {
		switch {
		case votes == 0:
			cand, votes = v.t, 1
		case v.t == cand:
			votes++
		default:
			votes--
		}
	}
	n := 0
	for _, v := range q {
		if v.t == cand {
			n++
		}
	}
	return 2*n > nRows
}

// ensure sorts the buckets up to and including the one that holds position i < len(p).
func (st *stream) ensure(i int) {
	if i < st.sorted {
		return
	}
	st.sortTo(i)
}

func (st *stream) sortTo(i int) {
	for i >= st.sorted {
		end := int(st.ends[st.next])
		switch q := st.p[st.sorted:end]; len(q) {
		case 0, 1:
		case 2:
			if q[1].t < q[0].t {
				q[0], q[1] = q[1], q[0]
			}
		default:
			st.sortBucket(q)
		}
		st.sorted = end
		st.next++
	}
}

func (st *stream) sortAll() {
	if len(st.p) > 0 {
		st.ensure(len(st.p) - 1)
	}
}

// binaryInsertionSort is a stable insertion sort that finds each position by bisection and
// moves the later times with one copy: O(n log n) comparisons and fast block moves, for the
// up to 64 inputs of FirstSpike.
func binaryInsertionSort(p []pair) {
	for i := 1; i < len(p); i++ {
		v := p[i]
		if p[i-1].t <= v.t {
			continue
		}
		lo, hi := 0, i-1 // the first position with a time > v.t is in [lo, hi]
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if p[m].t > v.t {
				hi = m
			} else {
				lo = m + 1
			}
		}
		copy(p[lo+1:i+1], p[lo:i])
		p[lo] = v
	}
}

// sortBucket sorts a bucket of the stream stably. A large bucket is distributed again into
// len(q)/2 buckets of equal width between its earliest and latest time, so that a cluster of
// equal times with a few others (MNIST's background pixels at t = 2 and the faintest ink)
// costs a counting pass instead of a comparison sort.
func (st *stream) sortBucket(q []pair) {
	if len(q) <= insertionSize {
		insertionSort(q)
		return
	}
	lo, hi := keyRange(q)
	if lo == hi {
		return
	}
	tlo := unkey(lo)
	nb := len(q) / 2
	scale := float64(nb) / (unkey(hi) - tlo)
	if !(scale > 0 && scale <= math.MaxFloat64) || len(st.spare) < len(q) {
		slices.SortStableFunc(q, compare)
		return
	}
	if cap(st.subs) < nb {
		st.subs = make([]int32, nb)
	}
	c := st.subs[:nb]
	tmp := st.spare[:len(q)]
	distribute(q, tmp, c, tlo, scale)
	from := int32(0)
	for _, end := range c {
		switch sub := tmp[from:end]; {
		case len(sub) <= insertionSize:
			insertionSort(sub)
		case !allEqual(sub):
			slices.SortStableFunc(sub, compare)
		}
		from = end
	}
	copy(q, tmp)
}

// allEqual reports whether all times of q are equal (−0 and +0 count as equal).
func allEqual(q []pair) bool {
	for _, v := range q[1:] {
		if v.t != q[0].t {
			return false
		}
	}
	return true
}

func compare(a, b pair) int {
	switch {
	case a.t < b.t:
		return -1
	case a.t > b.t:
		return 1
	}
	return 0
}
