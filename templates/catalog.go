package templates

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
)

// The catalog's texts are looked up through go-i18n: one message per key,
// and one plural message per pair "key.one" / "key.other" (CLDR plural
// rules pick the form: French says "0 invitation", English "0
// invitations"). A key missing in a language is never taken from another:
// T shows the key itself, which the catalog and page tests catch.

var (
	bundleMu   sync.Mutex
	localizers map[string]*i18n.Localizer
)

// supported are the catalog's languages, English first: the language of a
// browser that asks for none of them.
var supported = []language.Tag{language.English, language.French}

var matcher = language.NewMatcher(supported)

// identity keeps texts as they are: they are printf formats, and "{{" in a
// text is literal.
var identity = template.IdentityParser{}

// localizer returns the localizer of locale (a catalog language, else the
// language it matches best), building the bundle on first use.
func localizer(locale string) *i18n.Localizer {
	bundleMu.Lock()
	defer bundleMu.Unlock()
	if localizers == nil {
		localizers = buildLocalizers()
	}
	if l, ok := localizers[locale]; ok {
		return l
	}
	return localizers[MatchLocale(locale)]
}

// buildLocalizers makes the bundle of every registered text.
func buildLocalizers() map[string]*i18n.Localizer {
	bundle := i18n.NewBundle(language.English)
	out := map[string]*i18n.Localizer{}
	for locale, texts := range catalog {
		tag := language.Make(locale)
		msgs := make([]*i18n.Message, 0, len(texts))
		for key, text := range texts {
			msgs = append(msgs, &i18n.Message{ID: key, Other: text})
			if base, ok := strings.CutSuffix(key, ".other"); ok {
				one, hasOne := texts[base+".one"]
				if _, taken := texts[base]; hasOne && !taken {
					msgs = append(msgs, &i18n.Message{ID: base, One: one, Many: text, Other: text})
				}
			}
		}
		bundle.MustAddMessages(tag, msgs...)
		out[locale] = i18n.NewLocalizer(bundle, locale)
	}
	return out
}

// lookup returns the text of key in locale, and false when locale lacks it.
func lookup(locale, key string, count any) (string, bool) {
	s, err := localizer(locale).Localize(&i18n.LocalizeConfig{MessageID: key, PluralCount: count, TemplateParser: identity})
	var missing *i18n.MessageNotFoundErr
	if errors.As(err, &missing) || s == "" && err != nil {
		return key, false
	}
	return s, true
}

// T returns the text for key in locale, formatted with args when the text
// has verbs; the key itself when locale has no such text (a bug the
// catalog test reports).
func T(locale, key string, args ...any) string {
	s, ok := lookup(locale, key, nil)
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// N returns the text of key for a count of n, in the plural form locale
// uses for n (texts "key.one" and "key.other"), formatted with args, or
// with n when there are none.
func N(locale, key string, n int, args ...any) string {
	s, ok := lookup(locale, key, n)
	if !ok {
		return key
	}
	if len(args) == 0 {
		args = []any{n}
	}
	return fmt.Sprintf(s, args...)
}

// Keys lists the catalog's keys, for tests that look for a raw key on a
// page.
func Keys() []string {
	bundleMu.Lock()
	defer bundleMu.Unlock()
	keys := make([]string, 0, len(catalog["en"]))
	for k := range catalog["en"] {
		keys = append(keys, k)
	}
	return keys
}

// MatchLocale returns the catalog language closest to the language tags
// of an Accept-Language header (or a single tag), English when none is
// close.
func MatchLocale(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil { // one bad entry: keep the others, in their order
		tags = tags[:0]
		for _, part := range strings.Split(acceptLanguage, ",") {
			if t, _, err := language.ParseAcceptLanguage(part); err == nil {
				tags = append(tags, t...)
			}
		}
	}
	if len(tags) == 0 {
		return "en"
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return "en"
	}
	base, _ := supported[i].Base()
	return base.String()
}
