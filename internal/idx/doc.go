// Package idx reads IDX files, the format of the MNIST images and labels, plain or
// gzip-compressed.
//
// Malformed, truncated or corrupt files give a *FormatError naming the file, the field and
// the value; the dimensions a header claims are never trusted with a large allocation.
package idx
