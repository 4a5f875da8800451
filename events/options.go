package events

import (
	"fmt"
	"strconv"
)

// Options tune an Engine. None of them changes the results, only the work done.
type Options struct {
	// Queue selects the event queue; the zero value is HeapQueue.
	Queue QueueKind
	// RecordSpikes keeps every neuron spike for Spikes.
	RecordSpikes bool
	// OnSpike, if set, is called for every neuron spike as it happens, in time order.
	OnSpike func(Spike)
	// Headroom sets how much extra excitatory drive a lower bound on a crossing tolerates
	// before it must be recomputed, in units of the largest excitatory weight into the
	// population. Larger values mean fewer recomputations but looser, earlier bounds.
	// 0 means the default, 2.
	Headroom float64
	// Slot is the width of the calendar slots that hold lower bounds, in units of the
	// smallest membrane time constant. 0 means the default, 1/64.
	Slot float64
	// MaxSpikes, if > 0, stops Run with an error once the neurons have emitted more spikes
	// than this in total: without refractoriness, runaway excitation can pile up spikes at
	// one instant so that simulated time stops advancing.
	MaxSpikes int64
}

// QueueKind names an implementation of the event queue. Both order events the same way,
// so the choice changes only the speed. Its text form, "heap" or "btree", is what
// MarshalText writes and UnmarshalText reads, so it can be a command-line flag
// (flag.TextVar) or a JSON string.
type QueueKind uint8

const (
	// HeapQueue is a 4-ary heap (queue.Heap), the default.
	HeapQueue QueueKind = iota
	// BTreeQueue is a B-tree (queue.BTree).
	BTreeQueue
)

var queueNames = [...]string{HeapQueue: "heap", BTreeQueue: "btree"}

func (k QueueKind) valid() bool { return int(k) < len(queueNames) }

// String returns the text form of k, or "QueueKind(n)" for a value that names no queue.
func (k QueueKind) String() string {
	if !k.valid() {
		return "QueueKind(" + strconv.Itoa(int(k)) + ")"
	}
	return queueNames[k]
}

// MarshalText implements encoding.TextMarshaler. It fails for a value that names no queue.
func (k QueueKind) MarshalText() ([]byte, error) {
	if !k.valid() {
		return nil, fmt.Errorf("events: unknown queue %v", k)
	}
	return []byte(queueNames[k]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler: it accepts "heap" and "btree", exactly.
func (k *QueueKind) UnmarshalText(text []byte) error {
	for q, name := range queueNames {
		if string(text) == name {
			*k = QueueKind(q)
			return nil
		}
	}
	return fmt.Errorf("events: unknown queue %q (want heap or btree)", text)
}
