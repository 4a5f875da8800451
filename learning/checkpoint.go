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

// Checkpoint is the state of a Trainer between epochs: with the same Setup and data,
// Resume continues training from it bit-identically. Its JSON form stores every float64 in
// the shortest form that reads back to the same bits.
type Checkpoint struct {
	Format string `json:"format"`

	// Config describes the Setup for whoever resumes the run; the learning package neither
	// writes nor reads it. (firstspike train stores its YAML config here.)
	Config string `json:"config"`

	Seed      uint64         `json:"seed"`
	Epoch     int            `json:"epoch"`   // epochs completed
	Weights   [][]float64    `json:"weights"` // full-precision weights per layer, row-major
	Optimizer OptimizerState `json:"optimizer"`
	BumpLast  int            `json:"bump_last"`  // the layer bumped by the last batch, −1 for none
	BumpValue float64        `json:"bump_value"` // the bump it added
	RNG       []byte         `json:"rng"`        // the state of the random source (PCG)
	History   []EpochMetrics `json:"history"`
}

// Checkpoint returns a deep copy of the trainer's state, with Config empty.
func (t *Trainer) Checkpoint() (*Checkpoint, error) {
	rng, err := t.pcg.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("learning: %w", err)
	}
	return &Checkpoint{
		Format:    CheckpointFormat,
		Seed:      t.seed,
		Epoch:     t.Epoch,
		Weights:   copy2(t.params),
		Optimizer: t.setup.Optimizer.State(),
		BumpLast:  t.bump.last,
		BumpValue: t.bump.current,
		RNG:       rng,
		History:   append([]EpochMetrics(nil), t.History...),
	}, nil
}

// Resume returns a trainer in the state of c, to continue on the same data with s, which
// must be the Setup that c was taken from: the weights, the optimizer's state, the random
// source and the history come from c, so s.Init, s.Seed and the weights of s.Network are
// not used. It returns an error naming the field if c does not fit s.
func Resume(s Setup, c *Checkpoint, train, val Samples) (*Trainer, error) {
	t, err := newTrainer(s, c.Seed, train, val)
	if err != nil {
		return nil, err
	}
	if len(c.Weights) != len(t.params) {
		return nil, fmt.Errorf("learning: checkpoint: weights: %d layers: the network has %d", len(c.Weights), len(t.params))
	}
	for l, w := range c.Weights {
		if len(w) != len(t.params[l]) {
			return nil, fmt.Errorf("learning: checkpoint: weights[%d]: %d values: want %d", l, len(w), len(t.params[l]))
		}
		copy(t.params[l], w)
	}
	if err := t.Net.check(fileNames); err != nil {
		return nil, fmt.Errorf("learning: checkpoint: %w", err)
	}
	if err := t.setup.Optimizer.SetState(c.Optimizer, t.params); err != nil {
		return nil, fmt.Errorf("learning: checkpoint: optimizer: %w", err)
	}
	if c.BumpLast < -1 || c.BumpLast >= len(t.params) {
		return nil, fmt.Errorf("learning: checkpoint: bump_last: %d: want a layer or −1", c.BumpLast)
	}
	t.bump.last, t.bump.current = c.BumpLast, c.BumpValue
	if err := t.pcg.UnmarshalBinary(c.RNG); err != nil {
		return nil, fmt.Errorf("learning: checkpoint: rng: %w", err)
	}
	t.rng = rand.New(t.pcg)
	if c.Epoch < 0 {
		return nil, fmt.Errorf("learning: checkpoint: epoch: %d: must be ≥ 0", c.Epoch)
	}
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
		return nil, fmt.Errorf("%s: %w", name, err)
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
