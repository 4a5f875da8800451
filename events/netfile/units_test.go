package netfile

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseQuantity(t *testing.T) {
	// Expected values follow from the definitions of the SI prefixes (m = 1e-3, u = µ = 1e-6,
	// n = 1e-9, k = 1e3) and of the base units ms, mV and 1/ms. Conversions shift the decimal
	// exponent, so each result must be the float64 nearest to the exact decimal value, which
	// is what the Go literal on the right denotes.
	tests := []struct {
		in   string
		dim  Dimension
		want float64
	}{
		{"20 ms", Time, 20},
		{"20ms", Time, 20},
		{"  20   ms ", Time, 20},
		{"20", Time, 20},
		{"0.02 s", Time, 20},
		{"0.1 s", Time, 100},
		{"5 us", Time, 0.005},
		{"5 µs", Time, 0.005}, // U+00B5 micro sign
		{"5 μs", Time, 0.005}, // U+03BC Greek small letter mu
		{"250 ns", Time, 0.00025},
		{"1e-3 s", Time, 1},
		{"1E+2 ms", Time, 100},
		{".5 ms", Time, 0.5},
		{"5. ms", Time, 5},
		{"+3 ms", Time, 3},
		{"-0 ms", Time, 0},
		{"-50 mV", Potential, -50},
		{"-0.055 V", Potential, -55},
		{"1.62 mV", Potential, 1.62},
		{"-9 mV", Potential, -9},
		{"250 uV", Potential, 0.25},
		{"20 Hz", Rate, 0.02},
		{"1.5 kHz", Rate, 1.5},
		{"0.02", Rate, 0.02},
		{"1e-400 ms", Time, 0}, // underflows to zero, which is finite
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseQuantity(tc.in, tc.dim)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.False(t, math.Signbit(got) && got == 0, "negative zero")
		})
	}
}

func TestParseQuantityErrors(t *testing.T) {
	tests := []struct {
		in   string
		dim  Dimension
		want string
	}{
		{"", Time, "not a number"},
		{"   ", Time, "not a number"},
		{"ms", Time, "not a number"},
		{"NaN", Time, "not a number"},
		{"nan ms", Time, "not a number"},
		{"Inf", Potential, "not a number"},
		{"-Inf mV", Potential, "not a number"},
		{"infinity", Potential, "not a number"},
		{"0x10 ms", Time, `unit "x10 ms"`},
		{"1_000 ms", Time, `unit "_000 ms"`},
		{"1.2.3 ms", Time, "not a number"},
		{"1e ms", Time, "not a number"},
		{"5 - 3 ms", Time, "not a number"},
		{"1e999 ms", Time, "out of range"},
		{"1e307 s", Time, "out of range"}, // finite in seconds, not in milliseconds
		{"-1e999", Potential, "out of range"},
		{"1e99999999999999999999 ms", Time, "out of range"},
		{"20 mv", Potential, `unit "mv" is not a potential unit (mV, V, uV)`},
		{"20 Hz", Time, `unit "Hz" is not a time unit (ms, s, us, ns)`},
		{"20 ms", Rate, `unit "ms" is not a rate unit (Hz, kHz)`},
		{"20 m s", Time, `unit "m s"`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := ParseQuantity(tc.in, tc.dim)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func FuzzParseQuantity(f *testing.F) {
	for _, s := range []string{"20 ms", "0.02 s", "-50 mV", "20 Hz", "1e999 ms", "NaN", "5 µs", ".5", "1e-400"} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, d uint8) {
		dim := Dimension(d % 3)
		v, err := ParseQuantity(s, dim)
		if err != nil {
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("ParseQuantity(%q, %v) = %v", s, dim, v)
		}
		// The value printed in the base unit reads back exactly.
		back, err := ParseQuantity(fmt.Sprint(v), dim)
		if err != nil || back != v {
			t.Fatalf("ParseQuantity(%q) = %v, but %v reads back as %v, %v", s, v, v, back, err)
		}
	})
}

func ExampleParseQuantity() {
	fmt.Println(ParseQuantity("0.02 s", Time))
	fmt.Println(ParseQuantity("5 us", Time))
	fmt.Println(ParseQuantity("-50 mV", Potential))
	fmt.Println(ParseQuantity("20 Hz", Rate))
	fmt.Println(ParseQuantity("7", Time))
	fmt.Println(ParseQuantity("NaN ms", Time))
	// Output:
	// 20 <nil>
	// 0.005 <nil>
	// -50 <nil>
	// 0.02 <nil>
	// 7 <nil>
	// 0 not a number with an optional time unit (ms, s, us, ns)
}
