package plot

import (
	"testing"
	"time"
)

func TestZZ(t *testing.T) {
	start := time.Now()
	fig, err := classMapFigure("fuzz", []float64{0.09999362230300904}, []float64{0.2}, []int{0}, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	fig.canvas()
	t.Log(time.Since(start))
}
