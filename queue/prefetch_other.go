//go:build !amd64 || purego

package queue

import "unsafe"

// Go has no portable prefetch: elsewhere these do nothing.

func prefetchGroup(*hkey) {}

func prefetchLine(unsafe.Pointer) {}
