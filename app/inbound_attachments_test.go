package app_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/inbound"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

// tinyJPEG is a real JPEG picture of a few hundred bytes.
func tinyJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range 8 {
		img.Set(i, i, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// base64Lines is data in base64, 76 characters a line, as mail clients
// write it.
func base64Lines(data []byte) string {
	s := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\n")
		s = s[76:]
	}
	return b.String() + s + "\n"
}

type attachmentJSON struct {
	ID       int64  `json:"id"`
	Filename string `json:"filename"`
	Declared string `json:"declared_type"`
	Sniffed  string `json:"sniffed_type"`
	Size     int    `json:"size"`
	SHA256   string `json:"sha256"`
	Kept     bool   `json:"kept"`
	Note     string `json:"note"`
}

// TestReplyAttachmentsAreKeptAndServedSafely: a customer answers the
// acknowledgement from their mail client with a photo of the damaged
// parcel (its name in French, RFC 2231-encoded), an HTML page and a photo
// over FOLLOWUP_INBOUND_ATTACHMENT_MAX, over real SMTP to the inbound
// listener. The reply lands on the complaint with the two small files; the
// big one is left out with a note, the words kept. The conversation lists
// them in the API and on the complaint page; downloads return the bytes as
// attachments that can never render as a page (the HTML as
// application/octet-stream), and only to the staff who may read the
// complaint.
func TestReplyAttachmentsAreKeptAndServedSafely(t *testing.T) {
	t.Parallel()
	h := startInbound(t, map[string]string{"FOLLOWUP_INBOUND_ATTACHMENT_MAX": "64KB"})
	seedCampaign(t, h)
	id, email := unhappy(t, h, "photos", "The parcel arrived crushed.", 2, 1)
	other, _ := unhappy(t, h, "other", "The parcel was late.", 2, 1)
	_, ack := captured(t, h, email, "We have received your request")
	rt := replyTo(t, ack)

	photo := tinyJPEG(t)
	page := []byte("<html><body><script>alert(document.cookie)</script>Invoice</body></html>")
	big := append(append([]byte{}, photo...), bytes.Repeat([]byte{0x42}, 100<<10)...)
	const words = "Here are photos of the box, it was crushed."
	deliver(t, h, email, rt, fmt.Sprintf(`From: Client photos <%s>
To: <%s>
Subject: Re: %s
Message-ID: <photos-1@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

%s

--b1
Content-Type: image/jpeg; name="colis.jpg"
Content-Disposition: attachment; filename*=UTF-8''colis%%20ab%%C3%%AEm%%C3%%A9.jpg
Content-Transfer-Encoding: base64

%s
--b1
Content-Type: image/png; name="invoice.html"
Content-Disposition: attachment; filename="../../invoice.html"
Content-Transfer-Encoding: base64

%s
--b1
Content-Type: image/jpeg; name="big.jpg"
Content-Disposition: attachment; filename="big.jpg"
Content-Transfer-Encoding: base64

%s
--b1--
`, email, rt, ack.Subject, words, base64Lines(photo), base64Lines(page), base64Lines(big)))

	eventually(t, "the reply routed", func() bool { state, _, _ := inboundState(t, h, rt); return state == inbound.StateRouted })
	if n := countOf(t, h, `SELECT count(*) FROM complaint_messages WHERE complaint_id = $1 AND direction = 'in' AND body = $2`, id, words); n != 1 {
		t.Errorf("%d replies with the words on the conversation, want 1", n)
	}
	if _, _, outcome := inboundState(t, h, rt); !strings.Contains(outcome, "1 attachment(s) over the 64 KB limit not kept") {
		t.Errorf("the message's outcome %q does not say a file was left out", outcome)
	}

	cx := h.API(t, users.CX)
	status, body := getJSON(t, cx, fmt.Sprintf("%s/api/v1/complaints/%d", h.URL, id))
	if status != http.StatusOK {
		t.Fatalf("complaint detail: %d %s", status, body)
	}
	var detail struct {
		Messages []struct {
			Direction   string           `json:"direction"`
			Attachments []attachmentJSON `json:"attachments"`
		} `json:"messages"`
	}
	if err := json.Unmarshal([]byte(body), &detail); err != nil {
		t.Fatal(err)
	}
	var files []attachmentJSON
	for _, m := range detail.Messages {
		if m.Direction == "in" {
			files = m.Attachments
		}
	}
	if len(files) != 3 {
		t.Fatalf("attachments on the customer's email: %+v, want 3", files)
	}
	jpg, html, dropped := files[0], files[1], files[2]
	sum := sha256.Sum256(photo)
	if jpg.Filename != "colis abîmé.jpg" || jpg.Sniffed != inbound.TypeJPEG || jpg.Size != len(photo) || !jpg.Kept || jpg.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("the photo: %+v", jpg)
	}
	if html.Filename != "invoice.html" || html.Declared != "image/png" || html.Sniffed != inbound.TypeHTML || !html.Kept {
		t.Errorf("the HTML page (its path cut, its lie about being a PNG seen): %+v", html)
	}
	if dropped.Filename != "big.jpg" || dropped.Kept || dropped.Size != len(big) || !strings.Contains(dropped.Note, "over the 64 KB limit") {
		t.Errorf("the file over the limit: %+v, want left out with a note", dropped)
	}

	// Downloads: the bytes, as attachments that never render as a page.
	download := func(c *http.Client, u string) (*http.Response, []byte) {
		t.Helper()
		resp, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	safe := func(what string, resp *http.Response, got, want []byte, ctype, disposition string) {
		t.Helper()
		if resp.StatusCode != http.StatusOK || !bytes.Equal(got, want) {
			t.Errorf("%s: %d, %d bytes, want 200 with the %d bytes sent", what, resp.StatusCode, len(got), len(want))
		}
		hd := resp.Header
		if hd.Get("Content-Type") != ctype || hd.Get("Content-Disposition") != disposition || hd.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(hd.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("%s headers: type %q, disposition %q, nosniff %q, CSP %q", what, hd.Get("Content-Type"), hd.Get("Content-Disposition"),
				hd.Get("X-Content-Type-Options"), hd.Get("Content-Security-Policy"))
		}
	}
	apiURL := func(complaint, aid int64) string {
		return fmt.Sprintf("%s/api/v1/complaints/%d/attachments/%d", h.URL, complaint, aid)
	}
	resp, got := download(cx, apiURL(id, jpg.ID))
	safe("the photo through the API", resp, got, photo, "image/jpeg", `attachment; filename="colis ab_m_.jpg"; filename*=UTF-8''colis%20ab%C3%AEm%C3%A9.jpg`)
	resp, got = download(cx, apiURL(id, html.ID))
	safe("the HTML page through the API", resp, got, page, "application/octet-stream", `attachment; filename="invoice.html"; filename*=UTF-8''invoice.html`)
	if resp, _ := download(cx, apiURL(id, dropped.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the file left out: %d, want 404", resp.StatusCode)
	}
	if resp, _ := download(cx, apiURL(other, jpg.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another complaint's address for the photo: %d, want 404", resp.StatusCode)
	}

	// The complaint page lists them, with download links that work for
	// the signed-in agent.
	agent := staffSession(t, h, users.CX)
	status, pageHTML := fetch(t, agent, fmt.Sprintf("%s/cx/complaints/%d", h.URL, id))
	link := fmt.Sprintf(`href="/cx/complaints/%d/attachments/%d"`, id, jpg.ID)
	if status != http.StatusOK || !strings.Contains(pageHTML, link) || !strings.Contains(pageHTML, "colis abîmé.jpg") ||
		!strings.Contains(pageHTML, "big.jpg") || !strings.Contains(pageHTML, "not kept: larger than the size limit") {
		t.Errorf("the complaint page does not list the files (%d): %s", status, between(pageHTML, `id="conversation"`, "</ol>"))
	}
	resp, got = download(agent, fmt.Sprintf("%s/cx/complaints/%d/attachments/%d", h.URL, id, html.ID))
	safe("the HTML page from the complaint page", resp, got, page, "application/octet-stream", `attachment; filename="invoice.html"; filename*=UTF-8''invoice.html`)

	// Nobody else: no token, no session, a marketing token or session.
	resp, got = download(http.DefaultClient, apiURL(id, jpg.ID))
	if resp.StatusCode != http.StatusUnauthorized || bytes.Contains(got, photo) {
		t.Errorf("no token: %d, want 401 without the file", resp.StatusCode)
	}
	resp, got = download(h.API(t, users.Marketing), apiURL(id, jpg.ID))
	if resp.StatusCode != http.StatusForbidden || bytes.Contains(got, photo) {
		t.Errorf("a marketing token: %d, want 403 without the file", resp.StatusCode)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, got = download(noRedirect, fmt.Sprintf("%s/cx/complaints/%d/attachments/%d", h.URL, id, jpg.ID))
	if resp.StatusCode == http.StatusOK || bytes.Contains(got, photo) {
		t.Errorf("no session: %d, want a refusal without the file", resp.StatusCode)
	}
	resp, got = download(staffSession(t, h, users.Marketing), fmt.Sprintf("%s/cx/complaints/%d/attachments/%d", h.URL, id, jpg.ID))
	if resp.StatusCode != http.StatusForbidden || bytes.Contains(got, photo) {
		t.Errorf("a marketing session: %d, want 403 without the file", resp.StatusCode)
	}
}

// staffSession returns a client signed in as a person of role, sending
// the session cookie whatever its expiry says: the harness's fake clock
// dates the cookie in the past for a cookie jar.
func staffSession(t *testing.T, h *apptest.Harness, role users.Role) *http.Client {
	t.Helper()
	u, _ := h.User(t, role)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(h.URL+"/login", url.Values{"email": {u.Email}, "password": {apptest.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) == 0 {
		t.Fatalf("sign in as %s: %d", role, resp.StatusCode)
	}
	return &http.Client{CheckRedirect: noRedirect.CheckRedirect, Transport: withCookies{resp.Cookies()}}
}

type withCookies struct{ cookies []*http.Cookie }

func (c withCookies) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for _, k := range c.cookies {
		r.AddCookie(&http.Cookie{Name: k.Name, Value: k.Value})
	}
	return http.DefaultTransport.RoundTrip(r)
}

// between is s from start to the next end, for failure messages.
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return s[:min(len(s), 500)]
	}
	s = s[i:]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return s
}

// TestUnmatchedMailShowsItsAttachments: a reply with a file that matches
// nothing waits in the admins' list with its file (API and page, a
// download for admins only); assigned to a complaint, the file follows it
// onto the conversation.
func TestUnmatchedMailShowsItsAttachments(t *testing.T) {
	t.Parallel()
	h := startInbound(t, nil)
	seedCampaign(t, h)
	id, email := unhappy(t, h, "receipt", "The parcel came a week late.", 3, 2)
	addrs, _ := inbound.NewAddresser(inboundDomain, []byte(h.App.Cfg.Secret))
	gone := addrs.Address(inbound.KindComplaint, 987654)
	receipt := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
	deliver(t, h, email, gone, fmt.Sprintf(`From: <%s>
To: <%s>
Subject: My receipt
Message-ID: <receipt-1@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b2"

--b2
Content-Type: text/plain; charset=utf-8

Here is the receipt you asked for.
--b2
Content-Type: application/pdf
Content-Disposition: attachment; filename="receipt.pdf"
Content-Transfer-Encoding: base64

%s
--b2--
`, email, gone, base64Lines(receipt)))
	eventually(t, "the message unmatched", func() bool { state, _, _ := inboundState(t, h, gone); return state == inbound.StateUnmatched })

	admin := h.API(t, users.Admin)
	status, body := getJSON(t, admin, h.URL+"/api/v1/inbound/unmatched")
	var list struct {
		Messages []struct {
			ID          int64            `json:"id"`
			Attachments []attachmentJSON `json:"attachments"`
		} `json:"messages"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || status != http.StatusOK || len(list.Messages) != 1 ||
		len(list.Messages[0].Attachments) != 1 || list.Messages[0].Attachments[0].Filename != "receipt.pdf" {
		t.Fatalf("the unmatched list: %d %s", status, body)
	}
	mid, aid := list.Messages[0].ID, list.Messages[0].Attachments[0].ID
	fileURL := fmt.Sprintf("%s/api/v1/inbound/%d/attachments/%d", h.URL, mid, aid)
	resp, err := admin.Get(fileURL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(got, receipt) || resp.Header.Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="receipt.pdf"`) {
		t.Errorf("the admin's download: %d %v", resp.StatusCode, resp.Header)
	}
	if status, _ := getJSON(t, h.API(t, users.CX), fileURL); status != http.StatusForbidden {
		t.Errorf("a cx token downloads an unmatched message's file: %d, want 403", status)
	}
	status, page := fetch(t, staffSession(t, h, users.Admin), h.URL+"/admin/inbound")
	if link := fmt.Sprintf(`href="/admin/inbound/%d/attachments/%d"`, mid, aid); status != http.StatusOK || !strings.Contains(page, link) {
		t.Errorf("the admins' page does not link the file (%d): %s", status, between(page, `id="unmatched"`, "</table>"))
	}

	if status, body := postJSON(t, admin, fmt.Sprintf("%s/api/v1/inbound/%d/assign", h.URL, mid), map[string]any{"complaint_id": id}); status != http.StatusOK {
		t.Fatalf("assign: %d %v", status, body)
	}
	status, body = getJSON(t, h.API(t, users.CX), fmt.Sprintf("%s/api/v1/complaints/%d/attachments/%d", h.URL, id, aid))
	if status != http.StatusOK || body != string(receipt) {
		t.Errorf("the file on the complaint it was assigned to: %d %q", status, body)
	}
}

// TestSurveyReplyPhotoShowsOnTheComplaint: a customer answers the survey
// email in words with a photo attached; the complaint their words open
// shows the photo beside the reply (API and page), downloadable from the
// complaint.
func TestSurveyReplyPhotoShowsOnTheComplaint(t *testing.T) {
	t.Parallel()
	h := startInbound(t, nil)
	seedCampaign(t, h)
	const email = "crushed@example.com"
	if status, body := postJSON(t, h.API(t, users.Marketing), h.URL+"/api/v1/events",
		event("crushed", "en", email, h.App.Clock.Now().Add(-3*time.Hour))); status != http.StatusAccepted {
		t.Fatalf("event: %d %v", status, body)
	}
	_, inv := captured(t, h, email, "how did we do")
	rt := replyTo(t, inv)
	photo := tinyJPEG(t)
	deliver(t, h, email, rt, fmt.Sprintf(`From: <%s>
To: <%s>
Subject: Re: %s
Message-ID: <crushed-1@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b3"

--b3
Content-Type: text/plain; charset=utf-8

The box was crushed and the vase inside is broken. Terrible service, I want a refund.
--b3
Content-Type: image/jpeg
Content-Disposition: attachment; filename="IMG_0042.JPG"
Content-Transfer-Encoding: base64

%s
--b3--
`, email, rt, inv.Subject, base64Lines(photo)))
	eventually(t, "the reply routed", func() bool { state, _, _ := inboundState(t, h, rt); return state == inbound.StateRouted })
	var id int64
	eventually(t, "a complaint opened", func() bool {
		return h.Schema.DB.Get(&id, `SELECT k.id FROM complaints k JOIN customers c ON c.id = k.customer_id WHERE c.email = $1`, email) == nil
	})
	cx := h.API(t, users.CX)
	status, body := getJSON(t, cx, fmt.Sprintf("%s/api/v1/complaints/%d", h.URL, id))
	var detail struct {
		Reply struct {
			Attachments []attachmentJSON `json:"attachments"`
		} `json:"reply"`
	}
	if err := json.Unmarshal([]byte(body), &detail); err != nil || status != http.StatusOK || len(detail.Reply.Attachments) != 1 ||
		detail.Reply.Attachments[0].Filename != "IMG_0042.JPG" {
		t.Fatalf("the reply's files in the API: %d %.600s", status, body)
	}
	aid := detail.Reply.Attachments[0].ID
	if status, got := getJSON(t, cx, fmt.Sprintf("%s/api/v1/complaints/%d/attachments/%d", h.URL, id, aid)); status != http.StatusOK || got != string(photo) {
		t.Errorf("the photo from the complaint: %d, %d bytes", status, len(got))
	}
	status, page := fetch(t, staffSession(t, h, users.CX), fmt.Sprintf("%s/cx/complaints/%d", h.URL, id))
	if status != http.StatusOK || !strings.Contains(page, fmt.Sprintf(`href="/cx/complaints/%d/attachments/%d"`, id, aid)) ||
		!strings.Contains(between(page, `id="reply-attachments"`, "</ul>"), "IMG_0042.JPG") {
		t.Errorf("the complaint page does not show the photo beside the reply (%d): %s", status, between(page, `id="comment"`, "</ul>"))
	}
}
