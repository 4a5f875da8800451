package queue

import (
	"math"
	"math/bits"
	"slices"
	"unsafe"
)

// Heap is a min-priority queue of timed items kept in an indexed 4-ary heap: the default
// implementation of Queue. The zero value is not usable; call NewHeap.
//
// Each heap entry is 16 bytes: the time as an order-preserving integer, and a 32-bit rank in
// push order beside the 32-bit number of the slot that holds the item's value and Seq. The
// four children of a node are consecutive and start on a 64-byte boundary, so choosing the
// smallest reads one cache line, and the choice is made without branches. Ranks are
// renumbered, keeping their order, before they would overflow 32 bits.
type Heap[T any] struct {
	// Invariants (the children of node i are 4i-8 to 4i-5, the parent of node c is c/4+2):
	//   - keys[:root] are unused; keys[c] orders after keys[c/4+2] for every c > root;
	//   - keys[len(keys):cap(keys)] all hold sentinel() and cap(keys) is a multiple of 4, so
	//     every group of children can be read whole;
	//   - for a pending slot s whose key is keys[i]: keys[i].slot() == s, pos[s] == i and
	//     items[s] holds the item's Seq and value;
	//   - for a free slot s: pos[s] == -1 and items[s].val is the zero T;
	//   - gen[s] != 0, and it advances when slot s is freed;
	//   - ranks in keys are distinct and below rank, and they order like the items' Seq.
	keys  []hkey
	pos   []int32 // heap index of each slot's key
	gen   []uint32
	items []heapItem[T]
	free  []uint32 // free slots, reused last in, first out
	seq   uint64   // next Seq
	rank  uint64   // next rank

	rankLimit  uint64 // rank at which ranks are renumbered
	rankPeriod uint64 // if not 0, renumber this often: tests only
}

// hkey is the order of a pending item: tk is orderedTime of its time, rs its rank<<32 | slot.
type hkey struct {
	tk, rs uint64
}

func (k hkey) slot() uint32 { return uint32(k.rs) }

// sentinel returns a key that orders after every key of a finite time.
func sentinel() hkey { return hkey{tk: math.MaxUint64, rs: math.MaxUint64} }

type heapItem[T any] struct {
	seq uint64
	val T
}

// maxRank bounds ranks, which take the upper 32 bits of hkey.rs.
const maxRank = 1 << 32

// root is the index of the first item: with it, the children of every node start at a
// multiple of 4.
const root = 3

// orderedTime maps finite times to integers in the same order, with −0 and +0 equal.
func orderedTime(t float64) uint64 {
	u := math.Float64bits(t + 0) // −0 + 0 = +0
	return u ^ (uint64(int64(u)>>63) | 1<<63)
}

// timeOf inverts orderedTime.
func timeOf(tk uint64) float64 {
	return math.Float64frombits(tk ^ (uint64(int64(^tk)>>63) | 1<<63))
}

// lessBit is 1 if a orders before b, else 0: a 128-bit subtraction, without branches.
func lessBit(a, b hkey) uint64 {
	_, borrow := bits.Sub64(a.rs, b.rs, 0)
	_, borrow = bits.Sub64(a.tk, b.tk, borrow)
	return borrow
}

// NewHeap returns an empty heap with room for capacity items before it allocates.
// NewHeap panics if capacity is negative.
func NewHeap[T any](capacity int) *Heap[T] {
	if capacity < 0 {
		panic("queue: negative heap capacity")
	}
	return &Heap[T]{
		keys:      makeKeys(root, root+capacity),
		pos:       make([]int32, 0, capacity),
		gen:       make([]uint32, 0, capacity),
		items:     make([]heapItem[T], 0, capacity),
		free:      make([]uint32, 0, capacity),
		rankLimit: maxRank,
	}
}

// makeKeys returns a key slice of length n and a capacity of at least capacity, rounded up
// to a multiple of 4, whose element 0 is 64-byte aligned, with sentinel() beyond n.
func makeKeys(n, capacity int) []hkey {
	const perLine = 64 / int(unsafe.Sizeof(hkey{}))
	c := max(capacity+perLine-1, perLine) &^ (perLine - 1)
	buf := make([]hkey, c+perLine-1)
	// The garbage collector does not move heap objects, so the alignment found here holds.
	off := int(-uintptr(unsafe.Pointer(&buf[0])) % 64 / unsafe.Sizeof(hkey{}))
	keys := buf[off : off+c : off+c]
	for i := n; i < c; i++ {
		keys[i] = sentinel()
	}
	return keys[:n]
}

// Len returns the number of pending items.
func (q *Heap[T]) Len() int { return len(q.keys) - root }

// Push adds v at time t and returns its handle. The error wraps ErrNonFinite if t is NaN or
// ±Inf; the heap is then unchanged.
func (q *Heap[T]) Push(t float64, v T) (Handle, error) {
	if !finite(t) {
		return Handle{}, nonFiniteError("Push", t)
	}
	var s uint32
	if n := len(q.free); n > 0 {
		s = q.free[n-1]
		q.free = q.free[:n-1]
	} else {
		if len(q.gen) >= maxSlots {
			panic("queue: more than 2³¹-1 pending items")
		}
		s = uint32(len(q.gen))
		q.gen = append(q.gen, 1)
		q.pos = append(q.pos, -1)
		q.items = append(q.items, heapItem[T]{})
	}
	q.items[s].val = v
	k := q.newKey(t, s)
	n := len(q.keys)
	if n == cap(q.keys) {
		keys := makeKeys(n, 2*n)
		copy(keys, q.keys)
		q.keys = keys
	}
	q.keys = q.keys[:n+1]
	q.up(n, k)
	return Handle{slot: s, gen: q.gen[s]}, nil
}

// newKey gives slot s the next Seq and rank, and returns its key at time t.
func (q *Heap[T]) newKey(t float64, s uint32) hkey {
	if q.rank == q.rankLimit {
		q.renumber()
	}
	q.items[s].seq = q.seq
	q.seq++
	k := hkey{tk: orderedTime(t), rs: q.rank<<32 | uint64(s)}
	q.rank++
	return k
}

// renumber replaces the ranks of the pending items by 0, 1, ... in the same order, so the
// heap order is unchanged. As fewer than 2³¹ items are pending, it runs once in more than
// 2³¹ pushes and reschedules, and may allocate.
func (q *Heap[T]) renumber() {
	pending := q.keys[root:]
	byRank := make([]uint64, len(pending))
	for i, k := range pending {
		byRank[i] = k.rs
	}
	slices.Sort(byRank)
	rank := make([]uint32, len(q.gen)) // new rank by slot
	for r, rs := range byRank {
		rank[uint32(rs)] = uint32(r)
	}
	for i, k := range pending {
		pending[i].rs = uint64(rank[k.slot()])<<32 | uint64(k.slot())
	}
	q.rank = uint64(len(pending))
	q.rankLimit = q.nextRenumber()
}

// nextRenumber returns the rank at which renumber must run next.
func (q *Heap[T]) nextRenumber() uint64 {
	if q.rankPeriod == 0 {
		return maxRank
	}
	return min(maxRank, q.rank+q.rankPeriod)
}

// Peek returns the first item without removing it, or reports false if the heap is empty.
func (q *Heap[T]) Peek() (Item[T], bool) {
	if len(q.keys) == root {
		return Item[T]{}, false
	}
	k := q.keys[root]
	it := &q.items[k.slot()]
	return Item[T]{Time: timeOf(k.tk), Seq: it.seq, Value: it.val}, true
}

// Pop removes and returns the first item, or reports false if the heap is empty.
func (q *Heap[T]) Pop() (Item[T], bool) {
	last := len(q.keys) - 1
	if last < root {
		return Item[T]{}, false
	}
	top := q.keys[root]
	k := q.keys[last]
	q.keys[last] = sentinel()
	q.keys = q.keys[:last]
	if last > root {
		// The last key usually belongs near the bottom: move the hole to a leaf along the
		// smallest children, then let k rise from there.
		q.up(q.sinkHole(root), k)
	}
	s := top.slot()
	it := &q.items[s]
	item := Item[T]{Time: timeOf(top.tk), Seq: it.seq, Value: it.val}
	q.release(s)
	return item, true
}

// PopPush removes the first item and adds v at time t: Pop followed by Push in one call,
// with their results. The first two results are Pop's, the removed item or false if the heap
// was empty (PopPush is then Push); the last two are Push's. Items, sequence numbers and
// handles come out exactly as from Pop followed by Push. The error wraps ErrNonFinite if t
// is NaN or ±Inf; the heap is then unchanged and nothing is removed.
//
// The new key replaces the first and sinks from the root, one pass where Pop and Push make
// two.
func (q *Heap[T]) PopPush(t float64, v T) (Item[T], bool, Handle, error) {
	if !finite(t) {
		return Item[T]{}, false, Handle{}, nonFiniteError("PopPush", t)
	}
	if len(q.keys) == root {
		h, _ := q.Push(t, v)
		return Item[T]{}, false, h, nil
	}
	top := q.keys[root]
	s := top.slot()
	it := &q.items[s]
	item := Item[T]{Time: timeOf(top.tk), Seq: it.seq, Value: it.val}
	// Pop would free slot s and Push would take it back, as free slots are reused last in,
	// first out; so the slot stays, and only its generation advances.
	it.val = v
	g := nextGen(q.gen[s])
	q.gen[s] = g
	q.down(root, q.newKey(t, s))
	return item, true, Handle{slot: s, gen: g}, nil
}

// Cancel removes the pending item h and reports whether there was one: false if h was
// already popped or cancelled, is stale or is the zero Handle.
func (q *Heap[T]) Cancel(h Handle) bool {
	if !q.pending(h) {
		return false
	}
	i := int(q.pos[h.slot])
	removed := q.keys[i]
	last := len(q.keys) - 1
	k := q.keys[last]
	q.keys[last] = sentinel()
	q.keys = q.keys[:last]
	if i < last {
		if lessBit(k, removed) != 0 {
			q.up(i, k)
		} else {
			q.down(i, k)
		}
	}
	q.release(h.slot)
	return true
}

// Reschedule moves the pending item h to time t. The item takes the next sequence number,
// so among equal times it orders like a new push; its handle stays valid. The error wraps
// ErrStaleHandle if h is not pending, else ErrNonFinite if t is NaN or ±Inf; the heap is then
// unchanged.
func (q *Heap[T]) Reschedule(h Handle, t float64) error {
	if !q.pending(h) {
		return staleError("Reschedule", h)
	}
	if !finite(t) {
		return nonFiniteError("Reschedule", t)
	}
	i := int(q.pos[h.slot])
	k := q.newKey(t, h.slot)
	// The new rank orders k after every key of equal time, so only an earlier time can
	// move it up.
	if k.tk < q.keys[i].tk {
		q.up(i, k)
	} else {
		q.down(i, k)
	}
	return nil
}

// Reset removes all items, keeping allocated storage; every handle issued before becomes
// stale, and sequence numbers start again at 0.
func (q *Heap[T]) Reset() {
	// Slots are freed in slot order, not heap order, so that the handles issued next do not
	// depend on the heap's layout, which PopPush and Pop followed by Push leave different.
	for s, i := range q.pos {
		if i >= 0 {
			q.release(uint32(s))
		}
	}
	for i := root; i < len(q.keys); i++ {
		q.keys[i] = sentinel()
	}
	q.keys = q.keys[:root]
	q.seq, q.rank = 0, 0
	q.rankLimit = q.nextRenumber()
}

func (q *Heap[T]) pending(h Handle) bool {
	return h.gen != 0 && int(h.slot) < len(q.gen) && q.gen[h.slot] == h.gen
}

// release frees slot s, making its handles stale.
func (q *Heap[T]) release(s uint32) {
	var zero T
	q.items[s].val = zero
	q.pos[s] = -1
	q.gen[s] = nextGen(q.gen[s])
	q.free = append(q.free, s)
}

// up places k in the hole at index i, moving the hole towards the root past every parent
// that k orders before.
func (q *Heap[T]) up(i int, k hkey) {
	keys, pos := q.keys, q.pos
	for i > root {
		p := i/4 + 2
		pk := keys[p]
		if lessBit(k, pk) == 0 {
			break
		}
		keys[i] = pk
		pos[pk.slot()] = int32(i)
		i = p
	}
	keys[i] = k
	pos[k.slot()] = int32(i)
}

// down places k in the hole at index i, moving the hole towards the leaves past every
// smallest child that orders before k.
//
// The smallest of four children is chosen with arithmetic rather than branches (here and in
// sinkHole, by hand, as the compiler will not inline it): a branch on comparisons of random
// keys is mispredicted half the time.
func (q *Heap[T]) down(i int, k hkey) {
	keys, pos := q.keys, q.pos
	n := len(keys)
	all := keys[:cap(keys)] // sentinels fill the missing children of the last node
	for {
		c := 4*i - 8
		if c >= n {
			break
		}
		ch := all[c : c+4 : c+4]
		a := lessBit(ch[1], ch[0])     // the smaller of children 0 and 1
		b := 2 + lessBit(ch[3], ch[2]) // the smaller of children 2 and 3
		m := (a ^ ((a ^ b) & -lessBit(ch[b&3], ch[a&3]))) & 3
		mk := ch[m]
		if lessBit(mk, k) == 0 {
			break
		}
		keys[i] = mk
		pos[mk.slot()] = int32(i)
		i = c + int(m)
	}
	keys[i] = k
	pos[k.slot()] = int32(i)
}

// sinkHole moves the hole at index i down to a leaf, each time filling it with the smallest
// child, and returns the leaf's index.
func (q *Heap[T]) sinkHole(i int) int {
	keys, pos := q.keys, q.pos
	n := len(keys)
	all := keys[:cap(keys)]
	for {
		c := 4*i - 8
		if c >= n {
			return i
		}
		ch := all[c : c+4 : c+4]
		a := lessBit(ch[1], ch[0])     // the smaller of children 0 and 1
		b := 2 + lessBit(ch[3], ch[2]) // the smaller of children 2 and 3
		m := (a ^ ((a ^ b) & -lessBit(ch[b&3], ch[a&3]))) & 3
		mk := ch[m]
		keys[i] = mk
		pos[mk.slot()] = int32(i)
		i = c + int(m)
	}
}
