package plot

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// SpikeTimeHistograms draws, for each class, the distribution of each output neuron's spike
// time over the samples of that class. times is len(labels) × nOut, row-major; +Inf entries
// (no spike) are counted separately and reported in the legend.
//
// There is one panel per label present, each overlaying one outlined histogram per output
// neuron, in bins shared by all panels over the range of the finite times (in units of τ_s);
// the neuron whose index equals the label is filled and drawn on top, and all panels share
// the count axis. A panel's title gives its number of samples and of outputs without a spike
// (per neuron when there is room); the legend, to the right, gives each neuron's total
// number of outputs without a spike. Up to three panels are stacked in a figure 6.5 in wide;
// more go in two columns, 8 in wide. Each row of panels adds 1.8 in of height.
//
// With no samples the figure carries the note "no samples"; a panel whose outputs never
// spiked carries the note "no spikes". nOut outside [1, 20], more than 20 distinct labels,
// a length of times other than len(labels)·nOut, a negative label, or a time that is NaN or
// −Inf are errors.
func SpikeTimeHistograms(path, title string, times []float64, nOut int, labels []int) error {
	f, err := histogramsFigure(title, times, nOut, labels)
	if err != nil {
		return fmt.Errorf("plot: %s: %w", path, err)
	}
	return f.save(path)
}

// histogramsFigure validates the input of SpikeTimeHistograms and builds its figure.
func histogramsFigure(title string, times []float64, nOut int, labels []int) (figure, error) {
	if nOut < 1 || nOut > maxClasses {
		return figure{}, fmt.Errorf("nOut = %d, need 1 to %d output neurons", nOut, maxClasses)
	}
	if len(times) != len(labels)*nOut {
		return figure{}, fmt.Errorf("%d spike times for %d labels × %d outputs", len(times), len(labels), nOut)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, t := range times {
		if math.IsNaN(t) || math.IsInf(t, -1) {
			return figure{}, fmt.Errorf("times[%d] (sample %d, neuron %d) = %v is not a spike time",
				i, i/nOut, i%nOut, t)
		}
		if !math.IsInf(t, 1) {
			lo, hi = min(lo, t), max(hi, t)
		}
	}
	for i, l := range labels {
		if l < 0 {
			return figure{}, fmt.Errorf("labels[%d] = %d is negative", i, l)
		}
	}
	if lo > hi {
		lo, hi = 0, 1
	}
	b, ok := newBinning(lo, hi, len(times))
	if !ok {
		return figure{}, fmt.Errorf("spike times span [%g, %g], too wide to draw", lo, hi)
	}

	classes := slices.Compact(slices.Sorted(slices.Values(labels)))
	if len(classes) > maxClasses {
		return figure{}, fmt.Errorf("%d distinct labels, more than the %d panels a figure holds", len(classes), maxClasses)
	}
	hists := make([]classHistogram, len(classes))
	for i, c := range classes {
		hists[i] = newClassHistogram(c, nOut, b.n)
	}
	silentTotal := make([]int, nOut)
	for s, l := range labels {
		j, _ := slices.BinarySearch(classes, l)
		h := &hists[j]
		h.samples++
		for k, t := range times[s*nOut : (s+1)*nOut] {
			if math.IsInf(t, 1) {
				h.silent[k]++
				silentTotal[k]++
				continue
			}
			h.counts[k][b.index(t)]++
		}
	}
	peak := 1
	for _, h := range hists {
		for _, c := range h.counts {
			peak = max(peak, slices.Max(c))
		}
	}

	cols := 1
	if len(hists) > 3 {
		cols = 2
	}
	rows := max((len(hists)+cols-1)/cols, 1)
	legend := newLegend()
	styles := make([]draw.LineStyle, nOut)
	for k := range nOut {
		styles[k] = draw.LineStyle{Color: palette(k), Width: vg.Points(1), Dashes: dashes(k)}
		name := fmt.Sprintf("neuron %d", k)
		if silentTotal[k] > 0 {
			name += fmt.Sprintf(" (%d no spike)", silentTotal[k])
		}
		thumb := styles[k]
		thumb.Width = vg.Points(1.6)
		legend.Add(name, &plotter.Line{LineStyle: thumb})
	}

	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
	}
	for i, h := range hists {
		r, c := i/cols, i%cols
		xLabel := ""
		if i+cols >= len(hists) {
			xLabel = "output spike time [τ_s]"
		}
		yLabel := ""
		if c == 0 {
			yLabel = "samples"
		}
		p := newPlot(h.title(cols == 1), xLabel, yLabel)
		p.Title.TextStyle.Font = sans(10)
		p.Title.Padding = vg.Points(4)
		p.X.Label.TextStyle.Font = sans(10)
		p.Y.Label.TextStyle.Font = sans(10)
		p.Y.Tick.Marker = niceTicks{integer: true}
		spiked := false
		var own *plotter.Line
		for k := range nOut {
			outline := b.outline(h.counts[k])
			if len(outline) == 0 {
				continue
			}
			spiked = true
			l := &plotter.Line{XYs: outline, LineStyle: styles[k]}
			if k == h.label {
				// The neuron that should fire first for this label is filled and drawn
				// last, on top of the others.
				l.LineStyle.Width = vg.Points(1.6)
				c := palette(k)
				// 25 % opacity, premultiplied.
				l.FillColor = color.RGBA{R: c.R / 4, G: c.G / 4, B: c.B / 4, A: 64}
				own = l
				continue
			}
			p.Add(l)
		}
		if own != nil {
			p.Add(own)
		}
		if !spiked {
			p.Add(note("no spikes"))
		}
		p.X.Min, p.X.Max = b.lo, b.hi()
		p.Y.Min, p.Y.Max = 0, 1.05*float64(peak)
		grid[r][c] = p
	}

	title = orDefault(title, "Output spike times")
	width, height := 6.5*vg.Inch, 0.7*vg.Inch+vg.Length(rows)*1.8*vg.Inch
	if cols > 1 {
		width = 8 * vg.Inch
	}
	return figure{width, max(height, 3*vg.Inch), func(vc *vgimg.Canvas) {
		c := draw.New(vc)
		titleStyle := text.Style{Color: color.Black, Font: sans(12), XAlign: draw.XCenter,
			YAlign: draw.YTop, Handler: plot.DefaultTextHandler}
		gap := vg.Points(10)
		legendWidth := legend.Rectangle(c).Size().X + 2*gap
		area := c
		area.Max.X -= legendWidth
		area.Max.Y -= vg.Points(6)
		c.FillText(titleStyle, vg.Point{X: (area.Min.X + area.Max.X) / 2, Y: area.Max.Y}, title)
		area.Max.Y -= titleStyle.Rectangle(title).Size().Y + vg.Points(6)
		if len(hists) == 0 {
			p := newPlot("", "output spike time [τ_s]", "samples")
			p.Add(note("no samples"))
			p.X.Min, p.X.Max = b.lo, b.hi()
			p.Y.Min, p.Y.Max = 0, 1
			grid[0][0] = p
		}
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(12), PadY: vg.Points(10),
			PadLeft: vg.Points(4), PadBottom: vg.Points(4)}
		canvases := plot.Align(grid, tiles, area)
		for r := range grid {
			for c := range grid[r] {
				if grid[r][c] != nil {
					grid[r][c].Draw(canvases[r][c])
				}
			}
		}
		top := grid[0][0].DataCanvas(canvases[0][0]).Max.Y
		legend.Draw(draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: area.Max.X + gap, Y: c.Min.Y},
			Max: vg.Point{X: c.Max.X - gap, Y: top},
		}})
	}}, nil
}

// classHistogram holds the spike-time histograms of the outputs for the samples of one label.
type classHistogram struct {
	label   int
	samples int
	silent  []int   // per output neuron: samples without a spike
	counts  [][]int // per output neuron: counts per bin
}

func newClassHistogram(label, nOut, nBins int) classHistogram {
	h := classHistogram{label: label, silent: make([]int, nOut), counts: make([][]int, nOut)}
	for k := range h.counts {
		h.counts[k] = make([]int, nBins)
	}
	return h
}

// title names the label and counts its samples and silent outputs; with detail, per neuron
// when at most three neurons were silent.
func (h *classHistogram) title(detail bool) string {
	var parts []string
	total := 0
	for k, n := range h.silent {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("neuron %d: %d", k, n))
			total += n
		}
	}
	s := fmt.Sprintf("label %d, %d samples", h.label, h.samples)
	switch {
	case total == 0:
		return s + ", every output spiked"
	case detail && len(parts) <= 3:
		return s + "; no spike: " + strings.Join(parts, ", ")
	case total == 1:
		return s + ", 1 output without spike"
	default:
		return fmt.Sprintf("%s, %d outputs without spike", s, total)
	}
}

// binning divides [lo, lo+n·width] into n equal bins.
type binning struct {
	lo, width float64
	n         int
}

// newBinning returns about √count bins (10 to 60) over [lo, hi], or over the range
// paddedRange gives a single value when lo = hi. ok is false when the range cannot be
// divided in float64.
func newBinning(lo, hi float64, count int) (b binning, ok bool) {
	if lo == hi {
		if lo, hi, ok = paddedRange(lo, hi, 0); !ok {
			return binning{}, false
		}
	}
	n := min(max(int(math.Sqrt(float64(count))), 10), 60)
	width := (hi - lo) / float64(n)
	if math.IsInf(hi-lo, 0) || !(width > 0) || lo+float64(n)*width == lo {
		return binning{}, false
	}
	return binning{lo: lo, width: width, n: n}, true
}

func (b binning) hi() float64 { return b.lo + float64(b.n)*b.width }

// index returns the bin of a finite t, clamping values rounded past either end.
func (b binning) index(t float64) int {
	f := math.Floor((t - b.lo) / b.width)
	if !(f >= 0) {
		return 0
	}
	if f >= float64(b.n) {
		return b.n - 1
	}
	return int(f)
}

// outline returns the step outline of a histogram from its first to its last non-empty bin:
// up from the baseline, along each bin's top and back down, so that Line draws and fills it
// without drawing along the baseline outside the data.
func (b binning) outline(counts []int) plotter.XYs {
	first := slices.IndexFunc(counts, func(c int) bool { return c > 0 })
	if first < 0 {
		return nil
	}
	last := len(counts) - 1
	for counts[last] == 0 {
		last--
	}
	edge := func(i int) float64 { return b.lo + float64(i)*b.width }
	xys := make(plotter.XYs, 0, 2*(last-first+1)+2)
	xys = append(xys, plotter.XY{X: edge(first), Y: 0})
	for i := first; i <= last; i++ {
		c := float64(counts[i])
		xys = append(xys, plotter.XY{X: edge(i), Y: c}, plotter.XY{X: edge(i + 1), Y: c})
	}
	return append(xys, plotter.XY{X: edge(last + 1), Y: 0})
}
