//go:build amd64 && !purego && linux

package simd

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAVX2MatchesKernel checks the detection against the flags the Linux kernel reports.
func TestAVX2MatchesKernel(t *testing.T) {
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		t.Skip(err)
	}
	for _, line := range strings.Split(string(info), "\n") {
		if strings.HasPrefix(line, "flags") {
			assert.Equal(t, strings.Contains(line+" ", " avx2 "), AVX2, "cpuinfo: %s", line)
			return
		}
	}
	t.Skip("no flags line in /proc/cpuinfo")
}
