package public_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
	"github.com/followup/followup/users"
)

// a11yProblems lists, in the page, what a person using a phone, a screen
// reader or low vision would trip on: controls without a label, choices
// outside a fieldset with a legend, a page wider than the screen, touch
// targets under 40 px, text with a contrast under 4.5:1 (WCAG AA).
const a11yProblems = `(() => {
  const out = [];
  if (!document.documentElement.lang) out.push('no lang on <html>');
  for (const el of document.querySelectorAll('form input, form textarea, form select')) {
    if (el.type === 'hidden') continue;
    if (el.labels.length === 0 && !el.getAttribute('aria-labelledby')) out.push('no label: ' + el.name);
    if ((el.type === 'radio' || el.type === 'checkbox') && !el.closest('fieldset')?.querySelector('legend')) out.push('no legend: ' + el.name);
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push('page wider than the screen: ' + document.documentElement.scrollWidth);
  for (const el of document.querySelectorAll('label.pt, label.choice, button')) {
    if (el.getBoundingClientRect().height < 40) out.push('small touch target: ' + el.textContent.trim().slice(0, 30));
  }
  const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const bg = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c; } return [255, 255, 255]; };
  for (const el of document.querySelectorAll('h1, p, legend, label, small, .err, button, a')) {
    if (!el.textContent.trim() || el.getBoundingClientRect().width === 0) continue;
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(bg(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) out.push('contrast ' + ratio.toFixed(2) + ': ' + el.tagName + ' ' + el.textContent.trim().slice(0, 30));
  }
  return out;
})()`

// TestSurveyPageOnAPhone checks the survey page, its error state and the
// thank-you page on a phone-sized screen for labels, legends, width, touch
// targets and contrast.
func TestSurveyPageOnAPhone(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	link := invite(t, h, customer{ref: "phone", locale: "fr"}, 1)
	ctx := browser.New(t)
	check := func(state string) {
		t.Helper()
		problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](a11yProblems))
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) > 0 {
			t.Errorf("%s: %s", state, strings.Join(problems, "; "))
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 740), chromedp.Navigate(link)); err != nil {
		t.Fatal(err)
	}
	check("survey page")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#errors`))); err != nil {
		t.Fatal(err)
	}
	check("survey page with errors")
	if dir := os.Getenv("FOLLOWUP_SCREENSHOTS"); dir != "" {
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err == nil {
			_ = os.WriteFile(filepath.Join(dir, "survey-phone-errors.png"), png, 0o644)
		}
	}
	u, _ := h.User(t, users.Marketing)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(h.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS(`#l-email`), u.Email),
		chromedp.SendKeys(chromedp.CSS(`#l-password`), apptest.Password),
		chromedp.Submit(chromedp.CSS(`#l-password`)),
		chromedp.WaitVisible(chromedp.CSS(`header nav`)),
		chromedp.Navigate(h.URL+"/marketing/surveys/new?lang=fr"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=q0_key]`)),
	); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("FOLLOWUP_SCREENSHOTS"); dir != "" {
		if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
			_ = os.WriteFile(filepath.Join(dir, "editor-phone.png"), png, 0o644)
		}
	}
	wide, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)`))
	t.Logf("elements past the right edge: %v", wide)
	check("survey editor")

	// The checker itself catches a control without a label and faint text
	// (coloured from script: the Content-Security-Policy refuses inline
	// style attributes).
	problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const f = document.querySelector('form');
		f.insertAdjacentHTML('afterbegin', '<input name="unlabelled"><p id="faint">faint text</p>');
		document.getElementById('faint').style.color = '#bbb';
		return `+a11yProblems+`;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(problems, "; "); !strings.Contains(got, "no label: unlabelled") || !strings.Contains(got, "faint text") {
		t.Errorf("the accessibility checker missed planted problems: %q", got)
	}
}
