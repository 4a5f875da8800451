package learning

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/firstspike/firstspike/internal/atomicfile"
)

// CheckpointFormat identifies the checkpoint file format.
const CheckpointFormat = "firstspike.checkpoint/v1"

// Checkpoint is the whole state of a Trainer between epochs: with the same data it resumes
// training bit-identically. Its JSON form stores every float64 in the shortest form that
// reads back to the same bits.
type Checkpoint struct {
	Format    string         `json:"format"`
	Config    string         `json:"config"` // the config, YAML
	Seed      uint64         `json:"seed"`
	Epoch     int            `json:"epoch"`   // epochs completed
	Weights   [][]float64    `json:"weights"` // full-precision weights per layer, row-major
	Optimizer OptimizerState `json:"optimizer"`
	BumpLast  int            `json:"bump_last"`
	BumpValue float64        `json:"bump_value"`
	RNG       []byte         `json:"rng"` // PCG state
	History   []EpochMetrics `json:"history"`
}

// OptimizerState is the state of Adam or SGD.
type OptimizerState struct {
	Type string      `json:"type"` // "adam" or "sgd"
	Step int         `json:"step,omitempty"`
	M    [][]float64 `json:"m,omitempty"`
	V    [][]float64 `json:"v,omitempty"`
	Buf  [][]float64 `json:"buf,omitempty"`
}

// Checkpoint returns a deep copy of the trainer's state.
func (t *Trainer) Checkpoint() (*Checkpoint, error) {
	cfg, err := t.Config.Marshal()
	if err != nil {
		return nil, err
	}
	rng, err := t.pcg.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("learning: %w", err)
	}
	c := &Checkpoint{
		Format:    CheckpointFormat,
		Config:    string(cfg),
		Seed:      t.Seed,
		Epoch:     t.Epoch,
		Weights:   copy2(t.params),
		BumpLast:  t.Bumper.Last,
		BumpValue: t.Bumper.Current,
		RNG:       rng,
		History:   append([]EpochMetrics(nil), t.History...),
	}
	switch o := t.Optimizer.(type) {
	case *Adam:
		c.Optimizer = OptimizerState{Type: "adam", Step: o.Step, M: copy2(o.M), V: copy2(o.V)}
	case *SGD:
		c.Optimizer = OptimizerState{Type: "sgd", Buf: copy2(o.Buf)}
	default:
		return nil, fmt.Errorf("learning: cannot checkpoint optimizer %T", t.Optimizer)
	}
	return c, nil
}

func copy2(x [][]float64) [][]float64 {
	if x == nil {
		return nil
	}
	c := make([][]float64, len(x))
	for i := range x {
		c[i] = append([]float64(nil), x[i]...)
	}
	return c
}

// Resume returns a trainer in the state of c, to continue on the same data. fwd is the
// forward pass (nil: from the config).
func (c *Checkpoint) Resume(train, val Samples, fwd Forward) (*Trainer, error) {
	cfg, err := ParseConfig("checkpoint config", []byte(c.Config))
	if err != nil {
		return nil, err
	}
	t, err := newTrainer(cfg, c.Seed, train, val, fwd)
	if err != nil {
		return nil, err
	}
	if len(c.Weights) != len(t.params) {
		return nil, fmt.Errorf("learning: checkpoint: weights: %d layers: the config has %d", len(c.Weights), len(t.params))
	}
	for l, w := range c.Weights {
		if len(w) != len(t.params[l]) {
			return nil, fmt.Errorf("learning: checkpoint: weights[%d]: %d values: want %d", l, len(w), len(t.params[l]))
		}
		copy(t.params[l], w)
	}
	if err := t.Net.check(); err != nil {
		return nil, fmt.Errorf("learning: checkpoint: %w", err)
	}
	shapeOK := func(x [][]float64) bool {
		if len(x) != len(t.params) {
			return false
		}
		for l := range x {
			if len(x[l]) != len(t.params[l]) {
				return false
			}
		}
		return true
	}
	switch a := t.Optimizer.(type) {
	case *Adam:
		if c.Optimizer.Type != "adam" || !shapeOK(c.Optimizer.M) || !shapeOK(c.Optimizer.V) {
			return nil, fmt.Errorf("learning: checkpoint: optimizer: %q state does not fit the config's adam", c.Optimizer.Type)
		}
		a.Step, a.M, a.V = c.Optimizer.Step, copy2(c.Optimizer.M), copy2(c.Optimizer.V)
	case *SGD:
		if c.Optimizer.Type != "sgd" || (c.Optimizer.Buf != nil && !shapeOK(c.Optimizer.Buf)) {
			return nil, fmt.Errorf("learning: checkpoint: optimizer: %q state does not fit the config's sgd", c.Optimizer.Type)
		}
		a.Buf = copy2(c.Optimizer.Buf)
	}
	t.Bumper.Last, t.Bumper.Current = c.BumpLast, c.BumpValue
	if err := t.pcg.UnmarshalBinary(c.RNG); err != nil {
		return nil, fmt.Errorf("learning: checkpoint: rng: %w", err)
	}
	t.rng = rand.New(t.pcg)
	t.Epoch = c.Epoch
	t.History = append([]EpochMetrics(nil), c.History...)
	return t, nil
}

// Save writes c to path atomically.
func (c *Checkpoint) Save(path string) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		return enc.Encode(c)
	})
}

// LoadCheckpoint reads a checkpoint file.
func LoadCheckpoint(path string) (*Checkpoint, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("learning: %w", err)
	}
	name := filepath.Base(path)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var c Checkpoint
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if c.Format != CheckpointFormat {
		return nil, fmt.Errorf("%s: format: %q: want %q", name, c.Format, CheckpointFormat)
	}
	return &c, nil
}

// jfloat is a float64 whose JSON form allows NaN and ±Inf (as strings).
type jfloat float64

func (f jfloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	switch {
	case math.IsNaN(x):
		return []byte(`"NaN"`), nil
	case math.IsInf(x, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(x, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}

func (f *jfloat) UnmarshalJSON(b []byte) error {
	s := string(b)
	if uq, err := strconv.Unquote(s); err == nil {
		s = uq
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("%s: not a number", b)
	}
	*f = jfloat(x)
	return nil
}

type epochJSON struct {
	Epoch         int    `json:"epoch"`
	LearningRate  jfloat `json:"learning_rate"`
	TrainLoss     jfloat `json:"train_loss"`
	TrainAccuracy jfloat `json:"train_accuracy"`
	ValLoss       jfloat `json:"val_loss"`
	ValAccuracy   jfloat `json:"val_accuracy"`
	Bumps         int    `json:"bumps"`
	Seconds       jfloat `json:"seconds"`
}

// MarshalJSON writes the metrics with NaN as a string.
func (m EpochMetrics) MarshalJSON() ([]byte, error) {
	return json.Marshal(epochJSON{m.Epoch, jfloat(m.LearningRate), jfloat(m.TrainLoss), jfloat(m.TrainAccuracy),
		jfloat(m.ValLoss), jfloat(m.ValAccuracy), m.Bumps, jfloat(m.Seconds)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (m *EpochMetrics) UnmarshalJSON(b []byte) error {
	var e epochJSON
	if err := json.Unmarshal(b, &e); err != nil {
		return err
	}
	*m = EpochMetrics{e.Epoch, float64(e.LearningRate), float64(e.TrainLoss), float64(e.TrainAccuracy),
		float64(e.ValLoss), float64(e.ValAccuracy), e.Bumps, float64(e.Seconds)}
	return nil
}

// WriteMetricsCSV writes the history as CSV with a header line.
func WriteMetricsCSV(w io.Writer, history []EpochMetrics) error {
	bw := &errWriter{w: w}
	bw.WriteString("epoch,learning_rate,train_loss,train_accuracy,val_loss,val_accuracy,bumps,seconds\n")
	f := func(x float64) string {
		if math.IsNaN(x) {
			return ""
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	for _, m := range history {
		fmt.Fprintf(bw, "%d,%s,%s,%s,%s,%s,%d,%s\n", m.Epoch, f(m.LearningRate), f(m.TrainLoss), f(m.TrainAccuracy),
			f(m.ValLoss), f(m.ValAccuracy), m.Bumps, strconv.FormatFloat(m.Seconds, 'f', 3, 64))
	}
	return bw.err
}
