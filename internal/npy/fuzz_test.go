package npy

import (
	"archive/zip"
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func addFixtures(f *testing.F, pattern string) {
	files, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil || len(files) == 0 {
		f.Fatalf("no fixtures %s: %v", pattern, err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// checkArray verifies the invariants of a successfully decoded array: its element count
// matches its shape, it is no larger than the input allows, and it survives Encode/Decode.
func checkArray(t *testing.T, a *Array, inputLen int) {
	n := a.Len()
	if got := len(a.Floats) + len(a.Ints); got != n {
		t.Fatalf("shape %v has %d elements, decoded %d", a.Shape, n, got)
	}
	if n > inputLen {
		t.Fatalf("%d elements from %d bytes", n, inputLen)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, a); err != nil {
		t.Fatal(err)
	}
	b, err := Decode("re.npy", buf.Bytes())
	if err != nil {
		t.Fatalf("re-decoding: %v", err)
	}
	for i := range a.Floats {
		if math.Float64bits(a.Floats[i]) != math.Float64bits(b.Floats[i]) {
			t.Fatalf("element %d: %v != %v", i, a.Floats[i], b.Floats[i])
		}
	}
	for i := range a.Ints {
		if a.Ints[i] != b.Ints[i] {
			t.Fatalf("element %d: %v != %v", i, a.Ints[i], b.Ints[i])
		}
	}
}

func FuzzDecode(f *testing.F) {
	addFixtures(f, "*.npy")
	f.Add([]byte("\x93NUMPY\x01\x00\x10\x00{'descr':'|u1',}"))
	f.Add([]byte("\x93NUMPY\x02\x00\x30\x00\x00\x00{'descr': '>u8', 'fortran_order': True, 'shape': (1,)}\xff\xff\xff\xff\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Decode("f.npy", data)
		if err != nil {
			if _, ok := err.(*FormatError); !ok {
				t.Fatalf("error %T is not a *FormatError: %v", err, err)
			}
			return
		}
		checkArray(t, a, len(data))
	})
}

// FuzzDecodeNPZ fuzzes whole archives, and also .npy entries wrapped in a valid archive
// (stored or deflated), since random bytes rarely pass the zip checksums.
func FuzzDecodeNPZ(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.npz")
	npys, _ := filepath.Glob("testdata/*.npy")
	if len(files) == 0 || len(npys) == 0 {
		f.Fatal("no fixtures")
	}
	for i, file := range append(files, npys...) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, data, i%2 == 0)
	}
	f.Fuzz(func(t *testing.T, archive, entry []byte, deflate bool) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		method := zip.Store
		if deflate {
			method = zip.Deflate
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "inputs.npy", Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(entry)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		for _, data := range [][]byte{archive, buf.Bytes()} {
			arrays, err := DecodeNPZ("f.npz", data)
			if err != nil {
				if _, ok := err.(*FormatError); !ok {
					t.Fatalf("error %T is not a *FormatError: %v", err, err)
				}
				continue
			}
			for _, a := range arrays {
				// Deflate can expand, so only the shape invariants and the round trip apply.
				checkArray(t, a, math.MaxInt)
			}
		}
	})
}
