package plot

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/firstspike/firstspike/internal/atomicfile"
)

// dpi is the resolution of every figure: a 6×4 in figure is 900×600 pixels.
const dpi = 150

// maxClasses bounds the classes of a class map and the labels and output neurons of the
// spike-time histograms: beyond it, colours and panels can no longer be told apart, and
// the figure's size would grow without bound.
const maxClasses = 20

// palette returns the i-th colour of the Okabe–Ito palette without its black and yellow (black
// is kept for annotations and yellow is hard to see on white), cycling after six colours.
func palette(i int) color.RGBA {
	colors := [...]color.RGBA{
		{R: 0, G: 114, B: 178, A: 255},   // blue
		{R: 230, G: 159, B: 0, A: 255},   // orange
		{R: 0, G: 158, B: 115, A: 255},   // bluish green
		{R: 213, G: 94, B: 0, A: 255},    // vermillion
		{R: 204, G: 121, B: 167, A: 255}, // reddish purple
		{R: 86, G: 180, B: 233, A: 255},  // sky blue
	}
	return colors[i%len(colors)]
}

// dashes returns the dash pattern of the i-th line: solid for the first palette cycle, then
// dashed and dotted, so that lines beyond the sixth stay distinguishable.
func dashes(i int) []vg.Length {
	switch (i / 6) % 3 {
	case 1:
		return []vg.Length{vg.Points(6), vg.Points(3)}
	case 2:
		return []vg.Length{vg.Points(1.5), vg.Points(2.5)}
	}
	return nil
}

// sans returns the sans-serif face used for all text, at the given size in points.
func sans(size vg.Length) font.Font {
	return font.From(font.Font{Typeface: "Liberation", Variant: "Sans"}, size)
}

// newPlot returns a plot with the package's text styles, labels and a light grid.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = sans(12)
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sans(11)
		a.Tick.Label.Font = sans(9)
		a.Tick.Marker = niceTicks{}
	}
	p.Legend.TextStyle.Font = sans(9)
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{Y: 225}
	grid.Horizontal.Color = color.Gray{Y: 225}
	grid.Vertical.Width = vg.Points(0.5)
	grid.Horizontal.Width = vg.Points(0.5)
	p.Add(grid)
	return p
}

// newLegend returns a legend in the package's text style.
func newLegend() plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font = sans(9)
	l.Top, l.Left = true, true
	l.Padding = vg.Points(2)
	l.ThumbnailWidth = vg.Points(18)
	return l
}

// note is a plotter that writes a message in the middle of the data area; it stands in for
// data that is absent.
type note string

func (n note) Plot(c draw.Canvas, _ *plot.Plot) {
	sty := draw.TextStyle{
		Color:   color.Gray{Y: 90},
		Font:    sans(12),
		XAlign:  draw.XCenter,
		YAlign:  draw.YCenter,
		Handler: plot.DefaultTextHandler,
	}
	c.FillText(sty, c.Center(), string(n))
}

// paddedRange returns [lo, hi] widened by frac of its span on both sides. A single value v
// gets a range of ±max(0.5, 10⁻⁶·|v|) around it, moved inwards at the ends of float64. ok
// is false when no range of distinct finite ends with a finite span can be made, which no
// axis can draw.
func paddedRange(lo, hi, frac float64) (a, b float64, ok bool) {
	if span := hi - lo; span == 0 {
		w := max(0.5, 1e-6*math.Abs(lo))
		a, b = lo-w, hi+w
		switch {
		case math.IsInf(a, -1):
			a, b = lo, lo+2*w
		case math.IsInf(b, 1):
			a, b = lo-2*w, lo
		}
	} else {
		a, b = lo-frac*span, hi+frac*span
	}
	if !(a < b) || math.IsInf(a, 0) || math.IsInf(b, 0) || math.IsInf(b-a, 0) {
		return 0, 0, false
	}
	return a, b, true
}

// figure is a figure ready to be painted: its size and what to paint.
type figure struct {
	width, height vg.Length
	paint         func(c *vgimg.Canvas)
}

// canvas paints the figure on a new canvas at dpi resolution and returns it.
func (f figure) canvas() *vgimg.Canvas {
	c := vgimg.NewWith(vgimg.UseWH(f.width, f.height), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	f.paint(c)
	return c
}

// png returns the figure encoded as PNG. Fastest compression costs 3–11 % more file
// size and saves a third of the encoding time, which dominates the time to write a figure.
func (f figure) png() ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, f.canvas().Image()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// save writes the figure atomically to path as PNG. It checks the path before painting,
// which takes far longer than the check.
func (f figure) save(path string) error {
	if path == "" {
		return errors.New("plot: empty output path")
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("plot: writing %s: is a directory", path)
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil {
		return fmt.Errorf("plot: writing %s: %w", path, err)
	} else if !fi.IsDir() {
		return fmt.Errorf("plot: writing %s: %s is not a directory", path, filepath.Dir(path))
	}
	data, err := f.png()
	if err != nil {
		return fmt.Errorf("plot: encoding %s: %w", path, err)
	}
	if err := atomicfile.WriteFile(path, data); err != nil {
		return fmt.Errorf("plot: writing %s: %w", path, err)
	}
	return nil
}

// drawBeside draws p into c with the legend l to the right of the data area, top-aligned
// with it, and centres the pair horizontally. If square is true the data area is made square,
// so that the axes (which the caller gives equal spans) share one scale. It returns the data
// area.
func drawBeside(c draw.Canvas, p *plot.Plot, l *plot.Legend, square bool) vg.Rectangle {
	gap := vg.Points(10)
	var legendWidth vg.Length
	// plot.Legend keeps its entries private; an empty legend has no height.
	if size := l.Rectangle(c).Size(); size.Y > 0 {
		legendWidth = size.X + 2*gap
	}
	region := c
	region.Max.X -= legendWidth
	if square {
		// The axes' widths depend on their tick labels, not on the canvas size, so one
		// measurement fixes the data area.
		d := p.DataCanvas(region).Size()
		if d.X > d.Y {
			region.Max.X -= d.X - d.Y
		} else {
			region.Min.Y += (d.Y - d.X) / 2
			region.Max.Y -= (d.Y - d.X) / 2
		}
	}
	shift := (c.Max.X - region.Max.X - legendWidth) / 2
	region.Min.X += shift
	region.Max.X += shift
	p.Draw(region)
	data := p.DataCanvas(region)
	if legendWidth == 0 {
		return data.Rectangle
	}
	lc := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: region.Max.X + gap, Y: data.Min.Y},
		Max: vg.Point{X: region.Max.X + legendWidth - gap, Y: data.Max.Y},
	}}
	l.Draw(lc)
	return data.Rectangle
}

// niceTicks labels two to eight ticks per axis at steps of 1, 2 or 5 × 10^k, with just the
// digits the step needs, and adds an unlabelled tick halfway between labelled ones. With
// integer set, steps are at least 1, for axes of indices and counts.
type niceTicks struct{ integer bool }

func (nt niceTicks) Ticks(lo, hi float64) []plot.Tick {
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		return nil
	}
	raw := span / 7
	if !(raw >= 1e-300) {
		// Spans this small leave no room for distinct tick values.
		return nil
	}
	e := int(math.Floor(math.Log10(raw)))
	step := math.Pow10(e + 1)
	for _, m := range []float64{1, 2, 5} {
		if m*math.Pow10(e) >= raw {
			step = m * math.Pow10(e)
			break
		}
	}
	if nt.integer && step < 1 {
		step = 1
	}
	// Multiples of step that rounding puts a hair outside [lo, hi] still belong in it.
	eps := 1e-9 * step
	first := math.Ceil(lo/step - 1e-9)
	var ticks []plot.Tick
	// Count steps with an integer: at magnitudes beyond 2^53 adding 1 to first would stall.
	for i := -1; i <= 13; i++ {
		v := (first + float64(i)) * step
		if half := v - step/2; half >= lo-eps && half <= hi+eps {
			ticks = append(ticks, plot.Tick{Value: half})
		}
		if v >= lo-eps && v <= hi+eps {
			ticks = append(ticks, plot.Tick{Value: v, Label: tickLabel(v, step)})
		}
	}
	return ticks
}

// tickLabel formats v with the precision that a tick step calls for: fixed-point for everyday
// magnitudes, otherwise exponent notation with as many digits as tell ticks apart.
func tickLabel(v, step float64) string {
	if v == 0 || math.Abs(v) < step/2 {
		return "0"
	}
	stepMag := int(math.Floor(math.Log10(step) + 1e-9))
	if math.Abs(v) < 1e6 && stepMag >= -4 {
		return strconv.FormatFloat(v, 'f', max(0, -stepMag), 64)
	}
	digits := int(math.Floor(math.Log10(math.Abs(v)))) - stepMag + 1
	return strconv.FormatFloat(v, 'g', min(max(digits, 1), 17), 64)
}

// withUnit returns "label [unit]", or label when unit is empty.
func withUnit(label, unit string) string {
	if unit == "" {
		return label
	}
	return label + " [" + unit + "]"
}

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
