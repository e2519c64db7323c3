package templates

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"io/fs"
	"maps"
	"strconv"
	"strings"
	texttemplate "text/template"
	"unicode"
	"unicode/utf8"

	"github.com/followup/followup/labels"
	"github.com/followup/followup/reports"
	"github.com/followup/followup/surveys"
)

//go:embed email/*.txt email/*.html pages/*.html static/* drafts/*.txt
var files embed.FS

// Static serves the pages' stylesheet and other assets.
func Static() fs.FS {
	sub, _ := fs.Sub(files, "static")
	return sub
}

// Locales the templates exist in.
var Locales = []string{"en", "fr"}

// Brand is the company identity shown to customers.
type Brand struct {
	Name    string
	LogoURL string
	Color   string
	// TextColor is the colour of text on Color (buttons); white when empty.
	TextColor string
	// ContactEmail and ContactURL are how customers reach the team (the
	// CX reply address, a contact page), offered where a survey link can
	// no longer be answered; either may be empty.
	ContactEmail string
	ContactURL   string
}

// Set is the parsed templates, ready to render.
type Set struct {
	brand Brand
	text  map[string]*texttemplate.Template // "invitation.en" -> subject, preheader, text
	html  map[string]*htmltemplate.Template // "invitation.en" -> html
	pages *htmltemplate.Template
	// drafts are the reply templates agents start from, per locale.
	drafts *texttemplate.Template
	// admin are the names admins gave codes (SetNames), nil for none.
	admin labels.Lookup
}

// New parses every embedded template.
func New(brand Brand) (*Set, error) {
	if brand.TextColor == "" {
		brand.TextColor = "#ffffff"
	}
	s := &Set{brand: brand, text: map[string]*texttemplate.Template{}, html: map[string]*htmltemplate.Template{}}
	textFns, htmlFns := maps.Clone(textFuncs), maps.Clone(htmlFuncs)
	textFns["label"], htmlFns["label"] = s.Label, s.Label
	htmlFns["causeLabel"] = func(c reports.Cause) string { return s.CauseLabel("en", c) }
	// The staff pages' names of risks and signals take the admins' names too.
	htmlFns["riskName"] = func(r string) string { return s.Label("en", "risk", r) }
	htmlFns["riskLabel"] = func(r surveys.Risk) string { return s.Label("en", "risk", string(r)) }
	htmlFns["signalLabel"] = func(k string) string { return s.Label("en", "signal", k) }
	htmlFns["causeLabelIn"] = s.CauseLabel
	htmlFns["riskLabelIn"] = func(locale string, r surveys.Risk) string { return s.Label(locale, "risk", string(r)) }
	names, err := fs.Glob(files, "email/*.txt")
	if err != nil {
		return nil, err
	}
	for _, path := range names {
		key := strings.TrimSuffix(strings.TrimPrefix(path, "email/"), ".txt")
		t, err := texttemplate.New(key).Funcs(textFns).ParseFS(files, path)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", path, err)
		}
		s.text[key] = t
		h, err := htmltemplate.New(key).Funcs(htmlFns).ParseFS(files, "email/"+key+".html", "email/layout.html")
		if err != nil {
			return nil, fmt.Errorf("parse email/%s.html: %w", key, err)
		}
		s.html[key] = h
	}
	s.pages, err = htmltemplate.New("pages").Funcs(htmlFns).ParseFS(files, "pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse pages: %w", err)
	}
	s.drafts, err = texttemplate.New("drafts").Funcs(textFns).ParseFS(files, "drafts/*.txt")
	if err != nil {
		return nil, fmt.Errorf("parse reply drafts: %w", err)
	}
	return s, nil
}

// Brand returns the brand the set renders with.
func (s *Set) Brand() Brand { return s.brand }

// Email is a rendered email.
type Email struct {
	Subject   string
	Preheader string
	Text      string
	HTML      string
}

// EmailData is what every email template receives.
type EmailData struct {
	Brand  Brand
	Locale string
	// Data is the template's own content.
	Data any
}

// RenderEmail renders the email called name (invitation...) in locale,
// falling back to English.
func (s *Set) RenderEmail(name, locale string, data any) (Email, error) {
	key := name + "." + locale
	if _, ok := s.text[key]; !ok {
		key = name + ".en"
	}
	tt, ok := s.text[key]
	if !ok {
		return Email{}, fmt.Errorf("no email template %q", name)
	}
	d := EmailData{Brand: s.brand, Locale: locale, Data: data}
	var out Email
	var b bytes.Buffer
	for _, part := range []struct {
		name string
		dst  *string
	}{{"subject", &out.Subject}, {"preheader", &out.Preheader}, {"text", &out.Text}} {
		b.Reset()
		if err := tt.ExecuteTemplate(&b, part.name, d); err != nil {
			return Email{}, fmt.Errorf("render %s %s: %w", key, part.name, err)
		}
		*part.dst = strings.TrimSpace(b.String())
	}
	out.Subject = strings.Join(strings.Fields(out.Subject), " ")
	out.Preheader = strings.Join(strings.Fields(out.Preheader), " ")
	b.Reset()
	if err := s.html[key].ExecuteTemplate(&b, "layout", struct {
		EmailData
		Preheader string
	}{d, out.Preheader}); err != nil {
		return Email{}, fmt.Errorf("render %s html: %w", key, err)
	}
	out.HTML = b.String()
	return out, nil
}

// PageData is what every page template receives.
type PageData struct {
	Brand  Brand
	Locale string
	Title  string
	// User is who is signed in, on staff pages.
	User *PageUser
	// CSRF goes in a hidden "csrf" field of every staff form.
	CSRF string
	// AltLocaleURL switches the page to the other language, when offered.
	AltLocaleURL string
	// Back is the address of the page, where the staff header's language
	// switch comes back to.
	Back string
	// Data is the page's own content.
	Data any
}

// PageUser is the signed-in person, as staff pages show them.
type PageUser struct {
	Name string
	// Role is the person's role, in the page's language.
	Role string
	// Nav are the sections this person may open.
	Nav []NavLink
}

// NavLink is one entry of the staff navigation.
type NavLink struct {
	Href, Label string
}

// RenderPage writes the page called name.
func (s *Set) RenderPage(w io.Writer, name string, d PageData) error {
	d.Brand = s.brand
	var b bytes.Buffer
	if err := s.pages.ExecuteTemplate(&b, name, d); err != nil {
		return fmt.Errorf("render page %s: %w", name, err)
	}
	_, err := b.WriteTo(w)
	return err
}

// ReplyDraft writes the reply an agent starts from, in locale (English
// when the locale has none): it follows the steps for difficult customers,
// with [bracketed] parts the agent must fill in.
func (s *Set) ReplyDraft(locale string, d ReplyDraft) (string, error) {
	name := "reply." + locale + ".txt"
	if s.drafts.Lookup(name) == nil {
		name = "reply.en.txt"
	}
	var b bytes.Buffer
	if err := s.drafts.ExecuteTemplate(&b, name, struct {
		ReplyDraft
		Brand string
	}{d, s.brand.Name}); err != nil {
		return "", fmt.Errorf("render reply draft: %w", err)
	}
	return b.String(), nil
}

// paragraphs splits text on blank lines.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.Trim(p, "\n"); strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

var textFuncs = texttemplate.FuncMap{
	"t":    T,
	"tn":   N,
	"date": FormatDate,
	"days": Days,
}

var htmlFuncs = htmltemplate.FuncMap{
	"t":           T,
	"tn":          N,
	"date":        FormatDate,
	"days":        Days,
	"brandHeader": BrandHeader,
	"seq": func(lo, hi int) []int {
		out := make([]int, 0, hi-lo+1)
		for i := lo; i <= hi; i++ {
			out = append(out, i)
		}
		return out
	},
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	"safeURL": func(s string) htmltemplate.URL { return htmltemplate.URL(s) },
	"percent": func(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + " %" },
	"title": func(s string) string {
		if s == "" {
			return s
		}
		r, n := utf8.DecodeRuneInString(s)
		return string(unicode.ToUpper(r)) + s[n:]
	},
	"add":        func(a, b int) int { return a + b },
	"paragraphs": paragraphs,
	"money":      Money,
	"deref": func(v any) any {
		switch p := v.(type) {
		case *int64:
			if p != nil {
				return *p
			}
			return int64(0)
		case *int:
			if p != nil {
				return *p
			}
			return 0
		case *bool:
			return p != nil && *p
		case *float64:
			if p != nil {
				return *p
			}
			return 0.0
		}
		return v
	},
	"lines": func(p string) []string { return strings.Split(p, "\n") },
}

// Money writes an amount in cents as the staff pages show it: 25.50.
func Money(cents int64) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }
