package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/followup/followup/inbound"
)

// AttachmentCSP is the Content-Security-Policy of a downloaded
// attachment: even opened in a tab by mistake, it runs nothing, loads
// nothing and is a sandboxed document of no origin.
const AttachmentCSP = "sandbox; default-src 'none'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'"

// ServeAttachment sends a file a customer sent, safely whatever it holds:
// always as a download (Content-Disposition: attachment, with its name
// encoded as RFC 6266 and RFC 5987 say), with a type that can never render
// as a page (a JPEG, PNG, GIF or WebP the bytes show keeps its image type,
// anything else is application/octet-stream, whatever the sender
// declared), no sniffing, a sandbox policy and no caching by shared
// caches.
func ServeAttachment(w http.ResponseWriter, a inbound.StoredAttachment) {
	h := w.Header()
	ct := "application/octet-stream"
	if inbound.SafeImage(a.SniffedType) && inbound.Sniff(a.Data) == a.SniffedType {
		ct = a.SniffedType
	}
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", ContentDisposition(a.Filename))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", AttachmentCSP)
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(a.Data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(a.Data)
}

// ContentDisposition is "attachment" with filename: an ASCII fallback in
// filename= (RFC 6266: other characters become _, quotes and backslashes
// too) and the exact name in filename* (UTF-8, percent-encoded as RFC
// 5987 says).
func ContentDisposition(filename string) string {
	var ascii, ext strings.Builder
	for _, r := range filename {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			ascii.WriteByte('_')
		} else {
			ascii.WriteRune(r)
		}
	}
	for _, b := range []byte(filename) {
		if isAttrChar(b) {
			ext.WriteByte(b)
		} else {
			ext.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(b)|0x100, 16)[1:]))
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + ext.String()
}

// isAttrChar is RFC 5987's attr-char: the bytes a filename* value may
// carry without percent-encoding.
func isAttrChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}
