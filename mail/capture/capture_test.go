package capture_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/mail"
	"github.com/followup/followup/mail/capture"
)

func TestCapturedMailIsShown(t *testing.T) {
	srv, err := capture.Start(capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	s, _ := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: srv.Port(), TLS: mail.TLSNone, From: &netmail.Address{Address: "a@x.test"}, Timeout: time.Second})
	res := s.Send(context.Background(), []mail.Message{{To: &netmail.Address{Address: "b@x.test"}, Subject: "Évaluez <notre> service",
		Text: "Lien : https://x.test/s/1.2.abc", HTML: `<p onclick="x()">Bonjour</p>`}})
	if res[0] != nil {
		t.Fatal(res[0])
	}
	web := httptest.NewServer(srv.Handler("/dev/mail"))
	defer web.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(web.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, list := get("/dev/mail")
	if code != 200 || !strings.Contains(list, "Évaluez &lt;notre&gt; service") || !strings.Contains(list, `href="/dev/mail/1"`) {
		t.Errorf("list: %d %s", code, list)
	}
	code, page := get("/dev/mail/1")
	if code != 200 || !strings.Contains(page, `href="https://x.test/s/1.2.abc"`) || !strings.Contains(page, "multipart/alternative &gt; text/plain &gt; text/html") {
		t.Errorf("message: %d %s", code, page)
	}
	if !strings.Contains(page, "sandbox=") || strings.Contains(page, `<p onclick="x()">`) {
		t.Errorf("the HTML part must be shown sandboxed and escaped")
	}
	if code, raw := get("/dev/mail/1/raw"); code != 200 || !strings.Contains(raw, "Subject:") {
		t.Errorf("raw: %d", code)
	}
	if code, _ := get("/dev/mail/99"); code != 404 {
		t.Errorf("missing message: %d", code)
	}
}
