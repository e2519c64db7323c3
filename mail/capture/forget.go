package capture

import (
	"bytes"
	"fmt"
	"net/mail"
	"strings"
)

// Forget replaces every kept message sent to or from one of needles (an
// address), or mentioning one of them (an address, a name) in its raw
// text, ignoring case, by a message saying it was erased (its Message-ID
// kept, so counts and sequence numbers do not move): the capture's part
// of a customer's erase. It returns how many messages it replaced.
func (s *Server) Forget(needles []string) int {
	var lower [][]byte
	for _, n := range needles {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
			lower = append(lower, []byte(n))
		}
	}
	if len(lower) == 0 {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for i, m := range s.messages {
		envelope := []byte(strings.ToLower(m.From + " " + strings.Join(m.To, " ")))
		raw := bytes.ToLower(m.Raw)
		hit := false
		for _, nd := range lower {
			hit = hit || bytes.Contains(envelope, nd) || bytes.Contains(raw, nd)
		}
		if !hit {
			continue
		}
		cp := *m
		cp.From, cp.To, cp.Raw = "", []string{"[erased]"}, erasedRaw(m.Raw)
		s.messages[i] = &cp
		n++
	}
	return n
}

// erasedRaw is the message left in place of raw.
func erasedRaw(raw []byte) []byte {
	id := ""
	if msg, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		id = strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, msg.Header.Get("Message-ID"))
	}
	var b bytes.Buffer
	if id != "" {
		fmt.Fprintf(&b, "Message-ID: %s\r\n", id)
	}
	b.WriteString("Subject: [erased]\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n[erased]\r\n")
	return b.Bytes()
}
