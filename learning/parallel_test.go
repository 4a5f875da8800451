package learning

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// checkRegion runs a region and requires every chunk to run once, with its bounds, on a
// worker below the worker count.
func checkRegion(t *testing.T, n, chunk, workers int) {
	t.Helper()
	require.Empty(t, regionProblem(n, chunk, workers))
}

// regionProblem runs a region and describes what went wrong, "" if every chunk ran once,
// with its bounds, on a worker below the worker count.
func regionProblem(n, chunk, workers int) string {
	nChunks := (n + chunk - 1) / chunk
	runs := make([]atomic.Int32, nChunks)
	var bad atomic.Int32
	parallelChunks(n, chunk, workers, func(w, c, lo, hi int) {
		if w < 0 || w >= max(workers, 1) || lo != c*chunk || hi != min(n, lo+chunk) {
			bad.Add(1)
		}
		runs[c].Add(1)
	})
	if bad.Load() != 0 {
		return fmt.Sprintf("n %d chunk %d workers %d: a chunk with a wrong worker or bounds", n, chunk, workers)
	}
	for c := range runs {
		if k := runs[c].Load(); k != 1 {
			return fmt.Sprintf("n %d chunk %d workers %d: chunk %d ran %d times", n, chunk, workers, c, k)
		}
	}
	return ""
}

// TestParallelChunksRunsEveryChunkOnce covers the serial path, the helper pool (with helpers
// spinning right after a region and parked after a pause), more workers than chunks and a
// changing worker count.
func TestParallelChunksRunsEveryChunkOnce(t *testing.T) {
	for _, c := range []struct{ n, chunk, workers int }{
		{0, 4, 2}, {1, 4, 2}, {7, 1, 1}, {150, 4, 2}, {150, 4, 4}, {1000, 3, 3}, {5, 1, 8}, {100, 7, 2},
	} {
		checkRegion(t, c.n, c.chunk, c.workers)
		checkRegion(t, c.n, c.chunk, c.workers)
		time.Sleep(2 * helperSpin) // the helpers park
		checkRegion(t, c.n, c.chunk, c.workers)
	}
}

// TestParallelChunksConcurrentAndNested: regions started by several goroutines at once, and
// regions inside a region's chunks, all complete (the pool serves one at a time; the others
// start goroutines of their own).
func TestParallelChunksConcurrentAndNested(t *testing.T) {
	var wg sync.WaitGroup
	problems := make([]string, 4)
	for g := range problems {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if p := regionProblem(20+g+i, 3, 2); p != "" {
					problems[g] = p
				}
			}
		}()
	}
	var inner atomic.Int32
	parallelChunks(8, 1, 2, func(_, _, _, _ int) {
		parallelChunks(10, 2, 2, func(_, _, lo, hi int) { inner.Add(int32(hi - lo)) })
	})
	wg.Wait()
	require.Equal(t, []string{"", "", "", ""}, problems)
	require.Equal(t, int32(80), inner.Load())
}
