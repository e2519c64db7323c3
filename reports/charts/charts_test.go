package charts

import (
	"bytes"
	"image"
	"image/png"
	"testing"
)

func ptr(v float64) *float64 { return &v }

// decode checks the bytes are a PNG at twice the nominal size, with more
// than the white background drawn.
func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if got := img.Bounds().Size(); got.X != 2*Width || got.Y != 2*Height {
		t.Errorf("size %v, want %dx%d", got, 2*Width, 2*Height)
	}
	colours := map[[3]uint32]bool{}
	for y := 0; y < img.Bounds().Dy(); y += 3 {
		for x := 0; x < img.Bounds().Dx(); x += 3 {
			r, g, b, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, b >> 8}] = true
		}
	}
	if len(colours) < 3 {
		t.Errorf("the image is nearly blank (%d colours)", len(colours))
	}
	return img
}

// blue counts the pixels of the first series' colour.
func blue(img image.Image) int {
	n := 0
	for y := 0; y < img.Bounds().Dy(); y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 == 0 && g>>8 == 114 && b>>8 == 178 {
				n++
			}
		}
	}
	return n
}

func TestLinesDrawEverySeriesAndSkipGaps(t *testing.T) {
	labels := []string{"W1", "W2", "W3", "W4"}
	b, err := Lines("Scores", labels, []Series{
		{Name: "Outcome", Values: []*float64{ptr(40), nil, ptr(60), ptr(70)}},
		{Name: "Process", Values: []*float64{nil, nil, nil, nil}},
	}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	withLine := blue(decode(t, b))
	b, err = Lines("Scores", labels, []Series{{Name: "Outcome", Values: []*float64{nil, nil, nil, nil}}}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if without := blue(decode(t, b)); withLine <= without+200 {
		t.Errorf("the series is not drawn: %d blue pixels with it, %d without", withLine, without)
	}
	if _, err := Lines("x", labels, []Series{{Name: "short", Values: []*float64{ptr(1)}}}, 0, 1); err == nil {
		t.Error("a series shorter than the labels must be refused")
	}
}

func TestBarsDrawTheValues(t *testing.T) {
	b, err := Bars("Risks", []string{"Time", "Financial", "Attitude"}, []float64{12, 5, 0})
	if err != nil {
		t.Fatal(err)
	}
	if n := blue(decode(t, b)); n < 1000 {
		t.Errorf("bars not drawn: %d blue pixels", n)
	}
	if b, err = Bars("Risks", nil, nil); err != nil {
		t.Fatalf("an empty chart is still a chart: %v", err)
	}
	decode(t, b)
}
