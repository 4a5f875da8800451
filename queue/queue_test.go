package queue

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// implementations lists every Queue under test; a short rankPeriod makes the heap renumber
// its ranks often, a short indexPeriod drop its index often, small B-tree degrees make
// splits and merges frequent.
var implementations = []struct {
	name string
	make func() Queue[int]
}{
	{"Heap", func() Queue[int] { return NewHeap[int](0) }},
	{"Heap/cap64", func() Queue[int] { return NewHeap[int](64) }},
	{"Heap/renumber", func() Queue[int] {
		q := NewHeap[int](0)
		q.rankPeriod = 61
		q.rankLimit = q.nextRenumber()
		return q
	}},
	{"Heap/unindexed", func() Queue[int] { // the index dropped and rebuilt all the time
		q := NewHeap[int](0)
		q.indexPeriod = 3
		return q
	}},
	{"BTree/degree2", func() Queue[int] { return NewBTree[int](2) }},
	{"BTree/degree3", func() Queue[int] { return NewBTree[int](3) }},
	{"BTree/default", func() Queue[int] { return NewBTree[int](DefaultBTreeDegree) }},
}

// specialTimes are finite times at the edges of float64; nonFinite are refused.
var (
	specialTimes = []float64{0, math.Copysign(0, -1), math.MaxFloat64, -math.MaxFloat64,
		math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 1e-300, -1e300}
	nonFinite = []float64{math.NaN(), math.Inf(1), math.Inf(-1)}
)

func randomTime(r *rand.Rand) float64 {
	switch x := r.IntN(100); {
	case x < 40: // a coarse grid: many ties
		return float64(r.IntN(16)) / 4
	case x < 45:
		return specialTimes[r.IntN(len(specialTimes))]
	case x < 47:
		return nonFinite[r.IntN(len(nonFinite))]
	default:
		return 100*r.Float64() - 10
	}
}

// randomOps returns n operations in phases that favour growth or shrinkage, so queue sizes
// wander between empty and a few hundred items; each operation is a Reset with probability
// pReset.
func randomOps(r *rand.Rand, n int, pReset float64) []op {
	ops := make([]op, n)
	pushes := 0
	var pPush float64
	for i := range ops {
		if i%256 == 0 {
			pPush = 0.2 + 0.6*r.Float64()
		}
		o := op{t: randomTime(r)}
		switch x := r.Float64(); {
		case x < pPush:
			o.kind = opPush
			pushes++
		case x > 1-pReset:
			o.kind = opReset
		default:
			o.kind = []opKind{opPop, opPeek, opCancel, opReschedule, opReschedule, opPopPush}[r.IntN(6)]
			if o.kind == opPopPush {
				pushes++
			}
		}
		switch x := r.IntN(10); {
		case x < 5 && pushes > 0: // any handle issued so far
			o.h = r.IntN(pushes)
		case x < 9: // a recent handle, more likely pending
			o.h = pushes - 1 - r.IntN(16)
		default: // the zero Handle
			o.h = -1
		}
		ops[i] = o
	}
	return ops
}

func TestAgainstReference(t *testing.T) {
	type sequence struct {
		ops  []op
		want transcript
	}
	var seqs []sequence
	for seed := range uint64(20) {
		ops := randomOps(rand.New(rand.NewPCG(seed, 1)), 3000, 0.002)
		seqs = append(seqs, sequence{ops, expect(ops)})
	}
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			for i, s := range seqs {
				checkEvery := 1 // invariants after every operation, then now and then: they cost O(n)
				if i >= 6 {
					checkEvery = 11
				}
				run(t, impl.make(), s.ops, s.want, checkEvery)
			}
		})
	}
}

// TestAgainstReferenceLarge drives deeper queues (thousands of items) with invariant checks
// now and then.
func TestAgainstReferenceLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	ops := make([]op, 0, 15000)
	for range 3000 {
		ops = append(ops, op{kind: opPush, t: randomTime(r)})
	}
	ops = append(ops, randomOps(r, 12000, 0)...)
	want := expect(ops)
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			run(t, impl.make(), ops, want, 997)
		})
	}
}

func TestOrder(t *testing.T) {
	// Each case pushes times in order (value = push index) then pops everything. The
	// expected order follows from the documented (Time, Seq) order: ascending time, ties in
	// push order.
	tests := []struct {
		name  string
		times []float64
		want  []int // push indices in pop order
	}{
		{"ascending", []float64{1, 2, 3}, []int{0, 1, 2}},
		{"descending", []float64{3, 2, 1}, []int{2, 1, 0}},
		{"all equal pop in push order", []float64{5, 5, 5, 5, 5, 5}, []int{0, 1, 2, 3, 4, 5}},
		{"ties among others", []float64{2, 1, 2, 1, 0, 2}, []int{4, 1, 3, 0, 2, 5}},
		{"signed zeros are equal", []float64{0, math.Copysign(0, -1), 0}, []int{0, 1, 2}},
		{"extremes", []float64{math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 0},
			[]int{1, 3, 2, 0}},
	}
	for _, impl := range implementations {
		for _, tc := range tests {
			t.Run(impl.name+"/"+tc.name, func(t *testing.T) {
				q := impl.make()
				for i, x := range tc.times {
					_, err := q.Push(x, i)
					require.NoError(t, err)
				}
				var got []int
				for q.Len() > 0 {
					it, ok := q.Pop()
					require.True(t, ok)
					want := tc.times[it.Value] + 0 // Item.Time: −0 comes back as +0
					assert.Equal(t, math.Float64bits(want), math.Float64bits(it.Time), "Time of push %d", it.Value)
					assert.Equal(t, uint64(it.Value), it.Seq, "Seq of push %d", it.Value)
					got = append(got, it.Value)
				}
				assert.Equal(t, tc.want, got)
			})
		}
	}
}

func TestReschedule(t *testing.T) {
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			q := impl.make()
			var h [4]Handle
			for i, x := range []float64{1, 2, 3, 4} {
				var err error
				h[i], err = q.Push(x, i)
				require.NoError(t, err)
			}
			require.NoError(t, q.Reschedule(h[3], 0.5)) // earlier: becomes first
			require.NoError(t, q.Reschedule(h[0], 3))   // later, tied with push 2: after it
			require.NoError(t, q.Reschedule(h[1], 2))   // same time: fresh Seq only
			it, ok := q.Peek()
			require.True(t, ok)
			assert.Equal(t, Item[int]{Time: 0.5, Seq: 4, Value: 3}, it)
			// Seq 0..3 went to the pushes, 4..6 to the reschedules in call order.
			want := []Item[int]{{0.5, 4, 3}, {2, 6, 1}, {3, 2, 2}, {3, 5, 0}}
			for _, w := range want {
				it, ok := q.Pop()
				require.True(t, ok)
				assert.Equal(t, w, it)
			}
		})
	}
}

// TestPopPushIsPopThenPush drives two queues of each implementation with the same random
// hold-like operations, one calling PopPush and the other Pop then Push: the documented
// equivalence, down to the values of the handles.
func TestPopPushIsPopThenPush(t *testing.T) {
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(11, 12))
			one, two := impl.make(), impl.make()
			var handles []Handle // issued by both, by value
			for step := range 4000 {
				if step%1000 == 999 {
					one.Reset()
					two.Reset()
				}
				x := randomTime(r)
				op := r.IntN(10)
				switch {
				case one.Len() == 0:
					op = 2 // PopPush of an empty queue, a Push
				case one.Len() < 100:
					op = 0 // Push: keep the heap a few levels deep
				}
				switch {
				case op < 2:
					h, err := one.Push(x, step)
					wantH, wantErr := two.Push(x, step)
					require.Equal(t, wantErr, err)
					require.Equal(t, wantH, h)
					if err == nil {
						handles = append(handles, h)
					}
				case op < 7:
					got, popped, h, err := one.PopPush(x, step)
					want, wantPopped := Item[int]{}, false
					if finite(x) {
						want, wantPopped = two.Pop()
					}
					wantH, wantErr := two.Push(x, step)
					require.Equal(t, wantErr == nil, err == nil, "step %d: errors %v and %v", step, err, wantErr)
					if err != nil {
						require.ErrorIs(t, err, ErrNonFinite)
						assert.Equal(t, fmt.Sprintf("queue: PopPush at time %v: time is not finite", x), err.Error())
					}
					require.Equal(t, wantPopped, popped, "step %d", step)
					require.Equal(t, want, got, "step %d", step)
					require.Equal(t, wantH, h, "step %d", step)
					if err == nil {
						handles = append(handles, h)
					}
				case op < 8:
					h := handles[r.IntN(len(handles))]
					require.Equal(t, two.Cancel(h), one.Cancel(h), "step %d: Cancel", step)
				default:
					h := handles[r.IntN(len(handles))]
					require.Equal(t, two.Reschedule(h, x), one.Reschedule(h, x), "step %d: Reschedule", step)
				}
				require.Equal(t, two.Len(), one.Len(), "step %d", step)
			}
			for two.Len() > 0 {
				want, _ := two.Pop()
				got, ok := one.Pop()
				require.True(t, ok)
				require.Equal(t, want, got)
			}
			assert.Zero(t, one.Len())
		})
	}
}

// TestPopPushHandles checks the handles around a PopPush: the removed item's becomes
// stale, the new one's is pending, and the new item orders like a fresh push.
func TestPopPushHandles(t *testing.T) {
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			q := impl.make()
			first, err := q.Push(1, 10)
			require.NoError(t, err)
			_, err = q.Push(3, 11)
			require.NoError(t, err)

			it, popped, h, err := q.PopPush(3, 12) // ties with the item pushed second
			require.NoError(t, err)
			require.True(t, popped)
			assert.Equal(t, Item[int]{Time: 1, Seq: 0, Value: 10}, it)
			assert.NotEqual(t, first, h)
			assert.False(t, q.Cancel(first), "the removed item's handle must be stale")
			require.ErrorIs(t, q.Reschedule(first, 0), ErrStaleHandle)

			it, popped, h2, err := q.PopPush(math.Inf(1), 13)
			require.ErrorIs(t, err, ErrNonFinite)
			assert.False(t, popped)
			assert.Equal(t, Item[int]{}, it)
			assert.Equal(t, Handle{}, h2)
			assert.Equal(t, 2, q.Len(), "a refused PopPush must leave the queue unchanged")

			require.NoError(t, q.Reschedule(h, 2))
			want := []Item[int]{{2, 3, 12}, {3, 1, 11}}
			for _, w := range want {
				it, ok := q.Pop()
				require.True(t, ok)
				assert.Equal(t, w, it)
			}

			it, popped, h, err = q.PopPush(math.Copysign(0, -1), 14) // empty: a Push
			require.NoError(t, err)
			assert.False(t, popped)
			assert.Equal(t, Item[int]{}, it)
			it, ok := q.Peek()
			require.True(t, ok)
			assert.Equal(t, Item[int]{Time: 0, Seq: 4, Value: 14}, it)
			assert.Zero(t, math.Float64bits(it.Time), "−0 comes back as +0")
			assert.True(t, q.Cancel(h))
		})
	}
}

func TestErrors(t *testing.T) {
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			q := impl.make()
			for _, x := range nonFinite {
				h, err := q.Push(x, 1)
				require.ErrorIs(t, err, ErrNonFinite)
				assert.Equal(t, fmt.Sprintf("queue: Push at time %v: time is not finite", x), err.Error())
				assert.Equal(t, Handle{}, h)
				assert.Zero(t, q.Len())
			}

			popped, err := q.Push(1, 1)
			require.NoError(t, err)
			cancelled, err := q.Push(2, 2)
			require.NoError(t, err)
			pending, err := q.Push(3, 3)
			require.NoError(t, err)
			_, ok := q.Pop()
			require.True(t, ok)
			require.True(t, q.Cancel(cancelled))

			for _, x := range nonFinite {
				err := q.Reschedule(pending, x)
				require.ErrorIs(t, err, ErrNonFinite)
				assert.Contains(t, err.Error(), fmt.Sprintf("queue: Reschedule at time %v", x))
			}
			stale := map[string]Handle{"zero": {}, "popped": popped, "cancelled": cancelled,
				"out of range": {slot: 1 << 30, gen: 1}}
			for name, h := range stale {
				assert.False(t, q.Cancel(h), "Cancel(%s)", name)
				err := q.Reschedule(h, 5)
				require.ErrorIs(t, err, ErrStaleHandle, name)
				assert.Contains(t, err.Error(), "queue: Reschedule: handle")
				// A stale handle is reported before a bad time.
				require.ErrorIs(t, q.Reschedule(h, math.NaN()), ErrStaleHandle, name)
			}
			it, ok := q.Pop()
			require.True(t, ok)
			assert.Equal(t, Item[int]{Time: 3, Seq: 2, Value: 3}, it, "failed calls changed the queue")

			_, ok = q.Pop()
			assert.False(t, ok)
			_, ok = q.Peek()
			assert.False(t, ok)
		})
	}
}

func TestStaleAfterReuseAndReset(t *testing.T) {
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			q := impl.make()
			old, err := q.Push(1, 1)
			require.NoError(t, err)
			require.True(t, q.Cancel(old))
			reused, err := q.Push(2, 2) // takes the freed slot
			require.NoError(t, err)
			assert.Equal(t, old.slot, reused.slot, "slot not reused, the test checks nothing")
			assert.False(t, q.Cancel(old))
			require.ErrorIs(t, q.Reschedule(old, 0), ErrStaleHandle)
			assert.Equal(t, 1, q.Len())

			q.Reset()
			assert.Zero(t, q.Len())
			assert.False(t, q.Cancel(reused))
			h, err := q.Push(4, 4)
			require.NoError(t, err)
			assert.NotEqual(t, reused, h)
			it, ok := q.Pop()
			require.True(t, ok)
			assert.Equal(t, Item[int]{Time: 4, Seq: 0, Value: 4}, it, "sequence numbers restart after Reset")
		})
	}
}

func TestGenerationWraps(t *testing.T) {
	q := NewHeap[int](1)
	h, err := q.Push(1, 1)
	require.NoError(t, err)
	require.True(t, q.Cancel(h))
	q.slots[h.slot].gen = math.MaxUint32 // as if the slot had been reused 2³²-2 times
	h, err = q.Push(1, 1)
	require.NoError(t, err)
	require.Equal(t, uint32(math.MaxUint32), h.gen)
	require.True(t, q.Cancel(h))
	assert.Equal(t, uint32(1), q.slots[h.slot].gen, "generation must skip 0")
	assert.False(t, q.Cancel(Handle{}))
}

func TestReleasesValues(t *testing.T) {
	// Popped and cancelled values must not stay reachable from the queue.
	for _, q := range []Queue[*int]{NewHeap[*int](0), NewBTree[*int](2)} {
		var h Handle
		for i := range 10 {
			var err error
			h, err = q.Push(float64(i), new(i))
			require.NoError(t, err)
		}
		q.Pop()
		q.Cancel(h)
		assert.Equal(t, 8, countNonNil(q), "%T", q)
		q.Reset()
		assert.Equal(t, 0, countNonNil(q), "%T after Reset", q)
	}
}

// countNonNil counts the values a queue holds in its slots.
func countNonNil(q Queue[*int]) int {
	var vals []*int
	switch q := q.(type) {
	case *Heap[*int]:
		for _, sl := range q.slots {
			vals = append(vals, sl.val)
		}
	case *BTree[*int]:
		vals = q.vals
	}
	n := 0
	for _, v := range vals {
		if v != nil {
			n++
		}
	}
	return n
}

func TestConstructorsPanic(t *testing.T) {
	assert.PanicsWithValue(t, "queue: negative heap capacity", func() { NewHeap[int](-1) })
	assert.PanicsWithValue(t, "queue: B-tree degree below 2", func() { NewBTree[int](1) })
	assert.PanicsWithValue(t, "queue: B-tree degree below 2", func() { NewBTree[int](0) })
}

// TestNoAllocations checks that, once warm, the hot operations allocate nothing.
func TestNoAllocations(t *testing.T) {
	const n = 1000
	for _, impl := range implementations {
		if impl.name == "Heap/renumber" {
			continue // renumbering allocates, but runs once in 2³¹ operations when not testing
		}
		t.Run(impl.name, func(t *testing.T) {
			q := impl.make()
			r := rand.New(rand.NewPCG(1, 2))
			handles := make([]Handle, n)
			for i := range handles {
				var err error
				handles[i], err = q.Push(r.Float64(), i)
				require.NoError(t, err)
			}
			var now float64
			hold := func() {
				it, _ := q.Pop()
				now = it.Time
				handles[it.Value], _ = q.Push(now+r.ExpFloat64(), it.Value)
				h := handles[r.IntN(n)]
				q.Reschedule(h, now+r.Float64())
				i := r.IntN(n)
				if q.Cancel(handles[i]) {
					handles[i], _ = q.Push(now+r.ExpFloat64(), i)
				}
				it, _ = q.Peek()
				_, _, handles[it.Value], _ = q.PopPush(it.Time+r.ExpFloat64(), it.Value)
			}
			for range 10 * n { // warm up: B-tree nodes reach their working set
				hold()
			}
			assert.Zero(t, testing.AllocsPerRun(10*n, hold))

			q.Reset()
			refill := func() {
				q.Reset()
				for i := range handles {
					handles[i], _ = q.Push(float64(i), i)
				}
			}
			if _, ok := q.(*Heap[int]); ok {
				assert.Zero(t, testing.AllocsPerRun(10, refill), "Heap.Reset must keep capacity")
			}
		})
	}
}

// TestHeapIndex follows the index of a heap through a hold loop: built by the first
// Reschedule, kept while handles are used, dropped after 2n+64 pushes and pops without them,
// and rebuilt by the next Cancel.
func TestHeapIndex(t *testing.T) {
	const n = 100
	q := NewHeap[int](n)
	handles := make([]Handle, n)
	for i := range handles {
		var err error
		handles[i], err = q.Push(float64(i), i)
		require.NoError(t, err)
	}
	var inv invariants
	assert.False(t, q.indexed, "a new heap keeps no index")
	hold := func() {
		it, ok := q.Peek()
		require.True(t, ok)
		_, _, handles[it.Value], _ = q.PopPush(it.Time+float64(it.Value%7), it.Value)
	}
	require.NoError(t, q.Reschedule(handles[50], 0.5))
	assert.True(t, q.indexed, "Reschedule builds the index")
	require.NoError(t, inv.check(q))
	for range 10 {
		for range n {
			hold()
		}
		require.True(t, q.Cancel(handles[n/2]))
		handles[n/2], _ = q.Push(1e3, n/2)
		assert.True(t, q.indexed, "kept while handles are used")
		require.NoError(t, inv.check(q))
	}
	limit := 2*q.Len() + 64
	for range limit - 1 { // the Push after the Cancel was the first
		hold()
	}
	assert.True(t, q.indexed, "kept for 2n+64 operations")
	hold()
	assert.False(t, q.indexed, "dropped after 2n+64 operations without handles")
	require.NoError(t, inv.check(q))
	for range 3 * n {
		hold()
	}
	require.True(t, q.Cancel(handles[7]))
	assert.True(t, q.indexed, "Cancel rebuilds the index")
	require.NoError(t, inv.check(q))
	for q.Len() > 0 {
		q.Pop()
	}
	require.NoError(t, inv.check(q))
}

func TestOrderedTime(t *testing.T) {
	// Expected values are the IEEE 754 bit patterns (math.Float64bits) with the sign bit
	// flipped for non-negative numbers and all bits flipped for negative ones.
	tests := []struct {
		t    float64
		want uint64
	}{
		{0, 1 << 63},
		{math.Copysign(0, -1), 1 << 63}, // −0 equals +0
		{math.SmallestNonzeroFloat64, 1<<63 | 1},
		{-math.SmallestNonzeroFloat64, 1<<63 - 2},
		{1, 1<<63 | 0x3ff0000000000000},
		{-1, ^uint64(0xbff0000000000000)},
		{math.MaxFloat64, 1<<63 | 0x7fefffffffffffff},
		{-math.MaxFloat64, ^uint64(0xffefffffffffffff)},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, orderedTime(tc.t), "orderedTime(%v)", tc.t)
		assert.Equal(t, math.Float64bits(tc.t+0), math.Float64bits(timeOf(tc.want)), "timeOf(%#x)", tc.want)
	}
	assert.Less(t, orderedTime(math.MaxFloat64), sentinel().tk, "the sentinel must order after every finite time")
}

func TestKeysAligned(t *testing.T) {
	// Alignment is a matter of speed only; this checks that makeKeys achieves it.
	for _, c := range []int{0, 1, 5, 100, 1 << 12, 1<<16 + 3} {
		keys := makeKeys(root, root+c)
		assert.Zero(t, uintptr(unsafe.Pointer(&keys[:cap(keys)][0]))%64, "capacity %d", c)
		assert.Zero(t, cap(keys)%4, "capacity %d", c)
		assert.GreaterOrEqual(t, cap(keys), root+c)
	}
}
