package app_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/mail/capture"
	"github.com/followup/followup/users"
)

// ratingLinkRE is one button of the email's rating row: <a href="...?score=N" ...>N</a>.
var ratingLinkRE = regexp.MustCompile(`<a href="([^"]*[?&](?:amp;)?score=(\d+))"[^>]*>\s*(\d+)\s*</a>`)

// ratingLinksIn returns the one-click rating links of the email's HTML part,
// by the score they show.
func ratingLinksIn(t *testing.T, p *capture.Parsed) map[int]string {
	t.Helper()
	out := map[int]string{}
	for _, m := range ratingLinkRE.FindAllStringSubmatch(p.HTML(), -1) {
		if m[2] != m[3] {
			t.Errorf("the button showing %s links to score %s", m[3], m[2])
		}
		n, _ := strconv.Atoi(m[3])
		out[n] = html.UnescapeString(m[1])
	}
	return out
}

var (
	formRE  = regexp.MustCompile(`(?s)<form method="post" action="([^"]*)"[^>]*>(.*?)</form>`)
	inputRE = regexp.MustCompile(`<input ([^>]*)>`)
	attrRE  = regexp.MustCompile(`(\w+)(?:="([^"]*)")?`)
)

// pageForm reads the survey page's form as a browser would submit it
// untouched: its action, resolved against the page, and the values of its
// hidden inputs and checked radio buttons and boxes.
func pageForm(t *testing.T, pageURL, page string) (string, url.Values) {
	t.Helper()
	m := formRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form on the page: %.500s", page)
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		t.Fatal(err)
	}
	action, err := base.Parse(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{}
	for _, in := range inputRE.FindAllStringSubmatch(m[2], -1) {
		attrs := map[string]string{}
		for _, a := range attrRE.FindAllStringSubmatch(in[1], -1) {
			attrs[a[1]] = html.UnescapeString(a[2])
		}
		_, checked := attrs["checked"]
		switch attrs["type"] {
		case "hidden":
			form.Add(attrs["name"], attrs["value"])
		case "radio", "checkbox":
			if checked {
				form.Add(attrs["name"], attrs["value"])
			}
		}
	}
	return action.String(), form
}

// TestOneClickRatingFromTheDeliveredEmail follows a rating button of an
// email that went through SMTP: opening it (as a mail scanner or the
// person does) shows the score chosen and stores nothing; the person's
// sending the page's form stores the answer with that score.
func TestOneClickRatingFromTheDeliveredEmail(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{})
	seedCampaign(t, h)
	const email = "clicker@example.com"
	if status, body := postJSON(t, h.API(t, users.Marketing), h.URL+"/api/v1/events",
		event("clicker", "en", email, h.App.Clock.Now().Add(-3*time.Hour))); status != http.StatusAccepted {
		t.Fatalf("event: %d %v", status, body)
	}
	links := ratingLinksIn(t, h.WaitMail(t, email, "how did we do"))
	if len(links) != 11 {
		t.Fatalf("rating row of %d buttons, want 0 to 10: %v", len(links), links)
	}
	const score = 8
	link := links[score]
	if !strings.HasPrefix(link, h.URL+"/") {
		t.Fatalf("rating link %q is not on %s", link, h.URL)
	}

	// A scanner opens every link; the person opens theirs. Nothing is stored.
	var page string
	for range 2 {
		var status int
		status, page = get(t, link)
		if status != http.StatusOK {
			t.Fatalf("opening the rating link: %d %.300s", status, page)
		}
	}
	if !strings.Contains(page, `name="overall" value="8" checked`) || strings.Count(page, " checked>") != 1 ||
		!strings.Contains(html.UnescapeString(page), "You chose 8 in the email") {
		t.Fatalf("the page does not show 8 (alone) pre-selected: %.2000s", page)
	}
	if n := responses(t, h); n != 0 {
		t.Fatalf("opening a rating link stored %d responses", n)
	}

	// The person confirms: the page's form as it came, plus their answers
	// to the other questions.
	action, form := pageForm(t, link, page)
	if got := form["overall"]; len(got) != 1 || got[0] != "8" {
		t.Fatalf("the form would send overall=%v, want the 8 clicked", got)
	}
	for k, v := range answers(0, 4, "Quick and friendly.") {
		if _, set := form[k]; !set {
			form[k] = v
		}
	}
	resp, body := postForm(t, action, form)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "/thanks") {
		t.Fatalf("sending the page: %d %.500s", resp.StatusCode, body)
	}
	var overall, n int
	if err := h.Schema.DB.QueryRow(`SELECT (answers->>'overall')::int, count(*) OVER () FROM responses`).Scan(&overall, &n); err != nil {
		t.Fatal(err)
	}
	if n != 1 || overall != score {
		t.Errorf("%d responses, overall %d; want 1 with the %d clicked in the email", n, overall, score)
	}
}

func responses(t *testing.T, h *apptest.Harness) int {
	t.Helper()
	var n int
	if err := h.Schema.DB.Get(&n, `SELECT count(*) FROM responses`); err != nil {
		t.Fatal(err)
	}
	return n
}
