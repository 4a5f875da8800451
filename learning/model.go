package learning

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/firstspike/firstspike/internal/atomicfile"
	"github.com/firstspike/firstspike/ttfs"
)

// ModelFormat identifies the model file format (docs/training.md, File formats).
const ModelFormat = "firstspike.model/v1"

type modelNeuron struct {
	TauSyn    float64 `json:"tau_syn"`
	TauMem    float64 `json:"tau_mem"`
	Threshold float64 `json:"threshold"`
	Leak      float64 `json:"leak"`
	GLeak     float64 `json:"g_leak"`
}

type modelLayer struct {
	Inputs    int            `json:"inputs"`
	Outputs   int            `json:"outputs"`
	BiasTimes []modelFloat   `json:"bias_times"`
	Weights   [][]modelFloat `json:"weights"`
}

type modelFile struct {
	Format string       `json:"format"`
	Neuron modelNeuron  `json:"neuron"`
	Layers []modelLayer `json:"layers"`
}

// modelFloat reads numbers and also the non-standard tokens NaN, Infinity and -Infinity
// (Python's json module writes them), so that such files get an error naming the value
// rather than a syntax error.
type modelFloat float64

func (f *modelFloat) UnmarshalJSON(b []byte) error {
	s := string(b)
	if uq, err := strconv.Unquote(s); err == nil {
		s = uq
	}
	switch s {
	case "NaN":
		*f = modelFloat(math.NaN())
	case "Infinity", "inf", "+Infinity":
		*f = modelFloat(math.Inf(1))
	case "-Infinity", "-inf":
		*f = modelFloat(math.Inf(-1))
	default:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("%s: not a number", b)
		}
		*f = modelFloat(v)
	}
	return nil
}

// WriteModel writes n in the model file format.
func (n *Network) WriteModel(w io.Writer) error {
	if err := n.check(goNames); err != nil {
		return fmt.Errorf("learning: writing model: %w", err)
	}
	bw := &errWriter{w: w}
	p := n.Neuron
	fmt.Fprintf(bw, "{\"format\": %q,\n \"neuron\": {\"tau_syn\": %s, \"tau_mem\": %s, \"threshold\": %s, \"leak\": %s, \"g_leak\": %s},\n \"layers\": [",
		ModelFormat, jnum(p.TauSyn), jnum(p.TauMem), jnum(p.Threshold), jnum(p.Leak), jnum(p.GLeak))
	for l := range n.Layers {
		ly := &n.Layers[l]
		if l > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, "\n  {\"inputs\": %d, \"outputs\": %d, \"bias_times\": [", ly.Inputs, ly.Outputs)
		for i, t := range ly.BiasTimes {
			if i > 0 {
				bw.WriteString(", ")
			}
			bw.WriteString(jnum(t))
		}
		bw.WriteString("],\n   \"weights\": [")
		for r := 0; r < ly.Rows(); r++ {
			if r > 0 {
				bw.WriteString(",\n     ")
			}
			bw.WriteString("[")
			for j, x := range ly.Weights[r*ly.Outputs : (r+1)*ly.Outputs] {
				if j > 0 {
					bw.WriteString(", ")
				}
				bw.WriteString(jnum(x))
			}
			bw.WriteString("]")
		}
		bw.WriteString("]}")
	}
	bw.WriteString("]}\n")
	return bw.err
}

// jnum formats x as the shortest JSON number that reads back to the same float64.
func jnum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) WriteString(s string) { e.Write([]byte(s)) }

// SaveModel writes n to path atomically.
func (n *Network) SaveModel(path string) error {
	return atomicfile.Write(path, n.WriteModel)
}

// LoadModel reads a model file. Errors name the file, the field and the value.
func LoadModel(path string) (*Network, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("learning: %w", err)
	}
	return ReadModel(bytes.NewReader(b), filepath.Base(path))
}

// ReadModel reads a model in the model file format; name (the file name) prefixes errors.
// It checks the format, the neuron, the shapes and that every weight is finite.
func ReadModel(r io.Reader, name string) (*Network, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(quoteNonFinite(raw)))
	dec.DisallowUnknownFields()
	var f modelFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if f.Format != ModelFormat {
		return nil, fmt.Errorf("%s: format: %q: want %q", name, f.Format, ModelFormat)
	}
	net := &Network{Neuron: ttfs.Neuron{TauSyn: f.Neuron.TauSyn, TauMem: f.Neuron.TauMem, Threshold: f.Neuron.Threshold, Leak: f.Neuron.Leak, GLeak: f.Neuron.GLeak}}
	if net.Neuron.TauMem == 0 {
		net.Neuron.TauMem = net.Neuron.TauSyn
	}
	if err := net.Neuron.Validate(); err != nil {
		return nil, fmt.Errorf("%s: neuron: %w", name, fileKeyError{err})
	}
	for l, ml := range f.Layers {
		ly := Layer{Inputs: ml.Inputs, Outputs: ml.Outputs}
		for _, t := range ml.BiasTimes {
			ly.BiasTimes = append(ly.BiasTimes, float64(t))
		}
		if ml.Inputs <= 0 || ml.Outputs <= 0 {
			return nil, fmt.Errorf("%s: layers[%d]: inputs %d, outputs %d: must be > 0", name, l, ml.Inputs, ml.Outputs)
		}
		if len(ml.Weights) != ly.Rows() {
			return nil, fmt.Errorf("%s: layers[%d].weights: %d rows: want %d (%d inputs + %d bias)", name, l, len(ml.Weights), ly.Rows(), ly.Inputs, len(ly.BiasTimes))
		}
		for r, row := range ml.Weights {
			if len(row) != ly.Outputs {
				return nil, fmt.Errorf("%s: layers[%d].weights[%d]: %d columns: want %d outputs", name, l, r, len(row), ly.Outputs)
			}
		}
		// The shape is now backed by values read from the file, so it is safe to allocate.
		ly.Weights = make([]float64, 0, ly.Rows()*ly.Outputs)
		for _, row := range ml.Weights {
			for _, x := range row {
				ly.Weights = append(ly.Weights, float64(x))
			}
		}
		net.Layers = append(net.Layers, ly)
	}
	if err := net.check(fileNames); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return net, nil
}

// quoteNonFinite wraps the bare tokens NaN, Infinity and -Infinity outside strings in quotes,
// so that the JSON decoder passes them to modelFloat.
func quoteNonFinite(b []byte) []byte {
	var out []byte
	inStr, esc := false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			if out != nil {
				out = append(out, c)
			}
			continue
		}
		if c == '"' {
			inStr = true
		}
		matched := false
		if c != 'N' && c != 'I' && c != '-' { // the first bytes of the tokens: skip the search
			if out != nil {
				out = append(out, c)
			}
			continue
		}
		for _, tok := range []string{"NaN", "Infinity", "-Infinity"} {
			if bytes.HasPrefix(b[i:], []byte(tok)) {
				if out == nil {
					out = append([]byte(nil), b[:i]...)
				}
				out = append(out, '"')
				out = append(out, tok...)
				out = append(out, '"')
				i += len(tok) - 1
				matched = true
				break
			}
		}
		if !matched && out != nil {
			out = append(out, c)
		}
	}
	if out == nil {
		return b
	}
	return out
}

// fileKeyError is an error of ttfs.Neuron.Validate spelled with the model file's keys
// (tau_syn for TauSyn, and so on) instead of the Go field names.
type fileKeyError struct{ err error }

var neuronKeys = strings.NewReplacer("ttfs: ", "", "TauSyn", "tau_syn", "TauMem", "tau_mem",
	"GLeak", "g_leak", "Threshold", "threshold", "Leak", "leak", "Eps", "eps")

func (e fileKeyError) Error() string { return neuronKeys.Replace(e.err.Error()) }
func (e fileKeyError) Unwrap() error { return e.err }
