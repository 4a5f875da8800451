package datasets

import "math"

// Spike times of the encoders span [EarliestTime, LatestTime] (in units of τ_s).
const (
	EarliestTime = 0.15
	LatestTime   = 2.0
)

// ValueTime encodes a value v in [0, 1] as a spike time, later for larger values:
// EarliestTime + (LatestTime−EarliestTime)·v = 0.15 + 1.85·v. The Yin-Yang features are
// encoded this way.
func ValueTime(v float64) float64 { return EarliestTime + 1.85*v }

// YinYangTimes returns the four input spike times of the Yin-Yang point (x, y): the
// features (x, y, 1−x, 1−y) encoded by ValueTime.
func YinYangTimes(x, y float64) [4]float64 {
	return [4]float64{ValueTime(x), ValueTime(y), ValueTime(1 - x), ValueTime(1 - y)}
}

// PixelTime encodes an MNIST pixel p (0 background … 255 ink) as a spike time, earlier for
// more ink: v = p/256 (the reference divides by 256), t = 0.15 + 1.85·(1 − v). Every pixel
// spikes: the background at LatestTime, full ink at 0.157.
func PixelTime(p uint8) float64 { return EarliestTime + 1.85*(1-float64(p)/256) }

// ResizedPixelTime encodes a pixel q of a 16×16 MNIST image (see Resize16) as a spike
// time: v = q/255, t = 0.15 + 1.85·(1 − v), except that a blank pixel (q = 0) does not
// spike: ResizedPixelTime(0) = +Inf.
func ResizedPixelTime(q uint8) float64 {
	if q == 0 {
		return math.Inf(1)
	}
	return EarliestTime + 1.85*(1-float64(q)/255)
}
