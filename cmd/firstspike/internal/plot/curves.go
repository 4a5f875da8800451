package plot

import (
	"fmt"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Curves draws one or more line series in one panel, such as loss or accuracy per epoch,
// with a legend to the right of the panel. The figure is 6×4 in at 150 dpi. Series with at
// most 40 points also mark each point, as do isolated points of longer series.
//
// Points where X or Y is NaN or ±Inf are skipped and break the line there, so a diverged
// epoch shows as a gap. A series with no finite point is listed in the legend as "(no data)";
// when no series has a finite point the figure carries the note "no data". An unnamed series
// is called "series i". Series whose X and Y lengths differ are an error.
func Curves(path, title, xLabel, yLabel string, series ...Series) error {
	f, err := curvesFigure(title, xLabel, yLabel, series)
	if err != nil {
		return fmt.Errorf("plot: %s: %w", path, err)
	}
	return f.save(path)
}

// curvesFigure validates the input of Curves and builds its figure.
func curvesFigure(title, xLabel, yLabel string, series []Series) (figure, error) {
	p := newPlot(title, xLabel, yLabel)
	legend := newLegend()
	xmin, xmax := math.Inf(1), math.Inf(-1)
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for i, s := range series {
		if len(s.X) != len(s.Y) {
			return figure{}, fmt.Errorf("series %d (%q) has %d x values and %d y values",
				i, s.Name, len(s.X), len(s.Y))
		}
		name := orDefault(s.Name, fmt.Sprintf("series %d", i))
		style := draw.LineStyle{Color: palette(i), Width: vg.Points(1.5), Dashes: dashes(i)}
		glyph := draw.GlyphStyle{Color: palette(i), Radius: vg.Points(2), Shape: glyphShape(i)}
		var segment plotter.XYs
		finite := 0
		flush := func() {
			if len(segment) > 0 {
				// The rasterizer's cost grows faster than linearly with a path's length,
				// so long lines go out in pieces that share their end points.
				const piece = 32
				for k := 0; k < len(segment)-1; k += piece - 1 {
					p.Add(&plotter.Line{XYs: segment[k:min(k+piece, len(segment))], LineStyle: style})
				}
				// A point between gaps has no line, so it gets its marker regardless.
				if len(s.X) <= 40 || len(segment) == 1 {
					p.Add(&plotter.Scatter{XYs: segment, GlyphStyle: glyph})
				}
			}
			segment = nil
		}
		for j := range s.X {
			x, y := s.X[j], s.Y[j]
			if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) {
				flush()
				continue
			}
			segment = append(segment, plotter.XY{X: x, Y: y})
			finite++
			xmin, xmax = min(xmin, x), max(xmax, x)
			ymin, ymax = min(ymin, y), max(ymax, y)
		}
		flush()
		thumb := &plotter.Line{LineStyle: style}
		if finite == 0 {
			legend.Add(name+" (no data)", thumb)
		} else if len(s.X) <= 40 {
			legend.Add(name, thumb, &plotter.Scatter{GlyphStyle: glyph})
		} else {
			legend.Add(name, thumb)
		}
	}
	if xmin > xmax {
		p.Add(note("no data"))
		p.X.Min, p.X.Max = 0, 1
		p.Y.Min, p.Y.Max = 0, 1
	} else {
		x0, x1, okX := paddedRange(xmin, xmax, 0.02)
		y0, y1, okY := paddedRange(ymin, ymax, 0.05)
		if !okX || !okY {
			return figure{}, fmt.Errorf("values span [%g, %g] × [%g, %g], too wide to draw",
				xmin, xmax, ymin, ymax)
		}
		p.X.Min, p.X.Max = x0, x1
		p.Y.Min, p.Y.Max = y0, y1
	}
	return figure{6 * vg.Inch, 4 * vg.Inch, func(c *vgimg.Canvas) {
		drawBeside(draw.New(c), p, &legend, false)
	}}, nil
}

// glyphShape returns the point marker of the i-th series.
func glyphShape(i int) draw.GlyphDrawer {
	// Filled shapes first, then their outlines.
	shapes := [...]draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{},
		draw.RingGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}}
	return shapes[i%len(shapes)]
}
