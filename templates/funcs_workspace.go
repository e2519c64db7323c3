package templates

func init() {
	htmlFuncs["tOr"] = TOr
}

// TOr returns the text for key in locale (English when missing), or
// fallback when neither has it: codes a page names in words when it knows
// them (a state added later shows as stored).
func TOr(locale, key, fallback string) string {
	if s, ok := catalog[locale][key]; ok {
		return s
	}
	if s, ok := catalog["en"][key]; ok {
		return s
	}
	return fallback
}
