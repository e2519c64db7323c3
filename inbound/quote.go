package inbound

import (
	"regexp"
	"strings"
)

// The lines where a mail client starts the quoted original, in English and
// French, as Gmail, Outlook, Apple Mail and Thunderbird write them.
var (
	// Gmail, Apple Mail, Thunderbird: "On Mon, 1 Dec 2026 at 10:00, Acme
	// <x@y> wrote:", "Le lun. 1 déc. 2026 à 10:00, Acme <x@y> a écrit :".
	// Gmail wraps the line: it is read joined with the next.
	attributionRE = regexp.MustCompile(`(?i)^(on\s.{4,300}\swrote|le\s.{4,300}\sa\s+écrit)\s*:\s*$`)
	// Outlook's separators.
	separatorRE = regexp.MustCompile(`(?i)^(-{2,}\s*(original message|message d'origine|forwarded message|message transféré)\s*-{2,}|_{10,})\s*$`)
	// Outlook's header block of the original: "From: ..." then "Sent:" or
	// "Date:" (French: "De :", "Envoyé :").
	headerFromRE = regexp.MustCompile(`(?i)^\*?(from|de)\s?:\*?\s.+`)
	headerNextRE = regexp.MustCompile(`(?i)^\*?(sent|date|envoyé|to|à|subject|objet)\s?:\*?\s.*`)
	// Signatures a client adds (and the RFC 3676 delimiter "-- ").
	signatureRE = regexp.MustCompile(`(?i)^(--\s?|sent from my .{1,40}|envoyé (de|depuis) mon .{1,40}|get outlook for .{1,30}|télécharger outlook pour .{1,30}|obtenir outlook pour .{1,30})$`)
)

// NewWords is what a customer wrote in a reply, without the original it
// quotes (after the client's attribution line, its separator, its header
// block, or the lines beginning with '>') and without the signature.
func NewWords(text string) string {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\u00a0", " ")
	lines := strings.Split(text, "\n")
	cut := len(lines)
	for i := 0; i < len(lines) && cut == len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		switch {
		case line == "":
		case attributionRE.MatchString(line), separatorRE.MatchString(line), signatureRE.MatchString(lines[i]) || signatureRE.MatchString(line):
			cut = i
		case i+1 < len(lines) && attributionRE.MatchString(line+" "+strings.TrimSpace(lines[i+1])):
			cut = i
		case i+2 < len(lines) && attributionRE.MatchString(line+" "+strings.TrimSpace(lines[i+1])+" "+strings.TrimSpace(lines[i+2])):
			cut = i
		case headerFromRE.MatchString(line) && i+1 < len(lines) && headerNextRE.MatchString(strings.TrimSpace(lines[i+1])):
			cut = i
		case strings.HasPrefix(line, ">") && quotedToEnd(lines[i:]):
			cut = i
		}
	}
	var kept []string
	for _, l := range lines[:cut] {
		if !strings.HasPrefix(strings.TrimSpace(l), ">") {
			kept = append(kept, strings.TrimRight(l, " \t"))
		}
	}
	return strings.TrimSpace(strings.Join(kept, "\n"))
}

// quotedToEnd says whether every line left is quoted or blank.
func quotedToEnd(lines []string) bool {
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, ">") {
			return false
		}
	}
	return true
}
