package bench

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		x    []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{3, 1}, 2},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{2, 2, 9, 2}, 2},
	} {
		x := append([]float64(nil), c.x...)
		assert.Equal(t, c.want, median(c.x), "%v", c.x)
		assert.Equal(t, x, c.x, "median must not reorder its argument")
	}
}

func TestRatio(t *testing.T) {
	assert.Equal(t, 2.0, ratio(6, 3))
	assert.Equal(t, 0.0, ratio(6, 0))
	assert.Equal(t, 0.0, ratio(0, 0))
	assert.Equal(t, 0.0, ratio(1, math.NaN()))
}

func TestScenarios(t *testing.T) {
	names := map[string]bool{}
	for _, s := range Scenarios() {
		assert.NotEmpty(t, s.Summary)
		assert.False(t, names[s.Name], "scenario %s twice", s.Name)
		names[s.Name] = true
	}
	for _, n := range []string{ScenarioCUBA, ScenarioCUBAJump, ScenarioTTFSYinYang, ScenarioTTFSMNIST, ScenarioTTFSKernel, ScenarioQueueHold} {
		assert.True(t, names[n], n)
	}
}

// TestTimer: CPU times, where the system reports them, are measured per run, and a busy
// loop takes some.
func TestTimer(t *testing.T) {
	if _, ok := getRusage(); !ok {
		t.Skip("no getrusage on this system")
	}
	var tm timer
	x := 0.0
	for range 2 {
		tm.begin()
		for i := range 2_000_000 {
			x += math.Sqrt(float64(i))
		}
		tm.end()
	}
	assert.Positive(t, x)
	tg := tm.timing()
	assert.Len(t, tg.Runs, 2)
	assert.Len(t, tg.CPURuns, 2)
	assert.Positive(t, tg.CPU)
	assert.Positive(t, peakRSS())
}
