package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/firstspike/firstspike/cmd/firstspike/internal/plot"
	"github.com/firstspike/firstspike/events"
	"github.com/firstspike/firstspike/events/netfile"
	"github.com/firstspike/firstspike/internal/atomicfile"
)

const simulateUsage = `usage: firstspike simulate --network FILE --duration T [--out DIR] [--seed S] [--queue heap|btree] [--max-spikes N]

Simulates the network described in FILE (JSON, format firstspike.network/v1; see
docs/network-format.md) with the exact event-driven engine for the simulated time T, writes
every neuron spike to DIR/spikes.csv (columns time_ms, neuron; neurons are numbered across
the populations in file order) and a raster plot to DIR/raster.png, and prints what it did.

Flags:
`

// simulateArgs are the parsed flags of the simulate command.
type simulateArgs struct {
	network   string
	duration  float64 // ms
	out       string  // "" → runs/simulate-<name>
	seed      uint64
	seedSet   bool
	queue     events.QueueKind
	maxSpikes int64
}

func runSimulate(stdout, stderr io.Writer, args []string) int {
	a, code := parseSimulateArgs(stdout, stderr, args)
	if code >= 0 {
		return code
	}
	if err := simulate(stdout, a); err != nil {
		fmt.Fprintf(stderr, "firstspike simulate: %v\n", err)
		return 1
	}
	return 0
}

// parseSimulateArgs returns the arguments, or an exit code ≥ 0 if the command should stop.
func parseSimulateArgs(stdout, stderr io.Writer, args []string) (simulateArgs, int) {
	var a simulateArgs
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.StringVar(&a.network, "network", "", "network description `FILE` (JSON)")
	duration := fs.String("duration", "", "simulated time `T` with a unit, such as \"500 ms\" or \"10 s\" (a bare number is in ms)")
	fs.StringVar(&a.out, "out", "", "output directory `DIR` (default runs/simulate-<network name>)")
	seed := fs.String("seed", "", "seed `S` for connectivity, initial potentials and Poisson inputs (default: the file's seed)")
	queue := fs.String("queue", "heap", "event queue: heap or btree")
	fs.Int64Var(&a.maxSpikes, "max-spikes", 100_000_000, "stop with an error after `N` neuron spikes (0: no limit)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), simulateUsage)
		fs.PrintDefaults()
	}
	if code := parseFlags(fs, args, stdout, stderr); code >= 0 {
		return a, code
	}
	usageError := func(format string, args ...any) (simulateArgs, int) {
		fmt.Fprintf(stderr, "firstspike simulate: "+format+"\n", args...)
		fmt.Fprintln(stderr, `Run "firstspike simulate -h" for usage.`)
		return a, 2
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if a.network == "" {
		return usageError("--network FILE is required")
	}
	if *duration == "" {
		return usageError("--duration T is required")
	}
	d, err := netfile.ParseQuantity(*duration, netfile.Time)
	if err != nil {
		return usageError("--duration %q: %v", *duration, err)
	}
	if !(d > 0) {
		return usageError("--duration %q: must be > 0", *duration)
	}
	a.duration = d
	if *seed != "" {
		s, err := strconv.ParseUint(*seed, 10, 64)
		if err != nil {
			return usageError("--seed %q: must be an integer in [0, 2^64)", *seed)
		}
		a.seed, a.seedSet = s, true
	}
	if a.maxSpikes < 0 {
		return usageError("--max-spikes %d: must be ≥ 0", a.maxSpikes)
	}
	if err := a.queue.UnmarshalText([]byte(*queue)); err != nil {
		return usageError("--queue %q: must be heap or btree", *queue)
	}
	return a, -1
}

// simulate loads, runs and reports; it writes nothing to the output directory unless the
// run succeeded.
func simulate(stdout io.Writer, a simulateArgs) error {
	desc, err := netfile.Read(a.network)
	if err != nil {
		return err
	}
	seed := desc.Seed
	if a.seedSet {
		seed = a.seed
	}
	net, err := desc.Build(seed)
	if err != nil {
		return err
	}
	eng, err := events.New(net, events.Options{Queue: a.queue, RecordSpikes: true, MaxSpikes: a.maxSpikes})
	if err != nil {
		return fmt.Errorf("%s: %w", a.network, err)
	}
	start := time.Now()
	if err := eng.Run(a.duration); err != nil {
		return fmt.Errorf("%s: %w", a.network, err)
	}
	wall := time.Since(start)

	out := a.out
	if out == "" {
		out = filepath.Join("runs", "simulate-"+desc.Name)
	}
	offsets := make([]int, len(net.Populations)+1)
	for i, p := range net.Populations {
		offsets[i+1] = offsets[i] + p.Size
	}
	spikes := eng.Spikes()
	window := rasterWindow(spikes, a.duration)
	if err := writeSimulation(out, desc.Name, spikes, offsets, a.duration, window, seed); err != nil {
		return err
	}
	report(stdout, a, desc, net, seed, eng.Stats(), spikes, offsets, wall, out, window)
	return nil
}

// writeSimulation writes spikes.csv and raster.png, which shows the spikes before window,
// into dir. Both are rendered under temporary names first and renamed at the end, so an
// error leaves dir as it was.
func writeSimulation(dir, name string, spikes []events.Spike, offsets []int, duration, window float64, seed uint64) (err error) {
	_, statErr := os.Stat(dir)
	created := errors.Is(statErr, os.ErrNotExist)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var staged []string
	defer func() {
		if err != nil {
			for _, s := range staged {
				os.Remove(s)
			}
			if created {
				os.Remove(dir) // only succeeds if it is still empty
			}
		}
	}()
	stage := func(final string) (string, error) {
		f, err := os.CreateTemp(dir, "."+final+".partial-*")
		if err != nil {
			return "", err
		}
		f.Close()
		staged = append(staged, f.Name())
		return f.Name(), nil
	}

	csvPath, err := stage("spikes.csv")
	if err != nil {
		return err
	}
	err = atomicfile.Write(csvPath, func(w io.Writer) error {
		buf := make([]byte, 0, 64)
		if _, err := io.WriteString(w, "time_ms,neuron\n"); err != nil {
			return err
		}
		for _, s := range spikes {
			buf = strconv.AppendFloat(buf[:0], s.Time, 'g', -1, 64)
			buf = append(buf, ',')
			buf = strconv.AppendInt(buf, int64(offsets[s.Population])+int64(s.Neuron), 10)
			buf = append(buf, '\n')
			if _, err := w.Write(buf); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("writing spikes.csv: %w", err)
	}

	pngPath, err := stage("raster.png")
	if err != nil {
		return err
	}
	var dots []plot.Spike
	for _, s := range spikes {
		if s.Time >= window {
			break
		}
		dots = append(dots, plot.Spike{Time: s.Time, Neuron: offsets[s.Population] + int(s.Neuron)})
	}
	title := fmt.Sprintf("%s: %d neurons, seed %d", name, offsets[len(offsets)-1], seed)
	if window < duration {
		title += fmt.Sprintf(", first %g of %g ms", window, duration)
	}
	if err := plot.Raster(pngPath, title, "ms", dots, window); err != nil {
		return fmt.Errorf("drawing raster.png: %w", err)
	}

	for i, final := range []string{"spikes.csv", "raster.png"} {
		if err := os.Rename(staged[i], filepath.Join(dir, final)); err != nil {
			return err
		}
	}
	staged = nil
	return nil
}

// rasterMaxSpikes bounds the spikes drawn in raster.png: beyond a few tens of thousands
// the dots merge into a solid area.
const rasterMaxSpikes = 25000

// rasterWindow returns the end of the time window raster.png shows: the whole run, or, if
// it has more than rasterMaxSpikes spikes, the largest round duration (1, 2 or 5 × 10^k ms)
// that holds at most that many.
func rasterWindow(spikes []events.Spike, duration float64) float64 {
	if len(spikes) <= rasterMaxSpikes {
		return duration
	}
	limit := spikes[rasterMaxSpikes].Time
	if !(limit > 0) {
		return duration
	}
	best := 0.0
	e := int(math.Floor(math.Log10(limit)))
	for _, k := range []int{e - 1, e} {
		for _, m := range []float64{1, 2, 5} {
			if v := m * math.Pow10(k); v <= limit {
				best = v
			}
		}
	}
	return best
}

// report prints what the run did.
func report(w io.Writer, a simulateArgs, desc *netfile.Description, net *events.Network, seed uint64,
	st events.Stats, spikes []events.Spike, offsets []int, wall time.Duration, out string, window float64) {
	perPop := make([]int64, len(net.Populations))
	for _, s := range spikes {
		perPop[s.Population]++
	}
	synapses := 0
	for _, p := range net.Projections {
		synapses += p.Synapses.Len()
	}
	seconds := a.duration / 1000

	fmt.Fprintf(w, "network %s (%s), seed %d, %s ms simulated, %s queue\n\n",
		desc.Name, a.network, seed, strconv.FormatFloat(a.duration, 'g', -1, 64), a.queue)
	rows := [][]string{{"population", "neurons", "indices", "spikes", "rate (Hz)"}}
	for i, p := range net.Populations {
		rate := float64(perPop[i]) / float64(p.Size) / seconds
		rows = append(rows, []string{p.Name, strconv.Itoa(p.Size), fmt.Sprintf("%d-%d", offsets[i], offsets[i+1]-1),
			strconv.FormatInt(perPop[i], 10), fmt.Sprintf("%.4g", rate)})
	}
	table(w, rows)
	if len(net.Sources) > 0 {
		fmt.Fprintln(w)
		rows = [][]string{{"source", "neurons", "input"}}
		for _, s := range net.Sources {
			kind := fmt.Sprintf("Poisson %.4g Hz", s.Rate*1000)
			if s.Spikes != nil {
				n := 0
				for _, ts := range s.Spikes {
					n += len(ts)
				}
				kind = fmt.Sprintf("%d listed spikes", n)
			}
			rows = append(rows, []string{s.Name, strconv.Itoa(s.Size), kind})
		}
		table(w, rows)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprintf(tw, "neurons\t%d\n", offsets[len(offsets)-1])
	fmt.Fprintf(tw, "synapses\t%d\n", synapses)
	fmt.Fprintf(tw, "spikes\t%d\n", st.Spikes)
	fmt.Fprintf(tw, "input spikes\t%d\n", st.InputSpikes)
	fmt.Fprintf(tw, "synaptic events\t%d\n", st.SynapticEvents)
	fmt.Fprintf(tw, "wall time\t%.3g s\n", wall.Seconds())
	fmt.Fprintf(tw, "events/s\t%.3g (synaptic events per second of wall time)\n", float64(st.SynapticEvents)/wall.Seconds())
	tw.Flush()
	shown := ""
	if window < a.duration {
		shown = fmt.Sprintf(" (the first %g ms)", window)
	}
	fmt.Fprintf(w, "\nwrote %s and %s%s\n", filepath.Join(out, "spikes.csv"), filepath.Join(out, "raster.png"), shown)
}

// table prints rows in columns, the first left-aligned and the others right-aligned.
func table(w io.Writer, rows [][]string) {
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for c, cell := range r {
			width[c] = max(width[c], utf8.RuneCountInString(cell))
		}
	}
	for _, r := range rows {
		line := ""
		for c, cell := range r {
			pad := strings.Repeat(" ", width[c]-utf8.RuneCountInString(cell))
			switch c {
			case 0:
				line += cell + pad
			default:
				line += "  " + pad + cell
			}
		}
		fmt.Fprintln(w, line)
	}
}
