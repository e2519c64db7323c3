package templates

import (
	"regexp"
	"slices"
	"testing"
)

// verb matches a printf verb, with its flags, argument index and width.
var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// verbs lists the printf verbs of a text, %% left out, in order of their
// arguments: "%[2]s %[1]d" gives [%[1]d %[2]s].
func verbs(text string) []string {
	var out []string
	for _, v := range verb.FindAllString(text, -1) {
		if v != "%%" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

// TestCatalogIsComplete: every text exists in English and French, and both
// take the same arguments (a French text missing a %s would print
// "%!(EXTRA ...)" on a page).
func TestCatalogIsComplete(t *testing.T) {
	if len(catalog) != len(Locales) {
		t.Errorf("the catalog has %d languages, the templates %d", len(catalog), len(Locales))
	}
	for key, en := range catalog["en"] {
		fr, ok := catalog["fr"][key]
		if !ok {
			t.Errorf("%q has no French text", key)
			continue
		}
		if !slices.Equal(verbs(en), verbs(fr)) {
			t.Errorf("%q: English takes %v, French %v", key, verbs(en), verbs(fr))
		}
	}
	for key := range catalog["fr"] {
		if _, ok := catalog["en"][key]; !ok {
			t.Errorf("%q has no English text", key)
		}
	}
}

func TestVerbs(t *testing.T) {
	for text, want := range map[string][]string{
		"%d held":                   {"%d"},
		"%[2]s : %[1]s":             {"%[1]s", "%[2]s"},
		"100 %% sûr, %s, %.1f, %5d": {"%.1f", "%5d", "%s"},
		"nothing":                   nil,
	} {
		if got := verbs(text); !slices.Equal(got, want) {
			t.Errorf("verbs(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestMissingTextIsNotEnglish: a text missing in French shows its key (the
// page test looks for keys), never the English text.
func TestMissingTextIsNotEnglish(t *testing.T) {
	register(map[string]map[string]string{"en": {"test.only.english": "Only English"}})
	defer func() {
		bundleMu.Lock()
		delete(catalog["en"], "test.only.english")
		localizers = nil
		bundleMu.Unlock()
	}()
	if got := T("en", "test.only.english"); got != "Only English" {
		t.Errorf("en: %q", got)
	}
	if got := T("fr", "test.only.english"); got != "test.only.english" {
		t.Errorf("fr: %q, want the key", got)
	}
}

// TestPluralForms: French puts 0 and 1 in the singular, English only 1.
func TestPluralForms(t *testing.T) {
	for _, tc := range []struct {
		locale string
		n      int
		want   string
	}{
		{"en", 0, "0 days"}, {"en", 1, "1 day"}, {"en", 2, "2 days"},
		{"fr", 0, "0 jour"}, {"fr", 1, "1 jour"}, {"fr", 2, "2 jours"}, {"fr", 1000000, "1000000 jours"},
	} {
		if got := N(tc.locale, "campaign.days", tc.n); got != tc.want {
			t.Errorf("N(%s, %d) = %q, want %q", tc.locale, tc.n, got, tc.want)
		}
	}
}

func TestMatchLocale(t *testing.T) {
	for header, want := range map[string]string{
		"fr-CA,fr;q=0.9":            "fr",
		"en-US,en;q=0.9":            "en",
		"de-DE,fr;q=0.5,en;q=0.4":   "fr",
		"de-DE":                     "en",
		"":                          "en",
		"garbage;;;":                "en",
		"fr-CA;q=0.9;q=0.9, de":     "en",
		"x_y, fr-CA;q=0.5":          "fr",
		"fr":                        "fr",
		"en-GB,en;q=0.9,fr;q=0.8":   "en",
		"nl-BE, fr-BE;q=0.8, *;q=0": "fr",
	} {
		if got := MatchLocale(header); got != want {
			t.Errorf("MatchLocale(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestSendWindow(t *testing.T) {
	if got := SendWindow("en", 9, 19, []int{1, 2, 7}); got != "9:00–19:00 Mon,Tue,Sun" {
		t.Errorf("en: %q", got)
	}
	if got := SendWindow("fr", 9, 19, []int{1, 2, 7}); got != "9 h–19 h lun., mar., dim." {
		t.Errorf("fr: %q", got)
	}
}
