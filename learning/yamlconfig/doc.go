// Package yamlconfig reads training configurations written in the YAML schema of the
// reference implementation of Göltz, Kriener et al. (2021), and turns them into a
// learning.Setup.
//
// A Config mirrors the schema: the data set, neuron_params, network_layout and
// training_params, with the reference's defaults for absent keys. Load and Parse check every
// key and value and report the first problem as the file name, the key path and the value,
// as in
//
//	yin_yang.yaml: training_params.learning_rate: -1: must be > 0
//
// Every key of the reference's v1.0.0 configs loads; keys that only steer the reference's
// own machinery are accepted and ignored (Ignored). Preset returns the built-in configs that
// firstspike train uses, and Marshal writes a config back in the same schema.
//
// Config.Setup is the bridge to the learning package, which knows no YAML: Go programs can
// fill in a learning.Setup directly instead.
package yamlconfig
