package npy

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/firstspike/firstspike/internal/atomicfile"
)

// ReadNPZFile reads every array of the .npz archive at path (see DecodeNPZ).
func ReadNPZFile(path string) (map[string]*Array, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("npy: %w", err)
	}
	return DecodeNPZ(path, data)
}

// DecodeNPZ parses the complete contents of a .npz archive (a zip file of .npy entries,
// stored or deflated, as numpy.savez and numpy.savez_compressed write them) and returns its
// arrays keyed by entry name without the ".npy" suffix, as numpy.load does. Entries whose
// names do not end in ".npy" are skipped. name is used in error messages only.
func DecodeNPZ(name string, data []byte) (map[string]*Array, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, zipErr(name, err)
	}
	arrays := make(map[string]*Array)
	for _, f := range zr.File {
		key, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok {
			continue
		}
		entry := name + ": " + f.Name
		if _, dup := arrays[key]; dup {
			return nil, formatErr(name, "zip", "entry %q appears twice", f.Name)
		}
		if f.Method != zip.Store && f.Method != zip.Deflate {
			return nil, formatErr(entry, "zip", "compression method %d not supported (want stored or deflated)", f.Method)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, zipErr(entry, err)
		}
		// ReadAll grows its buffer as data arrives, so a lying size field in the zip
		// directory cannot cause a large allocation; the zip reader rejects an entry whose
		// data does not match its recorded size and checksum.
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, zipErr(entry, err)
		}
		a, err := Decode(entry, body)
		if err != nil {
			return nil, err
		}
		arrays[key] = a
	}
	return arrays, nil
}

// zipErr reports an error of archive/zip, which it wraps, without the package's prefix.
func zipErr(file string, err error) error {
	return &FormatError{File: file, Field: "zip", Problem: strings.TrimPrefix(err.Error(), "zip: "), Err: err}
}

// EncodeNPZ writes arrays as an uncompressed .npz archive, as numpy.savez does, with the
// entries in name order and fixed timestamps so that equal arrays give equal bytes.
func EncodeNPZ(w io.Writer, arrays map[string]*Array) error {
	zw := zip.NewWriter(w)
	names := make([]string, 0, len(arrays))
	for k := range arrays {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		fw, err := zw.CreateHeader(&zip.FileHeader{
			Name:     k + ".npy",
			Method:   zip.Store,
			Modified: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC),
		})
		if err != nil {
			return err
		}
		if err := Encode(fw, arrays[k]); err != nil {
			return err
		}
	}
	return zw.Close()
}

// WriteNPZFile writes arrays to path as a .npz archive (see EncodeNPZ), atomically.
func WriteNPZFile(path string, arrays map[string]*Array) error {
	return atomicfile.Write(path, func(w io.Writer) error { return EncodeNPZ(w, arrays) })
}
