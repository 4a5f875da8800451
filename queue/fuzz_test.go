package queue

import (
	"math"
	"testing"
)

// decodeOps turns fuzzer bytes into operations, three bytes each: kind, handle, time.
// Times come from a coarse grid (many ties), the edges of float64 and the non-finite values;
// handles from the zero Handle, the most recent ones (often pending) and any issued so far.
func decodeOps(data []byte) []op {
	const maxOps = 2000
	var ops []op
	issued := 0
	for ; len(data) >= 3 && len(ops) < maxOps; data = data[3:] {
		var o op
		switch b := data[2]; {
		case b < 240:
			o.t = float64(b%32)/4 - 2
		case b < 248:
			o.t = specialTimes[b-240]
		case b < 251:
			o.t = nonFinite[b-248]
		default:
			o.t = math.Ldexp(float64(b), 1000)
		}
		switch b := data[1]; {
		case b == 0 || issued == 0:
			o.h = -1
		case b%2 == 1:
			o.h = issued - 1 - int(b>>1)%16
		default:
			o.h = int(b>>1) % issued
		}
		switch k := data[0] % 16; k {
		case 0, 1, 2, 8, 9:
			o.kind = opPush
			if finite(o.t) {
				issued++
			}
		case 10, 11, 12:
			o.kind = opPopPush
			if finite(o.t) {
				issued++
			}
		case 7:
			o.kind = opPop
			if data[0] == 7 {
				o.kind = opReset
			}
		default:
			o.kind = []opKind{opPop, opPeek, opCancel, opReschedule}[(k-3)%4]
		}
		ops = append(ops, o)
	}
	return ops
}

// FuzzQueues drives Heap and BTree with the same operations and checks both against the
// reference after every operation.
func FuzzQueues(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 4, 0, 0, 4, 0, 0, 4, 3, 0, 0, 3, 0, 0, 3, 0, 0}) // ties pop in push order
	f.Add([]byte{0, 0, 8, 0, 0, 12, 6, 1, 0, 5, 3, 0, 4, 0, 0, 7, 0, 0, 6, 2, 1, 3, 0, 0})
	f.Add([]byte{0, 0, 248, 1, 0, 249, 2, 0, 250, 0, 0, 1, 6, 1, 248, 6, 0, 3, 5, 0, 0})
	f.Add([]byte{0, 0, 240, 0, 0, 241, 0, 0, 242, 0, 0, 243, 0, 0, 244, 0, 0, 245, 0, 0, 246,
		0, 0, 247, 0, 0, 255, 6, 3, 243, 5, 5, 0, 3, 0, 0, 3, 0, 0, 3, 0, 0, 3, 0, 0})
	grow := make([]byte, 0, 300)
	for i := range 100 { // a deep heap, then cancels and reschedules of recent handles
		grow = append(grow, 0, 0, byte(i*37))
	}
	for i := range 60 {
		grow = append(grow, byte(5+i%2), byte(2*i+1), byte(i*11))
	}
	f.Add(grow)
	hold := make([]byte, 0, 600)
	for i := range 50 { // a hold model: PopPush mixed with the other operations
		hold = append(hold, 0, 0, byte(i*53))
	}
	kinds := []byte{10, 11, 12, 10, 5, 11, 6, 12, 4} // PopPush ×3, Cancel, Reschedule, Peek
	for i := range 150 {
		hold = append(hold, kinds[i%len(kinds)], byte(2*i+1), byte(i*29))
	}
	f.Add(hold)
	f.Add([]byte{10, 0, 4, 11, 0, 248, 0, 0, 8, 12, 0, 4, 12, 0, 4, 3, 0, 0, 3, 0, 0, 10, 0, 0}) // PopPush on empty, NaN, ties
	f.Fuzz(func(t *testing.T, data []byte) {
		ops := decodeOps(data)
		want := expect(ops)
		run(t, NewHeap[int](0), ops, want, 1)
		renumbering := NewHeap[int](0)
		renumbering.rankPeriod = 5
		renumbering.rankLimit = renumbering.nextRenumber()
		run(t, renumbering, ops, want, 1)
		unindexed := NewHeap[int](0)
		unindexed.rankPeriod = 7
		unindexed.rankLimit = unindexed.nextRenumber()
		unindexed.indexPeriod = 2
		run(t, unindexed, ops, want, 1)
		run(t, NewBTree[int](2), ops, want, 1)
		run(t, NewBTree[int](DefaultBTreeDegree), ops, want, 1)
	})
}

// FuzzOrderedTime checks that orderedTime orders finite times as < and == do, and that
// timeOf inverts it.
func FuzzOrderedTime(f *testing.F) {
	for _, x := range append(append([]float64{}, specialTimes...), nonFinite...) {
		f.Add(x, 1.0)
		f.Add(x, math.Copysign(0, -1))
	}
	f.Fuzz(func(t *testing.T, x, y float64) {
		for _, v := range []float64{x, y} {
			if !finite(v) {
				return
			}
			if got := timeOf(orderedTime(v)); math.Float64bits(got) != math.Float64bits(v+0) {
				t.Fatalf("timeOf(orderedTime(%v)) = %v", v, got)
			}
		}
		ox, oy := orderedTime(x), orderedTime(y)
		if (x < y) != (ox < oy) || (x == y) != (ox == oy) {
			t.Fatalf("%v, %v map to %#x, %#x", x, y, ox, oy)
		}
	})
}
