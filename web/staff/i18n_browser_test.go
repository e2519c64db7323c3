package staff_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
	"github.com/followup/followup/reports"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
)

// staffPage is one staff page the language test opens: its path, and the
// button to click there first when the page is the answer to a form.
type staffPage struct {
	name, path, click string
}

// i18nFixture is what the pages show: a campaign, followup's recovery
// campaign, an action plan.
type i18nFixture struct {
	campaign, recovery, action, complaint, customer int64
}

// staffPages lists the pages checked in both languages, one line each.
func staffPages(f i18nFixture) []staffPage {
	c := fmt.Sprintf("/marketing/campaigns/%d", f.campaign)
	return []staffPage{
		{name: "campaigns", path: "/marketing/campaigns"},
		{name: "campaign-new", path: "/marketing/campaigns/new"},
		{name: "campaign", path: c},
		{name: "campaign-edit", path: c + "/edit"},
		{name: "campaign-archive", path: c, click: `button[value=archive]`},
		{name: "campaign-preview", path: c + "/preview?lang=fr"},
		{name: "recovery-window", path: fmt.Sprintf("/marketing/campaigns/%d/edit", f.recovery)},
		{name: "surveys", path: "/marketing/surveys"},
		{name: "survey-new", path: "/marketing/surveys/new"},
		{name: "survey-edit", path: "/marketing/surveys/" + surveys.DefaultSlug},
		{name: "survey-duplicate", path: "/marketing/surveys/" + surveys.DefaultSlug + "/duplicate"},
		{name: "replies", path: "/cx/replies"},
		{name: "reports", path: "/manager/?from=2026-10-05&to=2026-10-25&grain=week"},
		{name: "scorecard", path: "/manager/scorecard?from=2026-10-01&to=2026-10-31"},
		{name: "compensation", path: "/manager/compensation"},
		{name: "weekly-report", path: "/manager/report?week=2026-W41"},
		{name: "actions", path: "/actions"},
		{name: "action", path: fmt.Sprintf("/actions/%d", f.action)},
		{name: "queue", path: "/cx/"},
		{name: "complaint", path: fmt.Sprintf("/cx/complaints/%d", f.complaint)},
		{name: "complaint-compensate", path: fmt.Sprintf("/cx/complaints/%d?open=compensate", f.complaint)},
		{name: "customer", path: fmt.Sprintf("/cx/customers/%d", f.customer)},
		{name: "customer-search", path: "/cx/customers?q=a"},
		{name: "labels", path: "/admin/labels"},
	}
}

// pageWords is what a person reads on a page: its text, its title and the
// words of its controls' labels and tooltips.
const pageWords = `(() => [document.title, document.body.innerText,
	...[...document.querySelectorAll('[title],[aria-label],[placeholder],[data-confirm]')].map(e =>
		[e.getAttribute('title'), e.getAttribute('aria-label'), e.getAttribute('placeholder'), e.getAttribute('data-confirm')].filter(Boolean).join(' '))
].join('\n'))()`

// dotted is a dotted lower-case identifier standing alone, such as
// "cx.queue.title": a key the catalogue did not turn into words.
var dotted = regexp.MustCompile(`(?:^|[\s(“«"'])([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)(?:$|[\s)”»"',;:!?])`)

// hosts are dotted words that are not keys: the domains of addresses.
var hosts = regexp.MustCompile(`\.(com|org|net|fr|test|example|local|invalid|js|css|csv|png|html)$`)

// printfArtefacts are what a text formatted with the wrong arguments shows.
var printfArtefacts = []string{"%!", "%s", "%d", "%v", "%[", "<no value>"}

// keyPattern matches any of keys standing alone.
func keyPattern(keys []string) *regexp.Regexp {
	quoted := make([]string, len(keys))
	for i, k := range keys {
		quoted[i] = regexp.QuoteMeta(k)
	}
	return regexp.MustCompile(`(?:^|[^\w.@/-])(` + strings.Join(quoted, "|") + `)(?:$|[^\w.-])`)
}

// pageProblems lists what is wrong with the words of a page: a catalogue
// key, a dotted identifier, a printf artefact.
func pageProblems(words string, keys *regexp.Regexp) []string {
	var out []string
	for _, m := range dotted.FindAllStringSubmatch(words, -1) {
		if !hosts.MatchString(m[1]) {
			out = append(out, "raw key "+m[1])
		}
	}
	for _, m := range keys.FindAllStringSubmatch(words, -1) {
		out = append(out, "catalogue key "+m[1])
	}
	for _, a := range printfArtefacts {
		if strings.Contains(words, a) {
			out = append(out, "printf artefact "+a)
		}
	}
	return out
}

func TestPageProblems(t *testing.T) {
	keys := keyPattern([]string{"login.title", "staff.signout"})
	for words, want := range map[string]int{
		"Sign in\nEmail": 0,
		"admin@followup.test · Europe/Paris · 0.7": 0,
		"Sign out login.title":                     2, // a dotted word, a key
		"cx.queue.title":                           1,
		"Last %d days":                             1,
		"%!d(string=x)":                            1,
		"Envoyé à <no value>":                      1,
		"see https://example.com/a.b.c for 12.5 %": 0,
	} {
		if got := pageProblems(words, keys); len(got) != want {
			t.Errorf("%q: %v, want %d problems", words, got, want)
		}
	}
}

// seedI18n makes what the staff pages show.
func seedI18n(t *testing.T, h *apptest.Harness, owner users.User) i18nFixture {
	t.Helper()
	ctx := context.Background()
	seedReports(t, h)
	var f i18nFixture
	choices, err := h.App.Scheduler.SurveyChoices(ctx)
	if err != nil || len(choices) == 0 {
		t.Fatalf("surveys: %v %v", choices, err)
	}
	c, err := h.App.Scheduler.Create(ctx, scheduler.Campaign{Name: "After delivery", SurveyID: choices[0].ID, Trigger: scheduler.TriggerEvent,
		EventKinds: []string{"delivery"}, Delay: 48 * time.Hour, Window: scheduler.DefaultWindow(), FrequencyCapDays: scheduler.DefaultCapDays,
		ReminderDays: []int{3}, InvitationTTL: scheduler.DefaultTTL, ScheduleTimeZone: "Europe/Paris"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	f.campaign = c.ID
	list, err := h.App.Scheduler.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.Trigger == scheduler.TriggerRecovery {
			f.recovery = c.ID
		}
	}
	if f.recovery == 0 {
		t.Fatal("no recovery campaign")
	}
	a, err := h.App.Reports.CreateAction(ctx, reports.ActionInput{Title: "Call back within the day", Kind: reports.Corrective,
		Cause: reports.Cause{Kind: reports.CauseRisk, Value: "temporal"}, OwnerID: owner.ID, StartsOn: "2026-10-14", DueOn: "2099-01-31"},
		reports.Actor{UserID: owner.ID, Manages: true}, time.Now(), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	f.action = a.ID
	if err := h.Schema.DB.QueryRow(`SELECT id, customer_id FROM complaints ORDER BY id LIMIT 1`).Scan(&f.complaint, &f.customer); err != nil {
		t.Fatalf("a complaint to show: %v", err)
	}
	return f
}

// TestStaffPagesInBothLanguages: an admin, who sees every section, opens
// every staff page in English (the browser's language), switches to
// French from the header, and opens them all again. No page shows a raw
// catalogue key or a printf artefact, each says its language in <html
// lang>, and no page reads the same in both. A full-page screenshot of
// each goes to $FOLLOWUP_SCREENSHOTS (a temporary directory by default).
func TestStaffPagesInBothLanguages(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true},
		Env: map[string]string{"FOLLOWUP_BAROMETER": "acknowledged_on_time>=90,satisfaction>=70"}})
	admin, _ := h.User(t, users.Admin)
	f := seedI18n(t, h, admin)
	dir := os.Getenv("FOLLOWUP_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	keys := keyPattern(templates.Keys())
	ctx := browser.New(t)
	p := browser.Page{T: t, Ctx: ctx}
	p.Do(browser.AcceptLanguage("en-US,en;q=0.9"))
	if err := browser.SignIn(ctx, h.URL, admin.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}

	read := map[string]string{} // "en/campaigns" -> the words of the page
	visit := func(locale string) {
		for _, pg := range staffPages(f) {
			t.Run(locale+"/"+pg.name, func(t *testing.T) {
				p := browser.Page{T: t, Ctx: ctx}
				p.Do(chromedp.Navigate(h.URL + pg.path))
				p.WaitText("body", "")
				if pg.click != "" {
					p.Do(chromedp.Click(chromedp.CSS(pg.click)))
					browser.WaitJS(ctx, t, `document.readyState === "complete" && !document.querySelector(`+fmt.Sprintf("%q", pg.click)+`)`)
				}
				lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
				if err != nil || lang != locale {
					t.Errorf("<html lang=%q> (%v), want %q", lang, err, locale)
				}
				words, err := chromedp.Run(ctx, chromedp.Evaluate[string](pageWords))
				if err != nil {
					t.Fatal(err)
				}
				for _, problem := range pageProblems(words, keys) {
					t.Errorf("%s shows a %s", pg.path, problem)
				}
				read[locale+"/"+pg.name] = words
				if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err != nil {
					t.Errorf("screenshot: %v", err)
				} else if err := os.WriteFile(filepath.Join(dir, locale+"-"+pg.name+".png"), png, 0o644); err != nil {
					t.Error(err)
				}
			})
		}
	}
	visit("en")

	// The switch in the header, on any page, turns them all to French.
	p.Do(chromedp.Navigate(h.URL+"/actions"), chromedp.Click(chromedp.CSS(`form.lang-switch button[value=fr]`)))
	p.WaitText("form.signout button", "Se déconnecter")
	if got := p.Text("h1"); got != "Plans d'action" {
		t.Errorf("after the switch, back on %q, want the action plans in French", got)
	}
	visit("fr")
	for _, pg := range staffPages(f) {
		if en, fr := read["en/"+pg.name], read["fr/"+pg.name]; en != "" && en == fr {
			t.Errorf("%s reads the same in English and French", pg.name)
		}
	}

	// The choice is the person's: it survives signing out and in, even
	// from a browser that asks for English.
	p.Do(chromedp.Click(chromedp.CSS(`form.signout button`)))
	p.WaitText("h1", "Sign in")
	if err := browser.SignIn(ctx, h.URL, admin.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}
	p.WaitText("form.signout button", "Se déconnecter")
	if u, err := h.App.Users.Get(context.Background(), admin.ID); err != nil || u.Locale != "fr" {
		t.Errorf("stored locale %q (%v), want fr", u.Locale, err)
	}
}

// TestSignInPageLanguage: the sign-in page speaks the browser's language
// (French for a French-Canadian browser, English otherwise), and ?lang=
// switches it.
func TestSignInPageLanguage(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	keys := keyPattern(templates.Keys())
	if !slices.Contains(templates.Keys(), "login.title") {
		t.Error("the catalogue lacks login.title")
	}
	for _, tc := range []struct {
		accept, query, lang, h1, button string
	}{
		{"fr-CA,fr;q=0.9", "", "fr", "Connexion", "Se connecter"},
		{"en-US,en;q=0.9", "", "en", "Sign in", "Sign in"},
		{"de-DE,de;q=0.9", "", "en", "Sign in", "Sign in"},
		{"en-US,en;q=0.9", "?lang=fr", "fr", "Connexion", "Se connecter"},
		{"fr-CA,fr;q=0.9", "?lang=en", "en", "Sign in", "Sign in"},
	} {
		t.Run(tc.accept+tc.query, func(t *testing.T) {
			ctx := browser.New(t)
			p := browser.Page{T: t, Ctx: ctx}
			p.Do(browser.AcceptLanguage(tc.accept), chromedp.Navigate(h.URL+"/login"+tc.query))
			p.WaitText("h1", tc.h1)
			if got := p.Text(`form[action="/login"] button`); got != tc.button {
				t.Errorf("button %q, want %q", got, tc.button)
			}
			lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
			if err != nil || lang != tc.lang {
				t.Errorf("<html lang=%q> (%v), want %q", lang, err, tc.lang)
			}
			words, err := chromedp.Run(ctx, chromedp.Evaluate[string](pageWords))
			if err != nil {
				t.Fatal(err)
			}
			if problems := pageProblems(words, keys); len(problems) > 0 {
				t.Errorf("the sign-in page shows %v", problems)
			}
			// A wrong password is said in the page's language.
			p.Do(chromedp.SendKeys(chromedp.CSS(`#l-email`), "nobody@example.com"),
				chromedp.SendKeys(chromedp.CSS(`#l-password`), "not the password"),
				chromedp.Click(chromedp.CSS(`form[action="/login"] button`)))
			p.WaitText(".alert", map[string]string{"en": "Wrong email or password.", "fr": "Adresse e-mail ou mot de passe incorrect."}[tc.lang])
		})
	}
}
