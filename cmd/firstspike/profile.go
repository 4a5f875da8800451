package main

import (
	"bytes"
	"fmt"
	"io"
	"runtime/pprof"

	"github.com/firstspike/firstspike/internal/atomicfile"
)

// cpuProfile records a CPU profile in memory for --cpuprofile and writes it to its file, as
// a whole, when the work is done. The zero value (no file) records nothing.
type cpuProfile struct {
	path string
	buf  bytes.Buffer
}

// startCPUProfile starts recording if path is not empty.
func startCPUProfile(path string) (*cpuProfile, error) {
	p := &cpuProfile{path: path}
	if path != "" {
		if err := pprof.StartCPUProfile(&p.buf); err != nil {
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
	}
	return p, nil
}

// stop ends the recording after work that ended with err and, if err is nil, writes the
// profile atomically. It reports whether it wrote a profile, and returns err if not nil.
func (p *cpuProfile) stop(err error) (bool, error) {
	if p.path == "" {
		return false, err
	}
	pprof.StopCPUProfile()
	if err != nil {
		return false, err
	}
	if err := atomicfile.WriteFile(p.path, p.buf.Bytes()); err != nil {
		return false, fmt.Errorf("--cpuprofile %s: %w", p.path, err)
	}
	return true, nil
}

// profileWritten is the line that tells where the profile went.
func (p *cpuProfile) profileWritten() string {
	return fmt.Sprintf("wrote CPU profile %s (go tool pprof %s)\n", p.path, p.path)
}

// runProfiled runs work with a CPU profile written to path (none if path is empty) and
// tells note where the profile went.
func runProfiled(path string, note io.Writer, work func() error) error {
	profile, err := startCPUProfile(path)
	if err != nil {
		return err
	}
	wrote, err := profile.stop(work())
	if wrote {
		io.WriteString(note, profile.profileWritten())
	}
	return err
}
