package plot

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"

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

// legendEntries reports whether l has entries. plot.Legend keeps them private, so count the
// height it would take.
func legendEntries(l *plot.Legend, c draw.Canvas) bool {
	return l.Rectangle(c).Size().Y > 0
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

// setRange fixes an axis to [lo, hi].
func setRange(a *plot.Axis, lo, hi float64) {
	a.Min, a.Max = lo, hi
}

// paddedRange returns [lo, hi] widened by frac of its span on both sides, or lo±0.5 when the
// span is zero. ok is false when the span does not fit in a float64, which no axis can draw.
func paddedRange(lo, hi, frac float64) (a, b float64, ok bool) {
	span := hi - lo
	if math.IsInf(span, 0) || math.IsNaN(span) {
		return 0, 0, false
	}
	if span == 0 {
		return lo - 0.5, hi + 0.5, true
	}
	a, b = lo-frac*span, hi+frac*span
	// Axis ticks work with the span; for values near the float64 limit both it and the
	// ends must stay finite, and the ends must stay distinct at tiny relative spans.
	if math.IsInf(a, 0) || math.IsInf(b, 0) || math.IsInf(b-a, 0) {
		return 0, 0, false
	}
	if a == b {
		return lo - 0.5, hi + 0.5, true
	}
	return a, b, true
}

// errSpan is returned when finite data spans more than float64 can represent.
var errSpan = errors.New("the data span exceeds the float64 range")

// render paints a width×height figure at dpi resolution and returns it encoded as PNG.
func render(width, height vg.Length, paint func(c *vgimg.Canvas)) ([]byte, error) {
	c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	paint(c)
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// save renders a figure and writes it atomically to path.
func save(path string, width, height vg.Length, paint func(c *vgimg.Canvas)) error {
	if path == "" {
		return errors.New("plot: empty output path")
	}
	data, err := render(width, height, paint)
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
	if legendEntries(l, c) {
		legendWidth = l.Rectangle(c).Size().X + 2*gap
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

// integerTicks marks only integer values, labelled as integers; it suits axes of indices.
type integerTicks struct{}

func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for _, t := range (plot.DefaultTicks{}).Ticks(lo, hi) {
		if t.Value != math.Trunc(t.Value) {
			continue
		}
		if t.Label != "" {
			t.Label = fmt.Sprintf("%.0f", t.Value)
		}
		ticks = append(ticks, t)
	}
	return ticks
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
