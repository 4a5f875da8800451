// Package npy reads and writes NumPy .npy arrays and reads and writes .npz archives of them.
//
// Reading accepts format versions 1.0, 2.0 and 3.0, C-ordered (or one-dimensional
// Fortran-ordered) arrays of the dtypes f4, f8, i1, i2, i4, i8, u1, u2, u4, u8 and b1 in
// either byte order. Writing produces version 1.0 files (2.0 when the header needs it) of
// little-endian float64 or int64 elements, as numpy.save does.
//
// Every malformed, truncated or corrupt input gives a *FormatError that names the file, the
// field and the offending value; a header's claims are checked against the bytes actually
// present before anything is allocated for them.
package npy
