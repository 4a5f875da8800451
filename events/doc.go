// Package events simulates networks of LIF neurons exactly, event by event: a priority queue
// orders spike deliveries and predicted threshold crossings, each event advances only the
// neurons it touches, by closed-form propagation, and crossings come from exact solvers, so
// there is no time grid anywhere.
package events
