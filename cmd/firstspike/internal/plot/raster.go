package plot

import (
	"fmt"
	"image"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Raster draws spikes as short vertical marks, time on x (labelled in unit, e.g. "ms" or
// "τ_s") and neuron index on y, over [0, tEnd]. The figure is 6×4 in at 150 dpi.
//
// Spikes at +Inf (no spike) and spikes outside [0, tEnd] are not drawn. If tEnd is not a
// finite number of at least 1e-300, the time axis spans [0, latest finite spike time], or
// [0, 1] when that is no such number either. With no spike to draw, the figure carries the
// note "no spikes". A spike whose time is NaN or −Inf, or whose neuron index is negative, is
// an error.
//
// Marks are painted straight into the image rather than as vector glyphs, so a raster of a
// million spikes takes a fraction of a second.
func Raster(path, title, unit string, spikes []Spike, tEnd float64) error {
	f, err := rasterFigure(title, unit, spikes, tEnd)
	if err != nil {
		return fmt.Errorf("plot: %s: %w", path, err)
	}
	return f.save(path)
}

// rasterFigure validates the input of Raster and builds its figure.
func rasterFigure(title, unit string, spikes []Spike, tEnd float64) (figure, error) {
	maxNeuron, latest := -1, math.Inf(-1)
	for i, s := range spikes {
		if math.IsNaN(s.Time) || math.IsInf(s.Time, -1) {
			return figure{}, fmt.Errorf("spikes[%d].Time = %v is not a spike time", i, s.Time)
		}
		if s.Neuron < 0 {
			return figure{}, fmt.Errorf("spikes[%d].Neuron = %d is negative", i, s.Neuron)
		}
		if math.IsInf(s.Time, 1) {
			continue
		}
		maxNeuron = max(maxNeuron, s.Neuron)
		latest = max(latest, s.Time)
	}
	// Below 1e-300 the axis could not tell times apart, so such ends count as missing.
	const tiny = 1e-300
	if !(tEnd >= tiny && !math.IsInf(tEnd, 1)) {
		tEnd = latest
		if !(tEnd >= tiny) {
			tEnd = 1
		}
	}
	drawn := 0
	for _, s := range spikes {
		if s.Time >= 0 && s.Time <= tEnd {
			drawn++
		}
	}

	p := newPlot(orDefault(title, "Spike raster"), withUnit("time", unit), "neuron")
	p.X.Min, p.X.Max = 0, tEnd
	p.Y.Min, p.Y.Max = -0.5, float64(max(maxNeuron, 0))+0.5
	p.Y.Tick.Marker = niceTicks{integer: true}
	if drawn == 0 {
		p.Add(note("no spikes"))
	}
	return figure{6 * vg.Inch, 4 * vg.Inch, func(c *vgimg.Canvas) {
		dc := draw.New(c)
		p.Draw(dc)
		img := c.Image().(*image.RGBA)
		data := p.DataCanvas(dc).Rectangle
		// Pixel columns grow with x; pixel rows grow downwards, against the canvas's y.
		height := float64(img.Bounds().Dy())
		left, right := data.Min.X.Dots(dpi), data.Max.X.Dots(dpi)
		bottom, top := height-data.Min.Y.Dots(dpi), height-data.Max.Y.Dots(dpi)
		clip := image.Rect(int(math.Floor(left)), int(math.Floor(top)), int(math.Ceil(right)), int(math.Ceil(bottom)))
		paintSpikes(img, clip, spikes, tEnd, mapping(p.X.Min, p.X.Max, left, right), mapping(p.Y.Min, p.Y.Max, bottom, top))
	}}, nil
}

// linear maps a data value v to the pixel coordinate offset + scale·v.
type linear struct{ offset, scale float64 }

// mapping returns the linear map that takes [lo, hi] to [from, to].
func mapping(lo, hi, from, to float64) linear {
	scale := (to - from) / (hi - lo)
	return linear{offset: from - scale*lo, scale: scale}
}

func (l linear) at(v float64) float64 { return l.offset + l.scale*v }

// paintSpikes paints one opaque mark per spike in [0, tEnd] directly into img, clipped to
// clip; x maps times to pixel columns and y maps neuron indices to pixel rows.
func paintSpikes(img *image.RGBA, clip image.Rectangle, spikes []Spike, tEnd float64, x, y linear) {
	clip = clip.Intersect(img.Bounds())
	// A mark is 2 px wide and 70 % of a neuron's row high, between 2 and 24 px: tick marks
	// for a few neurons, dots for thousands.
	markH := min(max(0.7*math.Abs(y.scale), 2), 24)
	const markW = 2.0
	ink := [4]uint8{20, 20, 20, 255}
	for _, s := range spikes {
		if !(s.Time >= 0 && s.Time <= tEnd) {
			continue
		}
		cx, cy := x.at(s.Time), y.at(float64(s.Neuron))
		// Clamp in floating point before converting: int of a huge or NaN float is not
		// defined by the language.
		x0 := int(math.Round(clampFloat(cx-markW/2, clip.Min.X, clip.Max.X)))
		x1 := int(math.Round(clampFloat(cx+markW/2, clip.Min.X, clip.Max.X)))
		y0 := int(math.Round(clampFloat(cy-markH/2, clip.Min.Y, clip.Max.Y)))
		y1 := int(math.Round(clampFloat(cy+markH/2, clip.Min.Y, clip.Max.Y)))
		for row := y0; row < y1; row++ {
			pix := img.Pix[img.PixOffset(x0, row):]
			for i := 0; i < x1-x0; i++ {
				copy(pix[4*i:4*i+4], ink[:])
			}
		}
	}
}

// clampFloat returns v limited to [lo, hi], and lo for NaN.
func clampFloat(v float64, lo, hi int) float64 {
	if !(v >= float64(lo)) {
		return float64(lo)
	}
	return min(v, float64(hi))
}
