package datasets

import (
	"fmt"
	"slices"
	"strings"
)

// Set is a labelled data set whose samples are input spike times (+Inf = no spike).
type Set struct {
	Name     string    // "yinyang/train", a file path, …
	Inputs   []float64 // Len() × NIn spike times, row-major
	Labels   []int     // class of each sample, in [0, NClasses)
	NIn      int       // inputs per sample
	NClasses int       // number of classes
}

// Len returns the number of samples.
func (s *Set) Len() int { return len(s.Labels) }

// Sample returns the input times of sample i (a view into Inputs).
func (s *Set) Sample(i int) []float64 { return s.Inputs[i*s.NIn : (i+1)*s.NIn : (i+1)*s.NIn] }

// Splits are the split names Load accepts for the named data sets.
var Splits = []string{"train", "val", "test"}

// Load returns split ("train", "val" or "test") of a named data set, or, when name is not
// one of these names, the samples stored in the file at path name.
//
// The names, matched regardless of case, are
//
//	"yinyang"  Yin-Yang: 4 inputs, 3 classes; train 5000 (seed 42), val 1000 (seed 41), test 1000 (seed 40)
//	"mnist"    MNIST: 784 inputs (PixelTime), 10 classes; train = first 50 000 training images, val = last 10 000, test = the 10 000 test images
//	"mnist16"  MNIST cropped and shrunk to 16×16 (Resize16, ResizedPixelTime): 256 inputs, same splits
//
// A file (.npz, .npy or .csv, see ReadFile) holds one set of samples, so split is ignored
// for files. Split names are matched regardless of case.
func Load(name, split string) (*Set, error) {
	switch strings.ToLower(name) {
	case "yinyang", "mnist", "mnist16":
	default:
		return ReadFile(name)
	}
	sp := strings.ToLower(split)
	if !slices.Contains(Splits, sp) {
		return nil, fmt.Errorf("datasets: %s: split %q unknown, want one of %s", name, split, strings.Join(Splits, ", "))
	}
	switch strings.ToLower(name) {
	case "yinyang":
		return loadYinYang(sp), nil
	case "mnist":
		return loadMNIST(sp, false)
	default:
		return loadMNIST(sp, true)
	}
}
