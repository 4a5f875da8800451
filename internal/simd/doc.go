// Package simd reports which vector instructions the processor and the operating system
// support, for the packages that carry assembly kernels with portable Go equivalents.
package simd
