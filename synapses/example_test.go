package synapses_test

import (
	"fmt"

	"github.com/firstspike/firstspike/synapses"
)

func ExampleFixedProbability() {
	c, err := synapses.FixedProbability(3, 5, 0.5, synapses.Gen{Weight: synapses.Const(0.25), Seed: 1})
	if err != nil {
		panic(err)
	}
	for i := 0; i < c.NPre; i++ {
		post, w, _ := c.Row(i)
		fmt.Println(i, "→", post, w)
	}
	// Output:
	// 0 → [0 1 2 4] [0.25 0.25 0.25 0.25]
	// 1 → [1 4] [0.25 0.25]
	// 2 → [2 4] [0.25 0.25]
}
