package main

import (
	"fmt"
	"io"
)

func runEval(stdout, stderr io.Writer, args []string) int {
	fmt.Fprintln(stderr, "firstspike eval: not available yet")
	return 1
}
