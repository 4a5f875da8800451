// Package learning trains time-to-first-spike networks with gradients computed from spike
// times alone, after Göltz, Kriener et al. (2021): layers, forward pass, gradients, loss,
// optimizers, weight bumping, the training loop, evaluation, model files and checkpoints.
package learning
