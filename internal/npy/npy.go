package npy

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// Array is an n-dimensional array whose elements are held in C (row-major) order.
//
// Exactly one of Floats and Ints holds the elements: Floats for floating-point dtypes, Ints
// for integer and boolean dtypes (booleans as 0 and 1).
type Array struct {
	Shape  []int     // dimensions; empty for a 0-d (scalar) array
	DType  string    // dtype descriptor as read, such as "<f8" or ">i2"; Encode ignores it
	Floats []float64 // elements of a floating-point array
	Ints   []int64   // elements of an integer or boolean array
}

// Len returns the number of elements, the product of Shape (1 for a 0-d array).
func (a *Array) Len() int {
	n := 1
	for _, d := range a.Shape {
		n *= d
	}
	return n
}

// IsFloat reports whether the elements are held in Floats.
func (a *Array) IsFloat() bool { return a.Ints == nil }

// FormatError reports a malformed, truncated or corrupt file.
type FormatError struct {
	File    string // the file (or "archive.npz: entry.npy")
	Field   string // the part of the format that is wrong: "magic", "header", "shape", "data"…
	Problem string // what is wrong, quoting the value found
	Err     error  // the error that revealed the problem (from archive/zip, for one), or nil
}

func (e *FormatError) Error() string { return e.File + ": " + e.Field + ": " + e.Problem }

// Unwrap returns Err, so that errors.Is finds zip.ErrFormat and the like.
func (e *FormatError) Unwrap() error { return e.Err }

// formatErr returns a FormatError whose problem is formatted by fmt.Errorf: an error given
// with %w becomes its Err.
func formatErr(file, field, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &FormatError{File: file, Field: field, Problem: err.Error(), Err: errors.Unwrap(err)}
}

const magic = "\x93NUMPY"

// maxHeaderDepth bounds the nesting of the header literal; real headers nest two deep.
const maxHeaderDepth = 8

// ReadFile reads the .npy file at path.
func ReadFile(path string) (*Array, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("npy: %w", err)
	}
	return Decode(path, data)
}

// Decode parses the complete contents of a .npy file; name is used in error messages only.
func Decode(name string, data []byte) (*Array, error) {
	if len(data) < len(magic)+2 || string(data[:len(magic)]) != magic {
		n := min(len(data), len(magic))
		return nil, formatErr(name, "magic", "file starts with %q, want %q (not a .npy file)", data[:n], magic)
	}
	major, minor := data[6], data[7]
	var hlen, start int
	switch {
	case major == 1 && minor == 0:
		if len(data) < 10 {
			return nil, formatErr(name, "header", "truncated before the header length (%d bytes)", len(data))
		}
		hlen, start = int(binary.LittleEndian.Uint16(data[8:10])), 10
	case (major == 2 || major == 3) && minor == 0:
		if len(data) < 12 {
			return nil, formatErr(name, "header", "truncated before the header length (%d bytes)", len(data))
		}
		h := binary.LittleEndian.Uint32(data[8:12])
		if uint64(h) > uint64(len(data)-12) {
			return nil, formatErr(name, "header", "length %d but only %d bytes follow", h, len(data)-12)
		}
		hlen, start = int(h), 12
	default:
		return nil, formatErr(name, "version", "%d.%d not supported (want 1.0, 2.0 or 3.0)", major, minor)
	}
	if hlen > len(data)-start {
		return nil, formatErr(name, "header", "length %d but only %d bytes follow", hlen, len(data)-start)
	}
	h, err := parseHeader(name, string(data[start:start+hlen]))
	if err != nil {
		return nil, err
	}
	dt, err := parseDType(name, h.descr)
	if err != nil {
		return nil, err
	}
	if h.fortran && len(h.shape) > 1 {
		return nil, formatErr(name, "fortran_order", "True for shape %s not supported (only C order)", FormatShape(h.shape))
	}
	n, ok := product(h.shape)
	if !ok || n > math.MaxInt/dt.size {
		return nil, formatErr(name, "shape", "%s has too many elements", FormatShape(h.shape))
	}
	body := data[start+hlen:]
	if want := n * dt.size; len(body) != want {
		return nil, formatErr(name, "header", "shape %s of %s needs %d data bytes, file has %d",
			FormatShape(h.shape), h.descr, want, len(body))
	}
	a := &Array{Shape: h.shape, DType: h.descr}
	if err := dt.decode(name, a, body, n); err != nil {
		return nil, err
	}
	return a, nil
}

// product returns the product of dims, and false if it overflows int.
func product(dims []int) (int, bool) {
	n := 1
	for _, d := range dims {
		if d == 0 {
			return 0, true
		}
	}
	for _, d := range dims {
		if n > math.MaxInt/d {
			return 0, false
		}
		n *= d
	}
	return n, true
}

// FormatShape formats shape as numpy prints it: (2, 3), (5,) or ().
func FormatShape(shape []int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, d := range shape {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(d))
	}
	if len(shape) == 1 {
		b.WriteByte(',')
	}
	b.WriteByte(')')
	return b.String()
}

type dtype struct {
	kind byte // 'f', 'i', 'u' or 'b'
	size int  // bytes per element
	big  bool // big-endian
}

func parseDType(name, descr string) (dtype, error) {
	bad := func() (dtype, error) {
		return dtype{}, formatErr(name, "descr", "%q not supported (want f4, f8, i1, i2, i4, i8, u1, u2, u4, u8 or b1 with byte order <, > or |)", descr)
	}
	if len(descr) != 3 {
		return bad()
	}
	d := dtype{kind: descr[1], size: int(descr[2] - '0')}
	switch d.kind {
	case 'f':
		if d.size != 4 && d.size != 8 {
			return bad()
		}
	case 'i', 'u':
		if d.size != 1 && d.size != 2 && d.size != 4 && d.size != 8 {
			return bad()
		}
	case 'b':
		if d.size != 1 {
			return bad()
		}
	default:
		return bad()
	}
	switch descr[0] {
	case '<':
	case '>':
		d.big = true
	case '|':
		// numpy writes '|' only where byte order is meaningless.
		if d.size != 1 {
			return bad()
		}
	default:
		return bad()
	}
	return d, nil
}

func (d dtype) decode(name string, a *Array, b []byte, n int) error {
	var order binary.ByteOrder = binary.LittleEndian
	if d.big {
		order = binary.BigEndian
	}
	if d.kind == 'f' {
		a.Floats = make([]float64, n)
		if d.size == 8 {
			for i := range a.Floats {
				a.Floats[i] = math.Float64frombits(order.Uint64(b[8*i:]))
			}
		} else {
			for i := range a.Floats {
				a.Floats[i] = float64(math.Float32frombits(order.Uint32(b[4*i:])))
			}
		}
		return nil
	}
	a.Ints = make([]int64, n)
	switch {
	case d.kind == 'b':
		for i := range a.Ints {
			if b[i] != 0 {
				a.Ints[i] = 1
			}
		}
	case d.kind == 'i' && d.size == 1:
		for i := range a.Ints {
			a.Ints[i] = int64(int8(b[i]))
		}
	case d.kind == 'u' && d.size == 1:
		for i := range a.Ints {
			a.Ints[i] = int64(b[i])
		}
	case d.kind == 'i' && d.size == 2:
		for i := range a.Ints {
			a.Ints[i] = int64(int16(order.Uint16(b[2*i:])))
		}
	case d.kind == 'u' && d.size == 2:
		for i := range a.Ints {
			a.Ints[i] = int64(order.Uint16(b[2*i:]))
		}
	case d.kind == 'i' && d.size == 4:
		for i := range a.Ints {
			a.Ints[i] = int64(int32(order.Uint32(b[4*i:])))
		}
	case d.kind == 'u' && d.size == 4:
		for i := range a.Ints {
			a.Ints[i] = int64(order.Uint32(b[4*i:]))
		}
	case d.kind == 'i' && d.size == 8:
		for i := range a.Ints {
			a.Ints[i] = int64(order.Uint64(b[8*i:]))
		}
	case d.kind == 'u' && d.size == 8:
		for i := range a.Ints {
			v := order.Uint64(b[8*i:])
			if v > math.MaxInt64 {
				return formatErr(name, "data", "element %d = %d does not fit in int64", i, v)
			}
			a.Ints[i] = int64(v)
		}
	}
	return nil
}

type header struct {
	descr   string
	fortran bool
	shape   []int
}

// parseHeader reads the header's Python dict literal, such as
// {'descr': '<f8', 'fortran_order': False, 'shape': (1000, 4), }.
func parseHeader(name, text string) (header, error) {
	var h header
	p := &literalParser{s: text}
	v, err := p.value(0)
	if err == nil {
		p.skipSpace()
		if p.i < len(p.s) {
			err = fmt.Errorf("unexpected %q after the dict", p.rest())
		}
	}
	if err != nil {
		return h, formatErr(name, "header", "%w in %q", err, clip(text))
	}
	dict, ok := v.(map[string]any)
	if !ok {
		return h, formatErr(name, "header", "%q is not a dict", clip(text))
	}
	for _, key := range []string{"descr", "fortran_order", "shape"} {
		if _, ok := dict[key]; !ok {
			return h, formatErr(name, "header", "key %q missing in %q", key, clip(text))
		}
	}
	for key, v := range dict {
		switch key {
		case "descr":
			s, ok := v.(string)
			if !ok {
				return h, formatErr(name, "descr", "%s not supported (structured dtypes are not)", literalString(v))
			}
			h.descr = s
		case "fortran_order":
			b, ok := v.(bool)
			if !ok {
				return h, formatErr(name, "fortran_order", "%s is not True or False", literalString(v))
			}
			h.fortran = b
		case "shape":
			t, ok := v.(tuple)
			if !ok {
				return h, formatErr(name, "shape", "%s is not a tuple", literalString(v))
			}
			h.shape = make([]int, len(t))
			for i, e := range t {
				d, ok := e.(int64)
				if !ok || d < 0 || d > math.MaxInt {
					return h, formatErr(name, "shape", "dimension %d is %s, want a non-negative integer", i, literalString(e))
				}
				h.shape[i] = int(d)
			}
		default:
			return h, formatErr(name, "header", "unexpected key %q", key)
		}
	}
	return h, nil
}

// clip shortens a header for an error message.
func clip(text string) string {
	text = strings.TrimSpace(text)
	if len(text) > 200 {
		text = text[:200] + "…"
	}
	return text
}

// tuple is a parsed Python tuple or list literal.
type tuple []any

func literalString(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case bool:
		if v {
			return "True"
		}
		return "False"
	case nil:
		return "None"
	case tuple:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = literalString(e)
		}
		return "(" + strings.Join(parts, ", ") + ")"
	case map[string]any:
		return "{…}"
	default:
		return fmt.Sprint(v)
	}
}

// literalParser parses the subset of Python literals that .npy headers use: dicts with
// string keys, strings, integers (with Python 2's optional L suffix), True, False, None,
// tuples and lists.
type literalParser struct {
	s string
	i int
}

func (p *literalParser) skipSpace() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *literalParser) rest() string {
	r := strings.TrimRight(p.s[p.i:], " \t\r\n")
	if len(r) > 20 {
		r = r[:20] + "…"
	}
	return r
}

func (p *literalParser) value(depth int) (any, error) {
	if depth > maxHeaderDepth {
		return nil, fmt.Errorf("nesting deeper than %d", maxHeaderDepth)
	}
	p.skipSpace()
	if p.i >= len(p.s) {
		return nil, fmt.Errorf("unexpected end")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.dict(depth)
	case c == '(' || c == '[':
		return p.sequence(depth)
	case c == '\'' || c == '"':
		return p.str()
	case c == '-' || c == '+' || (c >= '0' && c <= '9'):
		return p.integer()
	default:
		for _, w := range []struct {
			word string
			val  any
		}{{"True", true}, {"False", false}, {"None", nil}} {
			if strings.HasPrefix(p.s[p.i:], w.word) {
				p.i += len(w.word)
				return w.val, nil
			}
		}
		return nil, fmt.Errorf("unexpected %q", p.rest())
	}
}

func (p *literalParser) dict(depth int) (any, error) {
	p.i++ // '{'
	d := map[string]any{}
	for {
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return d, nil
		}
		k, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		key, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("dict key %s is not a string", literalString(k))
		}
		if _, dup := d[key]; dup {
			return nil, fmt.Errorf("key %q repeated", key)
		}
		p.skipSpace()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, fmt.Errorf("missing ':' after key %q", key)
		}
		p.i++
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		d[key] = v
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
		} else if p.i >= len(p.s) || p.s[p.i] != '}' {
			return nil, fmt.Errorf("missing ',' or '}' before %q", p.rest())
		}
	}
}

func (p *literalParser) sequence(depth int) (any, error) {
	closing := byte(')')
	if p.s[p.i] == '[' {
		closing = ']'
	}
	p.i++
	t := tuple{}
	for {
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == closing {
			p.i++
			return t, nil
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		t = append(t, v)
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
		} else if p.i >= len(p.s) || p.s[p.i] != closing {
			return nil, fmt.Errorf("missing ',' or %q before %q", closing, p.rest())
		}
	}
}

func (p *literalParser) str() (any, error) {
	quote := p.s[p.i]
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch {
		case c == quote:
			return b.String(), nil
		case c == '\\' && p.i < len(p.s):
			b.WriteByte(p.s[p.i])
			p.i++
		default:
			b.WriteByte(c)
		}
	}
	return nil, fmt.Errorf("unterminated string")
}

func (p *literalParser) integer() (any, error) {
	j := p.i
	if p.s[j] == '-' || p.s[j] == '+' {
		j++
	}
	for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
		j++
	}
	lit := p.s[p.i:j]
	v, err := strconv.ParseInt(lit, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("integer %q out of range or malformed", lit)
	}
	p.i = j
	if p.i < len(p.s) && (p.s[p.i] == 'L' || p.s[p.i] == 'l') {
		p.i++
	}
	return v, nil
}
