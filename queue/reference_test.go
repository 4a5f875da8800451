package queue

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// This file holds the brute-force reference queue, the operation sequences that drive a
// Queue beside it, and the internal invariant checks of both implementations.

// refItem is a pending item of the reference; id is the index of its handle in the list of
// issued handles, and also its value.
type refItem struct {
	t   float64
	seq uint64
	id  int
}

// reference is a queue kept as an unordered slice and searched linearly: obviously correct,
// and sharing no code with Heap or BTree.
type reference struct {
	items []refItem
	seq   uint64
}

func (r *reference) push(t float64, id int) refItem {
	if t == 0 {
		t = 0 // Item.Time: −0 comes back as +0
	}
	it := refItem{t: t, seq: r.seq, id: id}
	r.seq++
	r.items = append(r.items, it)
	return it
}

// first returns the index of the item with the smallest (time, sequence), or -1.
func (r *reference) first() int {
	best := -1
	for i, it := range r.items {
		if best < 0 || it.t < r.items[best].t || (it.t == r.items[best].t && it.seq < r.items[best].seq) {
			best = i
		}
	}
	return best
}

func (r *reference) find(id int) int {
	for i, it := range r.items {
		if it.id == id {
			return i
		}
	}
	return -1
}

func (r *reference) remove(i int) refItem {
	it := r.items[i]
	r.items = append(r.items[:i], r.items[i+1:]...)
	return it
}

type opKind uint8

const (
	opPush opKind = iota
	opPop
	opPeek
	opCancel
	opReschedule
	opReset
	opPopPush
)

// op is one queue operation; h indexes the handles issued so far, and h < 0 or h beyond
// them means the zero Handle.
type op struct {
	kind opKind
	t    float64
	h    int
}

func (o op) String() string {
	switch o.kind {
	case opPush:
		return fmt.Sprintf("Push(%v)", o.t)
	case opPop:
		return "Pop"
	case opPeek:
		return "Peek"
	case opCancel:
		return fmt.Sprintf("Cancel(#%d)", o.h)
	case opReschedule:
		return fmt.Sprintf("Reschedule(#%d, %v)", o.h, o.t)
	case opReset:
		return "Reset"
	case opPopPush:
		return fmt.Sprintf("PopPush(%v)", o.t)
	}
	return "?"
}

// outcome is what the reference says an operation returns and leaves behind.
type outcome struct {
	ok     bool    // Push, Reschedule: no error; Pop, Peek: an item; Cancel: the result
	err    error   // the sentinel the error must wrap, if any
	item   refItem // Pop, Peek, PopPush
	popped bool    // PopPush: an item was removed
	len    int     // Len after the operation
}

// transcript is the reference's outcome of every operation, then the order of the items
// left at the end.
type transcript struct {
	steps []outcome
	drain []refItem
}

// expect runs ops on the reference.
func expect(ops []op) transcript {
	var ref reference
	var tr transcript
	issued := 0
	for _, o := range ops {
		var out outcome
		switch o.kind {
		case opPush:
			if out.ok = finite(o.t); out.ok {
				ref.push(o.t, issued)
				issued++
			} else {
				out.err = ErrNonFinite
			}
		case opPop, opPeek:
			if i := ref.first(); i >= 0 {
				out.ok, out.item = true, ref.items[i]
				if o.kind == opPop {
					ref.remove(i)
				}
			}
		case opCancel, opReschedule:
			i := -1
			if o.h >= 0 && o.h < issued {
				i = ref.find(o.h)
			}
			switch {
			case o.kind == opCancel:
				if out.ok = i >= 0; out.ok {
					ref.remove(i)
				}
			case i < 0:
				out.err = ErrStaleHandle
			case !finite(o.t):
				out.err = ErrNonFinite
			default:
				out.ok = true
				ref.push(o.t, ref.remove(i).id)
			}
		case opReset:
			ref.items = ref.items[:0]
			ref.seq = 0
		case opPopPush: // Pop, then Push, unless the time is refused
			if out.ok = finite(o.t); !out.ok {
				out.err = ErrNonFinite
				break
			}
			if i := ref.first(); i >= 0 {
				out.popped, out.item = true, ref.remove(i)
			}
			ref.push(o.t, issued)
			issued++
		}
		out.len = len(ref.items)
		tr.steps = append(tr.steps, out)
	}
	for len(ref.items) > 0 {
		tr.drain = append(tr.drain, ref.remove(ref.first()))
	}
	return tr
}

// run applies ops to q, failing at the first disagreement with the reference's transcript,
// and checks q's internal invariants every checkEvery operations (0: only at the end).
// Then it drains q and compares the order with the reference.
func run(t testing.TB, q Queue[int], ops []op, want transcript, checkEvery int) {
	t.Helper()
	var inv invariants
	var handles []Handle // handle of each successful push, by id
	handle := func(i int) Handle {
		if i < 0 || i >= len(handles) {
			return Handle{}
		}
		return handles[i]
	}
	fail := func(step int, format string, args ...any) {
		t.Helper()
		t.Fatalf("step %d %v: %s", step, ops[step], fmt.Sprintf(format, args...))
	}
	sameItem := func(step int, got Item[int], want refItem) {
		t.Helper()
		if math.Float64bits(got.Time) != math.Float64bits(want.t) || got.Seq != want.seq || got.Value != want.id {
			fail(step, "got item (%v, seq %d, value %d), reference (%v, seq %d, value %d)",
				got.Time, got.Seq, got.Value, want.t, want.seq, want.id)
		}
	}
	// sameTaken checks an item that an operation reported (ok) or not: the reference's item,
	// or the zero Item (none, for which a message ends with what).
	sameTaken := func(step int, got Item[int], ok bool, want refItem, none string) {
		t.Helper()
		if ok {
			sameItem(step, got, want)
		} else if got != (Item[int]{}) {
			fail(step, "got %+v %s, want the zero Item", got, none)
		}
	}
	sameError := func(step int, got, want error) {
		t.Helper()
		if (want == nil && got != nil) || (want != nil && !errors.Is(got, want)) {
			fail(step, "got error %v, want %v", got, want)
		}
	}
	for step, o := range ops {
		w := want.steps[step]
		switch o.kind {
		case opPush:
			h, err := q.Push(o.t, len(handles))
			sameError(step, err, w.err)
			if w.ok {
				if h == (Handle{}) {
					fail(step, "zero Handle issued")
				}
				handles = append(handles, h)
			} else if h != (Handle{}) {
				fail(step, "got handle %v with an error, want the zero Handle", h)
			}
		case opPop, opPeek:
			var got Item[int]
			var ok bool
			if o.kind == opPop {
				got, ok = q.Pop()
			} else {
				got, ok = q.Peek()
			}
			if ok != w.ok {
				fail(step, "got ok=%v, reference %v", ok, w.ok)
			}
			sameTaken(step, got, ok, w.item, "from an empty queue")
		case opCancel:
			if got := q.Cancel(handle(o.h)); got != w.ok {
				fail(step, "Cancel returned %v, reference %v", got, w.ok)
			}
		case opReschedule:
			sameError(step, q.Reschedule(handle(o.h), o.t), w.err)
		case opReset:
			q.Reset()
		case opPopPush:
			got, popped, h, err := q.PopPush(o.t, len(handles))
			sameError(step, err, w.err)
			if popped != w.popped {
				fail(step, "got popped=%v, reference %v", popped, w.popped)
			}
			sameTaken(step, got, popped, w.item, "with no item removed")
			if w.ok {
				if h == (Handle{}) {
					fail(step, "zero Handle issued")
				}
				handles = append(handles, h)
			} else if h != (Handle{}) {
				fail(step, "got handle %v with an error, want the zero Handle", h)
			}
		}
		if q.Len() != w.len {
			fail(step, "Len %d, reference %d", q.Len(), w.len)
		}
		if checkEvery > 0 && step%checkEvery == 0 {
			if err := inv.check(q); err != nil {
				fail(step, "%v", err)
			}
		}
	}
	require.NoError(t, inv.check(q), "after the last step")
	for _, w := range want.drain {
		got, ok := q.Pop()
		if !ok || math.Float64bits(got.Time) != math.Float64bits(w.t) || got.Seq != w.seq || got.Value != w.id {
			t.Fatalf("drain: got (%v, seq %d, value %d, ok %v), reference (%v, seq %d, value %d)",
				got.Time, got.Seq, got.Value, ok, w.t, w.seq, w.id)
		}
	}
	_, ok := q.Pop()
	require.False(t, ok, "drain: queue not empty after the reference")
	require.NoError(t, inv.check(q), "after the drain")
}

// invariants checks the invariants documented on Heap, BTree and slots. It runs after every
// operation of long sequences, so it reuses its buffers and reports by error rather than
// through testing.TB.
type invariants struct {
	pending []uint32
	keys    []key
	bySeq   []uint64
	vals    []int
	gens    []uint32
	seen    []bool // by sequence number
	state   []byte // by slot: 1 pending, 2 free
}

func (c *invariants) check(q Queue[int]) error {
	c.pending = c.pending[:0]
	switch q := q.(type) {
	case *Heap[int]:
		if len(q.pos) != len(q.slots) {
			return fmt.Errorf("len(pos) %d, len(slots) %d", len(q.pos), len(q.slots))
		}
		if len(q.keys) < root || cap(q.keys)%4 != 0 {
			return fmt.Errorf("len(keys) %d, cap(keys) %d", len(q.keys), cap(q.keys))
		}
		for i, k := range q.keys[:cap(q.keys)] {
			if i < root {
				continue
			}
			if i >= len(q.keys) {
				if k != sentinel() {
					return fmt.Errorf("keys[%d] beyond the heap is %+v, not the sentinel", i, k)
				}
				continue
			}
			if p := i/4 + 2; i > root && lessBit(k, q.keys[p]) != 0 {
				return fmt.Errorf("heap order broken between index %d %+v and its parent %d %+v", i, k, p, q.keys[p])
			}
			s := k.slot()
			if int(s) >= len(q.slots) {
				return fmt.Errorf("key %d has slot %d beyond the %d slots", i, s, len(q.slots))
			}
			if q.indexed && q.pos[s] != int32(i) {
				return fmt.Errorf("key %d has slot %d whose pos is %d", i, s, q.pos[s])
			}
			if k.rs>>32 >= q.rank {
				return fmt.Errorf("rank %d not below the counter %d", k.rs>>32, q.rank)
			}
			c.pending = append(c.pending, s)
		}
		// Ranks must be distinct and order like the sequence numbers.
		c.bySeq = append(c.bySeq[:0], make([]uint64, q.rank)...) // Seq+1 by rank
		c.keys = c.keys[:0]
		for _, k := range q.keys[root:] {
			seq := q.seqOf(k)
			if r := k.rs >> 32; c.bySeq[r] != 0 {
				return fmt.Errorf("rank %d twice", r)
			} else {
				c.bySeq[r] = seq + 1
			}
			c.keys = append(c.keys, key{seq: seq})
		}
		var prev uint64
		for r, seq := range c.bySeq {
			if seq != 0 && seq <= prev {
				return fmt.Errorf("rank %d has Seq %d, not after the Seq of a lower rank %d", r, seq-1, prev-1)
			}
			prev = max(prev, seq)
		}
		c.vals, c.gens = c.vals[:0], c.gens[:0]
		for _, sl := range q.slots {
			c.vals = append(c.vals, sl.val)
			c.gens = append(c.gens, sl.gen)
		}
		return c.checkSlots(c.gens, c.vals, q.free, q.seq, c.keys)
	case *BTree[int]:
		if len(q.keys) != len(q.gen) {
			return fmt.Errorf("len(keys) %d, len(gen) %d", len(q.keys), len(q.gen))
		}
		var err error
		keys := c.keys[:0]
		q.tree.Ascend(func(k key) bool {
			if n := len(keys); n > 0 && !less(keys[n-1], k) {
				err = fmt.Errorf("tree order broken: %+v then %+v", keys[n-1], k)
			} else if int(k.slot) >= len(q.keys) || q.keys[k.slot] != k {
				err = fmt.Errorf("slot %d: tree holds %+v, keys does not", k.slot, k)
			}
			keys = append(keys, k)
			c.pending = append(c.pending, k.slot)
			return err == nil
		})
		c.keys = keys
		if err != nil {
			return err
		}
		if len(keys) != q.tree.Len() {
			return fmt.Errorf("tree Len %d, %d items", q.tree.Len(), len(keys))
		}
		return c.checkSlots(q.gen, q.vals, q.free, q.seq, keys)
	}
	return fmt.Errorf("no invariant check for %T", q)
}

// checkSlots checks the slot invariants given the slots of the pending items (c.pending),
// their sequence numbers (in keys) and the queue's next sequence number.
func (c *invariants) checkSlots(gen []uint32, vals []int, free []uint32, nextSeq uint64, keys []key) error {
	if len(vals) != len(gen) {
		return fmt.Errorf("len(vals) %d, len(gen) %d", len(vals), len(gen))
	}
	c.state = append(c.state[:0], make([]byte, len(gen))...)
	for _, slot := range c.pending {
		if int(slot) >= len(gen) || c.state[slot] != 0 {
			return fmt.Errorf("pending slot %d out of range or pending twice", slot)
		}
		c.state[slot] = 1
	}
	for _, slot := range free {
		if int(slot) >= len(gen) || c.state[slot] != 0 {
			return fmt.Errorf("free slot %d out of range, pending, or free twice", slot)
		}
		c.state[slot] = 2
		if vals[slot] != 0 {
			return fmt.Errorf("free slot %d keeps its value %d", slot, vals[slot])
		}
	}
	for slot, st := range c.state {
		if st == 0 {
			return fmt.Errorf("slot %d neither pending nor free", slot)
		}
		if gen[slot] == 0 {
			return fmt.Errorf("slot %d has generation 0", slot)
		}
	}
	c.seen = append(c.seen[:0], make([]bool, nextSeq)...)
	for _, k := range keys {
		if k.seq >= nextSeq || c.seen[k.seq] {
			return fmt.Errorf("sequence number %d repeated or not below the counter %d", k.seq, nextSeq)
		}
		c.seen[k.seq] = true
	}
	return nil
}
