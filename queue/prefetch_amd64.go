//go:build amd64 && !purego

package queue

import "unsafe"

// prefetchGroup asks for the four cache lines from p on, the children of four consecutive
// nodes, to be loaded into the caches. It never faults, whatever p points at.
//
//go:noescape
func prefetchGroup(p *hkey)

// prefetchLine asks for the cache line that holds p to be loaded into the caches.
//
//go:noescape
func prefetchLine(p unsafe.Pointer)
