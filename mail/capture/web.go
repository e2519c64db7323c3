package capture

import (
	_ "embed"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

//go:embed mail.html
var pageSource string

var pages = template.Must(template.New("mail").Funcs(template.FuncMap{
	"join": strings.Join,
}).Parse(pageSource))

// Handler serves the captured mail under prefix (for example /dev/mail):
// the list at prefix, one message at prefix/{seq}, its raw source at
// prefix/{seq}/raw.
func (s *Server) Handler(prefix string) http.Handler {
	prefix = strings.TrimSuffix(prefix, "/")
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+prefix+"/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, prefix, http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET "+prefix, func(w http.ResponseWriter, r *http.Request) {
		type row struct {
			Seq                   int
			From, To, Subject, At string
		}
		msgs := s.Messages()
		slices.Reverse(msgs)
		if len(msgs) > 500 {
			msgs = msgs[:500]
		}
		rows := make([]row, 0, len(msgs))
		for _, m := range msgs {
			subj := "(unreadable)"
			if p, err := m.Parsed(); err == nil {
				subj = p.Subject
			}
			rows = append(rows, row{Seq: m.Seq, From: m.From, To: strings.Join(m.To, ", "), Subject: subj, At: m.ReceivedAt.Format("15:04:05")})
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = pages.ExecuteTemplate(w, "list", map[string]any{"Prefix": prefix, "Rows": rows, "Total": s.Count(), "Addr": s.Addr()})
	})
	mux.HandleFunc("GET "+prefix+"/{seq}", func(w http.ResponseWriter, r *http.Request) {
		m := s.lookup(r)
		if m == nil {
			http.NotFound(w, r)
			return
		}
		p, err := m.Parsed()
		if err != nil {
			http.Error(w, "cannot parse message: "+err.Error(), http.StatusUnprocessableEntity)
			return
		}
		headers := []string{}
		for _, k := range []string{"From", "To", "Subject", "Date", "Message-Id", "List-Unsubscribe", "List-Unsubscribe-Post"} {
			if v := p.Header.Get(k); v != "" {
				headers = append(headers, k+": "+v)
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = pages.ExecuteTemplate(w, "message", map[string]any{
			"Prefix": prefix, "Seq": m.Seq, "Subject": p.Subject, "Headers": headers, "Structure": p.Structure,
			"Text": p.Text(), "HTML": p.HTML(), "Links": p.Links(),
		})
	})
	mux.HandleFunc("GET "+prefix+"/{seq}/raw", func(w http.ResponseWriter, r *http.Request) {
		m := s.lookup(r)
		if m == nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(m.Raw)
	})
	return mux
}

func (s *Server) lookup(r *http.Request) *Message {
	seq, err := strconv.Atoi(r.PathValue("seq"))
	if err != nil {
		return nil
	}
	return s.Message(seq)
}
