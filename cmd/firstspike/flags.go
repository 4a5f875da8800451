package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
)

// parseFlags parses args with fs. It returns −1 to go on, or the exit status to stop with:
// 0 after -h, whose usage goes to stdout, or 2 after a bad flag, whose message and usage go
// to stderr. Afterwards fs writes to stderr.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
	// The flag package writes both the help and its error messages to one output.
	var msg bytes.Buffer
	fs.SetOutput(&msg)
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	switch {
	case err == nil:
		return -1
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		fs.SetOutput(stderr)
		return 0
	}
	stderr.Write(msg.Bytes())
	return 2
}
