package config

import (
	"math"
	"testing"
)

func TestContrast(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#000000", 21}, // order does not matter
		{"#777777", "#777777", 1},
		{"#767676", "#ffffff", 4.54}, // the lightest grey readable on white (WCAG AA)
		{"#1f5fa8", "#ffffff", 6.44}, // the default accent and text
		{"#f2b705", "#000000", 11.55},
	} {
		if got := Contrast(tc.a, tc.b); math.Abs(got-tc.want) > 0.01 {
			t.Errorf("Contrast(%s, %s) = %.2f, want %.2f", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestReadableTextOnTheAccentIsAccepted(t *testing.T) {
	c, err := load(t, nil, map[string]string{"FOLLOWUP_BRAND_COLOR": "#f2b705", "FOLLOWUP_BRAND_TEXT_COLOR": "#000000"}, Options{})
	if err != nil || c.Brand.TextColor != "#000000" {
		t.Fatalf("black on yellow: %v %+v", err, c.Brand)
	}
}
