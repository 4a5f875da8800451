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
// all panels share the count axis. A panel's title gives its number of samples and of
// outputs that did not spike; the legend, to the right, gives each neuron's total number of
// silent outputs. The figure is 6.5 in wide and grows by 1.8 in per row of panels (two
// columns from four panels on).
//
// With no samples the figure carries the note "no samples"; a panel whose outputs never
// spiked carries the note "no spikes". nOut < 1, a length of times other than
// len(labels)·nOut, a negative label, or a time that is NaN or −Inf are errors.
func SpikeTimeHistograms(path, title string, times []float64, nOut int, labels []int) error {
	if nOut < 1 {
		return fmt.Errorf("plot: %s: nOut = %d, need at least one output neuron", path, nOut)
	}
	if len(times) != len(labels)*nOut {
		return fmt.Errorf("plot: %s: %d spike times for %d labels × %d outputs", path, len(times), len(labels), nOut)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, t := range times {
		if math.IsNaN(t) || math.IsInf(t, -1) {
			return fmt.Errorf("plot: %s: times[%d] (sample %d, neuron %d) = %v is not a spike time",
				path, i, i/nOut, i%nOut, t)
		}
		if !math.IsInf(t, 1) {
			lo, hi = min(lo, t), max(hi, t)
		}
	}
	for i, l := range labels {
		if l < 0 {
			return fmt.Errorf("plot: %s: labels[%d] = %d is negative", path, i, l)
		}
	}
	if lo > hi {
		lo, hi = 0, 1
	}
	b, ok := newBinning(lo, hi, len(times))
	if !ok {
		return fmt.Errorf("plot: %s: spike times span [%g, %g], too wide to draw", path, lo, hi)
	}

	classes := slices.Compact(slices.Sorted(slices.Values(labels)))
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
	fills := make([]color.Color, nOut)
	for k := range nOut {
		styles[k] = draw.LineStyle{Color: palette(k), Width: vg.Points(1.2), Dashes: dashes(k)}
		c := palette(k)
		// 20 % opacity, premultiplied, lets overlapping histograms show through.
		fills[k] = color.RGBA{R: c.R / 5, G: c.G / 5, B: c.B / 5, A: 51}
		name := fmt.Sprintf("neuron %d", k)
		if silentTotal[k] > 0 {
			name += fmt.Sprintf(" (%d no spike)", silentTotal[k])
		}
		legend.Add(name, &plotter.Line{LineStyle: styles[k], FillColor: fills[k]})
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
		p := newPlot(h.title(), xLabel, yLabel)
		p.Title.TextStyle.Font = sans(10)
		p.Title.Padding = vg.Points(4)
		p.X.Label.TextStyle.Font = sans(10)
		p.Y.Label.TextStyle.Font = sans(10)
		p.Y.Tick.Marker = integerTicks{}
		spiked := false
		for k := range nOut {
			if h.silent[k] == h.samples {
				continue
			}
			spiked = true
			p.Add(&plotter.Line{XYs: b.outline(h.counts[k]), LineStyle: styles[k], FillColor: fills[k]})
		}
		if !spiked {
			p.Add(note("no spikes"))
		}
		setRange(&p.X, b.lo, b.hi())
		setRange(&p.Y, 0, 1.05*float64(peak))
		grid[r][c] = p
	}

	title = orDefault(title, "Output spike times")
	height := 0.7*vg.Inch + vg.Length(rows)*1.8*vg.Inch
	return save(path, 6.5*vg.Inch, max(height, 3*vg.Inch), func(vc *vgimg.Canvas) {
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
			setRange(&p.X, b.lo, b.hi())
			setRange(&p.Y, 0, 1)
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
	})
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

// title names the label and counts its samples and silent outputs, per neuron when at most
// three neurons were silent.
func (h *classHistogram) title() string {
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
	case len(parts) <= 3:
		return s + "; no spike: " + strings.Join(parts, ", ")
	default:
		return fmt.Sprintf("%s; no spike: %d outputs of %d neurons", s, total, len(parts))
	}
}

// binning divides [lo, lo+n·width] into n equal bins.
type binning struct {
	lo, width float64
	n         int
}

// newBinning returns about √count bins (10 to 60) over [lo, hi], or over lo±0.5 when lo = hi.
// ok is false when the range cannot be divided in float64.
func newBinning(lo, hi float64, count int) (b binning, ok bool) {
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
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

// outline returns the closed step outline of a histogram: from the baseline up and along
// each bin's top and back down, so that Line draws and fills it.
func (b binning) outline(counts []int) plotter.XYs {
	xys := make(plotter.XYs, 0, 2*len(counts)+2)
	xys = append(xys, plotter.XY{X: b.lo, Y: 0})
	for i, c := range counts {
		left := b.lo + float64(i)*b.width
		xys = append(xys, plotter.XY{X: left, Y: float64(c)}, plotter.XY{X: left + b.width, Y: float64(c)})
	}
	return append(xys, plotter.XY{X: b.hi(), Y: 0})
}
