package queue

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"unsafe"
)

// Heap is a min-priority queue of timed items kept in a 4-ary heap: the default
// implementation of Queue. The zero value is not usable; call NewHeap.
//
// Each heap entry is 16 bytes: the time as an order-preserving integer, and a 32-bit rank in
// push order beside the 32-bit number of the slot that holds the item's value and handle
// generation. The four children of a node are consecutive and start on a 64-byte boundary,
// so choosing the smallest reads one cache line, and the choice is made without branches;
// below the first few levels, the lines of the grandchildren are prefetched while the
// children are compared, and every pop prefetches the slot record of the next first item.
// Seq is not stored: it follows from the rank. Ranks are renumbered, keeping their order,
// before they would overflow 32 bits.
//
// The index from slots to heap positions, which Cancel and Reschedule need, is kept only
// while handles are in use: Cancel and Reschedule build it in O(n) if it is off, and it is
// dropped after more than 2n+64 pushes and pops in a row without them (n items pending). So
// a loop that never cancels or reschedules moves no index entries, and one that does pays
// for at most one rebuild per 2n operations, O(1) amortized.
type Heap[T any] struct {
	// Invariants (the children of node i are 4i-8 to 4i-5, the parent of node c is c/4+2):
	//   - keys[:root] are unused; keys[c] orders after keys[c/4+2] for every c > root;
	//   - keys[len(keys):cap(keys)] all hold sentinel() and cap(keys) is a multiple of 4, so
	//     every group of children can be read whole;
	//   - the slots of keys[root:] are the pending slots, each once; the other slots are
	//     the free slots, each once in free, and slots[s].val is the zero T for a free s;
	//   - if indexed, pos[s] == i for every pending slot s whose key is keys[i]; otherwise
	//     pos is not read;
	//   - len(pos) == len(slots); slots[s].gen != 0, and it advances when slot s is freed;
	//   - ranks in keys are distinct and below rank; the Seq of the item of rank r is
	//     oldSeq[r] if r < len(oldSeq), else r + seq − rank, so ranks order like Seq.
	keys   []hkey
	pos    []int32 // heap index of each pending slot's key, if indexed
	slots  []heapSlot[T]
	free   []uint32 // free slots, reused last in, first out
	oldSeq []uint64 // Seq by rank of the items renumbered last
	seq    uint64   // next Seq
	rank   uint64   // next rank

	indexed  bool   // whether pos is kept
	plainOps uint64 // pushes and pops since the index was built or last used

	rankLimit   uint64 // rank at which ranks are renumbered
	rankPeriod  uint64 // if not 0, renumber this often: tests only
	indexPeriod uint64 // if not 0, drop the index after this many plainOps: tests only
}

// heapSlot holds a pending item's value, and the generation of the slot's handles.
type heapSlot[T any] struct {
	gen uint32
	val T
}

// hkey is the order of a pending item: tk is orderedTime of its time, rs its rank<<32 | slot.
type hkey struct {
	tk, rs uint64
}

func (k hkey) slot() uint32 { return uint32(k.rs) }

// sentinel returns a key that orders after every key of a finite time.
func sentinel() hkey { return hkey{tk: math.MaxUint64, rs: math.MaxUint64} }

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

// prefetchFrom is the heap index from which the grandchildren's lines are prefetched: the
// levels above it stay in the level-1 cache, where a prefetch costs more than it saves.
const prefetchFrom = 4096

// NewHeap returns an empty heap with room for capacity items before it allocates.
// NewHeap panics if capacity is negative.
func NewHeap[T any](capacity int) *Heap[T] {
	if capacity < 0 {
		panic("queue: negative heap capacity")
	}
	return &Heap[T]{
		keys:      makeKeys(root, root+capacity),
		pos:       make([]int32, 0, capacity),
		slots:     make([]heapSlot[T], 0, capacity),
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
		if len(q.slots) >= maxSlots {
			panic("queue: more than 2³¹-1 pending items")
		}
		s = uint32(len(q.slots))
		q.slots = append(q.slots, heapSlot[T]{gen: 1})
		q.pos = append(q.pos, 0)
	}
	q.slots[s].val = v
	k := q.newKey(t, s)
	n := len(q.keys)
	if n == cap(q.keys) {
		keys := makeKeys(n, 2*n)
		copy(keys, q.keys)
		q.keys = keys
	}
	q.keys = q.keys[:n+1]
	q.countPlainOp()
	q.reindex(n, q.up(n, k))
	return Handle{slot: s, gen: q.slots[s].gen}, nil
}

// newKey returns the key of the next push or reschedule at time t into slot s; the item
// takes the next Seq.
func (q *Heap[T]) newKey(t float64, s uint32) hkey {
	if q.rank == q.rankLimit {
		q.renumber()
	}
	k := hkey{tk: orderedTime(t), rs: q.rank<<32 | uint64(s)}
	q.rank++
	q.seq++
	return k
}

// seqOf returns the Seq of the item with key k.
func (q *Heap[T]) seqOf(k hkey) uint64 {
	r := k.rs >> 32
	if r < uint64(len(q.oldSeq)) {
		return q.oldSeq[r]
	}
	return r + q.seq - q.rank
}

// renumber replaces the ranks of the pending items by 0, 1, ... in the same order, so the
// heap order is unchanged, and records their Seq by new rank. As fewer than 2³¹ items are
// pending, it runs once in more than 2³¹ pushes and reschedules, and may allocate.
func (q *Heap[T]) renumber() {
	pending := q.keys[root:]
	byRank := make([]hkey, len(pending))
	copy(byRank, pending)
	slices.SortFunc(byRank, func(a, b hkey) int { return cmp.Compare(a.rs, b.rs) })
	rank := make([]uint32, len(q.slots)) // new rank by slot
	oldSeq := make([]uint64, len(pending))
	for r, k := range byRank {
		rank[k.slot()] = uint32(r)
		oldSeq[r] = q.seqOf(k)
	}
	for i, k := range pending {
		pending[i].rs = uint64(rank[k.slot()])<<32 | uint64(k.slot())
	}
	q.oldSeq = oldSeq
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

// countPlainOp counts a push or pop, and drops the index after too many in a row without a
// Cancel or Reschedule.
func (q *Heap[T]) countPlainOp() {
	if !q.indexed {
		return
	}
	q.plainOps++
	limit := 2*uint64(len(q.keys)-root) + 64
	if q.indexPeriod != 0 {
		limit = q.indexPeriod
	}
	if q.plainOps > limit {
		q.indexed = false
	}
}

// useIndex builds the index if it is off, and notes that it is used.
func (q *Heap[T]) useIndex() {
	q.plainOps = 0
	if q.indexed {
		return
	}
	for i := root; i < len(q.keys); i++ {
		q.pos[q.keys[i].slot()] = int32(i)
	}
	q.indexed = true
}

// Peek returns the first item without removing it, or reports false if the heap is empty.
func (q *Heap[T]) Peek() (Item[T], bool) {
	if len(q.keys) == root {
		return Item[T]{}, false
	}
	k := q.keys[root]
	return Item[T]{Time: timeOf(k.tk), Seq: q.seqOf(k), Value: q.slots[k.slot()].val}, true
}

// Pop removes and returns the first item, or reports false if the heap is empty.
func (q *Heap[T]) Pop() (Item[T], bool) {
	last := len(q.keys) - 1
	if last < root {
		return Item[T]{}, false
	}
	top := q.keys[root]
	item := Item[T]{Time: timeOf(top.tk), Seq: q.seqOf(top), Value: q.slots[top.slot()].val}
	k := q.keys[last]
	q.keys[last] = sentinel()
	q.keys = q.keys[:last]
	q.countPlainOp()
	if last > root {
		// The last key usually belongs near the bottom: move the hole to a leaf along the
		// smallest children, then let k rise from there.
		leaf := q.sinkHole(root)
		q.up(leaf, k)
		q.reindex(leaf, root)
		q.prefetchFirst()
	}
	q.release(top.slot())
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
	sl := &q.slots[s]
	item := Item[T]{Time: timeOf(top.tk), Seq: q.seqOf(top), Value: sl.val}
	// Pop would free slot s and Push would take it back, as free slots are reused last in,
	// first out; so the slot stays, and only its generation advances.
	sl.val = v
	sl.gen = nextGen(sl.gen)
	h := Handle{slot: s, gen: sl.gen}
	k := q.newKey(t, s)
	q.countPlainOp()
	q.reindex(q.down(root, k), root)
	q.prefetchFirst()
	return item, true, h, nil
}

// prefetchFirst asks for the slot record of the first item to be loaded, as the next Peek,
// Pop or PopPush will read it; in a large heap it is rarely cached.
func (q *Heap[T]) prefetchFirst() {
	prefetchLine(unsafe.Pointer(&q.slots[q.keys[root].slot()]))
}

// Cancel removes the pending item h and reports whether there was one: false if h was
// already popped or cancelled, is stale or is the zero Handle.
func (q *Heap[T]) Cancel(h Handle) bool {
	if !q.pending(h) {
		return false
	}
	q.useIndex()
	i := int(q.pos[h.slot])
	removed := q.keys[i]
	last := len(q.keys) - 1
	k := q.keys[last]
	q.keys[last] = sentinel()
	q.keys = q.keys[:last]
	if i < last {
		if lessBit(k, removed) != 0 {
			q.reindex(i, q.up(i, k))
		} else {
			q.reindex(q.down(i, k), i)
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
	q.useIndex()
	i := int(q.pos[h.slot])
	k := q.newKey(t, h.slot)
	// The new rank orders k after every key of equal time, so only an earlier time can
	// move it up.
	if k.tk < q.keys[i].tk {
		q.reindex(i, q.up(i, k))
	} else {
		q.reindex(q.down(i, k), i)
	}
	return nil
}

// Reset removes all items, keeping allocated storage; every handle issued before becomes
// stale, and sequence numbers start again at 0.
func (q *Heap[T]) Reset() {
	for i := root; i < len(q.keys); i++ {
		q.keys[i] = sentinel()
	}
	q.keys = q.keys[:root]
	// Every slot is freed, in an order that depends on the number of slots alone, so the
	// handles issued next do not depend on the heap's layout, which PopPush and Pop followed
	// by Push leave different. Advancing the generation of slots already free is harmless.
	q.free = q.free[:0]
	var zero T
	for s := len(q.slots) - 1; s >= 0; s-- {
		q.slots[s] = heapSlot[T]{gen: nextGen(q.slots[s].gen), val: zero}
		q.free = append(q.free, uint32(s))
	}
	q.seq, q.rank = 0, 0
	q.oldSeq = q.oldSeq[:0]
	q.rankLimit = q.nextRenumber()
}

func (q *Heap[T]) pending(h Handle) bool {
	return h.gen != 0 && int(h.slot) < len(q.slots) && q.slots[h.slot].gen == h.gen
}

// release frees slot s, making its handles stale.
func (q *Heap[T]) release(s uint32) {
	var zero T
	q.slots[s].val = zero
	q.slots[s].gen = nextGen(q.slots[s].gen)
	q.free = append(q.free, s)
}

// reindex sets pos for the keys on the path from index deep up to its ancestor shallow, if
// the index is kept. The sifts leave pos alone, as every key they move ends on the path
// they took, and one pass over it afterwards costs less than updates in their loops.
func (q *Heap[T]) reindex(deep, shallow int) {
	if !q.indexed {
		return
	}
	keys, pos := q.keys, q.pos
	for i := deep; ; i = i/4 + 2 {
		pos[keys[i].slot()] = int32(i)
		if i <= shallow {
			return
		}
	}
}

// up places k in the hole at index i, moving the hole towards the root past every parent
// that k orders before, and returns k's index.
func (q *Heap[T]) up(i int, k hkey) int {
	keys := q.keys
	for i > root {
		p := i/4 + 2
		pk := keys[p]
		if lessBit(k, pk) == 0 {
			break
		}
		keys[i] = pk
		i = p
	}
	keys[i] = k
	return i
}

// down places k in the hole at index i, moving the hole towards the leaves past every
// smallest child that orders before k, and returns k's index.
//
// The smallest of four children is chosen with conditional moves rather than branches
// (here and in sinkHole, by hand, as the compiler will not inline it): a branch on
// comparisons of random keys is mispredicted half the time.
func (q *Heap[T]) down(i int, k hkey) int {
	keys := q.keys
	n := len(keys)
	groups := childGroups(keys)
	for {
		j := i - 2 // the children of node i are groups[j]
		if uint(j) >= uint(len(groups)) {
			break
		}
		if g := 16*j - 8; g >= prefetchFrom && g < n { // the grandchildren, groups[4j-2:4j+2]
			prefetchGroup(&keys[g])
		}
		ch := &groups[j]
		k0, k1, k2, k3 := ch[0], ch[1], ch[2], ch[3]
		a := lessBit(k1, k0) // k0 becomes the smaller of children 0 and 1
		if a != 0 {
			k0 = k1
		}
		b := lessBit(k3, k2) // k2 the smaller of children 2 and 3
		if b != 0 {
			k2 = k3
		}
		d := lessBit(k2, k0) // k0 the smallest, child m
		if d != 0 {
			k0 = k2
		}
		m := a ^ ((a ^ (2 + b)) & -d)
		if lessBit(k0, k) == 0 {
			break
		}
		keys[i] = k0
		i = 4*j + int(m)
	}
	keys[i] = k
	return i
}

// sinkHole moves the hole at index i down to a leaf, each time filling it with the smallest
// child, and returns the leaf's index.
func (q *Heap[T]) sinkHole(i int) int {
	keys := q.keys
	n := len(keys)
	groups := childGroups(keys)
	for {
		j := i - 2
		if uint(j) >= uint(len(groups)) {
			return i
		}
		if g := 16*j - 8; g >= prefetchFrom && g < n {
			prefetchGroup(&keys[g])
		}
		ch := &groups[j]
		k0, k1, k2, k3 := ch[0], ch[1], ch[2], ch[3]
		a := lessBit(k1, k0)
		if a != 0 {
			k0 = k1
		}
		b := lessBit(k3, k2)
		if b != 0 {
			k2 = k3
		}
		d := lessBit(k2, k0)
		if d != 0 {
			k0 = k2
		}
		keys[i] = k0
		i = 4*j + int(a^((a^(2+b))&-d))
	}
}

// childGroups returns the groups of four consecutive keys that hold a key of the heap:
// group j holds the children of node j+2. Missing children read as sentinels.
func childGroups(keys []hkey) []group {
	// keys starts a group and has a capacity that is a multiple of 4 (makeKeys).
	return unsafe.Slice((*group)(unsafe.Pointer(unsafe.SliceData(keys))), (len(keys)+3)/4)
}

type group = [4]hkey
