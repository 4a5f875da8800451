package netfile

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Dimension is the physical dimension of a quantity. Each has a base unit, the unit the
// events engine works in: milliseconds, millivolts and events per millisecond.
type Dimension int

const (
	Time      Dimension = iota // base unit ms; also s, us (µs, μs), ns
	Potential                  // base unit mV; also V, uV (µV, μV)
	Rate                       // base unit 1/ms; also Hz, kHz
)

// String returns the name of d as error messages use it: "time", "potential" or "rate".
func (d Dimension) String() string {
	switch d {
	case Time:
		return "time"
	case Potential:
		return "potential"
	case Rate:
		return "rate"
	}
	return fmt.Sprintf("Dimension(%d)", int(d))
}

// baseUnit returns the name of d's base unit.
func (d Dimension) baseUnit() string {
	switch d {
	case Time:
		return "ms"
	case Potential:
		return "mV"
	case Rate:
		return "1/ms"
	}
	return "?"
}

// unitShift maps a unit to the power of ten that converts it to its dimension's base unit.
// Every factor is a power of ten, so a conversion is a shift of the decimal exponent and the
// result is the float64 nearest to the exact decimal value ("0.02 s" is exactly 20 ms).
var unitShift = [...]map[string]int{
	Time:      {"ms": 0, "s": 3, "us": -3, "µs": -3, "μs": -3, "ns": -6},
	Potential: {"mV": 0, "V": 3, "uV": -3, "µV": -3, "μV": -3},
	Rate:      {"Hz": -3, "kHz": 0},
}

// unitNames lists the accepted units of each dimension, for error messages.
var unitNames = [...]string{
	Time:      "ms, s, us, ns",
	Potential: "mV, V, uV",
	Rate:      "Hz, kHz",
}

// ParseQuantity converts s, a decimal number optionally followed by a unit of dimension d
// ("20 ms", "0.02s", "-50 mV", "20 Hz"), to d's base unit (ms, mV or 1/ms). A bare number is
// taken to be in the base unit. Spaces around the number and the unit are allowed.
//
// It returns an error if s is not such a number, if the unit does not belong to d, or if the
// value is not finite (including "NaN", "Inf" and values such as "1e999 ms" that overflow).
func ParseQuantity(s string, d Dimension) (float64, error) {
	if d < Time || d > Rate {
		panic(fmt.Sprintf("netfile: ParseQuantity: unknown dimension %d", int(d)))
	}
	mant, exp, unit, ok := splitQuantity(s)
	if !ok {
		return 0, fmt.Errorf("not a number with an optional %s unit (%s)", d, unitNames[d])
	}
	shift := 0
	if unit != "" {
		var known bool
		shift, known = unitShift[d][unit]
		if !known {
			return 0, fmt.Errorf("unit %q is not a %s unit (%s)", unit, d, unitNames[d])
		}
	}
	// exp comes from a digit string of bounded length, so exp+shift cannot overflow int.
	v, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(exp+shift), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("out of range: %s is not a finite %s in %s", strings.TrimSpace(s), d, d.baseUnit())
	}
	return v + 0, nil // + 0 turns −0 into 0
}

// splitQuantity splits s into a decimal mantissa ("-12.5"), a decimal exponent and the
// trimmed unit that follows. It accepts only plain decimal notation: no hexadecimal, no
// underscores, no "Inf" or "NaN".
func splitQuantity(s string) (mant string, exp int, unit string, ok bool) {
	s = strings.TrimSpace(s)
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return "", 0, "", false
	}
	mant = s[:i]
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k > j {
			e := s[i+1 : k]
			// An exponent with more than a few digits under- or overflows anyway; clamp it so
			// that the arithmetic on it stays in range while keeping its sign.
			n, err := strconv.Atoi(e)
			if err != nil || n > 1e6 || n < -1e6 {
				n = 1e6
				if strings.HasPrefix(e, "-") {
					n = -1e6
				}
			}
			exp = n
			i = k
		}
	}
	unit = strings.TrimSpace(s[i:])
	if unit != "" && !isUnitStart(unit) {
		return "", 0, "", false
	}
	return mant, exp, unit, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isUnitStart rejects trailing text that is clearly part of a malformed number ("1.2.3",
// "1e", "5-3") rather than a unit, so the error says "not a number".
func isUnitStart(u string) bool {
	c := u[0]
	return c != '.' && c != '+' && c != '-' && !isDigit(c) && c != 'e' && c != 'E'
}
