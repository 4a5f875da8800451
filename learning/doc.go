// Package learning trains time-to-first-spike networks with gradients computed from spike
// times alone, after Göltz, Kriener et al. (2021): layers, forward pass, gradients, loss,
// optimizers, weight bumping, the training loop, evaluation, model files and checkpoints.
//
// A Network is a stack of fully connected layers of ttfs.Neuron neurons with bias spikes
// appended to each layer's inputs. The forward pass is pluggable (Forward): Exact computes
// the exact first spike times with the closed forms of package ttfs, Euler reproduces
// the reference implementation's grid integrator, and substrate models elsewhere can supply
// recorded times; the backward pass (LayerBackward) needs only the input times, the output
// times, the weights and the neuron parameters. Classification needs only the first output
// spike: Exact.Classify and Classify stop each sample there.
//
// Trainer follows the reference's procedure (spec §4–5) and reads its YAML configs (Config).
// Mini-batches run in parallel over samples on GOMAXPROCS goroutines; gradients are summed in
// fixed chunks in a fixed order, so a seed gives the same bits whatever the number of
// goroutines, and a Checkpoint resumes training bit-identically.
package learning
