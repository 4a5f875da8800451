package datasets

import (
	"fmt"
	"math"
)

// Geometry of the Yin-Yang data set: the big circle of radius YinYangRBig centred on
// (0.5, 0.5) holds the yin, the yang and two dots of radius YinYangRSmall.
const (
	YinYangRSmall = 0.1
	YinYangRBig   = 0.5
)

// Yin-Yang classes, numbered as the reference generator's class names (yin, yang, dot).
const (
	Yin = iota
	Yang
	Dot
)

// Seeds and sizes of the Yin-Yang splits.
var yinYangSplits = map[string]struct {
	n    int
	seed uint32
}{
	"train": {5000, 42},
	"val":   {1000, 41},
	"test":  {1000, 40},
}

// YinYangClass returns the class (Yin, Yang or Dot) of the point (x, y), or −1 if it lies
// outside the big circle. Distances are computed exactly as the reference generator does,
// so that points on a boundary fall on the same side.
func YinYangClass(x, y float64) int {
	if math.Sqrt(sq(x-YinYangRBig)+sq(y-YinYangRBig)) > YinYangRBig {
		return -1
	}
	dRight := math.Sqrt(sq(x-1.5*YinYangRBig) + sq(y-YinYangRBig))
	dLeft := math.Sqrt(sq(x-0.5*YinYangRBig) + sq(y-YinYangRBig))
	if dRight < YinYangRSmall || dLeft < YinYangRSmall {
		return Dot
	}
	if dRight <= YinYangRSmall ||
		(dLeft > YinYangRSmall && dLeft <= 0.5*YinYangRBig) ||
		(y > YinYangRBig && dRight > 0.5*YinYangRBig) {
		return Yang
	}
	return Yin
}

// sq returns x² rounded once, as numpy's x**2 does; the explicit conversion keeps the
// compiler from fusing it into a later addition.
func sq(x float64) float64 { return float64(x * x) }

// YinYangPoints draws n labelled points of the Yin-Yang data set with bit-for-bit the draws
// of the reference generator (numpy's legacy RandomState(seed)): per sample a goal class
// uniform in {0, 1, 2}, then points uniform in the unit square, x before y, until one lies
// in the big circle and has the goal class. It returns the coordinates and the labels.
func YinYangPoints(n int, seed uint32) (xs, ys []float64, labels []int) {
	if n < 0 {
		panic(fmt.Sprintf("datasets: negative sample count %d", n))
	}
	rng := newMT19937(seed)
	xs, ys, labels = make([]float64, n), make([]float64, n), make([]int, n)
	for i := range n {
		goal := int(rng.intn(3))
		for {
			// The reference scales by 2·r_big (= 1, so the product is exact).
			x := rng.float64() * 2 * YinYangRBig
			y := rng.float64() * 2 * YinYangRBig
			if YinYangClass(x, y) == goal {
				xs[i], ys[i], labels[i] = x, y, goal
				break
			}
		}
	}
	return xs, ys, labels
}

// YinYang returns n samples of the Yin-Yang data set drawn with seed (see YinYangPoints),
// each encoded by YinYangTimes as four spike times.
func YinYang(n int, seed uint32) *Set {
	xs, ys, labels := YinYangPoints(n, seed)
	s := &Set{
		Name:     fmt.Sprintf("yinyang/seed%d", seed),
		Inputs:   make([]float64, 0, 4*n),
		Labels:   labels,
		NIn:      4,
		NClasses: 3,
	}
	for i := range xs {
		t := YinYangTimes(xs[i], ys[i])
		s.Inputs = append(s.Inputs, t[:]...)
	}
	return s
}

// loadYinYang returns a split of the Yin-Yang data set: train 5000 samples (seed 42), val
// 1000 (seed 41), test 1000 (seed 40), as the reference publishes them.
func loadYinYang(split string) *Set {
	sp := yinYangSplits[split]
	s := YinYang(sp.n, sp.seed)
	s.Name = "yinyang/" + split
	return s
}
