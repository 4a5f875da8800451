// Package events simulates networks of LIF neurons exactly, event by event: a priority queue
// orders spike deliveries and predicted threshold crossings, each event advances only the
// neurons it touches, by closed-form propagation, and crossings come from exact solvers, so
// there is no time grid anywhere.
//
// New copies what it needs of the Network it is given, so a Network can be built once and
// simulated by several engines, or changed once New has returned. Options.Queue chooses the
// event queue, HeapQueue or BTreeQueue; the results do not depend on it.
package events
