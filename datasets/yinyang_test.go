package datasets

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMT19937FirstOutputs(t *testing.T) {
	// docs/model.md §6: first MT outputs of numpy's RandomState(42).
	m := newMT19937(42)
	assert.Equal(t, []uint32{1608637542, 3421126067, 4083286876},
		[]uint32{m.uint32(), m.uint32(), m.uint32()})
}

func TestMT19937Reference(t *testing.T) {
	// Seeded with init_genrand(5489), MT19937 produces 3499211612 first and 4123659995 as
	// its 10000th output (the C++ standard's check value for std::mt19937, [rand.predef]).
	m := newMT19937(5489)
	assert.Equal(t, uint32(3499211612), m.uint32())
	for range 9998 {
		m.uint32()
	}
	assert.Equal(t, uint32(4123659995), m.uint32())
}

func TestMT19937Float64(t *testing.T) {
	// The first uniform of RandomState(42).random_sample(): 0.3745401188473625 (the value
	// numpy prints for np.random.RandomState(42).rand()).
	assert.Equal(t, 0.3745401188473625, newMT19937(42).float64())
}

func TestYinYangFirstSamples(t *testing.T) {
	// docs/model.md §6: first train samples (seed 42), exact.
	xs, ys, labels := YinYangPoints(3, 42)
	assert.Equal(t, []float64{0.6803075385877797, 0.09767211400638387, 0.7553614103176525}, xs)
	assert.Equal(t, []float64{0.450499251969543, 0.6842330265121569, 0.4251558744912447}, ys)
	assert.Equal(t, []int{2, 1, 2}, labels)
}

func TestYinYangClassCounts(t *testing.T) {
	// docs/model.md §6: class counts of the train split 1681/1702/1617.
	s, err := Load("yinyang", "train")
	require.NoError(t, err)
	counts := make([]int, 3)
	for _, l := range s.Labels {
		counts[l]++
	}
	assert.Equal(t, []int{1681, 1702, 1617}, counts)
	assert.Equal(t, 5000, s.Len())
	assert.Equal(t, 4, s.NIn)
	assert.Equal(t, 3, s.NClasses)
	assert.Equal(t, "yinyang/train", s.Name)
}

func TestYinYangMatchesReferenceTestSplit(t *testing.T) {
	// testdata/yinyang_test_*.npy were written by the reference generator (seed 40).
	want, err := ReadFile("testdata/yinyang_test_inputs.npy")
	require.NoError(t, err)
	got, err := Load("YinYang", "TEST")
	require.NoError(t, err)
	require.Equal(t, want.Len(), got.Len())
	require.Equal(t, want.NIn, got.NIn)
	assert.Equal(t, want.Labels, got.Labels)
	mismatches := 0
	for i := range want.Inputs {
		if math.Float64bits(want.Inputs[i]) != math.Float64bits(got.Inputs[i]) {
			mismatches++
		}
	}
	assert.Zero(t, mismatches, "input times differing in any bit")
	assert.Equal(t, 3, want.NClasses)
}

func TestYinYangSplitsDiffer(t *testing.T) {
	val, err := Load("yinyang", "val")
	require.NoError(t, err)
	test, err := Load("yinyang", "test")
	require.NoError(t, err)
	assert.Equal(t, 1000, val.Len())
	assert.NotEqual(t, val.Inputs[:4], test.Inputs[:4])
}

func TestYinYangClass(t *testing.T) {
	tests := []struct {
		name string
		x, y float64
		want int
	}{
		// Geometry of docs/model.md §6.
		{"right dot centre", 0.75, 0.5, Dot},
		{"left dot centre", 0.25, 0.5, Dot},
		{"outside", 0.01, 0.01, -1},
		{"just outside the big circle", 0.5, 1.0000001, -1},
		{"left of the left dot, lower half: inside the small left lobe", 0.1, 0.5, Yang},
		{"upper half beyond the right lobe", 0.5, 0.9, Yang},
		{"lower half beyond the left lobe", 0.5, 0.1, Yin},
		{"ring around the right dot", 0.75, 0.62, Yin},
		{"ring around the left dot", 0.25, 0.62, Yang},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, YinYangClass(tt.x, tt.y), tt.name)
	}
}

func TestYinYangLabelsMatchGeometry(t *testing.T) {
	xs, ys, labels := YinYangPoints(2000, 7)
	for i := range xs {
		require.Equal(t, labels[i], YinYangClass(xs[i], ys[i]), "sample %d", i)
		require.GreaterOrEqual(t, xs[i], 0.0)
		require.Less(t, xs[i], 1.0)
	}
}

func TestYinYangTimes(t *testing.T) {
	times := YinYangTimes(0.25, 1)
	// 0.15 + 1.85·v for v = 0.25, 1, 0.75, 0 (docs/model.md §6).
	assert.InDelta(t, 0.6125, times[0], 1e-15)
	assert.InDelta(t, 2.0, times[1], 1e-15)
	assert.InDelta(t, 1.5375, times[2], 1e-15)
	assert.Equal(t, 0.15, times[3])
}

func TestYinYangDeterministic(t *testing.T) {
	a := YinYang(300, 123)
	b := YinYang(300, 123)
	assert.Equal(t, a.Inputs, b.Inputs)
	assert.Equal(t, a.Labels, b.Labels)
}

// TestYinYangFixturesMatchPretrained checks that the test split stored here is the one the
// reference's pretrained network was evaluated on (learning/testdata/yinyang-pretrained).
func TestYinYangFixturesMatchPretrained(t *testing.T) {
	shared := filepath.Join("..", "learning", "testdata", "yinyang-pretrained")
	for _, pair := range [][2]string{
		{"test_inputs.npy", "yinyang_test_inputs.npy"},
		{"test_labels.npy", "yinyang_test_labels.npy"},
	} {
		want, err := os.ReadFile(filepath.Join(shared, pair[0]))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join("testdata", pair[1]))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(want, got), "testdata/%s differs from %s", pair[1], pair[0])
	}
}
