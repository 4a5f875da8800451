package learning

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// parallelChunks calls fn(worker, chunk, lo, hi) for every chunk [lo, hi) of [0, n) cut into
// pieces of size chunk, on up to GOMAXPROCS goroutines; worker < the returned worker count
// identifies the goroutine (for per-worker scratch). Which worker runs which chunk varies from
// call to call; callers that need deterministic results make each chunk's result depend on the
// chunk alone and combine the chunks in order.
func parallelChunks(n, chunk, workers int, fn func(worker, c, lo, hi int)) {
	nChunks := (n + chunk - 1) / chunk
	if workers > nChunks {
		workers = nChunks
	}
	if workers <= 1 {
		for c := 0; c < nChunks; c++ {
			fn(0, c, c*chunk, min(n, (c+1)*chunk))
		}
		return
	}
	var next atomic.Int64
	run := func(w int) {
		for {
			c := int(next.Add(1)) - 1
			if c >= nChunks {
				return
			}
			fn(w, c, c*chunk, min(n, (c+1)*chunk))
		}
	}
	// The caller is worker 0: one goroutine fewer to start, and the caller does not sleep
	// while the others start.
	var wg sync.WaitGroup
	wg.Add(workers - 1)
	for w := 1; w < workers; w++ {
		go func(w int) {
			defer wg.Done()
			run(w)
		}(w)
	}
	run(0)
	wg.Wait()
}

// maxWorkers returns the number of goroutines parallel work may use.
func maxWorkers() int { return runtime.GOMAXPROCS(0) }

// rangeChunk is the number of elements a goroutine of parallelRange takes at a time: large
// enough that scheduling costs little, small enough to spread a layer's weights over cores.
const rangeChunk = 1 << 14

// parallelRange calls fn on pieces [lo, hi) of [0, n) on up to GOMAXPROCS goroutines, for
// element-wise work whose result does not depend on how [0, n) is cut.
func parallelRange(n int, fn func(lo, hi int)) {
	parallelChunks(n, rangeChunk, maxWorkers(), func(_, _, lo, hi int) { fn(lo, hi) })
}
