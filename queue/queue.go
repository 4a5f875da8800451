package queue

import (
	"errors"
	"fmt"
	"math"
)

// Item is one queued entry.
type Item[T any] struct {
	Time float64
	// Seq is the item's place in push order: Push and Reschedule take the next number of a
	// counter that starts at 0 when the queue is made or Reset. Items with equal Time pop in
	// Seq order.
	Seq   uint64
	Value T
}

// Handle identifies a pushed item for Cancel and Reschedule. The zero Handle is invalid.
//
// A handle is stale once its item is popped or cancelled or the queue is Reset; queues detect
// stale handles by a generation counter per storage slot. The counter has 32 bits, so a
// handle kept while its slot is reused 2³² times may be mistaken for the slot's current item.
// A handle belongs to the queue that issued it.
type Handle struct {
	slot uint32
	gen  uint32 // never 0 for an issued handle
}

// Queue is a min-priority queue of timed items in (Time, Seq) order. It is implemented by
// *Heap[T] and *BTree[T].
type Queue[T any] interface {
	// Push adds v at time t and returns its handle. The error wraps ErrNonFinite if t is
	// NaN or ±Inf; the queue is then unchanged.
	Push(t float64, v T) (Handle, error)
	// Pop removes and returns the first item, or reports false if the queue is empty.
	Pop() (Item[T], bool)
	// Peek returns the first item without removing it, or reports false if the queue is
	// empty.
	Peek() (Item[T], bool)
	// Cancel removes the pending item h and reports whether there was one: false if h was
	// already popped or cancelled, is stale or is the zero Handle.
	Cancel(h Handle) bool
	// Reschedule moves the pending item h to time t. The item takes the next sequence
	// number, so among equal times it orders like a new push; its handle stays valid. The
	// error wraps ErrStaleHandle if h is not pending, else ErrNonFinite if t is NaN or ±Inf;
	// the queue is then unchanged.
	Reschedule(h Handle, t float64) error
	// Len returns the number of pending items.
	Len() int
	// Reset removes all items, keeping allocated storage; every handle issued before
	// becomes stale, and sequence numbers start again at 0.
	Reset()
}

var (
	_ Queue[int] = (*Heap[int])(nil)
	_ Queue[int] = (*BTree[int])(nil)
)

var (
	// ErrNonFinite is wrapped by the error for a NaN or infinite time.
	ErrNonFinite = errors.New("time is not finite")
	// ErrStaleHandle is wrapped by the error for a handle whose item is not pending.
	ErrStaleHandle = errors.New("handle is stale")
)

// maxSlots bounds the number of pending items: heap positions are int32.
const maxSlots = math.MaxInt32

func finite(t float64) bool { return t-t == 0 } // false for NaN and ±Inf

func nonFiniteError(op string, t float64) error {
	return fmt.Errorf("queue: %s at time %v: %w", op, t, ErrNonFinite)
}

func staleError(op string, h Handle) error {
	return fmt.Errorf("queue: %s: handle (slot %d, generation %d): %w", op, h.slot, h.gen, ErrStaleHandle)
}

// key is the order of an item: time, then sequence number; slot locates its value.
type key struct {
	t    float64
	seq  uint64
	slot uint32
}

func less(a, b key) bool {
	return a.t < b.t || (a.t == b.t && a.seq < b.seq)
}

// slots stores the values of pending items in reusable slots.
//
// Invariants: len(gen) == len(vals); gen[s] != 0 for every s; a slot is either pending or on
// free, never both, and free holds no slot twice; vals[s] is the zero T for a free slot, so
// that a freed value can be collected.
type slots[T any] struct {
	gen  []uint32 // generation of each slot, advanced when its item leaves the queue
	vals []T
	free []uint32 // free slots, reused last in, first out
}

func (s *slots[T]) init(capacity int) {
	s.gen = make([]uint32, 0, capacity)
	s.vals = make([]T, 0, capacity)
	s.free = make([]uint32, 0, capacity)
}

// alloc returns a free slot holding v, growing the storage if none is free. The boolean
// reports growth, so that the caller grows its own per-slot storage.
func (s *slots[T]) alloc(v T) (slot uint32, grown bool) {
	if n := len(s.free); n > 0 {
		slot = s.free[n-1]
		s.free = s.free[:n-1]
		s.vals[slot] = v
		return slot, false
	}
	if len(s.gen) >= maxSlots {
		panic("queue: more than 2³¹-1 pending items")
	}
	slot = uint32(len(s.gen))
	s.gen = append(s.gen, 1)
	s.vals = append(s.vals, v)
	return slot, true
}

// release frees slot, making its handles stale, and returns the value it held.
func (s *slots[T]) release(slot uint32) T {
	v := s.vals[slot]
	var zero T
	s.vals[slot] = zero
	g := s.gen[slot] + 1
	if g == 0 { // the zero generation marks the zero Handle invalid
		g = 1
	}
	s.gen[slot] = g
	s.free = append(s.free, slot)
	return v
}

// pending reports whether h is the handle of a pending item, given that every pending slot's
// generation matches its handles and every release advances the generation.
func (s *slots[T]) pending(h Handle) bool {
	return h.gen != 0 && int(h.slot) < len(s.gen) && s.gen[h.slot] == h.gen
}

func (s *slots[T]) handle(slot uint32) Handle {
	return Handle{slot: slot, gen: s.gen[slot]}
}
