package charts

import (
	"bytes"
	"fmt"
	"image/color"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Width and Height are the size the charts are meant to be shown at, in
// CSS pixels; they are drawn at twice that resolution for sharp screens.
const (
	Width  = 560
	Height = 280
	dpi    = 192
)

// Palette colours series in order; chosen to stay apart for colour-blind
// readers (Okabe–Ito).
var palette = []color.RGBA{
	{0, 114, 178, 255},   // blue
	{230, 159, 0, 255},   // orange
	{0, 158, 115, 255},   // green
	{204, 121, 167, 255}, // purple
	{86, 180, 233, 255},  // sky
	{213, 94, 0, 255},    // vermilion
}

// Series is one line: a value per label, nil where there is none (the
// line breaks there).
type Series struct {
	Name   string
	Values []*float64
}

// Lines draws series over the labels (periods, oldest first) on a y axis
// from yMin to yMax.
func Lines(title string, labels []string, series []Series, yMin, yMax float64) ([]byte, error) {
	p := newPlot(title)
	// Room above the scale for the legend, without ticks past yMax.
	p.Y.Min, p.Y.Max = yMin, yMax+(yMax-yMin)*0.35
	ticks := make(plot.ConstantTicks, 0, 5)
	for i := 0; i <= 4; i++ {
		v := yMin + (yMax-yMin)*float64(i)/4
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	p.Y.Tick.Marker = ticks
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.XOffs = vg.Points(6)
	for i, s := range series {
		if len(s.Values) != len(labels) {
			return nil, fmt.Errorf("chart %q: series %q has %d values for %d labels", title, s.Name, len(s.Values), len(labels))
		}
		c := palette[i%len(palette)]
		var thumb plot.Thumbnailer
		for _, seg := range segments(s.Values) {
			line, points, err := plotter.NewLinePoints(seg)
			if err != nil {
				return nil, fmt.Errorf("chart %q: %w", title, err)
			}
			line.Color, line.Width = c, vg.Points(2)
			points.Color, points.Radius, points.Shape = c, vg.Points(2.5), draw.CircleGlyph{}
			p.Add(line, points)
			thumb = line
		}
		if thumb == nil { // no value at all: still name it
			line, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: yMin}})
			line.Color, line.Width = c, vg.Points(2)
			thumb = line
		}
		p.Legend.Add(s.Name, thumb)
	}
	p.NominalX(labels...)
	p.X.Min, p.X.Max = -0.5, float64(len(labels))-0.5
	return render(p)
}

// segments cuts values into runs without gaps, as x (label index), y.
func segments(values []*float64) []plotter.XYs {
	var out []plotter.XYs
	var cur plotter.XYs
	for i, v := range values {
		if v == nil {
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur = nil
			continue
		}
		cur = append(cur, plotter.XY{X: float64(i), Y: *v})
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// Bars draws one horizontal bar per label, the first label at the top.
func Bars(title string, labels []string, values []float64) ([]byte, error) {
	if len(labels) != len(values) {
		return nil, fmt.Errorf("chart %q: %d values for %d labels", title, len(values), len(labels))
	}
	p := newPlot(title)
	n := len(labels)
	vals := make(plotter.Values, n)
	names := make([]string, n)
	for i := range labels { // bottom to top
		vals[i] = values[n-1-i]
		names[i] = labels[n-1-i]
	}
	if n > 0 {
		bars, err := plotter.NewBarChart(vals, vg.Points(10))
		if err != nil {
			return nil, fmt.Errorf("chart %q: %w", title, err)
		}
		bars.Horizontal = true
		bars.Color = palette[0]
		bars.LineStyle.Width = 0
		p.Add(bars)
		p.NominalY(names...)
	}
	p.X.Min = 0
	p.X.Max = 1
	for _, v := range values {
		p.X.Max = max(p.X.Max, v*1.1)
	}
	return render(p)
}

func newPlot(title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	// Sans-serif reads better small; the liberation fonts are embedded.
	sans := func(size float64) font.Font {
		return font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Points(size)}
	}
	p.Title.TextStyle.Font = sans(11)
	p.Legend.TextStyle.Font = sans(9)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Tick.Label.Font = sans(9)
		a.Label.TextStyle.Font = sans(9)
	}
	p.Add(plotter.NewGrid())
	return p
}

func render(p *plot.Plot) ([]byte, error) {
	w := vg.Length(Width) * vg.Inch / 96
	h := vg.Length(Height) * vg.Inch / 96
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	p.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&b); err != nil {
		return nil, fmt.Errorf("encode chart: %w", err)
	}
	return b.Bytes(), nil
}
