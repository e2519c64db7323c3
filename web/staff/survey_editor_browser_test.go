package staff_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
	"github.com/followup/followup/users"
)

// TestSurveyEditorSaysEveryProblemAtOnce is issue 14's story for the
// survey editor: a new survey with five wrong fields (no name, a slug in
// capitals, a threshold of 160, a question key with spaces, no French
// wording) shows five messages after one save, each next to its field
// (the question's included), with a summary linking to them; what was
// typed is kept, and once fixed the survey saves.
func TestSurveyEditorSaysEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	mk, _ := h.User(t, users.Marketing)
	ctx := browser.New(t)
	if err := browser.SignIn(ctx, h.URL, mk.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}
	page := browser.Page{T: t, Ctx: ctx}
	page.Do(chromedp.Navigate(h.URL+"/marketing/surveys/new"),
		chromedp.WaitVisible(chromedp.CSS(`#f-name`)),
		chromedp.SendKeys(chromedp.CSS(`#f-slug`), "After Repair"),
		chromedp.SetValue(chromedp.CSS(`#f-thresholds-procedural`), "160"),
		chromedp.SendKeys(chromedp.CSS(`#q0-key`), "Overall score"),
		chromedp.SendKeys(chromedp.CSS(`#q0-text-en`), "It was fair."),
		chromedp.Click(chromedp.CSS(`button[value=save]`)),
		chromedp.WaitVisible(chromedp.CSS(`#form-errors`)),
	)
	fields := []struct{ input, message, says string }{
		{"f-name", "e-name", "is required (at most 200 characters)"},
		{"f-slug", "e-slug", "must be lower-case letters, digits and dashes"},
		{"f-thresholds-procedural", "e-thresholds-procedural", "must be between 0 and 100"},
		{"q0-key", "e-q0-key", "must be lower-case letters, digits and underscores"},
		{"q0-text-fr", "e-q0-text-fr", "needs wording in en and fr"},
	}
	for _, f := range fields {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const i = document.getElementById('`+f.input+`');
			const m = document.getElementById((i.getAttribute('aria-describedby') || 'none').split(' ')[0]);
			return i.getAttribute('aria-invalid') === 'true' && m && m.id === '`+f.message+`' ? m.textContent : '';
		})()`))
		if err != nil || !strings.Contains(got, f.says) {
			t.Errorf("#%s: message %q (%v), want one saying %q", f.input, got, err, f.says)
		}
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[aria-invalid=true]').length`)); n != len(fields) {
		t.Errorf("%d fields marked invalid, want %d", n, len(fields))
	}
	links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#form-errors li a')].map(a => a.getAttribute('href') + ' ' + a.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"#f-name Name: is required (at most 200 characters)",
		"#f-slug Slug: must be lower-case letters, digits and dashes",
		"#f-thresholds-procedural Thresholds · Process: must be between 0 and 100",
		"#q0-key Question 1 · Key (lower-case letters, digits, _): must be lower-case letters, digits and underscores, starting with a letter",
		"#q0-text-fr Question 1 · Wording in French: needs wording in en and fr",
	}
	if strings.Join(links, "\n") != strings.Join(want, "\n") {
		t.Errorf("summary:\n%s\nwant:\n%s", strings.Join(links, "\n"), strings.Join(want, "\n"))
	}
	// What was typed is kept for the fix.
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#q0-text-en`))); v != "It was fair." {
		t.Errorf("English wording after the error: %q", v)
	}
	page.Do(chromedp.SendKeys(chromedp.CSS(`#f-name`), "After a repair"),
		chromedp.SetValue(chromedp.CSS(`#f-slug`), "after-repair"),
		chromedp.SetValue(chromedp.CSS(`#f-thresholds-procedural`), "60"),
		chromedp.SetValue(chromedp.CSS(`#q0-key`), "fair"),
		chromedp.SendKeys(chromedp.CSS(`#q0-text-fr`), "C'était juste."),
		chromedp.Click(chromedp.CSS(`button[value=save]`)),
	)
	page.WaitText(`[role=status]`, "Saved as version 1")
}
