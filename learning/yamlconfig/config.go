package yamlconfig

import (
	"bytes"
	"embed"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/firstspike/firstspike/learning"
	"github.com/firstspike/firstspike/ttfs"
)

// Config is a training configuration in the reference implementation's YAML schema (docs/model.md §7):
// the data set, the neuron parameters, the network layout and the training parameters. Every
// key of the reference's v1.0.0 configs loads; keys that only concern the reference's own
// machinery are accepted and ignored (see Ignored). Setup turns it into a learning.Setup.
type Config struct {
	Dataset  string         `yaml:"dataset"`
	Neuron   NeuronParams   `yaml:"neuron_params"`
	Layout   Layout         `yaml:"network_layout"`
	Training TrainingParams `yaml:"training_params"`
}

// NeuronParams are the neuron parameters of a config.
type NeuronParams struct {
	GLeak     float64 `yaml:"g_leak"`
	Leak      float64 `yaml:"leak"`
	TauSyn    float64 `yaml:"tau_syn"`
	TauMem    float64 `yaml:"tau_mem,omitempty"` // 0 (absent) means TauSyn
	Threshold float64 `yaml:"threshold"`
}

// TTFS returns the neuron model of p.
func (p NeuronParams) TTFS() ttfs.Neuron {
	tm := p.TauMem
	if tm == 0 {
		tm = p.TauSyn
	}
	return ttfs.Neuron{TauSyn: p.TauSyn, TauMem: tm, Threshold: p.Threshold, Leak: p.Leak, GLeak: p.GLeak}
}

// Layout is the network layout of a config.
type Layout struct {
	NInputs    int   `yaml:"n_inputs"`
	NLayers    int   `yaml:"n_layers"`
	LayerSizes []int `yaml:"layer_sizes"`
	NBiases    []int `yaml:"n_biases"`
	// BiasTimes holds the bias spike times of each layer. The reference accepts a flat list
	// (the same list for every layer) or one list per layer; both load, and it is written
	// back per layer.
	BiasTimes    BiasTimes `yaml:"bias_times"`
	WeightMeans  []float64 `yaml:"weight_means"`
	WeightStdevs []float64 `yaml:"weight_stdevs"`
}

// BiasTimes holds one list of bias spike times per layer.
type BiasTimes [][]float64

// TrainingParams are the training parameters of a config.
type TrainingParams struct {
	Xi    float64    `yaml:"xi,omitempty"`
	Alpha float64    `yaml:"alpha,omitempty"`
	Beta  float64    `yaml:"beta,omitempty"`
	Loss  LossParams `yaml:"loss,omitempty"`

	BatchSize      int   `yaml:"batch_size"`
	BatchSizeEval  int   `yaml:"batch_size_eval,omitempty"`
	EpochNumber    int   `yaml:"epoch_number"`
	EpochSnapshots []int `yaml:"epoch_snapshots,omitempty"`

	Optimizer    string          `yaml:"optimizer"`
	LearningRate float64         `yaml:"learning_rate"`
	Momentum     float64         `yaml:"momentum"`
	LRScheduler  SchedulerParams `yaml:"lr_scheduler,omitempty"`

	MaxDwNorm             float64   `yaml:"max_dw_norm,omitempty"` // 0 (absent) = no column drop
	MaxNumMissingSpikes   Fractions `yaml:"max_num_missing_spikes"`
	WeightBumpingExp      bool      `yaml:"weight_bumping_exp"`
	WeightBumpingTargeted bool      `yaml:"weight_bumping_targeted"`
	WeightBumpingValue    float64   `yaml:"weight_bumping_value"`

	TrainingNoise     Noise   `yaml:"training_noise"`
	RoundingPrecision float64 `yaml:"rounding_precision,omitempty"` // 0 (absent) = off
	ClipWeightsMax    float64 `yaml:"clip_weights_max,omitempty"`   // 0 (absent) = off

	UseForwardIntegrator bool    `yaml:"use_forward_integrator"`
	Resolution           float64 `yaml:"resolution,omitempty"`
	SimTime              float64 `yaml:"sim_time,omitempty"`
	UseHicannx           bool    `yaml:"use_hicannx"`

	TorchSeed        int64   `yaml:"torch_seed"`
	NumpySeed        *int64  `yaml:"numpy_seed,omitempty"`
	EnforceCPU       bool    `yaml:"enforce_cpu,omitempty"`
	PrintStepPercent float64 `yaml:"print_step_percent,omitempty"`
}

// Ignored lists the config keys that load but change nothing here, with the reason.
var Ignored = map[string]string{
	"training_params.numpy_seed":  "the reference seeds numpy with it but draws nothing from it; --seed (default torch_seed) drives all randomness here",
	"training_params.enforce_cpu": "there is no GPU code path",
}

// LossParams selects the loss (the reference's optional training_params.loss).
type LossParams struct {
	Type     string  `yaml:"type,omitempty"` // "" or "TTFS": TTFSLoss with xi, alpha, beta; "MSE": MSELoss
	TCorrect float64 `yaml:"t_correct,omitempty"`
	TWrong   float64 `yaml:"t_wrong,omitempty"`
}

// IsZero reports whether the loss is the default (for omitempty).
func (p LossParams) IsZero() bool { return p == LossParams{} }

// SchedulerParams is the learning-rate schedule of a config (training_params.lr_scheduler).
type SchedulerParams struct {
	Type       string  `yaml:"type"` // StepLR, MultiStepLR or empty/null for none
	Gamma      float64 `yaml:"gamma,omitempty"`
	StepSize   int     `yaml:"step_size,omitempty"`
	Milestones []int   `yaml:"milestones,omitempty"`
}

// IsZero reports whether no schedule is set (for omitempty).
func (p SchedulerParams) IsZero() bool {
	return p.Type == "" && p.Gamma == 0 && p.StepSize == 0 && p.Milestones == nil
}

// Schedule returns the learning-rate schedule of p, nil for none.
func (p SchedulerParams) Schedule() learning.Schedule {
	switch p.Type {
	case "StepLR":
		return learning.StepLR{Gamma: p.Gamma, StepSize: p.StepSize}
	case "MultiStepLR":
		return learning.MultiStepLR{Gamma: p.Gamma, Milestones: append([]int(nil), p.Milestones...)}
	}
	return nil
}

// Noise is the Gaussian noise added to the input times of training batches
// (training_params.training_noise: false, or {mean, std_dev}).
type Noise struct {
	On     bool
	Mean   float64
	StdDev float64
}

// Fractions is a per-layer list of fractions; a single number in a config stands for the same
// value in every layer.
type Fractions []float64

// Loss returns the loss function the config selects.
func (c *Config) Loss() learning.Loss {
	if c.Training.Loss.Type == "MSE" {
		return learning.MSELoss{TCorrect: c.Training.Loss.TCorrect, TWrong: c.Training.Loss.TWrong, TauSyn: c.Neuron.TauSyn}
	}
	return learning.TTFSLoss{Xi: c.Training.Xi, Alpha: c.Training.Alpha, Beta: c.Training.Beta, TauSyn: c.Neuron.TauSyn}
}

// DatasetName returns the name of the config's data set as the datasets package knows it
// ("yinyang", "mnist" or "mnist16"). For another data set it returns an error naming the
// key and the value; such a config still describes a Setup, for data the caller provides.
func (c *Config) DatasetName() (string, error) {
	switch c.Dataset {
	case "yin_yang", "yinyang":
		return "yinyang", nil
	case "mnist":
		return "mnist", nil
	case "16x16_mnist", "mnist16":
		return "mnist16", nil
	}
	return "", fmt.Errorf("dataset: %q: want yin_yang, mnist or 16x16_mnist", c.Dataset)
}

// NumLayers returns the number of layers.
func (c *Config) NumLayers() int { return len(c.Layout.LayerSizes) }

// NewNetwork returns an untrained network of the config's layout and neuron, all weights zero.
func (c *Config) NewNetwork() *learning.Network {
	return learning.NewNetwork(c.Neuron.TTFS(), c.Layout.NInputs, c.Layout.LayerSizes, c.Layout.BiasTimes)
}

// Setup returns the learning.Setup the config describes, with the random source seeded by
// seed (firstspike train passes torch_seed unless --seed is given): the network of the layout
// with weights drawn from weight_means and weight_stdevs, the loss, Adam or SGD, the
// schedule, weight bumping, training noise, rounding, clipping, and the Euler forward pass if
// use_forward_integrator is set (else the exact one). It returns an error for a config that
// asks for the BrainScaleS-2 chip (use_hicannx), for which there is no forward pass here.
func (c *Config) Setup(seed uint64) (learning.Setup, error) {
	if err := c.Validate(); err != nil {
		return learning.Setup{}, err
	}
	t := &c.Training
	if t.UseHicannx {
		return learning.Setup{}, fmt.Errorf("training_params.use_hicannx: true: no BrainScaleS-2 forward backend is available; set it to false to train the ideal model")
	}
	s := learning.Setup{
		Network:       c.NewNetwork(),
		Seed:          seed,
		Loss:          c.Loss(),
		LearningRate:  t.LearningRate,
		Schedule:      t.LRScheduler.Schedule(),
		BatchSize:     t.BatchSize,
		EvalBatchSize: t.BatchSizeEval,
		MaxDwNorm:     t.MaxDwNorm,
		Bumping: learning.Bumping{
			MaxMissing:  append([]float64{}, t.MaxNumMissingSpikes...),
			Value:       t.WeightBumpingValue,
			Exponential: t.WeightBumpingExp,
			Targeted:    t.WeightBumpingTargeted,
		},
		RoundingPrecision: t.RoundingPrecision,
		ClipWeights:       t.ClipWeightsMax,
	}
	for l := range c.Layout.LayerSizes {
		s.Init = append(s.Init, learning.Normal{Mean: c.Layout.WeightMeans[l], StdDev: c.Layout.WeightStdevs[l]})
	}
	if t.Optimizer == "adam" {
		s.Optimizer = learning.NewAdam()
	} else {
		s.Optimizer = &learning.SGD{Momentum: t.Momentum}
	}
	if t.TrainingNoise.On {
		s.InputNoise = &learning.Noise{Mean: t.TrainingNoise.Mean, StdDev: t.TrainingNoise.StdDev}
	}
	if t.UseForwardIntegrator {
		s.Forward = &learning.Euler{Resolution: t.Resolution, SimTime: t.SimTime}
	}
	return s, nil
}

// presets holds the built-in configs.
//
//go:embed presets/*.yaml
var presets embed.FS

// Presets returns the names of the built-in configs.
func Presets() []string {
	ents, _ := presets.ReadDir("presets")
	var names []string
	for _, e := range ents {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return names
}

// PresetYAML returns the YAML text of a built-in config.
func PresetYAML(name string) ([]byte, error) {
	b, err := presets.ReadFile("presets/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("yamlconfig: unknown preset %q (have %s)", name, strings.Join(Presets(), ", "))
	}
	return b, nil
}

// Preset returns a built-in config: "yinyang" (the paper's Yin-Yang run), "mnist" (full
// MNIST 784-350-10 with the exact forward pass) or "mnist16" (16×16 MNIST 256-128-10).
func Preset(name string) (*Config, error) {
	b, err := PresetYAML(name)
	if err != nil {
		return nil, err
	}
	return Parse(name+".yaml", b)
}

// Load reads and validates a config file.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("yamlconfig: %w", err)
	}
	return Parse(filepath.Base(path), b)
}

// Parse parses and validates a config; name (the file name) prefixes every error, which
// also names the key path and the offending value.
func Parse(name string, data []byte) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty config", name)
	}
	var c Config
	seen := map[string]bool{}
	if err := decodeNode(doc.Content[0], reflect.ValueOf(&c).Elem(), "", seen); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := c.fill(seen); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &c, nil
}

// Marshal returns the config as YAML in the reference's schema, lists of numbers in flow
// style ([120, 3]) as the reference writes them.
func (c *Config) Marshal() ([]byte, error) {
	var doc yaml.Node
	if err := doc.Encode(c); err != nil {
		return nil, fmt.Errorf("yamlconfig: encoding config: %w", err)
	}
	flowLists(&doc)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("yamlconfig: encoding config: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("yamlconfig: encoding config: %w", err)
	}
	return buf.Bytes(), nil
}

// flowLists sets flow style on every sequence that holds only scalars or such sequences.
func flowLists(n *yaml.Node) bool {
	flat := n.Kind == yaml.ScalarNode
	if n.Kind == yaml.SequenceNode {
		flat = true
	}
	for _, c := range n.Content {
		if !flowLists(c) {
			flat = false
		}
		if n.Kind == yaml.SequenceNode && c.Kind == yaml.MappingNode {
			flat = false
		}
	}
	if n.Kind == yaml.SequenceNode && flat {
		n.Style = yaml.FlowStyle
	}
	return flat
}

// required lists the keys a config must set; the reference fails without them too.
var required = []string{
	"dataset",
	"neuron_params.g_leak", "neuron_params.leak", "neuron_params.tau_syn", "neuron_params.threshold",
	"network_layout.n_inputs", "network_layout.layer_sizes",
	"network_layout.weight_means", "network_layout.weight_stdevs",
	"training_params.batch_size", "training_params.epoch_number", "training_params.learning_rate",
	"training_params.max_num_missing_spikes", "training_params.weight_bumping_exp",
	"training_params.weight_bumping_targeted", "training_params.weight_bumping_value",
}

// fill checks required keys and applies the reference's defaults for absent optional ones.
func (c *Config) fill(seen map[string]bool) error {
	for _, k := range required {
		if !seen[k] {
			return fmt.Errorf("%s: missing", k)
		}
	}
	L := len(c.Layout.LayerSizes)
	if !seen["network_layout.n_layers"] {
		c.Layout.NLayers = L
	}
	if !seen["network_layout.n_biases"] {
		c.Layout.NBiases = make([]int, L)
	}
	if c.Training.Loss.Type == "" || c.Training.Loss.Type == "TTFS" {
		for _, k := range []string{"xi", "alpha", "beta"} {
			if !seen["training_params."+k] {
				return fmt.Errorf("training_params.%s: missing (needed by the TTFS loss)", k)
			}
		}
	}
	if !seen["training_params.optimizer"] {
		c.Training.Optimizer = "sgd" // the reference's default
	}
	if len(c.Training.MaxNumMissingSpikes) == 1 && L > 1 && !seen["training_params.max_num_missing_spikes[0]"] {
		v := c.Training.MaxNumMissingSpikes[0]
		c.Training.MaxNumMissingSpikes = make(Fractions, L)
		for i := range c.Training.MaxNumMissingSpikes {
			c.Training.MaxNumMissingSpikes[i] = v
		}
	}
	// A flat bias_times list is shared by all layers, each taking its first n_biases[l].
	if len(c.Layout.BiasTimes) == 1 && seen["network_layout.bias_times.flat"] {
		flat := c.Layout.BiasTimes[0]
		c.Layout.BiasTimes = make(BiasTimes, L)
		for l := 0; l < L && l < len(c.Layout.NBiases); l++ {
			if n := c.Layout.NBiases[l]; n != len(flat) {
				return fmt.Errorf("network_layout.n_biases[%d]: %d: the flat bias_times list has %d entries (give one list per layer to differ)", l, n, len(flat))
			}
			c.Layout.BiasTimes[l] = append([]float64{}, flat...)
		}
	}
	if len(c.Layout.BiasTimes) == 0 {
		c.Layout.BiasTimes = make(BiasTimes, L)
	}
	for l := range c.Layout.BiasTimes {
		if c.Layout.BiasTimes[l] == nil {
			c.Layout.BiasTimes[l] = []float64{}
		}
	}
	return nil
}

// Validate reports the first invalid setting, naming its key path and value.
func (c *Config) Validate() error {
	bad := func(key string, v any, msg string) error { return fmt.Errorf("%s: %v: %s", key, v, msg) }
	n := &c.Neuron
	for _, f := range []struct {
		key string
		v   float64
	}{{"neuron_params.tau_syn", n.TauSyn}, {"neuron_params.g_leak", n.GLeak}} {
		if !(f.v > 0) || math.IsInf(f.v, 1) {
			return bad(f.key, f.v, "must be > 0 and finite")
		}
	}
	if n.TauMem != 0 && n.TauMem != n.TauSyn && n.TauMem != 2*n.TauSyn {
		return bad("neuron_params.tau_mem", n.TauMem, "must equal tau_syn or 2·tau_syn")
	}
	if !(n.Threshold > n.Leak) || math.IsInf(n.Threshold, 0) || math.IsInf(n.Leak, 0) {
		return bad("neuron_params.threshold", n.Threshold, fmt.Sprintf("must be finite and above leak (%v)", n.Leak))
	}

	lay := &c.Layout
	L := len(lay.LayerSizes)
	if lay.NInputs <= 0 {
		return bad("network_layout.n_inputs", lay.NInputs, "must be > 0")
	}
	if L == 0 {
		return bad("network_layout.layer_sizes", "[]", "need at least one layer")
	}
	if lay.NLayers != L {
		return bad("network_layout.n_layers", lay.NLayers, fmt.Sprintf("layer_sizes has %d layers", L))
	}
	for l, s := range lay.LayerSizes {
		if s <= 0 {
			return bad(fmt.Sprintf("network_layout.layer_sizes[%d]", l), s, "must be > 0")
		}
	}
	perLayer := []struct {
		key string
		n   int
	}{{"n_biases", len(lay.NBiases)}, {"bias_times", len(lay.BiasTimes)}, {"weight_means", len(lay.WeightMeans)}, {"weight_stdevs", len(lay.WeightStdevs)}}
	for _, f := range perLayer {
		if f.n != L {
			return bad("network_layout."+f.key, fmt.Sprintf("%d entries", f.n), fmt.Sprintf("want one per layer (%d)", L))
		}
	}
	for l := 0; l < L; l++ {
		if lay.NBiases[l] != len(lay.BiasTimes[l]) {
			return bad(fmt.Sprintf("network_layout.n_biases[%d]", l), lay.NBiases[l], fmt.Sprintf("bias_times[%d] has %d entries", l, len(lay.BiasTimes[l])))
		}
		for i, t := range lay.BiasTimes[l] {
			if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
				return bad(fmt.Sprintf("network_layout.bias_times[%d][%d]", l, i), t, "must be finite and ≥ 0")
			}
		}
		if math.IsNaN(lay.WeightMeans[l]) || math.IsInf(lay.WeightMeans[l], 0) {
			return bad(fmt.Sprintf("network_layout.weight_means[%d]", l), lay.WeightMeans[l], "must be finite")
		}
		if s := lay.WeightStdevs[l]; !(s >= 0) || math.IsInf(s, 0) {
			return bad(fmt.Sprintf("network_layout.weight_stdevs[%d]", l), s, "must be finite and ≥ 0")
		}
	}

	t := &c.Training
	pos := func(key string, v float64) error {
		if !(v > 0) || math.IsInf(v, 1) {
			return bad("training_params."+key, v, "must be > 0")
		}
		return nil
	}
	nonneg := func(key string, v float64) error {
		if !(v >= 0) || math.IsInf(v, 1) {
			return bad("training_params."+key, v, "must be ≥ 0 and finite")
		}
		return nil
	}
	switch t.Loss.Type {
	case "", "TTFS":
		if err := pos("xi", t.Xi); err != nil {
			return err
		}
		if err := pos("beta", t.Beta); err != nil {
			return err
		}
		if err := nonneg("alpha", t.Alpha); err != nil {
			return err
		}
	case "MSE":
		if math.IsNaN(t.Loss.TCorrect) || math.IsNaN(t.Loss.TWrong) {
			return bad("training_params.loss", "NaN", "targets must be numbers")
		}
	default:
		return bad("training_params.loss.type", t.Loss.Type, "want TTFS or MSE")
	}
	if t.BatchSize <= 0 {
		return bad("training_params.batch_size", t.BatchSize, "must be > 0")
	}
	if t.BatchSizeEval < 0 {
		return bad("training_params.batch_size_eval", t.BatchSizeEval, "must be > 0")
	}
	if t.EpochNumber < 0 {
		return bad("training_params.epoch_number", t.EpochNumber, "must be ≥ 0")
	}
	for i, e := range t.EpochSnapshots {
		if e < 0 {
			return bad(fmt.Sprintf("training_params.epoch_snapshots[%d]", i), e, "must be ≥ 0")
		}
	}
	if err := pos("learning_rate", t.LearningRate); err != nil {
		return err
	}
	switch t.Optimizer {
	case "adam":
	case "sgd":
		if err := nonneg("momentum", t.Momentum); err != nil {
			return err
		}
	default:
		return bad("training_params.optimizer", t.Optimizer, "want adam or sgd")
	}
	switch t.LRScheduler.Type {
	case "":
	case "StepLR":
		if t.LRScheduler.StepSize <= 0 {
			return bad("training_params.lr_scheduler.step_size", t.LRScheduler.StepSize, "must be > 0")
		}
		if err := pos("lr_scheduler.gamma", t.LRScheduler.Gamma); err != nil {
			return err
		}
	case "MultiStepLR":
		if err := pos("lr_scheduler.gamma", t.LRScheduler.Gamma); err != nil {
			return err
		}
	default:
		return bad("training_params.lr_scheduler.type", t.LRScheduler.Type, "want StepLR or MultiStepLR")
	}
	if err := nonneg("max_dw_norm", t.MaxDwNorm); err != nil {
		return err
	}
	if len(t.MaxNumMissingSpikes) != L {
		return bad("training_params.max_num_missing_spikes", fmt.Sprintf("%d entries", len(t.MaxNumMissingSpikes)), fmt.Sprintf("want one per layer (%d)", L))
	}
	for i, f := range t.MaxNumMissingSpikes {
		if !(f >= 0 && f <= 1) {
			return bad(fmt.Sprintf("training_params.max_num_missing_spikes[%d]", i), f, "must be in [0, 1]")
		}
	}
	if err := nonneg("weight_bumping_value", t.WeightBumpingValue); err != nil {
		return err
	}
	if t.TrainingNoise.On {
		if math.IsNaN(t.TrainingNoise.Mean) || math.IsInf(t.TrainingNoise.Mean, 0) {
			return bad("training_params.training_noise.mean", t.TrainingNoise.Mean, "must be finite")
		}
		if err := nonneg("training_noise.std_dev", t.TrainingNoise.StdDev); err != nil {
			return err
		}
	}
	if err := nonneg("rounding_precision", t.RoundingPrecision); err != nil {
		return err
	}
	if err := nonneg("clip_weights_max", t.ClipWeightsMax); err != nil {
		return err
	}
	if t.UseForwardIntegrator {
		if err := pos("resolution", t.Resolution); err != nil {
			return err
		}
		if err := pos("sim_time", t.SimTime); err != nil {
			return err
		}
		if c.Neuron.TauMem != 0 && c.Neuron.TauMem != c.Neuron.TauSyn {
			return bad("neuron_params.tau_mem", c.Neuron.TauMem, "the forward integrator needs tau_mem = tau_syn")
		}
	}
	return nil
}

// CheckData reports whether data of nIn inputs and nClasses classes fits the layout.
func (c *Config) CheckData(dataName string, nIn, nClasses int) error {
	if c.Layout.NInputs != nIn {
		return fmt.Errorf("network_layout.n_inputs: %d: data set %s has %d inputs", c.Layout.NInputs, dataName, nIn)
	}
	if out := c.Layout.LayerSizes[len(c.Layout.LayerSizes)-1]; out < nClasses {
		return fmt.Errorf("network_layout.layer_sizes[%d]: %d: data set %s has %d classes", len(c.Layout.LayerSizes)-1, out, dataName, nClasses)
	}
	return nil
}

// nodeDecoder is implemented by config types with their own YAML forms.
type nodeDecoder interface {
	decodeNode(n *yaml.Node, path string, seen map[string]bool) error
}

// decodeNode decodes n into v strictly: unknown keys and values of the wrong type are errors
// that name the key path and the value. It records every decoded key path in seen.
func decodeNode(n *yaml.Node, v reflect.Value, path string, seen map[string]bool) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if path != "" {
		seen[path] = true
	}
	if v.CanAddr() {
		if d, ok := v.Addr().Interface().(nodeDecoder); ok {
			return d.decodeNode(n, path, seen)
		}
	}
	switch v.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return typeError(n, path, "a mapping")
		}
		fields := map[string]int{}
		for i := 0; i < v.NumField(); i++ {
			tag := strings.Split(v.Type().Field(i).Tag.Get("yaml"), ",")[0]
			if tag != "" && tag != "-" {
				fields[tag] = i
			}
		}
		dup := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			sub := join(path, key)
			i0, ok := fields[key]
			if !ok {
				known := make([]string, 0, len(fields))
				for k := range fields {
					known = append(known, k)
				}
				sort.Strings(known)
				return fmt.Errorf("%s: unknown key (line %d); known keys: %s", sub, n.Content[i].Line, strings.Join(known, ", "))
			}
			if dup[key] {
				return fmt.Errorf("%s: key given twice (line %d)", sub, n.Content[i].Line)
			}
			dup[key] = true
			if err := decodeNode(n.Content[i+1], v.Field(i0), sub, seen); err != nil {
				return err
			}
		}
		return nil
	case reflect.Pointer:
		if n.ShortTag() == "!!null" {
			v.SetZero()
			return nil
		}
		p := reflect.New(v.Type().Elem())
		if err := decodeNode(n, p.Elem(), path, seen); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return typeError(n, path, "a list")
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, e := range n.Content {
			if err := decodeNode(e, s.Index(i), fmt.Sprintf("%s[%d]", path, i), seen); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	case reflect.Float64:
		f, err := scalarFloat(n, path)
		if err != nil {
			return err
		}
		v.SetFloat(f)
		return nil
	case reflect.Int, reflect.Int64:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
			return typeError(n, path, "an integer")
		}
		i, err := strconv.ParseInt(n.Value, 0, 64)
		if err != nil {
			return typeError(n, path, "an integer")
		}
		v.SetInt(i)
		return nil
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			return typeError(n, path, "true or false")
		}
		var b bool
		if err := n.Decode(&b); err != nil {
			return typeError(n, path, "true or false")
		}
		v.SetBool(b)
		return nil
	case reflect.String:
		if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!str" && n.ShortTag() != "!!null") {
			return typeError(n, path, "a string")
		}
		if n.ShortTag() == "!!null" {
			v.SetString("")
		} else {
			v.SetString(n.Value)
		}
		return nil
	}
	panic(fmt.Sprintf("yamlconfig: config field %s of unsupported kind %v", path, v.Kind()))
}

func scalarFloat(n *yaml.Node, path string) (float64, error) {
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") {
		return 0, typeError(n, path, "a number")
	}
	var f float64
	if err := n.Decode(&f); err != nil {
		return 0, typeError(n, path, "a number")
	}
	return f, nil
}

func typeError(n *yaml.Node, path, want string) error {
	if path == "" {
		path = "top level"
	}
	var val string
	switch n.Kind {
	case yaml.MappingNode:
		val = "a mapping"
	case yaml.SequenceNode:
		val = "a list"
	default:
		val = strconv.Quote(n.Value)
		if n.ShortTag() != "!!str" {
			val = n.Value
		}
	}
	return fmt.Errorf("%s: %s (line %d): want %s", path, val, n.Line, want)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// decodeNode accepts false (or null) for no noise and {mean, std_dev}.
func (z *Noise) decodeNode(n *yaml.Node, path string, seen map[string]bool) error {
	switch {
	case n.ShortTag() == "!!null":
		*z = Noise{}
		return nil
	case n.ShortTag() == "!!bool":
		var b bool
		_ = n.Decode(&b)
		if b {
			return typeError(n, path, "false or {mean, std_dev}")
		}
		*z = Noise{}
		return nil
	case n.Kind == yaml.MappingNode:
		var p struct {
			Mean   float64 `yaml:"mean"`
			StdDev float64 `yaml:"std_dev"`
		}
		if err := decodeNode(n, reflect.ValueOf(&p).Elem(), path, seen); err != nil {
			return err
		}
		if !seen[path+".std_dev"] {
			return fmt.Errorf("%s.std_dev: missing", path)
		}
		*z = Noise{On: true, Mean: p.Mean, StdDev: p.StdDev}
		return nil
	}
	return typeError(n, path, "false or {mean, std_dev}")
}

// MarshalYAML writes false for no noise.
func (z Noise) MarshalYAML() (any, error) {
	if !z.On {
		return false, nil
	}
	return map[string]float64{"mean": z.Mean, "std_dev": z.StdDev}, nil
}

// decodeNode accepts a number (for every layer) or a list.
func (f *Fractions) decodeNode(n *yaml.Node, path string, seen map[string]bool) error {
	if n.Kind == yaml.ScalarNode {
		v, err := scalarFloat(n, path)
		if err != nil {
			return err
		}
		*f = Fractions{v}
		return nil
	}
	var s []float64
	if err := decodeNode(n, reflect.ValueOf(&s).Elem(), path, seen); err != nil {
		return err
	}
	*f = s
	return nil
}

// decodeNode accepts a flat list (shared by all layers) or a list of lists.
func (b *BiasTimes) decodeNode(n *yaml.Node, path string, seen map[string]bool) error {
	if n.Kind != yaml.SequenceNode {
		return typeError(n, path, "a list")
	}
	if len(n.Content) > 0 && n.Content[0].Kind == yaml.SequenceNode {
		var s [][]float64
		if err := decodeNode(n, reflect.ValueOf(&s).Elem(), path, seen); err != nil {
			return err
		}
		*b = s
		return nil
	}
	var s []float64
	if err := decodeNode(n, reflect.ValueOf(&s).Elem(), path, seen); err != nil {
		return err
	}
	seen[path+".flat"] = true
	*b = BiasTimes{s}
	return nil
}

// decodeNode accepts null or a mapping (lr_scheduler: null means none).
func (p *SchedulerParams) decodeNode(n *yaml.Node, path string, seen map[string]bool) error {
	if n.ShortTag() == "!!null" {
		*p = SchedulerParams{}
		return nil
	}
	type plain SchedulerParams
	return decodeNode(n, reflect.ValueOf((*plain)(p)).Elem(), path, seen)
}
