package yamlconfig_test

import (
	"fmt"
	"strings"

	"github.com/firstspike/firstspike/learning/yamlconfig"
)

// The built-in configs follow the reference's schema.
func ExamplePreset() {
	cfg, err := yamlconfig.Preset("yinyang")
	if err != nil {
		fmt.Println(err)
		return
	}
	t := cfg.Training
	fmt.Println(cfg.Dataset, cfg.Layout.NInputs, cfg.Layout.LayerSizes, cfg.Layout.BiasTimes)
	fmt.Println(t.Optimizer, t.LearningRate, t.BatchSize, t.EpochNumber, t.LRScheduler.Gamma, t.LRScheduler.StepSize)
	// Output:
	// yin_yang 4 [120 3] [[0.9] [0.9]]
	// adam 0.005 150 300 0.95 20
}

// A config's errors name the file, the key path and the value.
func ExampleParse() {
	text, err := yamlconfig.PresetYAML("yinyang")
	if err != nil {
		fmt.Println(err)
		return
	}
	bad := strings.Replace(string(text), "batch_size: 150", "batch_size: 0", 1)
	_, err = yamlconfig.Parse("mine.yaml", []byte(bad))
	fmt.Println(err)
	// Output:
	// mine.yaml: training_params.batch_size: 0: must be > 0
}

// A config turns into the learning.Setup that a trainer takes.
func ExampleConfig_Setup() {
	cfg, err := yamlconfig.Preset("mnist")
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := cfg.Setup(uint64(cfg.Training.TorchSeed))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Network.Inputs(), s.Network.Outputs(), s.BatchSize, s.Schedule, *s.InputNoise)
	// Output:
	// 784 10 80 {0.9 15} {0 0.3}
}
