package plot

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// ClassMap draws 2-D points (x, y), such as Yin-Yang test samples, as dots coloured by
// predicted class, with a black × over every point whose prediction differs from its label
// and a hollow grey diamond for prediction −1 (no output spike). Both axes share one scale.
// The legend, to the right, counts the points of each kind. The figure is 6.5×5 in at
// 150 dpi.
//
// With no points the figure carries the note "no points". Slices of different lengths, a
// non-finite coordinate, a prediction below −1, a negative label or more than 20 distinct
// predicted classes are errors.
func ClassMap(path, title string, x, y []float64, predicted, labels []int) error {
	f, err := classMapFigure(title, x, y, predicted, labels)
	if err != nil {
		return fmt.Errorf("plot: %s: %w", path, err)
	}
	return f.save(path)
}

// classMapFigure validates the input of ClassMap and builds its figure.
func classMapFigure(title string, x, y []float64, predicted, labels []int) (figure, error) {
	p, legend, err := classMap(title, x, y, predicted, labels)
	if err != nil {
		return figure{}, err
	}
	return figure{6.5 * vg.Inch, 5 * vg.Inch, func(c *vgimg.Canvas) {
		drawBeside(draw.New(c), p, legend, true)
	}}, nil
}

// classMap validates the input of ClassMap and builds its plot and legend.
func classMap(title string, x, y []float64, predicted, labels []int) (*plot.Plot, *plot.Legend, error) {
	n := len(x)
	if len(y) != n || len(predicted) != n || len(labels) != n {
		return nil, nil, fmt.Errorf("ClassMap needs equal lengths, got %d x, %d y, %d predicted, %d labels",
			len(x), len(y), len(predicted), len(labels))
	}
	xlo, xhi := math.Inf(1), math.Inf(-1)
	ylo, yhi := math.Inf(1), math.Inf(-1)
	for i := range n {
		switch {
		case math.IsNaN(x[i]) || math.IsInf(x[i], 0):
			return nil, nil, fmt.Errorf("x[%d] = %v is not a finite coordinate", i, x[i])
		case math.IsNaN(y[i]) || math.IsInf(y[i], 0):
			return nil, nil, fmt.Errorf("y[%d] = %v is not a finite coordinate", i, y[i])
		case predicted[i] < -1:
			return nil, nil, fmt.Errorf("predicted[%d] = %d is neither a class nor -1", i, predicted[i])
		case labels[i] < 0:
			return nil, nil, fmt.Errorf("labels[%d] = %d is negative", i, labels[i])
		}
		xlo, xhi = min(xlo, x[i]), max(xhi, x[i])
		ylo, yhi = min(ylo, y[i]), max(yhi, y[i])
	}

	p := newPlot(orDefault(title, "Classification map"), "x", "y")
	legend := newLegend()
	radius := vg.Points(2.2)
	if n > 3000 {
		radius = vg.Points(1.3)
	}
	classes := slices.Compact(slices.Sorted(slices.Values(predicted)))
	if len(classes) > 0 && classes[0] == -1 {
		classes = classes[1:]
	}
	if len(classes) > maxClasses {
		return nil, nil, fmt.Errorf("%d distinct predicted classes, more than the %d a map can tell apart",
			len(classes), maxClasses)
	}
	byClass := make([]plotter.XYs, len(classes))
	var silent, wrong plotter.XYs
	for i := range n {
		pt := plotter.XY{X: x[i], Y: y[i]}
		if predicted[i] == -1 {
			silent = append(silent, pt)
			continue
		}
		j, _ := slices.BinarySearch(classes, predicted[i])
		byClass[j] = append(byClass[j], pt)
		if predicted[i] != labels[i] {
			wrong = append(wrong, pt)
		}
	}
	for j, pts := range byClass {
		// Colours follow the class number, not its rank, so class k looks the same in
		// every map.
		s := &plotter.Scatter{XYs: pts, GlyphStyle: draw.GlyphStyle{
			Color: palette(classes[j]), Radius: radius, Shape: draw.CircleGlyph{}}}
		p.Add(s)
		legend.Add(fmt.Sprintf("predicted %d (%d)", classes[j], len(pts)), s)
	}
	silentStyle := draw.GlyphStyle{Color: color.Gray{Y: 80}, Radius: 1.5 * radius, Shape: diamondGlyph{}}
	wrongStyle := draw.GlyphStyle{Color: color.Black, Radius: 1.4 * radius, Shape: draw.CrossGlyph{}}
	if len(silent) > 0 {
		s := &plotter.Scatter{XYs: silent, GlyphStyle: silentStyle}
		p.Add(s)
		legend.Add(fmt.Sprintf("no output spike (%d)", len(silent)), s)
	}
	if len(wrong) > 0 {
		s := &plotter.Scatter{XYs: wrong, GlyphStyle: wrongStyle}
		p.Add(s)
		legend.Add(fmt.Sprintf("misclassified (%d)", len(wrong)), s)
	}
	if n > 0 {
		errs := len(wrong) + len(silent)
		legend.Add(fmt.Sprintf("accuracy %.1f %% (%d points)", 100*float64(n-errs)/float64(n), n))
	}

	if n == 0 {
		p.Add(note("no points"))
		xlo, xhi, ylo, yhi = 0, 1, 0, 1
	}
	// Equal spans on a square data area give both axes one scale.
	x0, x1, okX := paddedRange(xlo, xhi, 0.03)
	y0, y1, okY := paddedRange(ylo, yhi, 0.03)
	if okX && okY {
		x0, x1, okX = widen(x0, x1, y1-y0)
		y0, y1, okY = widen(y0, y1, x1-x0)
	}
	if !okX || !okY {
		return nil, nil, fmt.Errorf("coordinates span [%g, %g] × [%g, %g], too wide to draw",
			xlo, xhi, ylo, yhi)
	}
	p.X.Min, p.X.Max = x0, x1
	p.Y.Min, p.Y.Max = y0, y1
	return p, &legend, nil
}

// diamondGlyph is an unfilled diamond, a marker that reads apart from the filled class dots
// and from the × of misclassified points.
type diamondGlyph struct{}

func (diamondGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1)})
	r := sty.Radius
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y})
	p.Line(vg.Point{X: pt.X, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X - r, Y: pt.Y})
	p.Close()
	c.Stroke(p)
}

// widen returns [a, b] widened about its middle to span at least span, moved inwards at the
// ends of float64; ok is false when that does not fit.
func widen(a, b, span float64) (lo, hi float64, ok bool) {
	if b-a >= span {
		return a, b, true
	}
	mid := a/2 + b/2
	lo, hi = mid-span/2, mid+span/2
	switch {
	case math.IsInf(lo, -1):
		lo, hi = a, a+span
	case math.IsInf(hi, 1):
		lo, hi = b-span, b
	}
	return lo, hi, !math.IsInf(lo, 0) && !math.IsInf(hi, 0) && lo < hi
}
