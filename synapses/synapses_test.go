package synapses

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFixedProbabilityStatistics(t *testing.T) {
	// 4000×4000 at p = 0.02 (the CUBA benchmark): the synapse count is binomial with mean
	// 320 000 and standard deviation ≈ 560; 5σ is 2800.
	c, err := FixedProbability(4000, 4000, 0.02, Gen{Weight: Const(1.62), NoSelf: true, Seed: 7})
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	assert.InDelta(t, 320000, c.Len(), 2800)
	for i := 0; i < c.NPre; i++ {
		post, w, d := c.Row(i)
		assert.Nil(t, d)
		for k, j := range post {
			require.NotEqual(t, int32(i), j, "self connection with NoSelf")
			if k > 0 {
				require.Less(t, post[k-1], j, "targets of a row are strictly increasing")
			}
			require.Equal(t, 1.62, w[k])
		}
	}
	// Every target column is hit about equally often: each column count is binomial(4000, 0.02).
	counts := make([]int, 4000)
	for _, j := range c.Post {
		counts[j]++
	}
	mean := float64(c.Len()) / 4000
	var v float64
	for _, n := range counts {
		v += (float64(n) - mean) * (float64(n) - mean)
	}
	assert.InDelta(t, 4000*0.02*0.98, v/4000, 15, "variance of the in-degree")
}

func TestGeneratorsAreSeeded(t *testing.T) {
	g := Gen{Weight: Normal(0, 1), Delay: Uniform(0.5, 2), Seed: 3}
	a, err := FixedProbability(50, 60, 0.3, g)
	require.NoError(t, err)
	b, err := FixedProbability(50, 60, 0.3, g)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	g.Seed = 4
	c, err := FixedProbability(50, 60, 0.3, g)
	require.NoError(t, err)
	assert.NotEqual(t, a.Post, c.Post)
	for _, d := range a.Delay {
		assert.GreaterOrEqual(t, d, 0.5)
		assert.Less(t, d, 2.0)
	}
}

func TestProbabilityEdges(t *testing.T) {
	c, err := FixedProbability(20, 30, 0, Gen{Weight: Const(1)})
	require.NoError(t, err)
	assert.Equal(t, 0, c.Len())
	c, err = FixedProbability(20, 30, 1, Gen{Weight: Const(1), NoSelf: true})
	require.NoError(t, err)
	assert.Equal(t, 20*30-20, c.Len())
	all, err := AllToAll(20, 30, Gen{Weight: Const(1), NoSelf: true})
	require.NoError(t, err)
	assert.Equal(t, c, all)
}

func TestGeneratorErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    float64
		g    Gen
		want string
	}{
		{"p above 1", 1.5, Gen{Weight: Const(1)}, "p = 1.5"},
		{"p NaN", math.NaN(), Gen{Weight: Const(1)}, "p = NaN"},
		{"weight NaN", 0.1, Gen{Weight: Const(math.NaN())}, "weight NaN"},
		{"weight Inf", 0.1, Gen{Weight: Normal(math.Inf(1), 1)}, "must be finite"},
		{"negative std", 0.1, Gen{Weight: Normal(0, -1)}, "negative standard deviation"},
		{"negative delay", 0.1, Gen{Weight: Const(1), Delay: Const(-1)}, "delay -1"},
		{"uniform delay below 0", 0.1, Gen{Weight: Const(1), Delay: Uniform(-1, 1)}, "delays must be ≥ 0"},
		{"uniform reversed", 0.1, Gen{Weight: Uniform(2, 1)}, "upper bound below lower bound"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FixedProbability(10, 10, tc.p, tc.g)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestValidate(t *testing.T) {
	good := func() *CSR {
		return &CSR{NPre: 2, NPost: 3, RowStart: []int{0, 2, 3}, Post: []int32{0, 2, 1},
			Weight: []float64{1, -1, 0.5}, Delay: []float64{0, 1, 2}}
	}
	require.NoError(t, good().Validate())
	for _, tc := range []struct {
		name   string
		break_ func(c *CSR)
		want   string
	}{
		{"target out of range", func(c *CSR) { c.Post[1] = 3 }, "target outside [0, 3)"},
		{"NaN weight", func(c *CSR) { c.Weight[2] = math.NaN() }, "weight NaN is not finite"},
		{"Inf weight", func(c *CSR) { c.Weight[0] = math.Inf(-1) }, "weight -Inf"},
		{"negative delay", func(c *CSR) { c.Delay[1] = -0.5 }, "delay -0.5"},
		{"NaN delay", func(c *CSR) { c.Delay[1] = math.NaN() }, "delay NaN"},
		{"row starts", func(c *CSR) { c.RowStart = []int{0, 3} }, "2 row starts for 2"},
		{"decreasing rows", func(c *CSR) { c.RowStart = []int{0, 3, 2} }, "ends at 2 before"},
		{"delay count", func(c *CSR) { c.Delay = c.Delay[:2] }, "2 delays for 3 synapses"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := good()
			tc.break_(c)
			err := c.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestSortRowsByDelay(t *testing.T) {
	c := &CSR{NPre: 2, NPost: 4, RowStart: []int{0, 4, 5}, Post: []int32{0, 1, 2, 3, 1},
		Weight: []float64{10, 11, 12, 13, 14}, Delay: []float64{2, 0, 2, 1, 5}}
	c.SortRowsByDelay()
	assert.Equal(t, []float64{0, 1, 2, 2, 5}, c.Delay)
	assert.Equal(t, []int32{1, 3, 0, 2, 1}, c.Post, "equal delays keep their order")
	assert.Equal(t, []float64{11, 13, 10, 12, 14}, c.Weight)
}

func TestDenseCSR(t *testing.T) {
	d := &Dense{NPre: 2, NPost: 2, Weight: []float64{1, 0, -2, 3}, Delay: 0.5}
	c := d.CSR()
	require.NoError(t, c.Validate())
	post, w, delay := c.Row(1)
	assert.Equal(t, []int32{0, 1}, post)
	assert.Equal(t, []float64{-2, 3}, w)
	assert.Equal(t, []float64{0.5, 0.5}, delay)
	assert.Panics(t, func() { (&Dense{NPre: 2, NPost: 2, Weight: []float64{1}}).CSR() })
}

func BenchmarkFixedProbabilityCUBA(b *testing.B) {
	for b.Loop() {
		if _, err := FixedProbability(4000, 4000, 0.02, Gen{Weight: Const(1.62), NoSelf: true, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/320000, "ns/synapse")
}
