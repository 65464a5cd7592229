// Package stats holds what the benchmark commands compute alike.
package stats

import "slices"

// Median returns the middle value of xs (the mean of the two middle ones
// for an even count), leaving xs as it was.
func Median[T ~int64 | ~float64](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}
