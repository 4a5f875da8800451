package queue

// arity is the number of children of a heap node. A 4-ary heap is half as deep as a binary
// one, and a node's four 24-byte keys span at most two cache lines.
const arity = 4

// Heap is a min-priority queue of timed items kept in an indexed 4-ary heap. The zero value
// is not usable; call NewHeap.
//
// Keys (time, sequence, slot) are stored inline in the heap array so comparisons do not
// follow pointers; values stay in their slots and never move.
//
// Invariants: for every i > 0, keys[(i-1)/arity] orders before keys[i]; for every i,
// pos[keys[i].slot] == i; pos[s] == -1 for every free slot s; sequence numbers in keys are
// distinct and below seq.
type Heap[T any] struct {
	keys []key
	pos  []int32 // heap index of each slot's key
	slots[T]
	seq uint64 // next sequence number
}

// NewHeap returns an empty heap with room for capacity items before it allocates.
// NewHeap panics if capacity is negative.
func NewHeap[T any](capacity int) *Heap[T] {
	if capacity < 0 {
		panic("queue: negative heap capacity")
	}
	q := &Heap[T]{
		keys: make([]key, 0, capacity),
		pos:  make([]int32, 0, capacity),
	}
	q.slots.init(capacity)
	return q
}

// Len returns the number of pending items.
func (q *Heap[T]) Len() int { return len(q.keys) }

// Push adds v at time t and returns its handle. The error wraps ErrNonFinite if t is NaN or
// ±Inf; the heap is then unchanged.
func (q *Heap[T]) Push(t float64, v T) (Handle, error) {
	if !finite(t) {
		return Handle{}, nonFiniteError("Push", t)
	}
	slot, grown := q.alloc(v)
	if grown {
		q.pos = append(q.pos, -1)
	}
	k := key{t: t, seq: q.seq, slot: slot}
	q.seq++
	q.keys = append(q.keys, key{})
	q.up(len(q.keys)-1, k)
	return q.handle(slot), nil
}

// Peek returns the first item without removing it, or reports false if the heap is empty.
func (q *Heap[T]) Peek() (Item[T], bool) {
	if len(q.keys) == 0 {
		return Item[T]{}, false
	}
	k := q.keys[0]
	return Item[T]{Time: k.t, Seq: k.seq, Value: q.vals[k.slot]}, true
}

// Pop removes and returns the first item, or reports false if the heap is empty.
func (q *Heap[T]) Pop() (Item[T], bool) {
	n := len(q.keys) - 1
	if n < 0 {
		return Item[T]{}, false
	}
	top := q.keys[0]
	last := q.keys[n]
	q.keys = q.keys[:n]
	if n > 0 {
		q.down(0, last)
	}
	q.pos[top.slot] = -1
	return Item[T]{Time: top.t, Seq: top.seq, Value: q.release(top.slot)}, true
}

// Cancel removes the pending item h and reports whether there was one: false if h was
// already popped or cancelled, is stale or is the zero Handle.
func (q *Heap[T]) Cancel(h Handle) bool {
	if !q.pending(h) {
		return false
	}
	i := int(q.pos[h.slot])
	removed := q.keys[i]
	n := len(q.keys) - 1
	last := q.keys[n]
	q.keys = q.keys[:n]
	if i < n {
		if less(last, removed) {
			q.up(i, last)
		} else {
			q.down(i, last)
		}
	}
	q.pos[h.slot] = -1
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
	k := key{t: t, seq: q.seq, slot: h.slot}
	q.seq++
	// The fresh sequence number orders k after every key with time t, so only an earlier
	// time can move it up.
	if t < q.keys[i].t {
		q.up(i, k)
	} else {
		q.down(i, k)
	}
	return nil
}

// Reset removes all items, keeping allocated storage; every handle issued before becomes
// stale, and sequence numbers start again at 0.
func (q *Heap[T]) Reset() {
	for _, k := range q.keys {
		q.pos[k.slot] = -1
		q.release(k.slot)
	}
	q.keys = q.keys[:0]
	q.seq = 0
}

// up places k in the hole at index i, moving the hole towards the root past every parent
// that k orders before.
func (q *Heap[T]) up(i int, k key) {
	keys, pos := q.keys, q.pos
	for i > 0 {
		p := (i - 1) / arity
		pk := keys[p]
		if !less(k, pk) {
			break
		}
		keys[i] = pk
		pos[pk.slot] = int32(i)
		i = p
	}
	keys[i] = k
	pos[k.slot] = int32(i)
}

// down places k in the hole at index i, moving the hole towards the leaves past every
// smallest child that orders before k.
func (q *Heap[T]) down(i int, k key) {
	keys, pos := q.keys, q.pos
	n := len(keys)
	for {
		c := arity*i + 1
		if c >= n {
			break
		}
		m := c
		end := min(c+arity, n)
		for j := c + 1; j < end; j++ {
			if less(keys[j], keys[m]) {
				m = j
			}
		}
		mk := keys[m]
		if !less(mk, k) {
			break
		}
		keys[i] = mk
		pos[mk.slot] = int32(i)
		i = m
	}
	keys[i] = k
	pos[k.slot] = int32(i)
}
