package idx

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Array is an IDX array of unsigned bytes in C (row-major) order.
type Array struct {
	Dims []int  // dimensions, outermost first: (images, rows, cols) for MNIST images
	Data []byte // the elements
}

// FormatError reports a malformed, truncated or corrupt IDX file.
type FormatError struct {
	File    string // the file
	Field   string // the part of the format that is wrong: "magic", "type", "dims", "data", "gzip"
	Problem string // what is wrong, quoting the value found
	Err     error  // the error of compress/gzip that revealed the problem, or nil
}

func (e *FormatError) Error() string { return e.File + ": " + e.Field + ": " + e.Problem }

// Unwrap returns Err, so that errors.Is finds gzip.ErrChecksum, gzip.ErrHeader and the like.
func (e *FormatError) Unwrap() error { return e.Err }

func formatErr(file, field, format string, args ...any) error {
	return &FormatError{File: file, Field: field, Problem: fmt.Sprintf(format, args...)}
}

const (
	typeUnsignedByte = 0x08
	maxDims          = 16 // far more than any IDX file uses; bounds the header
	// maxDeflateRatio bounds how many bytes deflate can produce per compressed byte
	// (258-byte matches coded in about 2 bits); it caps the buffer preallocated on a
	// header's word.
	maxDeflateRatio = 1032
)

var typeNames = map[byte]string{
	0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "int16", 0x0C: "int32", 0x0D: "float32", 0x0E: "float64",
}

// ReadFile reads the IDX file at path, decompressing it if it is gzip-compressed.
func ReadFile(path string) (*Array, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("idx: %w", err)
	}
	return Decode(path, data)
}

// Decode parses the complete contents of an IDX file of unsigned bytes (type 0x08),
// gunzipping it first if it starts with the gzip magic number. name is used in error
// messages only.
func Decode(name string, data []byte) (*Array, error) {
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, gzipErr(name, err)
		}
		return decode(name, zr, min(maxDeflateRatio*len(data), math.MaxInt/2))
	}
	return decode(name, bytes.NewReader(data), len(data))
}

// decode reads an IDX stream; at most bytes of data can follow the header.
func decode(name string, r io.Reader, atMost int) (*Array, error) {
	var head [4]byte
	if n, err := io.ReadFull(r, head[:]); err != nil {
		return nil, readErr(name, "magic", err, "file has %d bytes, want at least 4", n)
	}
	if head[0] != 0 || head[1] != 0 {
		return nil, formatErr(name, "magic", "% x, want 00 00 then type and dimension count (not an IDX file)", head)
	}
	if head[2] != typeUnsignedByte {
		kind := typeNames[head[2]]
		if kind == "" {
			kind = "unknown"
		}
		return nil, formatErr(name, "type", "0x%02x (%s) not supported, want 0x08 (unsigned byte)", head[2], kind)
	}
	nd := int(head[3])
	if nd == 0 || nd > maxDims {
		return nil, formatErr(name, "dims", "count %d, want 1 to %d", nd, maxDims)
	}
	raw := make([]byte, 4*nd)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, readErr(name, "dims", err, "file ends inside the %d dimension sizes", nd)
	}
	dims := make([]int, nd)
	for i := range dims {
		dims[i] = int(binary.BigEndian.Uint32(raw[4*i:]))
	}
	size := 1
	for _, d := range dims {
		if d != 0 && size > math.MaxInt/d {
			return nil, formatErr(name, "dims", "%s has too many elements", dimString(dims))
		}
		size *= d
	}
	// Grow the buffer as data arrives rather than trusting the header with one allocation.
	buf := make([]byte, 0, max(0, min(size, atMost-4-4*nd)))
	for len(buf) < size {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, min(size-len(buf), max(cap(buf), 4096)))
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), size)])
		buf = buf[:len(buf)+n]
		if (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) && len(buf) < size {
			return nil, formatErr(name, "data", "dims %s need %d bytes, found %d", dimString(dims), size, len(buf))
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, readErr(name, "data", err, "")
		}
	}
	// Reading to the end checks the gzip checksum and catches trailing bytes.
	var extra [1]byte
	n, err := io.ReadFull(r, extra[:])
	if n > 0 {
		return nil, formatErr(name, "data", "bytes after the %d that dims %s describe", size, dimString(dims))
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, readErr(name, "data", err, "")
	}
	return &Array{Dims: dims, Data: buf}, nil
}

// readErr describes a failed read: a truncation (with the given message) or a gzip error.
func readErr(name, field string, err error, truncated string, args ...any) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		if truncated == "" {
			truncated = "file is truncated"
		}
		return formatErr(name, field, truncated, args...)
	}
	return gzipErr(name, err)
}

// gzipErr reports an error of compress/gzip, which it wraps, without the package's prefix.
func gzipErr(name string, err error) error {
	return &FormatError{File: name, Field: "gzip", Problem: strings.TrimPrefix(err.Error(), "gzip: "), Err: err}
}

func dimString(dims []int) string {
	parts := make([]string, len(dims))
	for i, d := range dims {
		parts[i] = strconv.Itoa(d)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
