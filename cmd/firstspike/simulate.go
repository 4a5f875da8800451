package main

import (
	"fmt"
	"io"
)

func runSimulate(stdout, stderr io.Writer, args []string) int {
	fmt.Fprintln(stderr, "firstspike simulate: not available yet")
	return 1
}
