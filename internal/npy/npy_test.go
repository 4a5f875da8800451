package npy

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fixtures in testdata were written by NumPy 1.24.2 (testdata/gen.py).

func TestReadDTypes(t *testing.T) {
	signed := []int64{-3, -2, -1, 0, 1, 2}
	unsigned := []int64{0, 1, 2, 3, 4, 5}
	tests := []struct {
		file  string
		descr string
		ints  []int64 // nil for float files, whose values are signed converted to float
	}{
		{"dtype_f4.npy", "<f4", nil},
		{"dtype_f4_be.npy", ">f4", nil},
		{"dtype_f8.npy", "<f8", nil},
		{"dtype_f8_be.npy", ">f8", nil},
		{"dtype_i1.npy", "|i1", signed},
		{"dtype_i2.npy", "<i2", signed},
		{"dtype_i2_be.npy", ">i2", signed},
		{"dtype_i4.npy", "<i4", signed},
		{"dtype_i4_be.npy", ">i4", signed},
		{"dtype_i8.npy", "<i8", signed},
		{"dtype_i8_be.npy", ">i8", signed},
		{"dtype_u1.npy", "|u1", unsigned},
		{"dtype_u2.npy", "<u2", unsigned},
		{"dtype_u2_be.npy", ">u2", unsigned},
		{"dtype_u4.npy", "<u4", unsigned},
		{"dtype_u4_be.npy", ">u4", unsigned},
		{"dtype_u8.npy", "<u8", unsigned},
		{"dtype_u8_be.npy", ">u8", unsigned},
		{"dtype_b1.npy", "|b1", []int64{0, 1, 1, 1, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			a, err := ReadFile(filepath.Join("testdata", tt.file))
			require.NoError(t, err)
			assert.Equal(t, []int{2, 3}, a.Shape)
			assert.Equal(t, tt.descr, a.DType)
			assert.Equal(t, 6, a.Len())
			if tt.ints == nil {
				require.True(t, a.IsFloat())
				assert.Equal(t, []float64{-3, -2, -1, 0, 1, 2}, a.Floats)
			} else {
				require.False(t, a.IsFloat())
				assert.Equal(t, tt.ints, a.Ints)
			}
		})
	}
}

func TestReadSpecialValuesAndVersions(t *testing.T) {
	// Bit patterns as NumPy wrote them (gen.py: special).
	want := []float64{0.15, 2.0, math.Inf(1), math.Copysign(0, -1), 1e-300, 5e-324}
	for _, file := range []string{"special_f8.npy", "version_1.npy", "version_2.npy", "version_3.npy"} {
		a, err := ReadFile(filepath.Join("testdata", file))
		require.NoError(t, err, file)
		require.Len(t, a.Floats, len(want), file)
		for i := range want {
			assert.Equal(t, math.Float64bits(want[i]), math.Float64bits(a.Floats[i]), "%s[%d]", file, i)
		}
	}
}

func TestReadScalarAndEmpty(t *testing.T) {
	a, err := ReadFile("testdata/scalar.npy")
	require.NoError(t, err)
	assert.Empty(t, a.Shape)
	assert.Equal(t, []float64{3.5}, a.Floats)

	a, err = ReadFile("testdata/empty.npy")
	require.NoError(t, err)
	assert.Equal(t, []int{0, 4}, a.Shape)
	assert.Equal(t, 0, a.Len())
	assert.True(t, a.IsFloat())
}

func TestFortranOrder(t *testing.T) {
	_, err := ReadFile("testdata/fortran_2d.npy")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "fortran_2d.npy: fortran_order: True for shape (2, 3) not supported")

	// A 1-D array is the same in either order, so fortran_order True is harmless there.
	data := rewriteHeader(t, "testdata/dtype_i8.npy", "'fortran_order': False, 'shape': (2, 3)", "'fortran_order': True, 'shape': (6,)")
	a, err := Decode("f1d.npy", data)
	require.NoError(t, err)
	assert.Equal(t, []int{6}, a.Shape)
	assert.Equal(t, []int64{-3, -2, -1, 0, 1, 2}, a.Ints)
}

// rewriteHeader replaces old by new in the header of file, keeping the header length (the
// replacement is padded or trimmed with spaces).
func rewriteHeader(t *testing.T, file, old, new string) []byte {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	hlen := int(data[8]) | int(data[9])<<8
	h := string(data[10 : 10+hlen])
	require.Contains(t, h, old)
	h = strings.Replace(h, old, new, 1)
	h = strings.TrimRight(h, " \n")
	require.LessOrEqual(t, len(h)+1, hlen, "replacement too long")
	h += strings.Repeat(" ", hlen-len(h)-1) + "\n"
	out := append([]byte{}, data[:10]...)
	out = append(out, h...)
	return append(out, data[10+hlen:]...)
}

func TestMalformed(t *testing.T) {
	good, err := os.ReadFile("testdata/dtype_f8.npy") // shape (2, 3), <f8, 128-byte header
	require.NoError(t, err)
	with := func(edit func(b []byte) []byte) []byte { return edit(append([]byte{}, good...)) }
	header := func(old, new string) []byte { return rewriteHeader(t, "testdata/dtype_f8.npy", old, new) }
	tests := []struct {
		name string
		data []byte
		want string // expected error text after "x.npy: "
	}{
		{"empty", nil, `magic: file starts with "", want "\x93NUMPY"`},
		{"not npy", []byte("PK\x03\x04 zip"), `magic: file starts with "PK\x03\x04 z"`},
		{"version", with(func(b []byte) []byte { b[6] = 4; return b }), "version: 4.0 not supported"},
		{"minor version", with(func(b []byte) []byte { b[7] = 1; return b }), "version: 1.1 not supported"},
		{"no header length", good[:9], "header: truncated before the header length (9 bytes)"},
		{"header length too long", good[:50], "header: length 118 but only 40 bytes follow"},
		{"v2 header length lie", with(func(b []byte) []byte { b[6] = 2; b[8], b[9], b[10], b[11] = 0xff, 0xff, 0xff, 0x7f; return b }), "header: length 2147483647 but only 164 bytes follow"},
		{"truncated data", good[:len(good)-1], "header: shape (2, 3) of <f8 needs 48 data bytes, file has 47"},
		{"extra data", append(append([]byte{}, good...), 0), "header: shape (2, 3) of <f8 needs 48 data bytes, file has 49"},
		{"lying shape", header("(2, 3)", "(3,)"), "header: shape (3,) of <f8 needs 24 data bytes, file has 48"},
		{"huge shape", header("(2, 3)", "(4611686018427387904, 4)"), "shape: (4611686018427387904, 4) has too many elements"},
		{"huge dim", header("(2, 3)", "(99999999999999999999,)"), `header: integer "99999999999999999999" out of range or malformed`},
		{"negative dim", header("(2, 3)", "(-2, 3)"), "shape: dimension 0 is -2, want a non-negative integer"},
		{"shape not tuple", header("(2, 3)", "6"), "shape: 6 is not a tuple"},
		{"string dim", header("(2, 3)", "('2', 3)"), `shape: dimension 0 is "2", want a non-negative integer`},
		{"descr", header("'<f8'", "'<c16'"), `descr: "<c16" not supported`},
		{"descr order", header("'<f8'", "'=f8'"), `descr: "=f8" not supported`},
		{"descr pipe", header("'<f8'", "'|f8'"), `descr: "|f8" not supported`},
		{"descr size", header("'<f8'", "'<f2'"), `descr: "<f2" not supported`},
		{"structured", header("'<f8'", "[('a', '<f8')]"), `descr: (("a", "<f8")) not supported`},
		{"fortran value", header("False", "0"), "fortran_order: 0 is not True or False"},
		{"missing key", header("'fortran_order': False, ", ""), `header: key "fortran_order" missing`},
		{"extra key", header("'shape'", "'x': 1, 'shape'"), `header: unexpected key "x"`},
		{"repeated key", header("'fortran_order'", "'shape': (6,), 'fortran_order'"), `header: key "shape" repeated`},
		{"not a dict", header("{", "["), `header: missing ',' or ']' before ": '<f8'`},
		{"unterminated", header("}", "'"), "header: unterminated string"},
		{"trailing", header("}", "} x"), `header: unexpected "x" after the dict`},
		{"deep", header("(2, 3)", "((((((((((2))))))))), 3)"), "header: nesting deeper than 8"},
		{"missing colon", header("'descr':", "'descr'"), `header: missing ':' after key "descr"`},
		{"missing comma", header("'<f8',", "'<f8'"), `header: missing ',' or '}'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode("x.npy", tt.data)
			require.Error(t, err)
			var fe *FormatError
			require.True(t, errors.As(err, &fe), "want a *FormatError, got %T", err)
			assert.Equal(t, "x.npy", fe.File)
			assert.Contains(t, err.Error(), "x.npy: "+tt.want)
		})
	}
}

func TestUint64Overflow(t *testing.T) {
	data, err := os.ReadFile("testdata/dtype_u8.npy")
	require.NoError(t, err)
	for i := len(data) - 8; i < len(data); i++ {
		data[i] = 0xff // last element = 2⁶⁴−1
	}
	_, err = Decode("u.npy", data)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "u.npy: data: element 5 = 18446744073709551615 does not fit in int64")
}

func TestEncodeMatchesNumPy(t *testing.T) {
	// numpy.save of the same arrays (gen.py) gives byte-identical files.
	for _, file := range []string{"dtype_f8.npy", "dtype_i8.npy", "special_f8.npy", "scalar.npy", "empty.npy"} {
		want, err := os.ReadFile(filepath.Join("testdata", file))
		require.NoError(t, err)
		a, err := Decode(file, want)
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, Encode(&buf, a))
		assert.Equal(t, want, buf.Bytes(), file)
	}
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	tests := []*Array{
		{Shape: []int{3}, Floats: []float64{math.Inf(1), -1.5, math.NaN()}},
		{Shape: []int{2, 2}, Ints: []int64{math.MinInt64, -1, 0, math.MaxInt64}},
		{Shape: []int{0}, Ints: []int64{}},
		// 30 000 dimensions of 1 need a header longer than version 1.0 can describe.
		{Shape: ones(30000), Floats: []float64{7}},
	}
	for i, a := range tests {
		path := filepath.Join(dir, "a.npy")
		require.NoError(t, WriteFile(path, a))
		b, err := ReadFile(path)
		require.NoError(t, err, "case %d", i)
		assert.Equal(t, a.Shape, b.Shape, "case %d", i)
		assert.Equal(t, a.IsFloat(), b.IsFloat(), "case %d", i)
		if a.IsFloat() {
			require.Len(t, b.Floats, len(a.Floats))
			for j := range a.Floats {
				assert.Equal(t, math.Float64bits(a.Floats[j]), math.Float64bits(b.Floats[j]))
			}
		} else {
			assert.Equal(t, a.Ints, b.Ints, "case %d", i)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "a.npy"))
	require.NoError(t, err)
	assert.Equal(t, byte(2), data[6], "long header needs format 2.0")
}

func ones(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = 1
	}
	return s
}

func TestEncodePanicsOnShapeMismatch(t *testing.T) {
	assert.PanicsWithValue(t, "npy: shape (2, 2) holds 4 elements, have 3", func() {
		_ = Encode(&bytes.Buffer{}, &Array{Shape: []int{2, 2}, Floats: []float64{1, 2, 3}})
	})
}

func TestReadFileMissing(t *testing.T) {
	_, err := ReadFile("testdata/absent.npy")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "testdata/absent.npy")
}
