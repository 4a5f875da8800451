package netfile

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/firstspike/firstspike/synapses"
)

// decoder turns tree nodes into values. Each method takes the node and its JSON path, and
// every error it returns names the file, the path and the value.
type decoder struct {
	file string
}

// fail returns the error "file: path: value: message", or "file: path: message" when n is
// nil. The message is formatted by fmt.Errorf, so it may wrap an underlying error with %w.
func (d *decoder) fail(path string, n *node, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	if n == nil {
		return fmt.Errorf("%s: %s: %w", d.file, showPath(path), err)
	}
	return fmt.Errorf("%s: %s: %s: %w", d.file, showPath(path), n.show(), err)
}

func showPath(p string) string {
	if p == "" {
		return "top level"
	}
	return p
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// object is a decoded JSON object whose keys have been checked against a known set.
type object struct {
	n    *node
	path string
}

// commentKey may appear in any object and is ignored, so files can be annotated.
const commentKey = "comment"

// object checks that n is an object whose keys are all in known (or "comment", which must
// be a string) and appear once.
func (d *decoder) object(n *node, path string, known ...string) (object, error) {
	if n.kind != kindObject {
		return object{}, d.fail(path, n, "must be an object")
	}
	for i, k := range n.keys {
		if slices.Contains(n.keys[:i], k) {
			return object{}, d.fail(join(path, k), nil, "field appears twice")
		}
		if k == commentKey {
			if n.elems[i].kind != kindString {
				return object{}, d.fail(join(path, k), n.elems[i], "a comment must be a string")
			}
			continue
		}
		if !slices.Contains(known, k) {
			return object{}, d.fail(path, nil, "unknown field %q (known fields: %s)", k, strings.Join(known, ", "))
		}
	}
	return object{n, path}, nil
}

// get returns the value of key, or nil if it is absent.
func (o object) get(key string) *node {
	for i, k := range o.n.keys {
		if k == key {
			return o.n.elems[i]
		}
	}
	return nil
}

func (o object) at(key string) string { return join(o.path, key) }

// need returns the value of key or an error saying it is missing.
func (d *decoder) need(o object, key string) (*node, error) {
	v := o.get(key)
	if v == nil {
		return nil, d.fail(o.path, nil, "missing field %q", key)
	}
	return v, nil
}

// oneOf returns the only key of keys that o holds, or an error if it holds none or several.
func (d *decoder) oneOf(o object, keys ...string) (string, error) {
	var found []string
	for _, k := range keys {
		if o.get(k) != nil {
			found = append(found, k)
		}
	}
	switch len(found) {
	case 0:
		return "", d.fail(o.path, nil, "needs one of the fields %s", strings.Join(keys, ", "))
	case 1:
		return found[0], nil
	}
	return "", d.fail(o.path, nil, "has fields %s, but only one of them is allowed", strings.Join(found, " and "))
}

func (d *decoder) array(n *node, path string) ([]*node, error) {
	if n.kind != kindArray {
		return nil, d.fail(path, n, "must be an array")
	}
	return n.elems, nil
}

func (d *decoder) str(n *node, path string) (string, error) {
	if n.kind != kindString {
		return "", d.fail(path, n, "must be a string")
	}
	return n.text, nil
}

func (d *decoder) boolean(n *node, path string) (bool, error) {
	if n.kind != kindBool {
		return false, d.fail(path, n, "must be true or false")
	}
	return n.b, nil
}

// integer decodes an integer literal in [lo, hi].
func (d *decoder) integer(n *node, path string, lo, hi int64) (int64, error) {
	if n.kind != kindNumber {
		return 0, d.fail(path, n, "must be an integer")
	}
	v, err := strconv.ParseInt(n.text, 10, 64)
	if err != nil {
		return 0, d.fail(path, n, "must be an integer in [%d, %d]", lo, hi)
	}
	if v < lo || v > hi {
		return 0, d.fail(path, n, "must be in [%d, %d]", lo, hi)
	}
	return v, nil
}

// uinteger decodes an unsigned 64-bit integer literal.
func (d *decoder) uinteger(n *node, path string) (uint64, error) {
	if n.kind != kindNumber {
		return 0, d.fail(path, n, "must be an integer")
	}
	v, err := strconv.ParseUint(n.text, 10, 64)
	if err != nil {
		return 0, d.fail(path, n, "must be an integer in [0, %d]", uint64(math.MaxUint64))
	}
	return v, nil
}

// number decodes a plain (dimensionless) finite number.
func (d *decoder) number(n *node, path string) (float64, error) {
	if n.kind != kindNumber {
		return 0, d.fail(path, n, "must be a number")
	}
	v, err := strconv.ParseFloat(n.text, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, d.fail(path, n, "out of range")
	}
	return v, nil
}

// quantity decodes a quantity of dimension dim: a string with a unit or a bare number in the
// base unit.
func (d *decoder) quantity(n *node, path string, dim Dimension) (float64, error) {
	if n.kind != kindNumber && n.kind != kindString {
		return 0, d.fail(path, n, "must be a %s: a string with a unit such as %q, or a number in %s", dim, example(dim), dim.baseUnit())
	}
	v, err := ParseQuantity(n.text, dim)
	if err != nil {
		return 0, d.fail(path, n, "%w", err)
	}
	return v, nil
}

func example(dim Dimension) string {
	return [...]string{Time: "5 ms", Potential: "-50 mV", Rate: "20 Hz"}[dim]
}

// bound says which values a quantity may take.
type bound int

const (
	anyValue bound = iota
	positive
	nonNegative
)

func (d *decoder) bounded(n *node, path string, dim Dimension, b bound) (float64, error) {
	v, err := d.quantity(n, path, dim)
	if err != nil {
		return 0, err
	}
	switch {
	case b == positive && !(v > 0):
		return 0, d.fail(path, n, "must be > 0")
	case b == nonNegative && !(v >= 0):
		return 0, d.fail(path, n, "must be ≥ 0")
	}
	return v, nil
}

// dist decodes a distribution of quantities: a constant quantity, {"uniform": [low, high]}
// or {"normal": {"mean": m, "std": s}}. With nonNegativeValues, a constant or a uniform
// distribution must not go below 0 (a normal distribution is clipped at 0 by the generators).
func (d *decoder) dist(n *node, path string, dim Dimension, nonNegativeValues bool) (synapses.Dist, error) {
	b := anyValue
	if nonNegativeValues {
		b = nonNegative
	}
	if n.kind != kindObject {
		v, err := d.bounded(n, path, dim, b)
		return synapses.Const(v), err
	}
	o, err := d.object(n, path, "uniform", "normal")
	if err != nil {
		return synapses.Dist{}, err
	}
	which, err := d.oneOf(o, "uniform", "normal")
	if err != nil {
		return synapses.Dist{}, err
	}
	if which == "uniform" {
		p := o.at("uniform")
		bounds, err := d.array(o.get("uniform"), p)
		if err != nil {
			return synapses.Dist{}, err
		}
		if len(bounds) != 2 {
			return synapses.Dist{}, d.fail(p, o.get("uniform"), "must be [low, high]")
		}
		lo, err := d.bounded(bounds[0], index(p, 0), dim, b)
		if err != nil {
			return synapses.Dist{}, err
		}
		hi, err := d.quantity(bounds[1], index(p, 1), dim)
		if err != nil {
			return synapses.Dist{}, err
		}
		if hi < lo {
			return synapses.Dist{}, d.fail(p, o.get("uniform"), "high must be ≥ low")
		}
		return synapses.Uniform(lo, hi), nil
	}
	p := o.at("normal")
	no, err := d.object(o.get("normal"), p, "mean", "std")
	if err != nil {
		return synapses.Dist{}, err
	}
	mn, err := d.need(no, "mean")
	if err != nil {
		return synapses.Dist{}, err
	}
	mean, err := d.quantity(mn, no.at("mean"), dim)
	if err != nil {
		return synapses.Dist{}, err
	}
	sn, err := d.need(no, "std")
	if err != nil {
		return synapses.Dist{}, err
	}
	std, err := d.bounded(sn, no.at("std"), dim, nonNegative)
	if err != nil {
		return synapses.Dist{}, err
	}
	return synapses.Normal(mean, std), nil
}
