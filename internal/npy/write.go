package npy

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/firstspike/firstspike/internal/atomicfile"
)

// headerAlign is the alignment numpy.save gives the start of the data.
const headerAlign = 64

// Encode writes a as a .npy file: little-endian float64 ("<f8") when a.IsFloat(), int64
// ("<i8") otherwise. It panics if the number of elements disagrees with a.Shape.
func Encode(w io.Writer, a *Array) error {
	n := a.Len()
	descr := "<f8"
	count := len(a.Floats)
	if !a.IsFloat() {
		descr, count = "<i8", len(a.Ints)
	}
	if count != n {
		panic(fmt.Sprintf("npy: shape %s holds %d elements, have %d", FormatShape(a.Shape), n, count))
	}
	for _, d := range a.Shape {
		if d < 0 {
			panic(fmt.Sprintf("npy: negative dimension in shape %s", FormatShape(a.Shape)))
		}
	}
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, FormatShape(a.Shape))
	// Version 1.0 stores the header length in 16 bits; longer headers need 2.0.
	prefix := len(magic) + 2 + 2
	version := []byte{1, 0}
	if total := padded(prefix + len(dict) + 1); total-prefix > math.MaxUint16 {
		prefix += 2
		version = []byte{2, 0}
	}
	total := padded(prefix + len(dict) + 1)
	hdr := make([]byte, 0, total)
	hdr = append(hdr, magic...)
	hdr = append(hdr, version...)
	if version[0] == 1 {
		hdr = binary.LittleEndian.AppendUint16(hdr, uint16(total-prefix))
	} else {
		hdr = binary.LittleEndian.AppendUint32(hdr, uint32(total-prefix))
	}
	hdr = append(hdr, dict...)
	hdr = append(hdr, strings.Repeat(" ", total-len(hdr)-1)...)
	hdr = append(hdr, '\n')
	if _, err := w.Write(hdr); err != nil {
		return err
	}

	const chunk = 4096 // elements per write, so large arrays need no second full-size copy
	buf := make([]byte, 0, 8*min(n, chunk))
	for i := 0; i < n; i += chunk {
		buf = buf[:0]
		for j := i; j < min(n, i+chunk); j++ {
			var bits uint64
			if a.IsFloat() {
				bits = math.Float64bits(a.Floats[j])
			} else {
				bits = uint64(a.Ints[j])
			}
			buf = binary.LittleEndian.AppendUint64(buf, bits)
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

func padded(n int) int { return (n + headerAlign - 1) / headerAlign * headerAlign }

// WriteFile writes a to path as a .npy file (see Encode), atomically: a crash leaves either
// the old file or the complete new one.
func WriteFile(path string, a *Array) error {
	return atomicfile.Write(path, func(w io.Writer) error { return Encode(w, a) })
}
