// Package mathx holds special functions the rest of the module needs and neither the standard
// library nor gonum provides: the two real branches of the Lambert W function, a natural
// logarithm that is also right for subnormal arguments, and an exponential that is faster than
// math.Exp.
package mathx
