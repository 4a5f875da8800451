package main

import (
	"fmt"
	"io"
)

func runBench(stdout, stderr io.Writer, args []string) int {
	fmt.Fprintln(stderr, "firstspike bench: not available yet")
	return 1
}
