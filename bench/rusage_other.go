//go:build !(linux || freebsd || netbsd || openbsd || dragonfly || darwin)

package bench

// getRusage reports that resource usage is not available on this system.
func getRusage() (rusage, bool) { return rusage{}, false }
