package netfile

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/firstspike/firstspike/neurons"
	"github.com/firstspike/firstspike/synapses"
)

// Format is the value of the "format" field of the files this package reads. Files of any
// other format are refused, so that a later, incompatible version is never misread.
const Format = "firstspike.network/v1"

// JumpReceptor is the receptor name of voltage-jump synapses: a spike arriving through a
// projection with this receptor moves the target's membrane potential by the weight at once
// instead of adding to a synaptic current. No entry of a neuron's "synapses" may use it.
const JumpReceptor = "jump"

// Description is a parsed and checked network file. Build turns it into an events.Network;
// the random parts (connectivity, initial potentials, Poisson trains) are drawn there, from
// the seed given to Build, so one Description gives a network per seed.
type Description struct {
	// File is the name the description was read from, used in error messages.
	File string
	// Name is the file's "name" field, or else the file name without directory and extension
	// (with characters other than letters, digits, '.', '_' and '-' replaced by '-'). Either
	// way it is 1 to 100 such characters, so it can name a file or directory as it is.
	Name string
	// Seed is the file's "seed" field (0 when absent).
	Seed uint64

	populations []population
	sources     []source
	projections []projection
}

// Read reads and checks the network file at path. Its errors are those of Parse, or one
// wrapping the *fs.PathError of a file that cannot be read.
func Read(path string) (*Description, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("netfile: %w", err)
	}
	return Parse(path, data)
}

// Parse checks the network description in data, read from the named file; file appears in
// every error, which also names the JSON path of the offending field and its value, or the
// line and column of invalid JSON, as in
//
//	cuba.json: populations[1].neuron.tau_mem: "-5 ms": must be > 0
//	cuba.json:11:28: invalid JSON: invalid character '}' looking for beginning of object key string
//
// Parse stops at the first problem.
func Parse(file string, data []byte) (*Description, error) {
	root, err := parseTree(data)
	if err != nil {
		return nil, fmt.Errorf("%s:%w", file, err)
	}
	d := &decoder{file: file}
	desc := &Description{File: file}
	o, err := d.object(root, "", "format", "name", "seed", "populations", "sources", "projections")
	if err != nil {
		return nil, err
	}
	fn, err := d.need(o, "format")
	if err != nil {
		return nil, err
	}
	if f, err := d.str(fn, "format"); err != nil {
		return nil, err
	} else if f != Format {
		return nil, d.fail("format", fn, "must be %q", Format)
	}
	if n := o.get("name"); n != nil {
		if desc.Name, err = d.str(n, "name"); err != nil {
			return nil, err
		}
		if !safeName(desc.Name) {
			return nil, d.fail("name", n, "must be 1 to 100 letters, digits, '.', '_' or '-' (it names the output directory)")
		}
	} else {
		desc.Name = nameFromFile(file)
	}
	if n := o.get("seed"); n != nil {
		if desc.Seed, err = d.uinteger(n, "seed"); err != nil {
			return nil, err
		}
	}

	names := map[string]string{} // population and source names → path of the definition
	pn, err := d.need(o, "populations")
	if err != nil {
		return nil, err
	}
	pops, err := d.array(pn, "populations")
	if err != nil {
		return nil, err
	}
	if len(pops) == 0 {
		return nil, d.fail("populations", pn, "needs at least one population")
	}
	for i, n := range pops {
		p, err := d.population(n, index("populations", i), names)
		if err != nil {
			return nil, err
		}
		desc.populations = append(desc.populations, p)
	}
	if sn := o.get("sources"); sn != nil {
		srcs, err := d.array(sn, "sources")
		if err != nil {
			return nil, err
		}
		for i, n := range srcs {
			s, err := d.source(n, index("sources", i), names)
			if err != nil {
				return nil, err
			}
			desc.sources = append(desc.sources, s)
		}
	}
	if jn := o.get("projections"); jn != nil {
		projs, err := d.array(jn, "projections")
		if err != nil {
			return nil, err
		}
		seen := map[string]string{}
		for i, n := range projs {
			p, err := d.projection(n, index("projections", i), desc)
			if err != nil {
				return nil, err
			}
			if prev, dup := seen[p.name]; dup {
				return nil, d.fail(p.path, nil, "projection name %q is already used by %s; give each projection a distinct \"name\"", p.name, prev)
			}
			seen[p.name] = p.path
			desc.projections = append(desc.projections, p)
		}
	}
	return desc, nil
}

// maxSize bounds population and source sizes: neuron indices are int32 in the engine.
const maxSize = math.MaxInt32

type population struct {
	name      string
	size      int
	neuron    neurons.LIF
	receptors []string // names of neuron.TauSyn's entries
	initial   initialV
}

// initialV says how the initial membrane potentials are set.
type initialV struct {
	kind   initialKind
	values []float64     // initialList: one per neuron
	dist   synapses.Dist // initialDist
	path   string        // for errors found while drawing
}

type initialKind uint8

const (
	initialRest initialKind = iota // every neuron starts at rest
	initialList                    // an explicit value per neuron
	initialDist                    // drawn from dist (a constant is a distribution too)
)

type source struct {
	name   string
	size   int
	spikes [][]float64 // sorted; nil for a Poisson source

	rate, start, stop float64 // Poisson; stop 0 = until the end of the run
}

type projection struct {
	name     string
	path     string
	from     ref
	to       int
	receptor synapses.Receptor

	connect  connectKind
	p        float64 // connectProbability
	noSelf   bool
	weight   synapses.Dist // generators
	delay    synapses.Dist // generators and connectMatrix (constant)
	list     []listEntry   // connectList
	matrix   []float64     // connectMatrix, row-major nPre × nPost
	nPre     int
	nPost    int
	hasDelay bool // list: some entry has a nonzero delay
}

type ref struct {
	source bool
	index  int
}

type connectKind uint8

const (
	connectAllToAll connectKind = iota
	connectProbability
	connectList
	connectMatrix
)

type listEntry struct {
	pre, post     int32
	weight, delay float64
}

// safeName reports whether s can be used as a file name component as it is.
func safeName(s string) bool {
	if s == "" || len(s) > 100 || s == "." || s == ".." {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// nameFromFile derives a network name from a file name: the base name without its
// extension, with characters that safeName refuses replaced by '-'.
func nameFromFile(file string) string {
	base := filepath.Base(file)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	var b strings.Builder
	for _, c := range base {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' {
			b.WriteRune(c)
		} else {
			b.WriteByte('-')
		}
	}
	s := b.String()
	if len(s) > 100 {
		s = s[:100]
	}
	if !safeName(s) {
		return "network"
	}
	return s
}

// checkName checks a population or source name and records it in names.
func (d *decoder) checkName(o object, names map[string]string) (string, error) {
	n, err := d.need(o, "name")
	if err != nil {
		return "", err
	}
	name, err := d.str(n, o.at("name"))
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(name) == "" {
		return "", d.fail(o.at("name"), n, "must not be empty")
	}
	if prev, dup := names[name]; dup {
		return "", d.fail(o.at("name"), n, "already names %s; population and source names must be distinct", prev)
	}
	names[name] = o.path
	return name, nil
}

func (d *decoder) size(o object) (int, error) {
	n, err := d.need(o, "size")
	if err != nil {
		return 0, err
	}
	v, err := d.integer(n, o.at("size"), 1, maxSize)
	return int(v), err
}

func (d *decoder) population(n *node, path string, names map[string]string) (population, error) {
	var p population
	o, err := d.object(n, path, "name", "size", "neuron", "initial_v")
	if err != nil {
		return p, err
	}
	if p.name, err = d.checkName(o, names); err != nil {
		return p, err
	}
	if p.size, err = d.size(o); err != nil {
		return p, err
	}
	nn, err := d.need(o, "neuron")
	if err != nil {
		return p, err
	}
	if p.neuron, p.receptors, err = d.neuron(nn, o.at("neuron")); err != nil {
		return p, err
	}
	if iv := o.get("initial_v"); iv != nil {
		if p.initial, err = d.initialV(iv, o.at("initial_v"), p.size); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (d *decoder) neuron(n *node, path string) (neurons.LIF, []string, error) {
	var lif neurons.LIF
	o, err := d.object(n, path, "tau_mem", "synapses", "threshold", "reset", "rest", "refractory")
	if err != nil {
		return lif, nil, err
	}
	fields := []struct {
		key   string
		dim   Dimension
		bound bound
		dst   *float64
	}{
		{"tau_mem", Time, positive, &lif.TauMem},
		{"threshold", Potential, anyValue, &lif.Threshold},
		{"reset", Potential, anyValue, &lif.Reset},
		{"rest", Potential, anyValue, &lif.Rest},
	}
	for _, f := range fields {
		v, err := d.need(o, f.key)
		if err != nil {
			return lif, nil, err
		}
		if *f.dst, err = d.bounded(v, o.at(f.key), f.dim, f.bound); err != nil {
			return lif, nil, err
		}
	}
	if !(lif.Reset < lif.Threshold) {
		return lif, nil, d.fail(o.at("reset"), o.get("reset"), "must be below the threshold %v mV", lif.Threshold)
	}
	if r := o.get("refractory"); r != nil {
		if lif.Refractory, err = d.bounded(r, o.at("refractory"), Time, nonNegative); err != nil {
			return lif, nil, err
		}
	}
	var receptors []string
	lif.TauSyn = []float64{}
	if sn := o.get("synapses"); sn != nil {
		sp := o.at("synapses")
		syns, err := d.array(sn, sp)
		if err != nil {
			return lif, nil, err
		}
		for i, s := range syns {
			ip := index(sp, i)
			so, err := d.object(s, ip, "name", "tau")
			if err != nil {
				return lif, nil, err
			}
			nn, err := d.need(so, "name")
			if err != nil {
				return lif, nil, err
			}
			name, err := d.str(nn, so.at("name"))
			if err != nil {
				return lif, nil, err
			}
			switch {
			case strings.TrimSpace(name) == "":
				return lif, nil, d.fail(so.at("name"), nn, "must not be empty")
			case name == JumpReceptor:
				return lif, nil, d.fail(so.at("name"), nn, "%q is reserved for voltage-jump synapses, which need no entry here", JumpReceptor)
			}
			for j, prev := range receptors {
				if prev == name {
					return lif, nil, d.fail(so.at("name"), nn, "already names %s", index(sp, j))
				}
			}
			tn, err := d.need(so, "tau")
			if err != nil {
				return lif, nil, err
			}
			tau, err := d.bounded(tn, so.at("tau"), Time, positive)
			if err != nil {
				return lif, nil, err
			}
			receptors = append(receptors, name)
			lif.TauSyn = append(lif.TauSyn, tau)
		}
	}
	return lif, receptors, nil
}

// initialV decodes a constant potential, a list of one potential per neuron, or a
// distribution.
func (d *decoder) initialV(n *node, path string, size int) (initialV, error) {
	iv := initialV{path: path}
	if n.kind == kindArray {
		if len(n.elems) != size {
			return iv, d.fail(path, n, "has %d values for %d neurons", len(n.elems), size)
		}
		iv.kind = initialList
		iv.values = make([]float64, size)
		for i, e := range n.elems {
			v, err := d.quantity(e, index(path, i), Potential)
			if err != nil {
				return iv, err
			}
			iv.values[i] = v
		}
		return iv, nil
	}
	dist, err := d.dist(n, path, Potential, false)
	if err != nil {
		return iv, err
	}
	iv.kind, iv.dist = initialDist, dist
	return iv, nil
}

func (d *decoder) source(n *node, path string, names map[string]string) (source, error) {
	var s source
	o, err := d.object(n, path, "name", "size", "poisson", "spikes")
	if err != nil {
		return s, err
	}
	if s.name, err = d.checkName(o, names); err != nil {
		return s, err
	}
	if s.size, err = d.size(o); err != nil {
		return s, err
	}
	which, err := d.oneOf(o, "poisson", "spikes")
	if err != nil {
		return s, err
	}
	if which == "spikes" {
		sp := o.at("spikes")
		lists, err := d.array(o.get("spikes"), sp)
		if err != nil {
			return s, err
		}
		if len(lists) != s.size {
			return s, d.fail(sp, o.get("spikes"), "has %d spike lists for %d sources (one list per source, [] for none)", len(lists), s.size)
		}
		s.spikes = make([][]float64, s.size)
		for i, l := range lists {
			ip := index(sp, i)
			times, err := d.array(l, ip)
			if err != nil {
				return s, err
			}
			s.spikes[i] = make([]float64, len(times))
			for k, t := range times {
				if s.spikes[i][k], err = d.bounded(t, index(ip, k), Time, nonNegative); err != nil {
					return s, err
				}
			}
			slices.Sort(s.spikes[i])
		}
		return s, nil
	}
	pp := o.at("poisson")
	po, err := d.object(o.get("poisson"), pp, "rate", "start", "stop")
	if err != nil {
		return s, err
	}
	rn, err := d.need(po, "rate")
	if err != nil {
		return s, err
	}
	if s.rate, err = d.bounded(rn, po.at("rate"), Rate, nonNegative); err != nil {
		return s, err
	}
	if sn := po.get("start"); sn != nil {
		if s.start, err = d.bounded(sn, po.at("start"), Time, nonNegative); err != nil {
			return s, err
		}
	}
	if en := po.get("stop"); en != nil {
		if s.stop, err = d.quantity(en, po.at("stop"), Time); err != nil {
			return s, err
		}
		if !(s.stop > s.start) {
			return s, d.fail(po.at("stop"), en, "must be after start (%v ms); leave stop out to run to the end", s.start)
		}
	}
	return s, nil
}

// lookup finds a population or source by name.
func (desc *Description) lookup(name string) (ref, bool) {
	for i := range desc.populations {
		if desc.populations[i].name == name {
			return ref{index: i}, true
		}
	}
	for i := range desc.sources {
		if desc.sources[i].name == name {
			return ref{source: true, index: i}, true
		}
	}
	return ref{}, false
}

func (desc *Description) sizeOf(r ref) int {
	if r.source {
		return desc.sources[r.index].size
	}
	return desc.populations[r.index].size
}

func (desc *Description) knownNames(populationsOnly bool) string {
	var s []string
	for _, p := range desc.populations {
		s = append(s, fmt.Sprintf("%q", p.name))
	}
	if !populationsOnly {
		for _, p := range desc.sources {
			s = append(s, fmt.Sprintf("%q", p.name))
		}
	}
	return strings.Join(s, ", ")
}

func (d *decoder) projection(n *node, path string, desc *Description) (projection, error) {
	p := projection{path: path}
	o, err := d.object(n, path, "name", "from", "to", "receptor", "weight", "delay", "connect")
	if err != nil {
		return p, err
	}
	// from and to
	fn, err := d.need(o, "from")
	if err != nil {
		return p, err
	}
	fromName, err := d.str(fn, o.at("from"))
	if err != nil {
		return p, err
	}
	var ok bool
	if p.from, ok = desc.lookup(fromName); !ok {
		return p, d.fail(o.at("from"), fn, "no population or source has this name (there are %s)", desc.knownNames(false))
	}
	tn, err := d.need(o, "to")
	if err != nil {
		return p, err
	}
	toName, err := d.str(tn, o.at("to"))
	if err != nil {
		return p, err
	}
	to, ok := desc.lookup(toName)
	if !ok || to.source {
		return p, d.fail(o.at("to"), tn, "no population has this name (there are %s)", desc.knownNames(true))
	}
	p.to = to.index
	post := &desc.populations[p.to]
	p.nPre, p.nPost = desc.sizeOf(p.from), post.size
	p.name = fromName + "->" + toName
	if nn := o.get("name"); nn != nil {
		if p.name, err = d.str(nn, o.at("name")); err != nil {
			return p, err
		}
		if strings.TrimSpace(p.name) == "" {
			return p, d.fail(o.at("name"), nn, "must not be empty")
		}
	}
	// receptor
	rn, err := d.need(o, "receptor")
	if err != nil {
		return p, err
	}
	rec, err := d.str(rn, o.at("receptor"))
	if err != nil {
		return p, err
	}
	if rec == JumpReceptor {
		p.receptor = synapses.Jump
	} else if k := slices.Index(post.receptors, rec); k >= 0 {
		p.receptor = synapses.Receptor(k)
	} else {
		known := append(quoteAll(post.receptors), fmt.Sprintf("%q", JumpReceptor))
		return p, d.fail(o.at("receptor"), rn, "population %q has no synapse of this name (it has %s)", post.name, strings.Join(known, ", "))
	}
	// connect
	cn, err := d.need(o, "connect")
	if err != nil {
		return p, err
	}
	cp := o.at("connect")
	co, err := d.object(cn, cp, "all_to_all", "probability", "self", "list", "matrix")
	if err != nil {
		return p, err
	}
	which, err := d.oneOf(co, "all_to_all", "probability", "list", "matrix")
	if err != nil {
		return p, err
	}
	switch which {
	case "all_to_all":
		p.connect = connectAllToAll
		v, err := d.boolean(co.get("all_to_all"), co.at("all_to_all"))
		if err != nil {
			return p, err
		}
		if !v {
			return p, d.fail(co.at("all_to_all"), co.get("all_to_all"), "must be true (leave the projection out to connect nothing)")
		}
	case "probability":
		p.connect = connectProbability
		if p.p, err = d.number(co.get("probability"), co.at("probability")); err != nil {
			return p, err
		}
		if !(p.p >= 0 && p.p <= 1) {
			return p, d.fail(co.at("probability"), co.get("probability"), "must be in [0, 1]")
		}
	case "list":
		p.connect = connectList
	case "matrix":
		p.connect = connectMatrix
	}
	if sn := co.get("self"); sn != nil {
		if p.connect == connectList || p.connect == connectMatrix {
			return p, d.fail(co.at("self"), sn, "applies only to all_to_all and probability; a list or matrix says every synapse itself")
		}
		if p.from.source || p.from.index != p.to {
			return p, d.fail(co.at("self"), sn, "applies only when from and to are the same population")
		}
		self, err := d.boolean(sn, co.at("self"))
		if err != nil {
			return p, err
		}
		p.noSelf = !self
	}
	// weights and delays
	wn, dn := o.get("weight"), o.get("delay")
	switch p.connect {
	case connectAllToAll, connectProbability:
		if wn == nil {
			return p, d.fail(path, nil, "missing field %q", "weight")
		}
		if p.weight, err = d.dist(wn, o.at("weight"), Potential, false); err != nil {
			return p, err
		}
		p.delay = synapses.Const(0)
		if dn != nil {
			if p.delay, err = d.dist(dn, o.at("delay"), Time, true); err != nil {
				return p, err
			}
		}
	case connectList:
		if wn != nil || dn != nil {
			return p, d.fail(path, nil, "weight and delay come from the entries of connect.list; remove the projection's own")
		}
		if p.list, p.hasDelay, err = d.list(co.get("list"), co.at("list"), p.nPre, p.nPost); err != nil {
			return p, err
		}
	case connectMatrix:
		if wn != nil {
			return p, d.fail(path, nil, "weights come from connect.matrix; remove the projection's weight")
		}
		p.delay = synapses.Const(0)
		if dn != nil {
			delay, err := d.bounded(dn, o.at("delay"), Time, nonNegative)
			if err != nil {
				return p, err
			}
			p.delay = synapses.Const(delay)
		}
		if p.matrix, err = d.matrix(co.get("matrix"), co.at("matrix"), p.nPre, p.nPost); err != nil {
			return p, err
		}
	}
	return p, nil
}

// list decodes [[pre, post, weight, delay], ...].
func (d *decoder) list(n *node, path string, nPre, nPost int) ([]listEntry, bool, error) {
	entries, err := d.array(n, path)
	if err != nil {
		return nil, false, err
	}
	out := make([]listEntry, len(entries))
	hasDelay := false
	for i, e := range entries {
		ip := index(path, i)
		f, err := d.array(e, ip)
		if err != nil {
			return nil, false, err
		}
		if len(f) != 4 {
			return nil, false, d.fail(ip, e, "must be [pre, post, weight, delay]")
		}
		pre, err := d.integer(f[0], index(ip, 0), 0, int64(nPre-1))
		if err != nil {
			return nil, false, err
		}
		post, err := d.integer(f[1], index(ip, 1), 0, int64(nPost-1))
		if err != nil {
			return nil, false, err
		}
		w, err := d.quantity(f[2], index(ip, 2), Potential)
		if err != nil {
			return nil, false, err
		}
		delay, err := d.bounded(f[3], index(ip, 3), Time, nonNegative)
		if err != nil {
			return nil, false, err
		}
		hasDelay = hasDelay || delay != 0
		out[i] = listEntry{int32(pre), int32(post), w, delay}
	}
	return out, hasDelay, nil
}

// matrix decodes nPre rows of nPost weights.
func (d *decoder) matrix(n *node, path string, nPre, nPost int) ([]float64, error) {
	rows, err := d.array(n, path)
	if err != nil {
		return nil, err
	}
	if len(rows) != nPre {
		return nil, d.fail(path, n, "has %d rows, want %d (one per presynaptic neuron)", len(rows), nPre)
	}
	var w []float64 // grown row by row: nPost is checked only as the rows are read
	for i, r := range rows {
		ip := index(path, i)
		cols, err := d.array(r, ip)
		if err != nil {
			return nil, err
		}
		if len(cols) != nPost {
			return nil, d.fail(ip, r, "has %d columns, want %d (one per postsynaptic neuron)", len(cols), nPost)
		}
		for j, c := range cols {
			v, err := d.quantity(c, index(ip, j), Potential)
			if err != nil {
				return nil, err
			}
			w = append(w, v)
		}
	}
	return w, nil
}

func quoteAll(s []string) []string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return q
}
