package npy

import (
	"archive/zip"
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadNPZ(t *testing.T) {
	// numpy.savez and numpy.savez_compressed of the same two arrays (gen.py).
	for _, file := range []string{"stored.npz", "deflated.npz"} {
		arrays, err := ReadNPZFile(filepath.Join("testdata", file))
		require.NoError(t, err, file)
		require.Len(t, arrays, 2, file)
		in, lab := arrays["inputs"], arrays["labels"]
		require.NotNil(t, in, file)
		require.NotNil(t, lab, file)
		assert.Equal(t, []int{2, 3}, in.Shape)
		assert.Equal(t, []float64{0.15, 2.0, math.Inf(1), 1.0, 0.5, 0.25}, in.Floats)
		assert.Equal(t, []int{2}, lab.Shape)
		assert.Equal(t, []int64{2, 0}, lab.Ints)
	}
}

func TestNPZRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.npz")
	arrays := map[string]*Array{
		"inputs": {Shape: []int{1, 2}, Floats: []float64{0.5, math.Inf(1)}},
		"labels": {Shape: []int{1}, Ints: []int64{7}},
	}
	require.NoError(t, WriteNPZFile(path, arrays))
	got, err := ReadNPZFile(path)
	require.NoError(t, err)
	assert.Equal(t, arrays["inputs"].Floats, got["inputs"].Floats)
	assert.Equal(t, arrays["labels"].Ints, got["labels"].Ints)

	var a, b bytes.Buffer
	require.NoError(t, EncodeNPZ(&a, arrays))
	require.NoError(t, EncodeNPZ(&b, arrays))
	assert.Equal(t, a.Bytes(), b.Bytes(), "encoding is deterministic")
}

// zipOf builds a zip archive with the given entries (name, method, raw uncompressed data).
func zipOf(t *testing.T, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: e.method})
		require.NoError(t, err)
		_, err = w.Write(e.data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

type zipEntry struct {
	name   string
	method uint16
	data   []byte
}

func TestNPZMalformed(t *testing.T) {
	good, err := os.ReadFile("testdata/stored.npz")
	require.NoError(t, err)
	npy, err := os.ReadFile("testdata/dtype_i8.npy")
	require.NoError(t, err)

	corrupt := append([]byte{}, good...)
	// The first entry's data starts after its 30-byte local header and its name; flipping a
	// byte of the array data breaks the CRC.
	i := bytes.Index(corrupt, []byte("\x93NUMPY"))
	require.Positive(t, i)
	corrupt[i+len(npy)-1] ^= 0xff

	var rawUnknown bytes.Buffer
	zw := zip.NewWriter(&rawUnknown)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "a.npy", Method: 14, CompressedSize64: 3, UncompressedSize64: 3})
	require.NoError(t, err)
	_, err = w.Write([]byte("abc"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())

	tests := []struct {
		name    string
		data    []byte
		want    string
		wantErr error // the archive/zip error wrapped, if any
	}{
		{"not zip", npy, "d.npz: zip: not a valid zip file", zip.ErrFormat},
		{"truncated", good[:len(good)-30], "d.npz: zip: not a valid zip file", zip.ErrFormat},
		{"corrupt data", corrupt, "d.npz: inputs.npy: zip: checksum error", zip.ErrChecksum},
		{"bad entry", zipOf(t, zipEntry{"labels.npy", zip.Deflate, npy[:40]}), "d.npz: labels.npy: header: length 118 but only 30 bytes follow", nil},
		{"duplicate", zipOf(t, zipEntry{"a.npy", zip.Store, npy}, zipEntry{"a.npy", zip.Store, npy}), `d.npz: zip: entry "a.npy" appears twice`, nil},
		{"method", rawUnknown.Bytes(), "d.npz: a.npy: zip: compression method 14 not supported", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeNPZ("d.npz", tt.data)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
			}
		})
	}
}

func TestNPZSkipsOtherEntries(t *testing.T) {
	npy, err := os.ReadFile("testdata/dtype_i8.npy")
	require.NoError(t, err)
	arrays, err := DecodeNPZ("d.npz", zipOf(t, zipEntry{"README", zip.Store, []byte("hi")}, zipEntry{"x.npy", zip.Deflate, npy}))
	require.NoError(t, err)
	require.Len(t, arrays, 1)
	assert.Equal(t, []int64{-3, -2, -1, 0, 1, 2}, arrays["x"].Ints)
}
