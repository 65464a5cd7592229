package stats

import (
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	xs := []float64{3, 1, 2}
	if got := Median(xs); got != 2 {
		t.Errorf("odd count: %v, want 2", got)
	}
	if xs[0] != 3 {
		t.Error("the input was reordered")
	}
	if got := Median([]time.Duration{4, 1, 3, 2}); got != 2 {
		t.Errorf("even count: %v, want 2 (the mean of 2 and 3, in whole units)", got)
	}
}
