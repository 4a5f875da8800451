package datasets

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/firstspike/firstspike/internal/npy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var inf = math.Inf(1)

func TestReadNPYWithSiblingLabels(t *testing.T) {
	// The reference's test split (testdata/README.md): inputs and labels in sibling files.
	s, err := ReadFile("testdata/yinyang_test_inputs.npy")
	require.NoError(t, err)
	assert.Equal(t, 1000, s.Len())
	assert.Equal(t, 4, s.NIn)
	assert.Equal(t, 3, s.NClasses)
	assert.Equal(t, "testdata/yinyang_test_inputs.npy", s.Name)

	// Split is ignored for files.
	s2, err := Load("testdata/yinyang_test_inputs.npy", "train")
	require.NoError(t, err)
	assert.Equal(t, s.Inputs, s2.Inputs)
}

func TestLabelsPath(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"test_inputs.npy", "test_labels.npy", true},
		{"d/inputs.npy", "d/labels.npy", true},
		{"inputs/train_inputs_v2.npy", "inputs/train_labels_v2.npy", true}, // base name only
		{"inputs_of_inputs.npy", "inputs_of_labels.npy", true},             // the last one
		{"data/x.npy", "", false},
	}
	for _, tt := range tests {
		got, ok := LabelsPath(filepath.FromSlash(tt.in))
		assert.Equal(t, tt.ok, ok, tt.in)
		assert.Equal(t, filepath.FromSlash(tt.want), got, tt.in)
	}
}

func TestNPYErrors(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "a_inputs.npy")
	require.NoError(t, npy.WriteFile(in, &npy.Array{Shape: []int{1, 2}, Floats: []float64{1, 2}}))
	_, err := ReadFile(in)
	require.Error(t, err)
	assert.Contains(t, err.Error(), in+": labels file "+filepath.Join(dir, "a_labels.npy")+" not found")

	other := filepath.Join(dir, "a.npy")
	require.NoError(t, npy.WriteFile(other, &npy.Array{Shape: []int{1, 2}, Floats: []float64{1, 2}}))
	_, err = ReadFile(other)
	require.Error(t, err)
	assert.Contains(t, err.Error(), other+`: cannot find the labels: a .npy inputs file must have "inputs" in its name`)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "a_labels.npy"), []byte("junk"), 0o644))
	_, err = ReadFile(in)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "a_labels.npy: magic: ")
}

func TestNPZRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "set.npz")
	want := &Set{Inputs: []float64{0.5, inf, 0, 2}, Labels: []int{4, 1}, NIn: 2}
	require.NoError(t, WriteFile(path, want))
	got, err := Load(path, "")
	require.NoError(t, err)
	assert.Equal(t, want.Inputs, got.Inputs)
	assert.Equal(t, want.Labels, got.Labels)
	assert.Equal(t, 2, got.NIn)
	assert.Equal(t, 5, got.NClasses, "max label + 1")
	assert.Equal(t, path, got.Name)
}

func TestCSVRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "set.csv")
	want := YinYang(50, 3)
	want.Inputs[1] = inf
	require.NoError(t, WriteFile(path, want))
	got, err := ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, want.Inputs, got.Inputs, "shortest formatting reads back exactly")
	assert.Equal(t, want.Labels, got.Labels)
	assert.Equal(t, 4, got.NIn)
}

func TestWriteFileErrors(t *testing.T) {
	err := WriteFile(filepath.Join(t.TempDir(), "set.txt"), &Set{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `set.txt: cannot write file type ".txt"`)
	assert.Panics(t, func() { _ = WriteFile("x.npz", &Set{Inputs: []float64{1}, Labels: []int{0, 1}, NIn: 1}) })
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		inputs []float64
		labels []int
	}{
		{"plain", "0.5,1,2\n0.25,inf,0\n", []float64{0.5, 1, 0.25, inf}, []int{2, 0}},
		{"header and comments", "# made by hand\nx,y,label\n1, 2 ,1\n# middle\n3,+Inf,0\n", []float64{1, 2, 3, inf}, []int{1, 0}},
		{"infinity spellings and float label", "Infinity,+inf,2.0\r\n", []float64{inf, inf}, []int{2}},
		{"no trailing newline", "0,1", []float64{0}, []int{1}},
		{"byte-order mark", "\xef\xbb\xbf0.5,1\n", []float64{0.5}, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := decodeCSV("d.csv", []byte(tt.text))
			require.NoError(t, err)
			assert.Equal(t, tt.inputs, s.Inputs)
			assert.Equal(t, tt.labels, s.Labels)
			assert.Equal(t, len(tt.inputs)/len(tt.labels), s.NIn)
			assert.Equal(t, 3, max(s.NClasses, 3))
		})
	}
}

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "d.csv: no samples"},
		{"header only", "a,b,label\n", "d.csv: no samples"},
		{"not a number", "1,2,0\n1,x,0\n", `d.csv: line 2, field 2: "x" is not a number`},
		{"NaN", "1,NaN,0\n", "d.csv: line 1, field 2: spike time NaN, want ≥ 0 or +Inf"},
		{"negative", "1,2,0\n-0.5,2,0\n", "d.csv: line 2, field 1: spike time -0.5, want ≥ 0 or +Inf"},
		{"minus infinity", "-inf,2,0\n", "d.csv: line 1, field 1: spike time -Inf"},
		{"label fraction", "1,2,0.5\n", "d.csv: line 1, field 3 (label): label 0.5 is not an integer"},
		{"label NaN", "1,2,nan\n", "d.csv: line 1, field 3 (label): label NaN is not an integer"},
		{"label negative", "1,2,-1\n", "d.csv: line 1, field 3 (label): label -1, want 0 to 1048575"},
		{"label huge", "1,2,1e300\n", "d.csv: line 1, field 3 (label): label 1e+300, want 0 to 1048575"},
		{"label text", "1,2,0\n1,2,cat\n", `d.csv: line 2, field 3 (label): "cat" is not an integer`},
		{"field count", "1,2,0\n1,0\n", "d.csv: line 2: wrong number of fields"},
		{"one field", "1\n", "d.csv: line 1: 1 field(s), want the input times and then the label"},
		{"quote", "1,\"2,0\n", "d.csv: line 1: extraneous or missing \" in quoted-field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeCSV("d.csv", []byte(tt.text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestArraysValidation(t *testing.T) {
	f := func(shape []int, v ...float64) *npy.Array { return &npy.Array{Shape: shape, Floats: v} }
	i := func(shape []int, v ...int64) *npy.Array { return &npy.Array{Shape: shape, Ints: v} }
	tests := []struct {
		name           string
		inputs, labels *npy.Array
		want           string // error text; empty for success
	}{
		{"ok", f([]int{2, 1}, 0.5, inf), i([]int{2}, 0, 3), ""},
		{"images flattened", f([]int{1, 2, 2}, 1, 2, 3, 4), i([]int{1}, 1), ""},
		{"int inputs", i([]int{1, 2}, 1, 2), i([]int{1}, 0), ""},
		{"float labels", f([]int{1, 1}, 1), f([]int{1}, 2), ""},
		{"column labels", f([]int{2, 1}, 1, 1), i([]int{2, 1}, 0, 1), ""},
		{"1-D inputs", f([]int{2}, 1, 2), i([]int{2}, 0, 0), "in: shape (2,), want samples × inputs"},
		{"no samples", f([]int{0, 4}), i([]int{0}), "in: shape (0, 4) holds no samples"},
		{"no inputs", f([]int{3, 0}), i([]int{3}, 0, 0, 0), "in: shape (3, 0) holds no inputs per sample"},
		{"label count", f([]int{2, 1}, 1, 1), i([]int{3}, 0, 0, 0), "lab: shape (3,), want (2,) for the 2 samples of in"},
		{"label matrix", f([]int{2, 1}, 1, 1), i([]int{2, 2}, 0, 0, 0, 0), "lab: shape (2, 2), want (2,)"},
		{"scalar labels", f([]int{1, 1}, 1), i(nil, 0), "lab: shape (), want (1,)"},
		{"NaN input", f([]int{2, 2}, 1, 1, 1, math.NaN()), i([]int{2}, 0, 0), "in: [1, 1]: spike time NaN, want ≥ 0 or +Inf"},
		{"negative input", f([]int{1, 2}, -1, 1), i([]int{1}, 0), "in: [0, 0]: spike time -1"},
		{"negative int input", i([]int{1, 2}, 1, -3), i([]int{1}, 0), "in: [0, 1]: spike time -3"},
		{"negative label", f([]int{1, 1}, 1), i([]int{1}, -2), "lab: [0]: label -2, want 0 to 1048575"},
		{"negative float label", f([]int{1, 1}, 1), f([]int{1}, -1), "lab: [0]: label -1, want 0 to 1048575"},
		{"huge label", f([]int{1, 1}, 1), i([]int{1}, 1<<40), "lab: [0]: label 1099511627776, want 0 to 1048575"},
		{"fractional label", f([]int{1, 1}, 1), f([]int{1}, 0.5), "lab: [0]: label 0.5 is not an integer"},
		{"NaN label", f([]int{1, 1}, 1), f([]int{1}, math.NaN()), "lab: [0]: label NaN is not an integer"},
		{"infinite label", f([]int{1, 1}, 1), f([]int{1}, inf), "lab: [0]: label +Inf is not an integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := fromArrays("d", "in", tt.inputs, "lab", tt.labels)
			if tt.want == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.inputs.Shape[0], s.Len())
				assert.Len(t, s.Inputs, s.Len()*s.NIn)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "datasets: "+tt.want)
		})
	}
}

func TestNPZMissingArray(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.npz")
	require.NoError(t, npy.WriteNPZFile(path, map[string]*npy.Array{
		"x": {Shape: []int{1, 1}, Floats: []float64{1}}, "labels": {Shape: []int{1}, Ints: []int64{0}},
	}))
	_, err := ReadFile(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path+`: array "inputs" missing (archive holds "labels", "x")`)
}

func TestLoadErrors(t *testing.T) {
	tests := []struct{ name, split, want string }{
		{"yinyang", "training", `datasets: yinyang: split "training" unknown, want one of train, val, test`},
		{"MNIST", "", `datasets: MNIST: split "" unknown`},
		{"data.txt", "train", `datasets: data.txt: unknown data set or file type ".txt"`},
		{"cifar10", "train", `datasets: cifar10: unknown data set or file type ""`},
		{filepath.Join("nowhere", "d.csv"), "", "no such file"},
		{filepath.Join("nowhere", "d.npz"), "", "no such file"},
	}
	for _, tt := range tests {
		_, err := Load(tt.name, tt.split)
		require.Error(t, err, tt.name)
		assert.Contains(t, err.Error(), tt.want)
		assert.True(t, strings.HasPrefix(err.Error(), "datasets: "), err.Error())
	}
}

func TestSetSample(t *testing.T) {
	s := &Set{Inputs: []float64{1, 2, 3, 4, 5, 6}, Labels: []int{0, 1}, NIn: 3}
	assert.Equal(t, 2, s.Len())
	assert.Equal(t, []float64{4, 5, 6}, s.Sample(1))
	assert.Equal(t, 3, cap(s.Sample(0)), "a sample cannot grow into the next")
}

func FuzzDecodeCSV(f *testing.F) {
	for _, seed := range []string{
		"0.5,1,2\n0.25,inf,0\n",
		"# c\nx,y,label\n1, 2 ,1\n3,+Inf,0\n",
		"Infinity,+inf,2.0\r\n",
		"1,\"2\",0\n",
		"1,NaN,0\n",
		"1,2,1e300\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := decodeCSV("f.csv", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "datasets: f.csv: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if s.Len() == 0 || s.NIn == 0 || len(s.Inputs) != s.Len()*s.NIn {
			t.Fatalf("%d samples × %d inputs but %d times", s.Len(), s.NIn, len(s.Inputs))
		}
		for _, v := range s.Inputs {
			if !(v >= 0) {
				t.Fatalf("invalid time %v accepted", v)
			}
		}
		for _, l := range s.Labels {
			if l < 0 || l >= s.NClasses || l > MaxLabel {
				t.Fatalf("label %d with %d classes", l, s.NClasses)
			}
		}
	})
}
