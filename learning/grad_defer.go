package learning

// etColumns are the columns of one sample's first-layer weight gradient (weightsOnlyET): the
// neurons that get a gradient, latest first, with x_out, g and t_out, and, when deferred, the
// causal inputs with the number of leading columns each is causal for.
type etColumns struct {
	j             []int32
	xOut, g, tOut []float64
	rows          []etDeferredRow
}

// etDeferredRef is the entry e of samples[k].rows.
type etDeferredRef struct{ k, e int32 }

type etDeferredRow struct {
	row   int32
	n     int32   // the input is causal for the first n columns
	x, te float64 // x = (t − t_ref)/τs and τs·e^x of the input
}

// etDeferredSamples is the most samples an etDeferred holds before it adds them up.
const etDeferredSamples = 64

// etDeferred holds the first-layer weight-gradient terms of several samples and adds them row
// by row, so that a row of the gradient stays in cache while the terms of all samples go into
// it, instead of the whole matrix passing through the cache once per sample. Every entry
// receives its terms in sample order, as it would sample by sample, so the sums have the same
// bits. Writes of other terms to the same matrix must flush it first (flushInto); the
// methods do nothing on a nil *etDeferred.
type etDeferred struct {
	gW      []float64 // the gradient the terms go to; nil when empty
	m       int       // its columns
	samples []etColumns
	n       int             // samples in use
	start   []int32         // flush: per row of gW, where its terms start in items
	items   []etDeferredRef // flush: the terms by row, in sample order within a row
}

// next returns the columns to fill for one more sample whose terms go to gW (m columns),
// adding up the samples held first if they go elsewhere or if there are too many.
func (d *etDeferred) next(gW []float64, m int) *etColumns {
	if d.n > 0 && (&d.gW[0] != &gW[0] || len(d.gW) != len(gW) || d.n == etDeferredSamples) {
		d.flush()
	}
	d.gW, d.m = gW, m
	if d.n == len(d.samples) {
		d.samples = append(d.samples, etColumns{})
	}
	c := &d.samples[d.n]
	d.n++
	c.rows = c.rows[:0]
	return c
}

// flushInto adds up the samples held if their terms go to gW.
func (d *etDeferred) flushInto(gW []float64) {
	if d != nil && d.n > 0 && len(gW) > 0 && &d.gW[0] == &gW[0] {
		d.flush()
	}
}

// flush adds the terms of the samples held to their gradient, row by row and in sample order
// within a row, and empties d.
func (d *etDeferred) flush() {
	if d == nil || d.n == 0 {
		return
	}
	rows := len(d.gW) / d.m
	if cap(d.start) < rows+1 {
		d.start = make([]int32, rows+1)
	}
	start := d.start[:rows+1]
	clear(start)
	total := 0
	for k := range d.samples[:d.n] {
		for _, r := range d.samples[k].rows {
			start[r.row+1]++
		}
		total += len(d.samples[k].rows)
	}
	for i := range rows {
		start[i+1] += start[i]
	}
	if cap(d.items) < total {
		d.items = make([]etDeferredRef, total)
	}
	items := d.items[:total]
	for k := range d.samples[:d.n] {
		for e, r := range d.samples[k].rows {
			items[start[r.row]] = etDeferredRef{k: int32(k), e: int32(e)}
			start[r.row]++
		}
	}
	// start[i] is now the end of row i's terms, and the start of row i+1's.
	from := int32(0)
	for i := range rows {
		end := start[i]
		if from == end {
			continue
		}
		grow := d.gW[i*d.m : i*d.m+d.m]
		for _, it := range items[from:end] {
			c := &d.samples[it.k]
			r := c.rows[it.e]
			etRow(grow, c.j[:r.n], c.xOut[:r.n], c.g[:r.n], r.x, r.te)
		}
		from = end
	}
	d.n, d.gW = 0, nil
}
