package inbound

import (
	"bytes"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sniffed types. Only the images here are ever served with their own type;
// everything else is downloaded as application/octet-stream.
const (
	TypeJPEG   = "image/jpeg"
	TypePNG    = "image/png"
	TypeGIF    = "image/gif"
	TypeWebP   = "image/webp"
	TypeHEIC   = "image/heic"
	TypePDF    = "application/pdf"
	TypeZip    = "application/zip"
	TypeHTML   = "text/html"
	TypeText   = "text/plain"
	TypeBinary = "application/octet-stream"
)

// SafeImage reports whether sniffed is a raster image type a browser
// renders as a picture and never as a document (SVG, being XML with
// scripts, is not one).
func SafeImage(sniffed string) bool {
	switch sniffed {
	case TypeJPEG, TypePNG, TypeGIF, TypeWebP:
		return true
	}
	return false
}

// Sniff says what the first bytes of data show, whatever the sender
// declared: a few image and document signatures, HTML (which is never
// served as such), plain UTF-8 text, else application/octet-stream.
func Sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return TypeJPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return TypeGIF
	case len(data) >= 12 && bytes.Equal(data[:4], []byte("RIFF")) && bytes.Equal(data[8:12], []byte("WEBP")):
		return TypeWebP
	case len(data) >= 12 && bytes.Equal(data[4:8], []byte("ftyp")) && (bytes.HasPrefix(data[8:], []byte("heic")) || bytes.HasPrefix(data[8:], []byte("heix")) || bytes.HasPrefix(data[8:], []byte("mif1"))):
		return TypeHEIC
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return TypePDF
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return TypeZip
	case looksLikeHTML(data):
		return TypeHTML
	case isText(data):
		return TypeText
	}
	return TypeBinary
}

// htmlStarts are the openings a browser's own sniffing takes for HTML
// (the WHATWG MIME sniffing standard's list), compared case-insensitively.
var htmlStarts = []string{"<!doctype html", "<html", "<head", "<script", "<iframe", "<h1", "<div", "<font", "<table",
	"<a", "<style", "<title", "<b", "<body", "<br", "<p", "<!--", "<?xml", "<svg"}

func looksLikeHTML(data []byte) bool {
	head := bytes.TrimLeft(data[:min(len(data), 512)], "\t\n\x0c\r \xef\xbb\xbf")
	lower := strings.ToLower(string(head))
	for _, s := range htmlStarts {
		if strings.HasPrefix(lower, s) && (len(lower) == len(s) || strings.ContainsRune(" >/\t\n\r", rune(lower[len(s)])) || s == "<!--" || s == "<?xml") {
			return true
		}
	}
	return false
}

func isText(data []byte) bool {
	head := data[:min(len(data), 1024)]
	for len(head) > 0 {
		r, n := utf8.DecodeRune(head)
		if r == utf8.RuneError && n == 1 && len(head) > 3 {
			return false
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != 0x0c {
			return false
		}
		head = head[n:]
	}
	return len(data) > 0
}

// MaxFilename is the longest file name kept, in characters.
const MaxFilename = 150

// SafeFilename is name as a file name to store and offer: no directory
// (either slash), no control or format character, no quote, backslash or
// character a file system refuses, not starting with a dot, at most
// MaxFilename characters with its extension kept; "attachment" plus the
// extension of the sniffed type when nothing is left.
func SafeFilename(name, sniffed string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(strings.TrimRight(name, "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r):
		case strings.ContainsRune(`"<>:|?*/`, r):
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	name = strings.Trim(strings.TrimSpace(b.String()), ". ")
	if name == "" {
		return "attachment" + extensionOf(sniffed)
	}
	if r := []rune(name); len(r) > MaxFilename {
		ext := path.Ext(name)
		if len([]rune(ext)) > 10 {
			ext = ""
		}
		keep := MaxFilename - len([]rune(ext))
		name = string(r[:keep]) + ext
	}
	return name
}

func extensionOf(sniffed string) string {
	switch sniffed {
	case TypeJPEG:
		return ".jpg"
	case TypePNG:
		return ".png"
	case TypeGIF:
		return ".gif"
	case TypeWebP:
		return ".webp"
	case TypeHEIC:
		return ".heic"
	case TypePDF:
		return ".pdf"
	case TypeZip:
		return ".zip"
	case TypeHTML:
		return ".html"
	case TypeText:
		return ".txt"
	}
	return ".bin"
}
