package plot

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot/vg"
	plotdraw "gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// sampleDir, when set, makes TestSamples write every sample figure there for a visual check:
//
//	go test ./cmd/firstspike/internal/plot -run TestSamples -sample-dir=/tmp/figures
var sampleDir = flag.String("sample-dir", "", "write the sample figures to this directory")

// decode reads a PNG written by the package and returns it as RGBA.
func decode(t *testing.T, path string) *image.RGBA {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(data))
	require.NoError(t, err, "%s is not a PNG", path)
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	return rgba
}

// colours counts the distinct colours of img.
func colours(img *image.RGBA) int {
	seen := map[[4]uint8]bool{}
	for i := 0; i+4 <= len(img.Pix); i += 4 {
		seen[[4]uint8(img.Pix[i:i+4])] = true
	}
	return len(seen)
}

// countNear counts the pixels of img within tol (per channel) of the colour c.
func countNear(img *image.RGBA, c color.RGBA, tol int) int {
	near := func(a, b uint8) bool { return int(a)-int(b) <= tol && int(b)-int(a) <= tol }
	n := 0
	for i := 0; i+4 <= len(img.Pix); i += 4 {
		if near(img.Pix[i], c.R) && near(img.Pix[i+1], c.G) && near(img.Pix[i+2], c.B) {
			n++
		}
	}
	return n
}

// requireFigure checks that path holds a PNG of the given pixel size that is not blank.
func requireFigure(t *testing.T, path string, width, height int) *image.RGBA {
	t.Helper()
	img := decode(t, path)
	require.Equal(t, image.Rect(0, 0, width, height), img.Bounds(), "%s: image size", path)
	assert.Greater(t, colours(img), 8, "%s looks blank", path)
	return img
}

// yinYang returns the Yin-Yang class of (x, y) in the unit square (−1 outside the big circle),
// from the geometry of the data set: big circle of radius 0.5 about (0.5, 0.5), dots of
// radius 0.1 about (0.25, 0.5) and (0.75, 0.5).
func yinYang(x, y float64) int {
	d := func(cx, cy float64) float64 { return math.Hypot(x-cx, y-cy) }
	switch {
	case d(0.5, 0.5) > 0.5:
		return -1
	case d(0.75, 0.5) < 0.1 || d(0.25, 0.5) < 0.1:
		return 2
	case d(0.25, 0.5) <= 0.25 || (y > 0.5 && d(0.75, 0.5) > 0.25):
		return 1
	}
	return 0
}

// yinYangSample returns n labelled points and predictions of a classifier that errs near the
// class boundaries and stays silent on a few points, as a trained network does.
func yinYangSample(n int, rng *rand.Rand) (x, y []float64, predicted, labels []int) {
	for len(x) < n {
		px, py := rng.Float64(), rng.Float64()
		label := yinYang(px, py)
		if label < 0 {
			continue
		}
		// The classifier sees a jittered point.
		guess := yinYang(px+0.03*rng.NormFloat64(), py+0.03*rng.NormFloat64())
		if guess < 0 || rng.Float64() < 0.01 {
			guess = -1
		}
		x, y = append(x, px), append(y, py)
		labels, predicted = append(labels, label), append(predicted, guess)
	}
	return x, y, predicted, labels
}

// outputTimes returns spike times of three output neurons for the labels: the label's neuron
// fires first, the others later, and some outputs stay silent.
func outputTimes(labels []int, nOut int, rng *rand.Rand) []float64 {
	times := make([]float64, len(labels)*nOut)
	for s, l := range labels {
		for k := range nOut {
			t := 1.6 + 0.3*rng.NormFloat64()
			if k == l {
				t = 1.05 + 0.12*rng.NormFloat64()
			}
			if rng.Float64() < 0.03 {
				t = math.Inf(1)
			}
			times[s*nOut+k] = t
		}
	}
	return times
}

func TestRaster(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var spikes []Spike
	for n := range 50 {
		for range 40 {
			spikes = append(spikes, Spike{Time: 100 * rng.Float64(), Neuron: n})
		}
	}
	spikes = append(spikes, Spike{Time: math.Inf(1), Neuron: 3}, Spike{Time: 150, Neuron: 3})
	path := filepath.Join(t.TempDir(), "raster.png")
	require.NoError(t, Raster(path, "Poisson input", "ms", spikes, 100))
	img := requireFigure(t, path, 900, 600)
	// Every spike mark is 2 px wide; 2000 marks overlap little and must leave ink.
	assert.Greater(t, countNear(img, color.RGBA{R: 20, G: 20, B: 20}, 0), 2000, "spike marks")
}

// TestRasterMarksLandOnTheirSpikes paints spikes into a bare image and checks each mark's
// pixels.
func TestRasterMarksLandOnTheirSpikes(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 300, 300))
	// Time [0, 10] onto columns [0, 300]; neurons 0..2, each a row of 100 px, onto rows
	// 300 (bottom) to 0 (top).
	x := mapping(0, 10, 0, 300)
	y := mapping(-0.5, 2.5, 300, 0)
	spikes := []Spike{{Time: 5, Neuron: 1}, {Time: 11, Neuron: 0}, {Time: -1, Neuron: 0},
		{Time: math.Inf(1), Neuron: 2}, {Time: 10, Neuron: 2}}
	paintSpikes(img, image.Rect(0, 0, 300, 300), spikes, 10, x, y)
	ink := 0
	for py := range 300 {
		for px := range 300 {
			if img.RGBAAt(px, py).A == 0 {
				continue
			}
			ink++
			// Spike (5, 1) is at pixel (150, 150) and its mark is 2 px wide and 24 px
			// (the cap) high; spike (10, 2) at (300, 50) is clipped to its left half.
			inFirst := px >= 149 && px < 151 && py >= 138 && py < 162
			inLast := px == 299 && py >= 38 && py < 62
			assert.True(t, inFirst || inLast, "ink at (%d, %d)", px, py)
		}
	}
	assert.Equal(t, 2*24+24, ink, "only the spikes inside [0, tEnd] are drawn")
}

func TestRasterEmptyAndDefaults(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name   string
		spikes []Spike
		tEnd   float64
	}{
		{"nil", nil, 10},
		{"only silent", []Spike{{Time: math.Inf(1), Neuron: 2}}, 10},
		{"tEnd NaN", []Spike{{Time: 3, Neuron: 0}, {Time: 7, Neuron: 4}}, math.NaN()},
		{"tEnd +Inf", []Spike{{Time: 3, Neuron: 0}}, math.Inf(1)},
		{"tEnd zero, no spikes", nil, 0},
		{"spike at zero, tEnd negative", []Spike{{Time: 0, Neuron: 0}}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".png")
			require.NoError(t, Raster(path, "", "", tc.spikes, tc.tEnd))
			requireFigure(t, path, 900, 600)
		})
	}
}

func TestRasterBadSpikes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "raster.png")
	for _, tc := range []struct {
		name  string
		spike Spike
		want  string
	}{
		{"NaN time", Spike{Time: math.NaN(), Neuron: 0}, "spikes[1].Time = NaN"},
		{"-Inf time", Spike{Time: math.Inf(-1), Neuron: 0}, "spikes[1].Time = -Inf"},
		{"negative neuron", Spike{Time: 1, Neuron: -2}, "spikes[1].Neuron = -2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Raster(path, "", "ms", []Spike{{Time: 1, Neuron: 0}, tc.spike}, 10)
			require.Error(t, err)
			assert.Contains(t, err.Error(), path)
			assert.Contains(t, err.Error(), tc.want)
			assert.NoFileExists(t, path)
		})
	}
}

func TestCurves(t *testing.T) {
	epochs := make([]float64, 30)
	train, val := make([]float64, 30), make([]float64, 30)
	for i := range epochs {
		epochs[i] = float64(i + 1)
		train[i] = 1.1 * math.Exp(-float64(i)/8)
		val[i] = 1.2*math.Exp(-float64(i)/9) + 0.05
	}
	val[12] = math.NaN() // a gap
	path := filepath.Join(t.TempDir(), "loss.png")
	require.NoError(t, Curves(path, "Loss", "epoch", "loss",
		Series{Name: "train", X: epochs, Y: train}, Series{Name: "validation", X: epochs, Y: val},
		Series{Name: "diverged", X: []float64{1}, Y: []float64{math.Inf(1)}}))
	img := requireFigure(t, path, 900, 600)
	blue, orange := palette(0), palette(1)
	assert.Greater(t, countNear(img, blue, 10), 200, "first series is blue")
	assert.Greater(t, countNear(img, orange, 10), 200, "second series is orange")
}

// TestCurvesIsolatedPoint checks that a finite point between non-finite ones in a long
// series, which has no line to either side, is still drawn: the figure must hold more of the
// series' colour than the same figure without the point, by about the marker's fully
// coloured interior (radius 2 pt ≈ 4.2 px less about 0.5 px of antialiased edge,
// π·3.7² ≈ 43 px).
func TestCurvesIsolatedPoint(t *testing.T) {
	dir := t.TempDir()
	var ink [2]int
	for i, point := range []float64{math.NaN(), 1} {
		x, y := make([]float64, 100), make([]float64, 100)
		for j := range x {
			x[j], y[j] = float64(j), math.NaN()
		}
		y[50] = point
		path := filepath.Join(dir, fmt.Sprintf("point%d.png", i))
		require.NoError(t, Curves(path, "", "x", "y", Series{Name: "s", X: x, Y: y}))
		ink[i] = countNear(requireFigure(t, path, 900, 600), palette(0), 10)
	}
	assert.Greater(t, ink[1]-ink[0], 30, "pixels of the marker")
}

func TestCurvesEmpty(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name   string
		series []Series
	}{
		{"no series", nil},
		{"empty series", []Series{{Name: "loss"}}},
		{"only NaN", []Series{{X: []float64{1, 2}, Y: []float64{math.NaN(), math.NaN()}}}},
		{"one point", []Series{{Name: "acc", X: []float64{3}, Y: []float64{0.9}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".png")
			require.NoError(t, Curves(path, "Accuracy", "epoch", "accuracy", tc.series...))
			requireFigure(t, path, 900, 600)
		})
	}
}

func TestCurvesBadInput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.png")
	err := Curves(path, "", "x", "y", Series{Name: "loss", X: []float64{1, 2}, Y: []float64{1}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), `series 0 ("loss") has 2 x values and 1 y values`)

	err = Curves(path, "", "x", "y", Series{X: []float64{-math.MaxFloat64, math.MaxFloat64}, Y: []float64{0, 1}})
	require.Error(t, err, "a span beyond float64 cannot be drawn")
	assert.Contains(t, err.Error(), path)
	assert.NoFileExists(t, path)
}

func TestClassMap(t *testing.T) {
	x, y, predicted, labels := yinYangSample(1000, rand.New(rand.NewPCG(3, 4)))
	path := filepath.Join(t.TempDir(), "map.png")
	require.NoError(t, ClassMap(path, "Yin-Yang test set", x, y, predicted, labels))
	img := requireFigure(t, path, 975, 750)
	for k := range 3 {
		c := palette(k)
		assert.Greater(t, countNear(img, c, 10), 500, "class %d colour", k)
	}
}

// TestClassMapSharedScale checks the equal aspect ratio: data 1 wide and 3 high get axes of
// equal span on a square data area, so one unit is as long on both axes.
func TestClassMapSharedScale(t *testing.T) {
	x := []float64{0, 1, 0.5}
	y := []float64{10, 13, 11}
	p, legend, err := classMap("", x, y, []int{0, 1, 2}, []int{0, 1, 1})
	require.NoError(t, err)
	assert.InDelta(t, p.X.Max-p.X.Min, p.Y.Max-p.Y.Min, 1e-12, "axis spans")
	assert.LessOrEqual(t, p.X.Min, 0.0)
	assert.GreaterOrEqual(t, p.X.Max, 1.0)
	assert.LessOrEqual(t, p.Y.Min, 10.0)
	assert.GreaterOrEqual(t, p.Y.Max, 13.0)
	c := vgimg.NewWith(vgimg.UseWH(6.5*vg.Inch, 5*vg.Inch), vgimg.UseDPI(dpi))
	data := drawBeside(plotdraw.New(c), p, legend, true)
	size := data.Size()
	assert.InDelta(t, float64(size.X), float64(size.Y), 0.01, "data area %v × %v pt", size.X, size.Y)
	assert.Greater(t, float64(size.X), 200.0, "the data area fills the figure")
}

func TestClassMapEmptyAndErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "empty.png")
	require.NoError(t, ClassMap(path, "", nil, nil, nil, nil))
	requireFigure(t, path, 975, 750)

	bad := filepath.Join(dir, "bad.png")
	one := []float64{0.5}
	for _, tc := range []struct {
		name       string
		x, y       []float64
		pred, labs []int
		want       string
	}{
		{"lengths", one, []float64{1, 2}, []int{0}, []int{0}, "1 x, 2 y, 1 predicted, 1 labels"},
		{"NaN x", []float64{math.NaN()}, one, []int{0}, []int{0}, "x[0] = NaN"},
		{"Inf y", one, []float64{math.Inf(1)}, []int{0}, []int{0}, "y[0] = +Inf"},
		{"prediction", one, one, []int{-2}, []int{0}, "predicted[0] = -2"},
		{"label", one, one, []int{0}, []int{-1}, "labels[0] = -1"},
		{"classes", make([]float64, 21), make([]float64, 21), seq(21), seq(21), "21 distinct predicted classes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ClassMap(bad, "", tc.x, tc.y, tc.pred, tc.labs)
			require.Error(t, err)
			assert.Contains(t, err.Error(), bad)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	assert.NoFileExists(t, bad)
}

func TestSpikeTimeHistograms(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	labels := make([]int, 600)
	for i := range labels {
		labels[i] = i % 3
	}
	times := outputTimes(labels, 3, rng)
	path := filepath.Join(t.TempDir(), "hist.png")
	require.NoError(t, SpikeTimeHistograms(path, "Output spike times (test set)", times, 3, labels))
	// 0.7 in of header and three rows of 1.8 in at 150 dpi.
	img := requireFigure(t, path, 975, 915)
	for k := range 3 {
		c := palette(k)
		assert.Greater(t, countNear(img, c, 10), 300, "neuron %d outline", k)
	}
}

func TestSpikeTimeHistogramsLayouts(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(7, 8))
	tenClasses := make([]int, 500)
	for i := range tenClasses {
		tenClasses[i] = i % 10
	}
	allSilent := []float64{math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1)}
	for _, tc := range []struct {
		name          string
		times         []float64
		nOut          int
		labels        []int
		width, height int
	}{
		// Heights: 0.7 in + 1.8 in per row, at least 3 in; 150 dpi.
		{"ten classes", outputTimes(tenClasses, 10, rng), 10, tenClasses, 1200, 1455},
		{"no samples", nil, 3, nil, 975, 450},
		{"never spiked", allSilent, 2, []int{0, 1}, 975, 645},
		{"one time", []float64{2, math.Inf(1)}, 2, []int{4}, 975, 450},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".png")
			require.NoError(t, SpikeTimeHistograms(path, "", tc.times, tc.nOut, tc.labels))
			requireFigure(t, path, tc.width, tc.height)
		})
	}
}

func TestSpikeTimeHistogramsErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.png")
	for _, tc := range []struct {
		name   string
		times  []float64
		nOut   int
		labels []int
		want   string
	}{
		{"nOut", nil, 0, nil, "nOut = 0"},
		{"too many outputs", make([]float64, 21), 21, []int{0}, "nOut = 21, need 1 to 20"},
		{"too many labels", make([]float64, 21), 1, seq(21), "21 distinct labels"},
		{"length", []float64{1, 2, 3}, 2, []int{0, 1}, "3 spike times for 2 labels × 2 outputs"},
		{"NaN", []float64{1, 2, 3, math.NaN()}, 2, []int{0, 1}, "times[3] (sample 1, neuron 1) = NaN"},
		{"-Inf", []float64{math.Inf(-1), 2}, 2, []int{0}, "times[0] (sample 0, neuron 0) = -Inf"},
		{"label", []float64{1, 2}, 2, []int{-3}, "labels[0] = -3"},
		{"span", []float64{-math.MaxFloat64, math.MaxFloat64}, 2, []int{0}, "too wide"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := SpikeTimeHistograms(path, "", tc.times, tc.nOut, tc.labels)
			require.Error(t, err)
			assert.Contains(t, err.Error(), path)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	assert.NoFileExists(t, path)
}

// TestHistogramCounts checks the binning against counting by hand: every finite time falls
// in the one bin whose edges enclose it.
func TestHistogramCounts(t *testing.T) {
	b, ok := newBinning(0, 2, 100) // 10 bins of width 0.2
	require.True(t, ok)
	require.Equal(t, 10, b.n)
	for _, tc := range []struct {
		t    float64
		want int
	}{
		{0, 0}, {0.1, 0}, {0.25, 1}, {1.99, 9}, {2, 9}, // the last bin is closed
		{-1e-300, 0}, {2 + 1e-15, 9}, // rounding past the ends is clamped
	} {
		assert.Equal(t, tc.want, b.index(tc.t), "t = %v", tc.t)
	}
	out := b.outline([]int{0, 3, 0, 5, 0, 0, 0, 0, 1, 0})
	// Bins 1 to 8: a foot at each end and two corners per bin.
	require.Len(t, out, 18)
	assert.InDelta(t, 0.2, out[0].X, 1e-15, "left foot at the first non-empty bin")
	assert.InDelta(t, 0, out[0].Y, 0)
	assert.InDelta(t, 0.6, out[5].X, 1e-15, "left edge of bin 3")
	assert.InDelta(t, 5, out[5].Y, 0)
	assert.InDelta(t, 1.8, out[17].X, 1e-15, "right foot after bin 8")
	assert.InDelta(t, 0, out[17].Y, 0)
	assert.Empty(t, b.outline(make([]int, 10)))

	_, ok = newBinning(-math.MaxFloat64, math.MaxFloat64, 10)
	assert.False(t, ok, "span beyond float64")
	b, ok = newBinning(3, 3, 1)
	require.True(t, ok)
	assert.InDelta(t, 2.5, b.lo, 0)
	assert.InDelta(t, 3.5, b.hi(), 1e-15)
}

func TestBadPaths(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no such dir", "f.png")
	isDir := dir
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	underFile := filepath.Join(file, "f.png")
	for _, path := range []string{missing, isDir, underFile} {
		for name, err := range map[string]error{
			"Raster":              Raster(path, "", "", []Spike{{1, 0}}, 2),
			"Curves":              Curves(path, "", "", "", Series{X: []float64{1}, Y: []float64{1}}),
			"ClassMap":            ClassMap(path, "", []float64{0}, []float64{0}, []int{0}, []int{0}),
			"SpikeTimeHistograms": SpikeTimeHistograms(path, "", []float64{1}, 1, []int{0}),
		} {
			require.Error(t, err, "%s(%s)", name, path)
			assert.Contains(t, err.Error(), path, name)
		}
	}
	err := Raster("", "", "", nil, 1)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "empty output path")
}

// TestReplacesAtomically checks that writing over an existing figure leaves a complete new
// image and no temporary file.
func TestReplacesAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.png")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))
	require.NoError(t, Curves(path, "t", "x", "y", Series{X: []float64{1, 2}, Y: []float64{1, 3}}))
	decode(t, path)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1)
}

// TestDeterministic checks that the same input gives the same bytes.
func TestDeterministic(t *testing.T) {
	dir := t.TempDir()
	x, y, predicted, labels := yinYangSample(300, rand.New(rand.NewPCG(9, 9)))
	var files [2][]byte
	for i := range files {
		path := filepath.Join(dir, "map.png")
		require.NoError(t, ClassMap(path, "", x, y, predicted, labels))
		var err error
		files[i], err = os.ReadFile(path)
		require.NoError(t, err)
	}
	assert.Equal(t, files[0], files[1])
}

// TestSamples renders realistic figures of each kind for a visual check; it runs only with
// -sample-dir.
func TestSamples(t *testing.T) {
	dir := *sampleDir
	if dir == "" {
		t.Skip("no -sample-dir")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	rng := rand.New(rand.NewPCG(11, 12))

	var spikes []Spike
	for n := range 120 {
		rate := 0.02 + 0.08*float64(n%7)/6
		for t := rng.ExpFloat64() / rate; t < 500; t += rng.ExpFloat64() / rate {
			spikes = append(spikes, Spike{Time: t, Neuron: n})
		}
	}
	require.NoError(t, Raster(filepath.Join(dir, "raster.png"), "CUBA network, 120 neurons", "ms", spikes, 500))
	var dense []Spike
	for n := range 4000 {
		for t := rng.ExpFloat64() * 50; t < 200; t += rng.ExpFloat64() * 50 {
			dense = append(dense, Spike{Time: t, Neuron: n})
		}
	}
	require.NoError(t, Raster(filepath.Join(dir, "raster_dense.png"), "CUBA network, 4000 neurons", "ms", dense, 200))
	few := []Spike{{0.4, 0}, {1.3, 0}, {0.9, 1}, {2.2, 2}, {2.5, 2}, {2.7, 2}}
	require.NoError(t, Raster(filepath.Join(dir, "raster_few.png"), "Three neurons", "τ_s", few, 3))

	epochs := make([]float64, 300)
	loss, valLoss, acc, valAcc := make([]float64, 300), make([]float64, 300), make([]float64, 300), make([]float64, 300)
	for i := range epochs {
		e := float64(i + 1)
		epochs[i] = e
		loss[i] = 0.15 + 0.9*math.Exp(-e/25) + 0.02*rng.NormFloat64()
		valLoss[i] = 0.18 + 0.9*math.Exp(-e/25) + 0.03*rng.NormFloat64()
		acc[i] = 0.97 - 0.6*math.Exp(-e/20) + 0.01*rng.NormFloat64()
		valAcc[i] = 0.96 - 0.6*math.Exp(-e/20) + 0.015*rng.NormFloat64()
	}
	require.NoError(t, Curves(filepath.Join(dir, "loss.png"), "Yin-Yang training loss", "epoch", "loss",
		Series{Name: "train", X: epochs, Y: loss}, Series{Name: "validation", X: epochs, Y: valLoss}))
	require.NoError(t, Curves(filepath.Join(dir, "accuracy.png"), "Yin-Yang accuracy", "epoch", "accuracy",
		Series{Name: "train", X: epochs, Y: acc}, Series{Name: "validation", X: epochs, Y: valAcc}))
	require.NoError(t, Curves(filepath.Join(dir, "short.png"), "Few epochs", "epoch", "accuracy",
		Series{Name: "train", X: epochs[:12], Y: acc[:12]}, Series{Name: "validation", X: epochs[:12], Y: valAcc[:12]}))
	require.NoError(t, Curves(filepath.Join(dir, "curves_empty.png"), "Nothing yet", "epoch", "loss"))

	x, y, predicted, labels := yinYangSample(1000, rng)
	require.NoError(t, ClassMap(filepath.Join(dir, "classmap.png"), "Yin-Yang test set", x, y, predicted, labels))

	times := outputTimes(labels, 3, rng)
	require.NoError(t, SpikeTimeHistograms(filepath.Join(dir, "hist.png"), "Output spike times, test set", times, 3, labels))
	ten := make([]int, 1000)
	for i := range ten {
		ten[i] = rng.IntN(10)
	}
	require.NoError(t, SpikeTimeHistograms(filepath.Join(dir, "hist10.png"), "MNIST output spike times", outputTimes(ten, 10, rng), 10, ten))
	require.NoError(t, SpikeTimeHistograms(filepath.Join(dir, "hist_empty.png"), "", nil, 3, nil))
}

// TestNiceTicks checks tick placement and labels; the expected ticks are the multiples of the
// smallest step of 1, 2 or 5 × 10^k that is at least a seventh of the range, worked out by
// hand.
func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi  float64
		integer bool
		want    []string
	}{
		{0, 1, false, []string{"0", "0.2", "0.4", "0.6", "0.8", "1.0"}},                // 1/7 → 0.2
		{0.39, 1.04, false, []string{"0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1.0"}}, // 0.093 → 0.1
		{0, 300, false, []string{"0", "50", "100", "150", "200", "250", "300"}},        // 42.9 → 50
		{-0.5, 2.5, true, []string{"0", "1", "2"}},                                     // 0.43 → 1 (integer)
		{-0.5, 2.5, false, []string{"-0.5", "0", "0.5", "1.0", "1.5", "2.0", "2.5"}},   // 0.43 → 0.5
		{-3e6, 3e6, false, []string{"-3e+06", "-2e+06", "-1e+06", "0", "1e+06", "2e+06", "3e+06"}},
		{1e-5, 5e-5, false, []string{"1e-05", "2e-05", "3e-05", "4e-05", "5e-05"}},
	} {
		var got []string
		for _, tick := range (niceTicks{integer: tc.integer}).Ticks(tc.lo, tc.hi) {
			if tick.Label != "" {
				got = append(got, tick.Label)
			}
		}
		assert.Equal(t, tc.want, got, "[%v, %v]", tc.lo, tc.hi)
	}
	assert.Empty(t, (niceTicks{}).Ticks(1, 1), "empty range")
	assert.Empty(t, (niceTicks{}).Ticks(-math.MaxFloat64, math.MaxFloat64), "span beyond float64")
}

// TestPaddedRange checks the axis ranges made from data extremes; expected values follow
// from the rule in paddedRange's comment.
func TestPaddedRange(t *testing.T) {
	for _, tc := range []struct {
		name         string
		lo, hi, frac float64
		a, b         float64
		ok           bool
	}{
		{"unit", 0, 1, 0.1, -0.1, 1.1, true},
		{"single value", 3, 3, 0.1, 2.5, 3.5, true},
		{"single large value", 1e9, 1e9, 0.1, 1e9 - 1000, 1e9 + 1000, true},
		{"single value at -max", -math.MaxFloat64, -math.MaxFloat64, 0.1,
			-math.MaxFloat64, -math.MaxFloat64 + 2e-6*math.MaxFloat64, true},
		{"single value at max", math.MaxFloat64, math.MaxFloat64, 0.1,
			math.MaxFloat64 - 2e-6*math.MaxFloat64, math.MaxFloat64, true},
		{"span overflows", -math.MaxFloat64, math.MaxFloat64, 0.1, 0, 0, false},
		{"padding overflows", 0, math.MaxFloat64, 0.1, 0, 0, false},
		{"subnormal span", 5e-324, 1e-323, 0.1, 5e-324, 1e-323, true},
	} {
		a, b, ok := paddedRange(tc.lo, tc.hi, tc.frac)
		require.Equal(t, tc.ok, ok, tc.name)
		if ok {
			assert.InDelta(t, tc.a, a, 1e-12*math.Max(1, math.Abs(tc.a)), tc.name)
			assert.InDelta(t, tc.b, b, 1e-12*math.Max(1, math.Abs(tc.b)), tc.name)
		}
	}
}

// TestClassMapSingleValueKeepsScale checks that a constant coordinate far from the other
// axis's data still gets the same span as the other axis.
func TestClassMapSingleValueKeepsScale(t *testing.T) {
	p, _, err := classMap("", []float64{1e9, 1e9}, []float64{0, 1}, []int{0, 0}, []int{0, 0})
	require.NoError(t, err)
	assert.InDelta(t, p.X.Max-p.X.Min, p.Y.Max-p.Y.Min, 1e-6)
	assert.InDelta(t, 1e9, (p.X.Min+p.X.Max)/2, 1e-6)
}

// seq returns 0, 1, …, n−1.
func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// TestClassMapLargeClassNumbers checks that class numbers far apart cost nothing: only the
// classes present get a legend entry and storage.
func TestClassMapLargeClassNumbers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "map.png")
	big := math.MaxInt
	require.NoError(t, ClassMap(path, "", []float64{0, 1}, []float64{0, 1}, []int{big, 0}, []int{big, big}))
	requireFigure(t, path, 975, 750)
}
