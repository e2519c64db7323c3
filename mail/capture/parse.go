package capture

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"regexp"
	"strings"
)

// Part is one leaf of a MIME message.
type Part struct {
	ContentType string
	Body        string
	// ContentID is the part's Content-ID without angle brackets (inline
	// images), Disposition its Content-Disposition type (inline, attachment).
	ContentID   string
	Disposition string
}

// Parsed is a received message, decoded.
type Parsed struct {
	Header  netmail.Header
	Subject string
	// Structure is the MIME tree as content types, depth-first: for a
	// text+HTML message, ["multipart/alternative", "text/plain", "text/html"].
	Structure []string
	Parts     []Part
}

// Text returns the first text/plain part.
func (p *Parsed) Text() string { return p.first("text/plain") }

// HTML returns the first text/html part.
func (p *Parsed) HTML() string { return p.first("text/html") }

func (p *Parsed) first(ct string) string {
	for _, part := range p.Parts {
		if part.ContentType == ct {
			return part.Body
		}
	}
	return ""
}

var linkRE = regexp.MustCompile(`https?://[^\s<>"')]+`)

// Links returns the distinct URLs of the text part, in order.
func (p *Parsed) Links() []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range linkRE.FindAllString(p.Text(), -1) {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

var wordDecoder = mime.WordDecoder{}

// Parse decodes a raw RFC 5322 message.
func Parse(raw []byte) (*Parsed, error) {
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("read message: %w", err)
	}
	p := &Parsed{Header: msg.Header}
	p.Subject, err = wordDecoder.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		p.Subject = msg.Header.Get("Subject")
	}
	if err := p.walk(msg.Header.Get, msg.Body); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Parsed) walk(header func(string) string, body io.Reader) error {
	contentType, encoding := header("Content-Type"), header("Content-Transfer-Encoding")
	if contentType == "" {
		contentType = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content type %q: %w", contentType, err)
	}
	p.Structure = append(p.Structure, mt)
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("multipart: %w", err)
			}
			if err := p.walk(part.Header.Get, part); err != nil {
				return err
			}
		}
	}
	r := io.Reader(body)
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, &newlineStripper{r: body})
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("decode %s part: %w", mt, err)
	}
	disposition, _, _ := mime.ParseMediaType(header("Content-Disposition"))
	p.Parts = append(p.Parts, Part{ContentType: mt, Body: string(b),
		ContentID: strings.Trim(header("Content-ID"), "<> "), Disposition: disposition})
	return nil
}

// newlineStripper drops CR and LF, which base64 bodies wrap with.
type newlineStripper struct{ r io.Reader }

func (n *newlineStripper) Read(b []byte) (int, error) {
	for {
		k, err := n.r.Read(b)
		j := 0
		for _, c := range b[:k] {
			if c != '\r' && c != '\n' {
				b[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}
