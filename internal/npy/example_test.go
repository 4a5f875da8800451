package npy_test

import (
	"bytes"
	"fmt"
	"log"
	"math"

	"github.com/firstspike/firstspike/internal/npy"
)

func Example() {
	var buf bytes.Buffer
	a := &npy.Array{Shape: []int{2, 2}, Floats: []float64{0.15, 2, math.Inf(1), 1}}
	if err := npy.Encode(&buf, a); err != nil {
		log.Fatal(err)
	}
	b, err := npy.Decode("times.npy", buf.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(npy.FormatShape(b.Shape), b.DType, b.Floats)

	_, err = npy.Decode("times.npy", buf.Bytes()[:buf.Len()-8])
	fmt.Println(err)
	// Output:
	// (2, 2) <f8 [0.15 2 +Inf 1]
	// times.npy: header: shape (2, 2) of <f8 needs 32 data bytes, file has 24
}
