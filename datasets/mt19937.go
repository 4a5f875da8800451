package datasets

// mt19937 is the 32-bit Mersenne Twister seeded as numpy's legacy RandomState(seed) seeds
// it (init_genrand), with the draws numpy builds on it. The Yin-Yang data set is defined
// by these exact draws.
type mt19937 struct {
	state [mtN]uint32
	index int
}

const (
	mtN      = 624
	mtM      = 397
	mtUpper  = 0x80000000
	mtLower  = 0x7fffffff
	mtMatrix = 0x9908b0df
)

func newMT19937(seed uint32) *mt19937 {
	m := &mt19937{index: mtN}
	m.state[0] = seed
	for i := 1; i < mtN; i++ {
		prev := m.state[i-1]
		m.state[i] = 1812433253*(prev^(prev>>30)) + uint32(i)
	}
	return m
}

// uint32 returns the next tempered 32-bit output.
func (m *mt19937) uint32() uint32 {
	if m.index >= mtN {
		m.twist()
	}
	y := m.state[m.index]
	m.index++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

func (m *mt19937) twist() {
	for i := range mtN {
		y := m.state[i]&mtUpper | m.state[(i+1)%mtN]&mtLower
		next := m.state[(i+mtM)%mtN] ^ y>>1
		if y&1 != 0 {
			next ^= mtMatrix
		}
		m.state[i] = next
	}
	m.index = 0
}

// float64 returns a uniform double in [0, 1) from two outputs, 53 random bits, as numpy's
// random_sample does.
func (m *mt19937) float64() float64 {
	a := m.uint32() >> 5
	b := m.uint32() >> 6
	return (float64(a)*67108864 + float64(b)) / 9007199254740992
}

// intn returns a uniform integer in [0, n) for 0 < n ≤ 2³², drawing masked outputs and
// rejecting those ≥ n, as numpy's legacy randint(n) does.
func (m *mt19937) intn(n uint32) uint32 {
	mask := n - 1
	for s := uint(1); s < 32; s <<= 1 {
		mask |= mask >> s
	}
	for {
		if v := m.uint32() & mask; v < n {
			return v
		}
	}
}
