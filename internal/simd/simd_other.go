//go:build !amd64 || purego

package simd

// AVX2 reports whether the processor and the operating system support AVX2: never on this
// platform or with the purego build tag.
const AVX2 = false
