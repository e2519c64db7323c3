package web_test

import (
	"net/http/httptest"
	"testing"

	"github.com/followup/followup/inbound"
	"github.com/followup/followup/web"
)

func TestContentDispositionEncodesTheName(t *testing.T) {
	cases := []struct{ name, want string }{
		{"photo.jpg", `attachment; filename="photo.jpg"; filename*=UTF-8''photo.jpg`},
		{"colis abîmé.jpg", `attachment; filename="colis ab_m_.jpg"; filename*=UTF-8''colis%20ab%C3%AEm%C3%A9.jpg`},
		{`a"b\c%d;e.txt`, `attachment; filename="a_b_c_d;e.txt"; filename*=UTF-8''a%22b%5Cc%25d%3Be.txt`},
	}
	for _, c := range cases {
		if got := web.ContentDisposition(c.name); got != c.want {
			t.Errorf("ContentDisposition(%q)\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

// TestServeAttachmentNeverServesAPage: whatever a file's sniffed type
// says, only the bytes of a raster image keep their type; the rest, and an
// image whose stored type does not match its bytes, are octet streams.
func TestServeAttachmentNeverServesAPage(t *testing.T) {
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF")
	cases := []struct {
		sniffed string
		data    []byte
		want    string
	}{
		{inbound.TypeJPEG, jpeg, "image/jpeg"},
		{inbound.TypeHTML, []byte("<html><script>alert(1)</script>"), "application/octet-stream"},
		{"image/svg+xml", []byte("<svg/>"), "application/octet-stream"},
		{inbound.TypeJPEG, []byte("<html>"), "application/octet-stream"},
		{inbound.TypePDF, []byte("%PDF-1.7"), "application/octet-stream"},
	}
	for _, c := range cases {
		w := httptest.NewRecorder()
		web.ServeAttachment(w, inbound.StoredAttachment{AttachmentInfo: inbound.AttachmentInfo{Filename: "f", SniffedType: c.sniffed}, Data: c.data})
		h := w.Result().Header
		if h.Get("Content-Type") != c.want || h.Get("Content-Disposition") == "" || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Content-Security-Policy") != web.AttachmentCSP || w.Body.String() != string(c.data) {
			t.Errorf("%s: type %q (want %q), headers %v", c.sniffed, h.Get("Content-Type"), c.want, h)
		}
	}
}
