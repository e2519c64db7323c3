package mail_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"testing"

	"github.com/followup/followup/mail"
)

func pngOf(t *testing.T, c color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for x := 0; x < 3; x++ {
		img.Set(x, 1, c)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestInlineImagesAreRelatedPartsReferencedByCID sends HTML that shows two
// images by cid: and reads the message back from the SMTP server.
func TestInlineImagesAreRelatedPartsReferencedByCID(t *testing.T) {
	bothWays(t, testInlineImagesAreRelatedPartsReferencedByCID)
}

func testInlineImagesAreRelatedPartsReferencedByCID(t *testing.T) {
	srv := startCapture(t)
	s := newSender(t, srv.Port())
	m := msg("manager@x.test", "Weekly report")
	m.HTML = `<p>Trend</p><img src="cid:trend.png" alt="trend"><img src="cid:risks.png" alt="risks">`
	red, blue := pngOf(t, color.RGBA{255, 0, 0, 255}), pngOf(t, color.RGBA{0, 0, 255, 255})
	m.Inline = []mail.Inline{{Name: "trend.png", ContentType: "image/png", Data: red}, {Name: "risks.png", ContentType: "image/png", Data: blue}}
	if errs := s.Send(context.Background(), []mail.Message{m}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	p, err := srv.Message(1).Parsed()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"multipart/related", "multipart/alternative", "text/plain", "text/html", "image/png", "image/png"}
	if !slices.Equal(p.Structure, want) {
		t.Fatalf("MIME structure %v, want %v", p.Structure, want)
	}
	byID := map[string][]byte{}
	for _, part := range p.Parts {
		if part.ContentType == "image/png" {
			if part.Disposition != "inline" {
				t.Errorf("%s: disposition %q, want inline", part.ContentID, part.Disposition)
			}
			byID[part.ContentID] = []byte(part.Body)
		}
	}
	for id, data := range map[string][]byte{"trend.png": red, "risks.png": blue} {
		if !bytes.Equal(byID[id], data) {
			t.Errorf("image %s: got %d bytes, not the ones sent", id, len(byID[id]))
		}
		if !strings.Contains(p.HTML(), `src="cid:`+id+`"`) {
			t.Errorf("the HTML does not show %s", id)
		}
	}
	if _, err := png.Decode(bytes.NewReader(byID["risks.png"])); err != nil {
		t.Errorf("risks.png is not a PNG after the trip: %v", err)
	}
}

func TestInlineNamesAreChecked(t *testing.T) {
	srv := startCapture(t)
	s := newSender(t, srv.Port())
	for _, name := range []string{"", "a b.png", "x\r\nBcc: y@z.test", "../etc/passwd"} {
		m := msg("a@x.test", "x")
		m.Inline = []mail.Inline{{Name: name, ContentType: "image/png", Data: []byte{1}}}
		if errs := s.Send(context.Background(), []mail.Message{m}); errs[0] == nil {
			t.Errorf("inline name %q accepted", name)
		}
	}
	if srv.Count() != 0 {
		t.Errorf("%d messages went out", srv.Count())
	}
}
