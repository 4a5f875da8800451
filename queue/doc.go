// Package queue provides min-priority queues of timed items, ordered by time and then by push
// order, with handles to cancel or reschedule a pending item in O(log n) (amortized, for
// Heap) and an operation, PopPush, that removes the first item and pushes a new one in one
// pass.
//
// Two implementations satisfy Queue: Heap, a hand-written 4-ary heap and the default, and
// BTree, built on github.com/google/btree. Both refuse non-finite times, so the order is
// always total, and both detect stale handles (to items already popped or cancelled) with a
// per-slot generation counter. Neither is safe for concurrent use.
package queue
