package inbound_test

import (
	"strings"
	"testing"

	"github.com/followup/followup/inbound"
)

func TestSniffTrustsTheBytesNotTheSender(t *testing.T) {
	cases := []struct {
		name, data, want string
	}{
		{"jpeg", "\xff\xd8\xff\xe0\x00\x10JFIF", inbound.TypeJPEG},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00", inbound.TypePNG},
		{"gif", "GIF89a\x01\x00", inbound.TypeGIF},
		{"webp", "RIFF\x10\x00\x00\x00WEBPVP8 ", inbound.TypeWebP},
		{"pdf", "%PDF-1.7\n", inbound.TypePDF},
		{"html", "\n  <!DOCTYPE html><title>x</title>", inbound.TypeHTML},
		{"html script", "<script>alert(1)</script>", inbound.TypeHTML},
		{"svg", "<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", inbound.TypeHTML},
		{"text", "Order 42, box crushed.\n", inbound.TypeText},
		{"binary", "\x00\x01\x02\x03", inbound.TypeBinary},
	}
	for _, c := range cases {
		if got := inbound.Sniff([]byte(c.data)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	for _, typ := range []string{inbound.TypeHTML, inbound.TypeText, inbound.TypePDF, inbound.TypeBinary, "image/svg+xml"} {
		if inbound.SafeImage(typ) {
			t.Errorf("%s is served as itself", typ)
		}
	}
}

func TestSafeFilenameKeepsTheNameNotThePath(t *testing.T) {
	cases := []struct{ in, sniffed, want string }{
		{"colis abîmé.jpg", inbound.TypeJPEG, "colis abîmé.jpg"},
		{"../../etc/passwd", inbound.TypeText, "passwd"},
		{`C:\Users\ana\photo.png`, inbound.TypePNG, "photo.png"},
		{"a\"b<c>.html", inbound.TypeHTML, "a_b_c_.html"},
		{"evil\u202egnp.exe", inbound.TypeBinary, "evilgnp.exe"},
		{"line\r\nbreak.txt", inbound.TypeText, "linebreak.txt"},
		{".hidden", inbound.TypeText, "hidden"},
		{"", inbound.TypeJPEG, "attachment.jpg"},
		{"...", inbound.TypeBinary, "attachment.bin"},
		{strings.Repeat("é", 300) + ".jpeg", inbound.TypeJPEG, strings.Repeat("é", inbound.MaxFilename-5) + ".jpeg"},
	}
	for _, c := range cases {
		if got := inbound.SafeFilename(c.in, c.sniffed); got != c.want {
			t.Errorf("SafeFilename(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
