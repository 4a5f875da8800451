package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/firstspike/firstspike/datasets"
	"github.com/firstspike/firstspike/internal/npy"
	"github.com/firstspike/firstspike/learning"
)

const evalUsage = `usage: firstspike eval --model FILE --data yinyang|mnist|mnist16|FILE [--split test] [--times-out FILE.npy | --classify] [--cpuprofile FILE] [--json]

Runs a trained model (model.json) on a data set with the exact forward pass and reports the
accuracy. A data FILE is .npz (arrays inputs and labels), .npy or .csv (see docs/training.md).
With --classify each sample stops at its first output spike, which decides its class: the
same accuracy and median first spike, without the other output times (and so without the
silent label fraction).

--data mnist and --data mnist16 read MNIST:
` + mnistSource + `
flags:
`

func runEval(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), evalUsage)
		fs.PrintDefaults()
	}
	model := fs.String("model", "", "model `FILE` written by train (model.json)")
	data := fs.String("data", "", "data set: yinyang, mnist, mnist16 or a data `FILE`")
	split := fs.String("split", "test", "`SPLIT` of a named data set: train, val or test")
	timesOut := fs.String("times-out", "", "write the output spike times to `FILE.npy` (N × outputs, float64, +Inf = no spike)")
	classify := fs.Bool("classify", false, "stop each sample at its first output spike (the class and its time only)")
	eps := fs.Float64("eps", 0, "add `EPS` to the b-sum as the reference does (1e-6 reproduces its recorded times)")
	asJSON := fs.Bool("json", false, "print the result as one JSON object on the last stdout line")
	cpuProfilePath := fs.String("cpuprofile", "", "write a CPU profile of the command (loading included) to `FILE`")
	if code := parseFlags(fs, args, stdout, stderr); code >= 0 {
		return code
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "firstspike eval: unexpected argument %q\n", fs.Arg(0))
	case *model == "":
		fmt.Fprintln(stderr, "firstspike eval: --model is required")
	case *data == "":
		fmt.Fprintln(stderr, "firstspike eval: --data is required")
	case !(*eps >= 0):
		fmt.Fprintf(stderr, "firstspike eval: --eps %v: must be ≥ 0\n", *eps)
	case *classify && *timesOut != "":
		fmt.Fprintln(stderr, "firstspike eval: --times-out needs all output times: it does not go with --classify")
	default:
		err := runProfiled(*cpuProfilePath, stderr, func() error {
			return evaluate(stdout, *model, *data, *split, *timesOut, *eps, *classify, *asJSON)
		})
		if err != nil {
			fmt.Fprintf(stderr, "firstspike eval: %v\n", err)
			return 1
		}
		return 0
	}
	fs.Usage()
	return 2
}

func evaluate(stdout io.Writer, modelPath, dataName, split, timesOut string, eps float64, classify, asJSON bool) error {
	net, err := learning.LoadModel(modelPath)
	if err != nil {
		return err
	}
	net.Neuron.Eps = eps
	set, err := datasets.Load(dataName, split)
	if err != nil {
		return err
	}
	if set.NIn != net.Inputs() {
		return fmt.Errorf("%s: %d inputs per sample, but the model %s takes %d", set.Name, set.NIn, modelPath, net.Inputs())
	}
	for i, y := range set.Labels {
		if y >= net.Outputs() {
			return fmt.Errorf("%s: labels[%d]: %d: the model %s has %d outputs", set.Name, i, y, modelPath, net.Outputs())
		}
	}
	if classify {
		return classifySet(stdout, net, set, asJSON)
	}
	// Loss only matters for the reported mean loss; the paper's loss is the natural score.
	loss := learning.TTFSLoss{Xi: 0.2, Alpha: 0.005, Beta: 1, TauSyn: net.Neuron.TauSyn}
	start := time.Now()
	ev, err := learning.Evaluate(net, &learning.Exact{}, loss, samples(set), 0)
	if err != nil {
		return err
	}
	wall := time.Since(start).Seconds()
	if timesOut != "" {
		a := &npy.Array{Shape: []int{ev.N, ev.NOut}, Floats: ev.Times}
		if err := npy.WriteFile(timesOut, a); err != nil {
			return err
		}
	}
	rate := perSecond(ev.N, wall)
	silent := ev.SilentLabelFraction(set.Labels)
	median := ev.MedianFirstSpike()
	fmt.Fprintf(stdout, "accuracy %.2f %% on %d samples of %s; silent label neurons %.2f %%; median first output spike %s τs\n",
		100*ev.Accuracy, ev.N, set.Name, 100*silent, fmtFloat(median, "%.4f"))
	if asJSON {
		return writeJSONLine(stdout, map[string]any{
			"accuracy":              jsonNumber(ev.Accuracy),
			"n":                     ev.N,
			"wall_s":                wall,
			"samples_per_s":         jsonNumber(rate),
			"silent_label_fraction": jsonNumber(silent),
			"median_first_spike":    jsonNumber(median),
		})
	}
	return nil
}

// classifySet is evaluate with --classify: each sample up to its first output spike.
func classifySet(stdout io.Writer, net *learning.Network, set *datasets.Set, asJSON bool) error {
	start := time.Now()
	c, err := learning.Classify(net, samples(set))
	if err != nil {
		return err
	}
	wall := time.Since(start).Seconds()
	rate := perSecond(c.N, wall)
	median := c.MedianFirstSpike()
	fmt.Fprintf(stdout, "accuracy %.2f %% on %d samples of %s, each up to its first output spike; median first output spike %s τs\n",
		100*c.Accuracy, c.N, set.Name, fmtFloat(median, "%.4f"))
	if asJSON {
		return writeJSONLine(stdout, map[string]any{
			"accuracy":           jsonNumber(c.Accuracy),
			"n":                  c.N,
			"wall_s":             wall,
			"samples_per_s":      jsonNumber(rate),
			"median_first_spike": jsonNumber(median),
			"mode":               "classify",
		})
	}
	return nil
}
