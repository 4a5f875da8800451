package main

import (
	"bytes"
	"fmt"
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

// stop ends the recording and, if write is set, writes the profile atomically. It reports
// whether there was a profile to write.
func (p *cpuProfile) stop(write bool) (bool, error) {
	if p.path == "" {
		return false, nil
	}
	pprof.StopCPUProfile()
	if !write {
		return false, nil
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

// stopProfile stops p after work that ended with err, writes the profile if err is nil, and
// returns whether it wrote it and the first error.
func stopProfile(p *cpuProfile, err error) (bool, error) {
	wrote, perr := p.stop(err == nil)
	if err != nil {
		return false, err
	}
	return wrote, perr
}
