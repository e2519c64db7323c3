package config

import (
	"math"
	"strconv"
)

// MinBrandContrast is the contrast ratio required between the accent colour
// and the text written on it (buttons): WCAG 2's level AA for body text.
const MinBrandContrast = 4.5

// Contrast is the WCAG 2 contrast ratio of two #rrggbb colours, from 1 (the
// same) to 21 (black on white).
func Contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is the relative luminance of a #rrggbb colour.
func luminance(hex string) float64 {
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}
