//go:build !amd64 || purego

package queue

// prefetchGroup does nothing here: Go has no portable prefetch.
func prefetchGroup(*hkey) {}
