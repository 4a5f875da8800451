package datasets

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/firstspike/firstspike/internal/idx"
)

// reportLoad reports the time per load and the samples decoded per second.
func reportLoad(b *testing.B, samples int) {
	perLoad := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(perLoad*1e3, "ms/load")
	b.ReportMetric(float64(samples)/perLoad, "samples/s")
}

func benchmarkLoad(b *testing.B, name, split string) {
	var n int
	for b.Loop() {
		s, err := Load(name, split)
		if err != nil {
			b.Fatal(err)
		}
		n = s.Len()
	}
	reportLoad(b, n)
}

func BenchmarkLoadMNISTTrain(b *testing.B)   { benchmarkLoad(b, "mnist", "train") }
func BenchmarkLoadMNISTTest(b *testing.B)    { benchmarkLoad(b, "mnist", "test") }
func BenchmarkLoadMNIST16Train(b *testing.B) { benchmarkLoad(b, "mnist16", "train") }
func BenchmarkLoadYinYangTrain(b *testing.B) { benchmarkLoad(b, "yinyang", "train") }

// BenchmarkDecodeMNISTImages measures gunzipping and parsing the 60 000 training images.
func BenchmarkDecodeMNISTImages(b *testing.B) {
	dir, err := MNISTDir()
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "train-images-idx3-ubyte.gz"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	var n int
	for b.Loop() {
		a, err := idx.Decode("train-images", data)
		if err != nil {
			b.Fatal(err)
		}
		n = a.Dims[0]
	}
	reportLoad(b, n)
}

func BenchmarkResize16(b *testing.B) {
	img := make([]uint8, 784)
	for i := range img {
		img[i] = uint8(i * 7)
	}
	var out [256]uint8
	b.ReportAllocs()
	for b.Loop() {
		Resize16(out[:], img)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/image")
}

func BenchmarkMNISTDir(b *testing.B) {
	for b.Loop() {
		if _, err := MNISTDir(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(time.Millisecond), "ms/lookup")
}
