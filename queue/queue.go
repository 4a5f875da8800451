package queue

import (
	"errors"
	"fmt"
	"math"
)

// Item is one queued entry.
type Item[T any] struct {
	// Time is the time given to Push or Reschedule, except that −0 comes back as +0.
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
	// PopPush removes the first item and adds v at time t: Pop followed by Push in one
	// call, with their results. The first two results are Pop's, the removed item or false
	// if the queue was empty (PopPush is then Push); the last two are Push's. Items, sequence
	// numbers and handles come out exactly as from Pop followed by Push: the new item takes
	// the next sequence number, and, as its slot is the one just freed, its handle is the one
	// Push would have returned, while the removed item's handle becomes stale. The error
	// wraps ErrNonFinite if t is NaN or ±Inf; the queue is then unchanged and nothing is
	// removed.
	//
	// PopPush suits a simulation loop that handles the first event (found with Peek) and
	// schedules one new event in its place: it is cheaper than Pop and Push.
	PopPush(t float64, v T) (Item[T], bool, Handle, error)
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

// maxSlots bounds the number of slots: heap positions are int32.
const maxSlots = math.MaxInt32

func finite(t float64) bool { return t-t == 0 } // false for NaN and ±Inf

func nonFiniteError(op string, t float64) error {
	return fmt.Errorf("queue: %s at time %v: %w", op, t, ErrNonFinite)
}

func staleError(op string, h Handle) error {
	return fmt.Errorf("queue: %s: handle (slot %d, generation %d): %w", op, h.slot, h.gen, ErrStaleHandle)
}

// nextGen returns the generation that follows g, skipping 0, which marks the zero Handle.
func nextGen(g uint32) uint32 {
	if g++; g == 0 {
		g = 1
	}
	return g
}
