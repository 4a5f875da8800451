package idx

import (
	"bytes"
	"compress/gzip"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// build returns an IDX file of unsigned bytes with the given dims and data.
func build(dims []uint32, data []byte) []byte {
	b := []byte{0, 0, typeUnsignedByte, byte(len(dims))}
	for _, d := range dims {
		b = append(b, byte(d>>24), byte(d>>16), byte(d>>8), byte(d))
	}
	return append(b, data...)
}

func gz(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestDecode(t *testing.T) {
	data := []byte{0, 1, 2, 3, 4, 255}
	file := build([]uint32{2, 3}, data)
	for name, b := range map[string][]byte{"plain": file, "gzip": gz(t, file)} {
		a, err := Decode(name, b)
		require.NoError(t, err, name)
		assert.Equal(t, []int{2, 3}, a.Dims, name)
		assert.Equal(t, data, a.Data, name)
	}
	a, err := Decode("empty", build([]uint32{0, 28, 28}, nil))
	require.NoError(t, err)
	assert.Equal(t, []int{0, 28, 28}, a.Dims)
	assert.Empty(t, a.Data)
}

func TestMalformed(t *testing.T) {
	good := build([]uint32{2, 3}, []byte{1, 2, 3, 4, 5, 6})
	goodGz := gz(t, good)
	corrupt := append([]byte{}, goodGz...)
	corrupt[len(corrupt)-6] ^= 0xff // inside the CRC-32 trailer
	noise := make([]byte, 10000)
	for i, x := 0, uint32(1); i < len(noise); i++ {
		x = x*1664525 + 1013904223 // incompressible bytes, so the cut lands inside the data
		noise[i] = byte(x >> 24)
	}
	bigGz := gz(t, build([]uint32{100, 100}, noise))
	flipped := append([]byte{}, goodGz...)
	flipped[12] ^= 0xff // inside the deflate stream
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "x.idx: magic: file has 0 bytes, want at least 4"},
		{"magic", []byte{1, 2, 8, 1}, "x.idx: magic: 01 02 08 01, want 00 00"},
		{"type", []byte{0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0}, "x.idx: type: 0x0d (float32) not supported, want 0x08"},
		{"unknown type", []byte{0, 0, 0x42, 1}, "x.idx: type: 0x42 (unknown) not supported"},
		{"no dims", []byte{0, 0, 8, 0}, "x.idx: dims: count 0, want 1 to 16"},
		{"too many dims", []byte{0, 0, 8, 200}, "x.idx: dims: count 200, want 1 to 16"},
		{"truncated dims", good[:9], "x.idx: dims: file ends inside the 2 dimension sizes"},
		{"truncated data", good[:len(good)-1], "x.idx: data: dims (2, 3) need 6 bytes, found 5"},
		{"trailing data", append(append([]byte{}, good...), 9), "x.idx: data: bytes after the 6 that dims (2, 3) describe"},
		{"lying dims", build([]uint32{4294967295, 4294967295, 4294967295}, []byte{1}), "x.idx: dims: (4294967295, 4294967295, 4294967295) has too many elements"},
		{"big dims", build([]uint32{60000, 28, 28}, []byte{1}), "x.idx: data: dims (60000, 28, 28) need 47040000 bytes, found 1"},
		{"gzip truncated", goodGz[:len(goodGz)-10], "x.idx: data: file is truncated"},
		{"gzip truncated early", bigGz[:len(bigGz)/2], "x.idx: data: dims (100, 100) need 10000 bytes, found "},
		{"gzip checksum", corrupt, "x.idx: gzip: invalid checksum"},
		{"gzip corrupt", flipped, "x.idx: "},
		{"gzip header", []byte{0x1f, 0x8b, 1}, "x.idx: gzip: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode("x.idx", tt.data)
			require.Error(t, err)
			var fe *FormatError
			require.True(t, errors.As(err, &fe), "want *FormatError, got %T: %v", err, err)
			assert.Contains(t, err.Error(), tt.want)
			if tt.name == "gzip checksum" {
				assert.ErrorIs(t, err, gzip.ErrChecksum, "the compress/gzip error is wrapped")
			}
		})
	}
}

func TestReadFileMissing(t *testing.T) {
	_, err := ReadFile("testdata/absent.idx")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "testdata/absent.idx")
}

func FuzzDecode(f *testing.F) {
	good := build([]uint32{2, 3}, []byte{1, 2, 3, 4, 5, 6})
	f.Add(good)
	f.Add(gz(f, good))
	f.Add(build([]uint32{1, 28, 28}, make([]byte, 784)))
	f.Add(gz(f, build([]uint32{1, 28, 28}, make([]byte, 784))))
	f.Add(build([]uint32{3}, []byte{7, 8, 9}))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Decode("f.idx", data)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T is not a *FormatError: %v", err, err)
			}
			return
		}
		n := 1
		for _, d := range a.Dims {
			n *= d
		}
		if n != len(a.Data) {
			t.Fatalf("dims %v but %d bytes", a.Dims, len(a.Data))
		}
	})
}
