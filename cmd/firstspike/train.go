package main

import (
	"fmt"
	"io"
)

func runTrain(stdout, stderr io.Writer, args []string) int {
	fmt.Fprintln(stderr, "firstspike train: not available yet")
	return 1
}
