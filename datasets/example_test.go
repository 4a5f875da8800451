package datasets_test

import (
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/firstspike/firstspike/datasets"
)

func ExampleLoad() {
	train, err := datasets.Load("yinyang", "train")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(train.Name, train.Len(), "samples of", train.NIn, "inputs,", train.NClasses, "classes")
	fmt.Printf("first sample: %.4f, label %d\n", train.Sample(0), train.Labels[0])
	// Output:
	// yinyang/train 5000 samples of 4 inputs, 3 classes
	// first sample: [1.4086 0.9834 0.7414 1.1666], label 2
}

func ExampleReadFile() {
	// Inputs and labels of the reference's Yin-Yang test split, as two .npy files.
	test, err := datasets.ReadFile("testdata/yinyang_test_inputs.npy")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(test.Len(), test.NIn, test.NClasses)
	// Output:
	// 1000 4 3
}

func ExampleYinYangPoints() {
	xs, ys, labels := datasets.YinYangPoints(2, 42)
	for i := range xs {
		fmt.Println(xs[i], ys[i], labels[i])
	}
	// Output:
	// 0.6803075385877797 0.450499251969543 2
	// 0.09767211400638387 0.6842330265121569 1
}

func ExampleYinYangTimes() {
	fmt.Println(datasets.YinYangTimes(0, 1))
	// Output:
	// [0.15 2 2 0.15]
}

func ExamplePixelTime() {
	fmt.Printf("background %.6f, half %.6f, ink %.6f\n",
		datasets.PixelTime(0), datasets.PixelTime(128), datasets.PixelTime(255))
	// Output:
	// background 2.000000, half 1.075000, ink 0.157227
}

func ExampleResizedPixelTime() {
	fmt.Println(datasets.ResizedPixelTime(0), datasets.ResizedPixelTime(255))
	// Output:
	// +Inf 0.15
}

func ExampleResize16() {
	// A vertical bar three pixels wide in the middle of a 28×28 image.
	img := make([]uint8, 28*28)
	for r := 4; r < 24; r++ {
		for c := 13; c < 16; c++ {
			img[r*28+c] = 255
		}
	}
	var small [16 * 16]uint8
	datasets.Resize16(small[:], img)
	fmt.Println(small[8*16 : 9*16]) // row 8, as Pillow 9.4 gives it
	// Output:
	// [0 0 0 0 0 0 0 170 255 85 0 0 0 0 0 0]
}

func ExampleYinYangClass() {
	fmt.Println(datasets.YinYangClass(0.75, 0.5) == datasets.Dot, datasets.YinYangClass(0, 0))
	// Output:
	// true -1
}

func ExampleMNIST16() {
	dir, err := datasets.MNISTDir()
	if err != nil {
		log.Fatal(err)
	}
	test, err := datasets.MNIST16(dir, "test")
	if err != nil {
		log.Fatal(err)
	}
	// The first test image, a 7: how many of its 256 pixels spike, and how early.
	spiking, first := 0, math.Inf(1)
	for _, t := range test.Sample(0) {
		if !math.IsInf(t, 1) {
			spiking++
			first = min(first, t)
		}
	}
	fmt.Printf("%d images; first: label %d, %d inputs spike, earliest at %.4f\n", test.Len(), test.Labels[0], spiking, first)
	// Output:
	// 10000 images; first: label 7, 83 inputs spike, earliest at 0.3024
}

func ExampleWriteFile() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "two.csv")
	set := &datasets.Set{Inputs: []float64{0.5, math.Inf(1), 1.25, 0}, Labels: []int{1, 0}, NIn: 2}
	if err := datasets.WriteFile(path, set); err != nil {
		log.Fatal(err)
	}
	text, _ := os.ReadFile(path)
	fmt.Print(string(text))
	back, err := datasets.Load(path, "")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(back.Inputs, back.Labels, back.NClasses)
	// Output:
	// t0,t1,label
	// 0.5,+Inf,1
	// 1.25,0,0
	// [0.5 +Inf 1.25 0] [1 0] 2
}

func ExampleLabelsPath() {
	fmt.Println(datasets.LabelsPath("runs/test_inputs.npy"))
	// Output:
	// runs/test_labels.npy true
}
