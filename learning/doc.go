// Package learning trains time-to-first-spike networks with gradients computed from spike
// times alone, after Göltz, Kriener et al. (2021).
//
// A Network is a stack of fully connected layers of first-spike neurons (ttfs.Neuron), with
// bias spikes appended to each layer's inputs. A Trainer trains one: NewTrainer takes a Setup,
// which holds the network, how its weights start, the Loss (TTFSLoss, MSELoss), the Optimizer (Adam,
// SGD), the learning rate and its Schedule (StepLR, MultiStepLR), weight Bumping and the other
// options of the paper's procedure (docs/model.md §5), together with the training and
// validation Samples; RunEpoch trains one epoch, and Checkpoint and Resume stop and continue a
// run bit-identically. The YAML configs of the reference implementation fill in a Setup
// through the yamlconfig subpackage.
//
// The forward pass is pluggable (Forward): Exact computes the exact first spike times,
// Euler reproduces the reference implementation's grid integrator, and substrate models
// elsewhere can supply recorded times; the backward pass (LayerBackward) needs only the input
// times, the output times, the weights and the neuron parameters. Evaluate scores a network on
// samples; Classify stops each sample at its first output spike, which decides its class.
// Model files (ReadModel, WriteModel) hold trained networks.
//
// Mini-batches run in parallel over samples on GOMAXPROCS goroutines; gradients are summed in
// fixed chunks in a fixed order, so a seed gives the same bits whatever the number of
// goroutines.
package learning
