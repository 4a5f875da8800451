package queue

import "github.com/google/btree"

// DefaultBTreeDegree is the B-tree degree for general use: in the hold benchmark with 1k and
// 64k pending items, degrees 16 to 32 were the fastest of 4 to 128.
const DefaultBTreeDegree = 32

// BTree is a min-priority queue of timed items kept in a github.com/google/btree B-tree. The
// zero value is not usable; call NewBTree.
//
// google/btree keeps no duplicates (ReplaceOrInsert replaces an equal item), so the tree is
// ordered by (time, sequence), which is unique, and non-finite times, which would make
// distinct items compare equal, are refused.
type BTree[T any] struct {
	// Invariants: the tree holds exactly one key per pending slot s, equal to keys[s];
	// sequence numbers in the tree are distinct and below seq; gen[s] != 0, and it advances
	// when slot s is freed; vals[s] is the zero T for a free slot s.
	tree *btree.BTreeG[key]
	keys []key // key of each slot's pending item
	gen  []uint32
	vals []T
	free []uint32 // free slots, reused last in, first out
	seq  uint64   // next sequence number
}

// key is the order of an item in a BTree: time, then sequence number; slot locates its value.
type key struct {
	t    float64
	seq  uint64
	slot uint32
}

func less(a, b key) bool {
	return a.t < b.t || (a.t == b.t && a.seq < b.seq)
}

// NewBTree returns an empty queue kept in a B-tree of the given degree: every node but the
// root holds degree-1 to 2·degree-1 items. NewBTree panics if degree is below 2.
func NewBTree[T any](degree int) *BTree[T] {
	if degree < 2 {
		panic("queue: B-tree degree below 2")
	}
	return &BTree[T]{tree: btree.NewG(degree, less)}
}

// Len returns the number of pending items.
func (q *BTree[T]) Len() int { return q.tree.Len() }

// Push adds v at time t and returns its handle. The error wraps ErrNonFinite if t is NaN or
// ±Inf; the queue is then unchanged.
func (q *BTree[T]) Push(t float64, v T) (Handle, error) {
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
		q.keys = append(q.keys, key{})
		q.vals = append(q.vals, v)
	}
	q.vals[s] = v
	k := key{t: t + 0, seq: q.seq, slot: s} // −0 + 0 = +0, as in Heap
	q.seq++
	q.keys[s] = k
	q.tree.ReplaceOrInsert(k)
	return Handle{slot: s, gen: q.gen[s]}, nil
}

// Peek returns the first item without removing it, or reports false if the queue is empty.
func (q *BTree[T]) Peek() (Item[T], bool) {
	k, ok := q.tree.Min()
	if !ok {
		return Item[T]{}, false
	}
	return Item[T]{Time: k.t, Seq: k.seq, Value: q.vals[k.slot]}, true
}

// Pop removes and returns the first item, or reports false if the queue is empty.
func (q *BTree[T]) Pop() (Item[T], bool) {
	k, ok := q.tree.DeleteMin()
	if !ok {
		return Item[T]{}, false
	}
	it := Item[T]{Time: k.t, Seq: k.seq, Value: q.vals[k.slot]}
	q.release(k.slot)
	return it, true
}

// PopPush removes the first item and adds v at time t: Pop followed by Push in one call,
// with their results. The first two results are Pop's, the removed item or false if the
// queue was empty (PopPush is then Push); the last two are Push's. Items, sequence numbers
// and handles come out exactly as from Pop followed by Push. The error wraps ErrNonFinite if
// t is NaN or ±Inf; the queue is then unchanged and nothing is removed.
func (q *BTree[T]) PopPush(t float64, v T) (Item[T], bool, Handle, error) {
	if !finite(t) {
		return Item[T]{}, false, Handle{}, nonFiniteError("PopPush", t)
	}
	k, ok := q.tree.DeleteMin()
	if !ok {
		h, _ := q.Push(t, v)
		return Item[T]{}, false, h, nil
	}
	s := k.slot
	item := Item[T]{Time: k.t, Seq: k.seq, Value: q.vals[s]}
	// Pop would free slot s and Push would take it back, as free slots are reused last in,
	// first out; so the slot stays, and only its generation advances.
	q.vals[s] = v
	g := nextGen(q.gen[s])
	q.gen[s] = g
	nk := key{t: t + 0, seq: q.seq, slot: s}
	q.seq++
	q.keys[s] = nk
	q.tree.ReplaceOrInsert(nk)
	return item, true, Handle{slot: s, gen: g}, nil
}

// Cancel removes the pending item h and reports whether there was one: false if h was
// already popped or cancelled, is stale or is the zero Handle.
func (q *BTree[T]) Cancel(h Handle) bool {
	if !q.pending(h) {
		return false
	}
	q.tree.Delete(q.keys[h.slot])
	q.release(h.slot)
	return true
}

// Reschedule moves the pending item h to time t. The item takes the next sequence number,
// so among equal times it orders like a new push; its handle stays valid. The error wraps
// ErrStaleHandle if h is not pending, else ErrNonFinite if t is NaN or ±Inf; the queue is
// then unchanged.
func (q *BTree[T]) Reschedule(h Handle, t float64) error {
	if !q.pending(h) {
		return staleError("Reschedule", h)
	}
	if !finite(t) {
		return nonFiniteError("Reschedule", t)
	}
	q.tree.Delete(q.keys[h.slot])
	k := key{t: t + 0, seq: q.seq, slot: h.slot}
	q.seq++
	q.keys[h.slot] = k
	q.tree.ReplaceOrInsert(k)
	return nil
}

// Reset removes all items, keeping the slot storage and as many tree nodes as the
// google/btree free list holds; every handle issued before becomes stale, and sequence
// numbers start again at 0.
func (q *BTree[T]) Reset() {
	q.tree.Ascend(func(k key) bool {
		q.release(k.slot)
		return true
	})
	q.tree.Clear(true)
	q.seq = 0
}

func (q *BTree[T]) pending(h Handle) bool {
	return h.gen != 0 && int(h.slot) < len(q.gen) && q.gen[h.slot] == h.gen
}

// release frees slot s, making its handles stale.
func (q *BTree[T]) release(s uint32) {
	var zero T
	q.vals[s] = zero
	q.gen[s] = nextGen(q.gen[s])
	q.free = append(q.free, s)
}
