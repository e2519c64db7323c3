package templates

import (
	"fmt"

	"github.com/followup/followup/scheduler"
)

// reasonCounts says how a suppression reason counts the invitations it
// stopped: held back by a rule, not sent to an address that must not be
// written to, or withdrawn by a decision.
var reasonCounts = map[string]string{
	scheduler.ReasonFrequencyCap:        "held",
	scheduler.ReasonOptedOut:            "not_sent",
	scheduler.ReasonAddressBounced:      "not_sent",
	scheduler.ReasonAddressUnsubscribed: "not_sent",
	scheduler.ReasonCampaignArchived:    "withdrawn",
	scheduler.ReasonComplaintReopened:   "withdrawn",
}

func init() { register(reasonTexts) }

// reasonTexts are the words of why invitations were not sent, one per
// scheduler reason: %[1]s is the count ("24 held"), %[2]s the campaign's
// frequency cap ("30 days").
var reasonTexts = map[string]map[string]string{
	"en": {
		"campaign.count.held.one":              "%d held",
		"campaign.count.held.other":            "%d held",
		"campaign.count.not_sent.one":          "%d not sent",
		"campaign.count.not_sent.other":        "%d not sent",
		"campaign.count.withdrawn.one":         "%d withdrawn",
		"campaign.count.withdrawn.other":       "%d withdrawn",
		"campaign.days.one":                    "%d day",
		"campaign.days.other":                  "%d days",
		"campaign.reason.frequency_cap":        "%[1]s: the customer was surveyed less than %[2]s ago",
		"campaign.reason.frequency_cap.nocap":  "%[1]s: the customer had just been surveyed by another campaign",
		"campaign.reason.opted_out":            "%[1]s: the customer asked to receive no more surveys",
		"campaign.reason.address_bounced":      "%[1]s: the address bounced before (its mail server refused it for good)",
		"campaign.reason.address_unsubscribed": "%[1]s: the address was unsubscribed from our emails",
		"campaign.reason.campaign_archived":    "%[1]s: the campaign was archived before they went out",
		"campaign.reason.complaint_reopened":   "%[1]s: the complaint was reopened before the recovery check went out",
		"campaign.reason.other":                "%[1]s: %[2]s",
		"campaign.reason.other.count":          "%d not sent",
		"campaign.reason.none":                 "none held or withdrawn",
		"campaign.archive.withdraws.one":       "Archiving withdraws %d invitation not sent yet.",
		"campaign.archive.withdraws.other":     "Archiving withdraws %d invitations not sent yet.",
		"campaign.archive.withdraws.none":      "No invitation is waiting to be sent: archiving withdraws nothing.",
		"campaign.archive.done.one":            "Campaign archived: %d invitation not sent yet was withdrawn.",
		"campaign.archive.done.other":          "Campaign archived: %d invitations not sent yet were withdrawn.",
		"campaign.archive.done.none":           "Campaign archived: no invitation was waiting to be sent.",
	},
	"fr": {
		"campaign.count.held.one":              "%d invitation retenue",
		"campaign.count.held.other":            "%d invitations retenues",
		"campaign.count.not_sent.one":          "%d invitation non envoyée",
		"campaign.count.not_sent.other":        "%d invitations non envoyées",
		"campaign.count.withdrawn.one":         "%d invitation retirée",
		"campaign.count.withdrawn.other":       "%d invitations retirées",
		"campaign.days.one":                    "%d jour",
		"campaign.days.other":                  "%d jours",
		"campaign.reason.frequency_cap":        "%[1]s : le client a reçu un sondage il y a moins de %[2]s",
		"campaign.reason.frequency_cap.nocap":  "%[1]s : le client venait de recevoir le sondage d'une autre campagne",
		"campaign.reason.opted_out":            "%[1]s : le client a demandé à ne plus recevoir de sondages",
		"campaign.reason.address_bounced":      "%[1]s : l'adresse a déjà été refusée définitivement par son serveur de courriel",
		"campaign.reason.address_unsubscribed": "%[1]s : l'adresse est désinscrite de nos courriels",
		"campaign.reason.campaign_archived":    "%[1]s : la campagne a été archivée avant leur envoi",
		"campaign.reason.complaint_reopened":   "%[1]s : la plainte a été rouverte avant l'envoi du sondage de suivi",
		"campaign.reason.other":                "%[1]s : %[2]s",
		"campaign.reason.other.count":          "%d invitations non envoyées",
		"campaign.reason.none":                 "aucune invitation retenue ni retirée",
		"campaign.archive.withdraws.one":       "L'archivage retire %d invitation pas encore envoyée.",
		"campaign.archive.withdraws.other":     "L'archivage retire %d invitations pas encore envoyées.",
		"campaign.archive.withdraws.none":      "Aucune invitation n'attend d'être envoyée : l'archivage ne retire rien.",
		"campaign.archive.done.one":            "Campagne archivée : %d invitation pas encore envoyée a été retirée.",
		"campaign.archive.done.other":          "Campagne archivée : %d invitations pas encore envoyées ont été retirées.",
		"campaign.archive.done.none":           "Campagne archivée : aucune invitation n'attendait d'être envoyée.",
	},
}

// counted picks the plural form of key for n ("key.one", "key.other", by
// the locale's plural rules), with "key.none" for zero when it exists.
func counted(locale, key string, n int) string {
	if n == 0 {
		if _, ok := catalog[locale][key+".none"]; ok {
			return T(locale, key+".none")
		}
	}
	return N(locale, key, n)
}

// SuppressionSentence says in locale how many invitations a reason stopped
// and why: "24 held: the customer was surveyed less than 30 days ago".
// capDays is the campaign's frequency cap. A reason without words of its
// own is named as it is stored.
func SuppressionSentence(locale, reason string, n, capDays int) string {
	class, known := reasonCounts[reason]
	if !known {
		return fmt.Sprintf(T(locale, "campaign.reason.other"), T(locale, "campaign.reason.other.count", n), reason)
	}
	count := counted(locale, "campaign.count."+class, n)
	key := "campaign.reason." + reason
	if reason == scheduler.ReasonFrequencyCap && capDays <= 0 {
		key += ".nocap"
	}
	return fmt.Sprintf(T(locale, key), count, counted(locale, "campaign.days", capDays))
}

// ArchiveWithdraws says in locale how many invitations archiving withdraws
// (before: the confirmation) or withdrew (after).
func ArchiveWithdraws(locale string, n int, done bool) string {
	if done {
		return counted(locale, "campaign.archive.done", n)
	}
	return counted(locale, "campaign.archive.withdraws", n)
}
