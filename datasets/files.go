package datasets

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/firstspike/firstspike/internal/atomicfile"
	"github.com/firstspike/firstspike/internal/npy"
)

// MaxLabel is the largest class label a file may hold; it guards against a corrupt label
// inflating NClasses (and whatever is sized by it).
const MaxLabel = 1<<20 - 1

// ReadFile reads the labelled samples stored at path. The format follows the extension
// (case-insensitive):
//
//	.npz  arrays "inputs" (N × n_in spike times, or N × any shape, flattened) and
//	      "labels" (N integers)
//	.npy  the inputs array; the labels are in the sibling .npy file whose name replaces the
//	      last "inputs" in the base name by "labels" (test_inputs.npy → test_labels.npy)
//	.csv  one sample per line: n_in spike times, then the label; an optional header line
//	      (recognised by a label field that is not a number) and lines starting with '#'
//	      are skipped
//
// Spike times must be ≥ 0 or +Inf (written inf, +Inf or Infinity in .csv); labels must be
// integers in [0, MaxLabel] (in .npy/.npz files, integer or boolean arrays, or float arrays
// holding whole numbers). NClasses is the largest label + 1. Any violation gives an error
// naming the file, the array or line, and the value.
func ReadFile(path string) (*Set, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".npz":
		return readNPZ(path)
	case ".npy":
		return readNPY(path)
	case ".csv":
		return readCSV(path)
	}
	return nil, fmt.Errorf("datasets: %s: unknown data set or file type %q (want yinyang, mnist, mnist16, or a .npz, .npy or .csv file)", path, filepath.Ext(path))
}

func readNPZ(path string) (*Set, error) {
	arrays, err := npy.ReadNPZFile(path)
	if err != nil {
		return nil, fmt.Errorf("datasets: %w", err)
	}
	inputs, labels := arrays["inputs"], arrays["labels"]
	for _, need := range []struct {
		name string
		a    *npy.Array
	}{{"inputs", inputs}, {"labels", labels}} {
		if need.a == nil {
			return nil, fmt.Errorf("datasets: %s: array %q missing (archive holds %s)", path, need.name, arrayNames(arrays))
		}
	}
	return fromArrays(path, path+": inputs", inputs, path+": labels", labels)
}

func arrayNames(arrays map[string]*npy.Array) string {
	if len(arrays) == 0 {
		return "no arrays"
	}
	names := make([]string, 0, len(arrays))
	for k := range arrays {
		names = append(names, strconv.Quote(k))
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// LabelsPath returns the path of the labels file that belongs to the .npy inputs file at
// path: the last "inputs" in the base name replaced by "labels". It returns false if the
// base name holds no "inputs".
func LabelsPath(path string) (string, bool) {
	dir, base := filepath.Split(path)
	i := strings.LastIndex(base, "inputs")
	if i < 0 {
		return "", false
	}
	return dir + base[:i] + "labels" + base[i+len("inputs"):], true
}

func readNPY(path string) (*Set, error) {
	lpath, ok := LabelsPath(path)
	if !ok {
		return nil, fmt.Errorf("datasets: %s: cannot find the labels: a .npy inputs file must have \"inputs\" in its name (the labels file has \"labels\" instead)", path)
	}
	inputs, err := npy.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("datasets: %w", err)
	}
	labels, err := npy.ReadFile(lpath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("datasets: %s: labels file %s not found", path, lpath)
	}
	if err != nil {
		return nil, fmt.Errorf("datasets: %w", err)
	}
	return fromArrays(path, path, inputs, lpath, labels)
}

// fromArrays validates inputs and labels arrays and builds a Set named name; inName and
// labName name the arrays in errors.
func fromArrays(name, inName string, inputs *npy.Array, labName string, labels *npy.Array) (*Set, error) {
	if len(inputs.Shape) < 2 {
		return nil, fmt.Errorf("datasets: %s: shape %s, want samples × inputs", inName, npy.FormatShape(inputs.Shape))
	}
	n := inputs.Shape[0]
	if n == 0 {
		return nil, fmt.Errorf("datasets: %s: shape %s holds no samples", inName, npy.FormatShape(inputs.Shape))
	}
	nIn := inputs.Len() / n
	if nIn == 0 {
		return nil, fmt.Errorf("datasets: %s: shape %s holds no inputs per sample", inName, npy.FormatShape(inputs.Shape))
	}
	if len(labels.Shape) == 0 || labels.Shape[0] != n || labels.Len() != n {
		return nil, fmt.Errorf("datasets: %s: shape %s, want (%d,) for the %d samples of %s", labName, npy.FormatShape(labels.Shape), n, n, inName)
	}
	s := &Set{Name: name, NIn: nIn, Labels: make([]int, n)}
	if inputs.IsFloat() {
		s.Inputs = inputs.Floats
	} else {
		s.Inputs = make([]float64, len(inputs.Ints))
		for i, v := range inputs.Ints {
			s.Inputs[i] = float64(v)
		}
	}
	for i, t := range s.Inputs {
		if err := checkTime(t); err != nil {
			return nil, fmt.Errorf("datasets: %s: [%d, %d]: %w", inName, i/nIn, i%nIn, err)
		}
	}
	for i := range s.Labels {
		var l int
		var err error
		if labels.IsFloat() {
			l, err = floatLabel(labels.Floats[i])
		} else {
			l, err = intLabel(labels.Ints[i])
		}
		if err != nil {
			return nil, fmt.Errorf("datasets: %s: [%d]: %w", labName, i, err)
		}
		s.Labels[i] = l
		s.NClasses = max(s.NClasses, l+1)
	}
	return s, nil
}

func checkTime(t float64) error {
	if t >= 0 { // excludes NaN
		return nil
	}
	return fmt.Errorf("spike time %v, want ≥ 0 or +Inf", t)
}

func intLabel(l int64) (int, error) {
	if l < 0 || l > MaxLabel {
		return 0, fmt.Errorf("label %d, want 0 to %d", l, MaxLabel)
	}
	return int(l), nil
}

// floatLabel accepts a label stored as a whole floating-point number, as numpy.savetxt and
// float label arrays hold them.
func floatLabel(f float64) (int, error) {
	if f != math.Trunc(f) || math.IsInf(f, 0) { // NaN ≠ NaN
		return 0, fmt.Errorf("label %v is not an integer", f)
	}
	if f < 0 || f > MaxLabel {
		return 0, fmt.Errorf("label %v, want 0 to %d", f, MaxLabel)
	}
	return int(f), nil
}

func readCSV(path string) (*Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("datasets: %w", err)
	}
	return decodeCSV(path, data)
}

// decodeCSV parses the contents of a .csv data file (see ReadFile); name is used in errors.
func decodeCSV(name string, data []byte) (*Set, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 byte-order mark
	r := csv.NewReader(bytes.NewReader(data))
	r.Comment = '#'
	r.TrimLeadingSpace = true
	r.ReuseRecord = true
	s := &Set{Name: name}
	first := true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("datasets: %s: line %d: %w", name, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("datasets: %s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) < 2 {
			return nil, fmt.Errorf("datasets: %s: line %d: %d field(s), want the input times and then the label", name, line, len(rec))
		}
		labelField := strings.TrimSpace(rec[len(rec)-1])
		if first {
			first = false
			if _, err := strconv.ParseFloat(labelField, 64); err != nil {
				continue // a header line
			}
		}
		s.NIn = len(rec) - 1 // the csv reader holds every line to the first one's field count
		for j, f := range rec[:len(rec)-1] {
			f = strings.TrimSpace(f)
			t, err := strconv.ParseFloat(f, 64)
			if err != nil {
				return nil, fmt.Errorf("datasets: %s: line %d, field %d: %q is not a number", name, line, j+1, f)
			}
			if err := checkTime(t); err != nil {
				return nil, fmt.Errorf("datasets: %s: line %d, field %d: %w", name, line, j+1, err)
			}
			s.Inputs = append(s.Inputs, t)
		}
		l, err := parseLabel(labelField)
		if err != nil {
			return nil, fmt.Errorf("datasets: %s: line %d, field %d (label): %w", name, line, len(rec), err)
		}
		s.Labels = append(s.Labels, l)
		s.NClasses = max(s.NClasses, l+1)
	}
	if len(s.Labels) == 0 {
		return nil, fmt.Errorf("datasets: %s: no samples", name)
	}
	return s, nil
}

func parseLabel(f string) (int, error) {
	if l, err := strconv.ParseInt(f, 10, 64); err == nil {
		return intLabel(l)
	}
	v, err := strconv.ParseFloat(f, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an integer", f)
	}
	return floatLabel(v)
}

// WriteFile writes s to path as a .npz archive (arrays "inputs", N × NIn float64, and
// "labels", N int64) or a .csv file (a header line, then one sample per line with the
// label last; times in the shortest form that reads back exactly, +Inf for no spike),
// according to the extension. The file is written atomically.
func WriteFile(path string, s *Set) error {
	if len(s.Inputs) != s.Len()*s.NIn {
		panic(fmt.Sprintf("datasets: %d input times for %d samples × %d inputs", len(s.Inputs), s.Len(), s.NIn))
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".npz":
		labels := make([]int64, len(s.Labels))
		for i, l := range s.Labels {
			labels[i] = int64(l)
		}
		return npy.WriteNPZFile(path, map[string]*npy.Array{
			"inputs": {Shape: []int{s.Len(), s.NIn}, Floats: s.Inputs},
			"labels": {Shape: []int{s.Len()}, Ints: labels},
		})
	case ".csv":
		return atomicfile.Write(path, func(w io.Writer) error { return encodeCSV(w, s) })
	}
	return fmt.Errorf("datasets: %s: cannot write file type %q (want .npz or .csv)", path, filepath.Ext(path))
}

func encodeCSV(w io.Writer, s *Set) error {
	var b []byte
	for j := range s.NIn {
		b = fmt.Appendf(b, "t%d,", j)
	}
	b = append(b, "label\n"...)
	for i := range s.Len() {
		for _, t := range s.Sample(i) {
			b = strconv.AppendFloat(b, t, 'g', -1, 64)
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(s.Labels[i]), 10)
		b = append(b, '\n')
		if len(b) > 1<<16 {
			if _, err := w.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	_, err := w.Write(b)
	return err
}
