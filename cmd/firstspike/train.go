package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/firstspike/firstspike/cmd/firstspike/internal/plot"
	"github.com/firstspike/firstspike/datasets"
	"github.com/firstspike/firstspike/internal/atomicfile"
	"github.com/firstspike/firstspike/learning"
	"github.com/firstspike/firstspike/learning/yamlconfig"
)

const trainUsage = `usage: firstspike train [--config FILE | --preset NAME] [--seed S] [--epochs N] [--out DIR] [--resume DIR|FILE] [--cpuprofile FILE] [--json]

Trains a time-to-first-spike network and writes a run folder: config.yaml (the config used),
metrics.csv, model.json, checkpoints/ (last.json every epoch, epoch-N.json at the config's
epoch_snapshots) and PNG figures. Without flags it trains Yin-Yang with the paper's config.

The presets mnist and mnist16, and configs whose dataset is mnist or mnist16, read MNIST:
` + mnistSource + `
flags:
`

// trainOptions are the parsed flags of the train command.
type trainOptions struct {
	config, preset, out, resume string
	seed                        uint64
	seedSet                     bool // --seed was given
	epochs                      int
	json                        bool
	cpuProfile                  string
	now                         func() time.Time
}

func runTrain(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), trainUsage)
		fs.PrintDefaults()
	}
	var o trainOptions
	fs.StringVar(&o.config, "config", "", "training config `FILE` (YAML in the reference's schema)")
	fs.StringVar(&o.preset, "preset", "", "built-in config `NAME`: "+strings.Join(yamlconfig.Presets(), ", ")+" (default yinyang)")
	fs.Uint64Var(&o.seed, "seed", 0, "random seed `S` for weights, shuffling and noise (default: the config's torch_seed)")
	fs.IntVar(&o.epochs, "epochs", 0, "train `N` epochs instead of the config's epoch_number")
	fs.StringVar(&o.out, "out", "", "run folder `DIR` (default runs/<config>-<time>)")
	fs.StringVar(&o.resume, "resume", "", "continue the run in `DIR` (or from checkpoint FILE) bit-identically")
	fs.BoolVar(&o.json, "json", false, "print the result as one JSON object on the last stdout line")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the run (data loading and figures included) to `FILE`")
	if code := parseFlags(fs, args, stdout, stderr); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "firstspike train: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if o.config != "" && o.preset != "" {
		fmt.Fprintln(stderr, "firstspike train: give --config or --preset, not both")
		return 2
	}
	fs.Visit(func(f *flag.Flag) { o.seedSet = o.seedSet || f.Name == "seed" })
	if o.resume != "" && (o.config != "" || o.preset != "" || o.seedSet) {
		fmt.Fprintln(stderr, "firstspike train: --resume takes the config and seed from the checkpoint; drop --config, --preset and --seed")
		return 2
	}
	if o.epochs < 0 {
		fmt.Fprintf(stderr, "firstspike train: --epochs %d: must be ≥ 0\n", o.epochs)
		return 2
	}
	o.now = time.Now
	if err := runProfiled(o.cpuProfile, stderr, func() error { return train(stdout, stderr, o) }); err != nil {
		fmt.Fprintf(stderr, "firstspike train: %v\n", err)
		return 1
	}
	return 0
}

// trainData holds the three splits of a data set.
type trainData struct {
	train, val, test *datasets.Set
}

func samples(s *datasets.Set) learning.Samples {
	return learning.Samples{Inputs: s.Inputs, Labels: s.Labels, NIn: s.NIn}
}

// loadTrainData loads the splits of the config's data set and checks them against the layout.
func loadTrainData(cfg *yamlconfig.Config, cfgName string) (*trainData, error) {
	name, err := cfg.DatasetName()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfgName, err)
	}
	var d trainData
	for _, sp := range []struct {
		split string
		dst   **datasets.Set
	}{{"train", &d.train}, {"val", &d.val}, {"test", &d.test}} {
		s, err := datasets.Load(name, sp.split)
		if err != nil {
			return nil, err
		}
		if err := cfg.CheckData(s.Name, s.NIn, s.NClasses); err != nil {
			return nil, fmt.Errorf("%s: %w", cfgName, err)
		}
		*sp.dst = s
	}
	return &d, nil
}

func train(stdout, stderr io.Writer, o trainOptions) error {
	start := o.now()
	var (
		cfg     *yamlconfig.Config
		cfgName string
		ckpt    *learning.Checkpoint
		runDir  = o.out
		err     error
	)
	switch {
	case o.resume != "":
		path := o.resume
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			if runDir == "" {
				runDir = path
			}
			path = filepath.Join(path, "checkpoints", "last.json")
		} else if runDir == "" && filepath.Base(filepath.Dir(path)) == "checkpoints" {
			runDir = filepath.Dir(filepath.Dir(path))
		}
		if ckpt, err = learning.LoadCheckpoint(path); err != nil {
			return err
		}
		if cfg, err = yamlconfig.Parse(path+": config", []byte(ckpt.Config)); err != nil {
			return err
		}
		cfgName = filepath.Base(path)
	case o.config != "":
		if cfg, err = yamlconfig.Load(o.config); err != nil {
			return err
		}
		cfgName = filepath.Base(o.config)
	default:
		if o.preset == "" {
			o.preset = "yinyang"
		}
		if cfg, err = yamlconfig.Preset(o.preset); err != nil {
			return err
		}
		cfgName = o.preset + ".yaml"
	}
	if o.epochs > 0 {
		cfg.Training.EpochNumber = o.epochs
	}
	if cfg.Training.UseHicannx {
		return fmt.Errorf("%s: training_params.use_hicannx: true: no BrainScaleS-2 forward backend is available; set it to false to train the ideal model", cfgName)
	}
	seed := uint64(cfg.Training.TorchSeed)
	if o.seedSet {
		seed = o.seed
		// The config written to the run folder then reproduces the run.
		cfg.Training.TorchSeed = int64(seed)
	}
	data, err := loadTrainData(cfg, cfgName)
	if err != nil {
		return err
	}
	setup, err := cfg.Setup(seed)
	if err != nil {
		return fmt.Errorf("%s: %w", cfgName, err)
	}
	cfgYAML, err := cfg.Marshal()
	if err != nil {
		return err
	}
	if runDir == "" {
		base := strings.TrimSuffix(cfgName, filepath.Ext(cfgName))
		runDir = filepath.Join("runs", base+"-"+start.Format("20060102-150405"))
	}
	if ckpt == nil {
		if ents, err := os.ReadDir(runDir); err == nil && len(ents) > 0 {
			return fmt.Errorf("%s: the folder exists and is not empty; use --resume %s or another --out", runDir, runDir)
		}
	}

	// Everything is checked; from here on files are written.
	var trn *learning.Trainer
	if ckpt != nil {
		trn, err = learning.Resume(setup, ckpt, samples(data.train), samples(data.val))
	} else {
		trn, err = learning.NewTrainer(setup, samples(data.train), samples(data.val))
	}
	if err != nil {
		return err
	}
	ckDir := filepath.Join(runDir, "checkpoints")
	if err := os.MkdirAll(ckDir, 0o755); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(runDir, "config.yaml"), cfgYAML); err != nil {
		return err
	}

	dataName, _ := cfg.DatasetName() // checked by loadTrainData
	lay := cfg.Layout
	sizes := []string{fmt.Sprint(lay.NInputs)}
	for _, s := range lay.LayerSizes {
		sizes = append(sizes, fmt.Sprint(s))
	}
	if ckpt != nil {
		seed = ckpt.Seed
	}
	total := cfg.Training.EpochNumber
	fmt.Fprintf(stderr, "training %s %s on %d samples, seed %d, epochs %d..%d → %s\n",
		dataName, strings.Join(sizes, "-"), data.train.Len(), seed, trn.Epoch+1, total, runDir)

	prog := newProgress(stderr, total, cfg.Training.PrintStepPercent, o.now)
	var writer checkpointWriter
	startEpoch := trn.Epoch
	trainStart := o.now()
	for trn.Epoch < total {
		m, err := trn.RunEpoch()
		if err != nil {
			werr := writer.wait()
			prog.finish()
			hint := ""
			if errors.Is(err, learning.ErrDiverged) {
				if last := trn.Epoch; last > startEpoch || ckpt != nil {
					hint = fmt.Sprintf("; the last good checkpoint is %s (epoch %d)", filepath.Join(ckDir, "last.json"), last)
				} else {
					hint = "; no checkpoint was written"
				}
			}
			if werr != nil {
				return fmt.Errorf("%w%s; %w", err, hint, werr)
			}
			return fmt.Errorf("%w%s", err, hint)
		}
		c, err := trn.Checkpoint()
		if err != nil {
			return err
		}
		c.Config = string(cfgYAML)
		paths := []string{filepath.Join(ckDir, "last.json")}
		if slices.Contains(cfg.Training.EpochSnapshots, trn.Epoch) {
			paths = append(paths, filepath.Join(ckDir, fmt.Sprintf("epoch-%04d.json", trn.Epoch)))
		}
		if err := writer.write(c, paths, filepath.Join(runDir, "metrics.csv"), trn.History); err != nil {
			return err
		}
		prog.epoch(m)
	}
	trainWall := o.now().Sub(trainStart).Seconds()
	if err := writer.wait(); err != nil {
		return err
	}
	prog.finish()

	if trn.Epoch == startEpoch {
		// Nothing trained in this call: still write the metrics of the untrained network.
		if err := atomicfile.Write(filepath.Join(runDir, "metrics.csv"), func(w io.Writer) error {
			return writeMetricsCSV(w, trn.History)
		}); err != nil {
			return err
		}
	}
	ev, err := trn.Evaluate(samples(data.test))
	if err != nil {
		return err
	}
	model := trn.InferenceNet()
	modelPath := filepath.Join(runDir, "model.json")
	if err := model.SaveModel(modelPath); err != nil {
		return err
	}
	if err := trainFigures(runDir, dataName, trn.History, ev, data.test); err != nil {
		return err
	}

	last := trn.History[len(trn.History)-1]
	trained := (trn.Epoch - startEpoch) * data.train.Len()
	rate := math.NaN()
	if trainWall > 0 && trained > 0 {
		rate = float64(trained) / trainWall
	}
	wall := o.now().Sub(start).Seconds()
	fmt.Fprintf(stdout, "test accuracy %.2f %% (validation %.2f %%) after %d epochs; model %s\n",
		100*ev.Accuracy, 100*last.ValAccuracy, trn.Epoch, modelPath)
	if o.json {
		return writeJSONLine(stdout, map[string]any{
			"test_accuracy": ev.Accuracy,
			"val_accuracy":  jsonNumber(last.ValAccuracy),
			"epochs":        trn.Epoch,
			"wall_s":        wall,
			"samples_per_s": jsonNumber(rate),
			"model":         modelPath,
		})
	}
	return nil
}

// writeJSONLine writes v as one line of JSON, the last stdout line of a --json run.
func writeJSONLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, string(b))
	return err
}

// perSecond returns n per wall seconds, NaN (null in JSON) for no time measured.
func perSecond(n int, wall float64) float64 {
	if wall > 0 {
		return float64(n) / wall
	}
	return math.NaN()
}

// jsonNumber maps NaN (no data) to null.
func jsonNumber(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return x
}

// trainFigures draws the loss and accuracy curves, the spike-time distributions of the test
// outputs and, for Yin-Yang, the classification map of the test set. The figures are rendered
// at the same time, as rendering and compressing them takes a while.
func trainFigures(dir, dataset string, hist []learning.EpochMetrics, ev *learning.Evaluation, test *datasets.Set) error {
	n := len(hist)
	ep := make([]float64, n)
	trL, vaL, trA, vaA := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, m := range hist {
		ep[i] = float64(m.Epoch)
		trL[i], vaL[i] = m.TrainLoss, m.ValLoss
		trA[i], vaA[i] = 100*m.TrainAccuracy, 100*m.ValAccuracy
	}
	figures := []func() error{
		func() error {
			return plot.Curves(filepath.Join(dir, "loss.png"), "loss", "epoch", "loss",
				plot.Series{Name: "train", X: ep, Y: trL}, plot.Series{Name: "validation", X: ep, Y: vaL})
		},
		func() error {
			return plot.Curves(filepath.Join(dir, "accuracy.png"), "accuracy", "epoch", "accuracy [%]",
				plot.Series{Name: "train", X: ep, Y: trA}, plot.Series{Name: "validation", X: ep, Y: vaA})
		},
		func() error {
			return plot.SpikeTimeHistograms(filepath.Join(dir, "spike_times.png"), "output spike times, test set", ev.Times, ev.NOut, test.Labels)
		},
	}
	if dataset == "yinyang" {
		figures = append(figures, func() error {
			x, y := make([]float64, test.Len()), make([]float64, test.Len())
			for i := range x {
				s := test.Sample(i)
				// Invert the encoding t = 0.15 + 1.85·v of the first two features (x, y).
				x[i], y[i] = (s[0]-datasets.EarliestTime)/1.85, (s[1]-datasets.EarliestTime)/1.85
			}
			return plot.ClassMap(filepath.Join(dir, "classmap.png"), fmt.Sprintf("Yin-Yang test set, %.1f %% correct", 100*ev.Accuracy), x, y, ev.Predictions, test.Labels)
		})
	}
	errs := make([]error, len(figures))
	var wg sync.WaitGroup
	for i, draw := range figures {
		wg.Go(func() { errs[i] = draw() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkpointWriter writes checkpoints and metrics in the background, so that syncing files
// to disk overlaps the next epoch; one write is in flight at a time.
type checkpointWriter struct {
	done chan error
}

func (w *checkpointWriter) write(c *learning.Checkpoint, paths []string, metricsPath string, hist []learning.EpochMetrics) error {
	if err := w.wait(); err != nil {
		return err
	}
	hist = slices.Clone(hist)
	w.done = make(chan error, 1)
	go func() {
		for _, p := range paths {
			if err := c.Save(p); err != nil {
				w.done <- err
				return
			}
		}
		w.done <- atomicfile.Write(metricsPath, func(out io.Writer) error { return writeMetricsCSV(out, hist) })
	}()
	return nil
}

func (w *checkpointWriter) wait() error {
	if w.done == nil {
		return nil
	}
	err := <-w.done
	w.done = nil
	return err
}

// progress reports epochs on stderr: a redrawn bar on a terminal, else one line every few
// epochs (print_step_percent of the run, as the reference prints).
type progress struct {
	w     io.Writer
	tty   bool
	total int
	every int
	now   func() time.Time
	start time.Time
	first int
	drawn bool
}

func newProgress(w io.Writer, total int, stepPercent float64, now func() time.Time) *progress {
	every := 1
	if stepPercent > 0 {
		every = max(1, int(float64(total)*stepPercent/100))
	}
	p := &progress{w: w, total: total, every: every, now: now, start: now(), first: -1}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) epoch(m learning.EpochMetrics) {
	if p.first < 0 {
		p.first = m.Epoch - 1
	}
	done := m.Epoch - p.first
	left := p.total - m.Epoch
	eta := time.Duration(0)
	if done > 0 {
		eta = time.Duration(float64(p.now().Sub(p.start)) / float64(done) * float64(left))
	}
	if eta < 10*time.Second {
		eta = eta.Round(100 * time.Millisecond)
	} else {
		eta = eta.Round(time.Second)
	}
	stats := fmt.Sprintf("loss %s  train %s  val %s  ETA %s", fmtFloat(m.TrainLoss, "%.4f"), fmtPercent(m.TrainAccuracy), fmtPercent(m.ValAccuracy), eta)
	if p.tty {
		const width = 24
		fill := width * m.Epoch / max(p.total, 1)
		fmt.Fprintf(p.w, "\repoch %d/%d [%s%s] %s\033[K", m.Epoch, p.total, strings.Repeat("#", fill), strings.Repeat(".", width-fill), stats)
		p.drawn = true
		return
	}
	if m.Epoch%p.every == 0 || m.Epoch == p.total || m.Epoch == p.first+1 {
		fmt.Fprintf(p.w, "epoch %d/%d  %s\n", m.Epoch, p.total, stats)
	}
}

func (p *progress) finish() {
	if p.tty && p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

func fmtFloat(x float64, format string) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf(format, x)
}

func fmtPercent(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%.2f %%", 100*x)
}

// writeMetricsCSV writes the history as the run folder's metrics.csv: a header line, then
// one line per epoch, an empty field for NaN.
func writeMetricsCSV(w io.Writer, history []learning.EpochMetrics) error {
	var b strings.Builder
	b.WriteString("epoch,learning_rate,train_loss,train_accuracy,val_loss,val_accuracy,bumps,seconds\n")
	f := func(x float64) string {
		if math.IsNaN(x) {
			return ""
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	for _, m := range history {
		fmt.Fprintf(&b, "%d,%s,%s,%s,%s,%s,%d,%s\n", m.Epoch, f(m.LearningRate), f(m.TrainLoss), f(m.TrainAccuracy),
			f(m.ValLoss), f(m.ValAccuracy), m.Bumps, strconv.FormatFloat(m.Seconds, 'f', 3, 64))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
