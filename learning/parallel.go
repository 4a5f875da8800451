package learning

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// parallelChunks calls fn(worker, chunk, lo, hi) for every chunk [lo, hi) of [0, n) cut into
// pieces of size chunk, on up to workers goroutines, the caller's among them (worker 0);
// worker < workers identifies the goroutine (for per-worker scratch). Which worker runs which
// chunk varies from call to call; callers that need deterministic results make each chunk's
// result depend on the chunk alone and combine the chunks in order. fn may itself call
// parallelChunks.
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
	j := &poolJob{fn: fn, n: n, chunk: chunk, nChunks: nChunks, workers: workers}
	if !pool.mu.TryLock() {
		// The pool serves another region (of another goroutine, or the one fn belongs to):
		// goroutines of this region's own.
		var wg sync.WaitGroup
		wg.Add(workers - 1)
		for w := 1; w < workers; w++ {
			go func(w int) {
				defer wg.Done()
				j.work(w)
			}(w)
		}
		j.work(0)
		wg.Wait()
		return
	}
	defer pool.mu.Unlock()
	pool.run(j)
}

// poolJob is one parallel region: its chunks are claimed in order by the workers.
type poolJob struct {
	fn                         func(worker, c, lo, hi int)
	n, chunk, nChunks, workers int
	next, done                 atomic.Int64 // chunks claimed and chunks finished
}

// work runs chunks of j as worker w until none is left.
func (j *poolJob) work(w int) {
	for {
		c := int(j.next.Add(1)) - 1
		if c >= j.nChunks {
			return
		}
		j.fn(w, c, c*j.chunk, min(j.n, (c+1)*j.chunk))
		j.done.Add(1)
	}
}

// helperPool runs parallel regions on the caller and on helper goroutines that live as long
// as the process. After a region a helper spins for helperSpin before it parks, so that the
// next region, which in training follows within tens of microseconds, starts on all cores at
// once: waking a parked thread costs about as much on a virtual machine, and a Yin-Yang
// batch's forward pass takes only about a millisecond per core.
//
// Invariant: a helper that is not spinning is parked (blocked on wake) or about to be, and
// then either sees the current job before it blocks or is sent a wake token by run.
type helperPool struct {
	mu      sync.Mutex // held by the one caller of run
	cur     atomic.Pointer[poolJob]
	helpers []*poolHelper
}

type poolHelper struct {
	parked atomic.Bool
	wake   chan struct{} // buffered: a token is never lost, a stale one only wakes early
}

// helperSpin is how long an idle helper waits for the next region before it parks.
const helperSpin = 250 * time.Microsecond

var pool helperPool

// run runs j on the caller (worker 0) and j.workers − 1 helpers, and returns when all its
// chunks have finished. The caller holds p.mu.
func (p *helperPool) run(j *poolJob) {
	for len(p.helpers) < j.workers-1 {
		h := &poolHelper{wake: make(chan struct{}, 1)}
		p.helpers = append(p.helpers, h)
		go h.loop(p, len(p.helpers))
	}
	p.cur.Store(j)
	for _, h := range p.helpers[:j.workers-1] {
		if h.parked.CompareAndSwap(true, false) {
			select {
			case h.wake <- struct{}{}:
			default:
			}
		}
	}
	j.work(0)
	// The chunks left are running on helpers: wait for them without sleeping.
	for i := 0; j.done.Load() < int64(j.nChunks); i++ {
		if i >= 64 {
			runtime.Gosched()
		}
	}
}

// loop runs the jobs in which helper id (1, 2, …) takes part.
func (h *poolHelper) loop(p *helperPool, id int) {
	var last *poolJob
	for {
		j := h.next(p, last)
		last = j
		if id < j.workers {
			j.work(id)
		}
	}
}

// next waits for a job other than last: spinning for helperSpin, then parked until run wakes it.
func (h *poolHelper) next(p *helperPool, last *poolJob) *poolJob {
	start := time.Now()
	for i := 1; ; i++ {
		if j := p.cur.Load(); j != last {
			return j
		}
		if i%64 != 0 || time.Since(start) < helperSpin {
			continue
		}
		h.parked.Store(true)
		if j := p.cur.Load(); j != last {
			h.parked.Store(false)
			return j
		}
		<-h.wake
		start = time.Now()
	}
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
