package demo

import (
	"fmt"
	"net/url"
	"strconv"
)

// persona is how a simulated customer answers.
type persona struct {
	name string
	// overall is the 0–10 rating; agree the Likert answer of each item,
	// written as if no item were reverse-scored (reverse items get 6-agree).
	overall int
	agree   map[string]int
	wrong   []string
	comment map[string]string
	// silent customers never answer.
	silent bool
	// partial customers click the rating in the email and write the
	// comment, nothing else: a partial reply, which counts all the same.
	partial bool
	// prejudice is what the failure cost the customer, in cents, when the
	// service event says so.
	prejudice int64
}

var reverseItems = map[string]bool{"lost_out": true, "bounced": true}

func uniform(v int) map[string]int {
	m := map[string]int{}
	for _, k := range []string{"fair_outcome", "deserved", "put_right", "lost_out", "quick", "flexible", "reach", "bounced", "courtesy", "empathy", "honesty"} {
		m[k] = v
	}
	return m
}

var (
	happy = persona{name: "happy", overall: 9, agree: uniform(5), wrong: []string{"nothing"}, comment: map[string]string{
		"en": "Delivery was on time and the driver was lovely. Thank you!",
		"fr": "Livraison à l'heure et livreur très aimable. Merci !",
	}}
	content = persona{name: "content", overall: 8, agree: uniform(4), comment: map[string]string{
		"en": "All good overall.",
		"fr": "Tout s'est bien passé dans l'ensemble.",
	}}
	slow = persona{name: "slow process", overall: 6, agree: map[string]int{
		"fair_outcome": 4, "deserved": 4, "put_right": 3, "lost_out": 3,
		"quick": 2, "flexible": 2, "reach": 2, "bounced": 2,
		"courtesy": 4, "empathy": 4, "honesty": 4,
	}, wrong: []string{"delays", "red_tape"}, comment: map[string]string{
		"en": "Staff were kind but I was transferred four times and waited two weeks.",
		"fr": "Le personnel était gentil mais on m'a transféré quatre fois et j'ai attendu deux semaines.",
	}}
	angry = persona{name: "angry", overall: 2, prejudice: 2999, agree: uniform(1), wrong: []string{"mistakes", "arrogance", "money"}, comment: map[string]string{
		"en": "Wrong item delivered, nobody apologised and I am still waiting for my refund.",
		"fr": "Mauvais article livré, personne ne s'est excusé et j'attends toujours mon remboursement.",
	}}
	public = persona{name: "threatens to go public", overall: 4, prejudice: 4500, agree: uniform(2), wrong: []string{"damage", "no_follow_up"}, comment: map[string]string{
		"en": "The parcel arrived broken and nobody answers. If this is not fixed this week I will post it on Twitter and leave a review on Google.",
		"fr": "Le colis est arrivé cassé et personne ne répond. Si ce n'est pas réglé cette semaine, je publie ça sur Facebook et je porte plainte à l'OPC.",
	}}
	// Clicks 3 in the email, writes one angry line, leaves the rest blank.
	partial = persona{name: "rates in the email and threatens to go public", partial: true, overall: 3, prejudice: 3500, comment: map[string]string{
		"en": "Two weeks late and no one calls back. I will post this on Facebook tonight.",
		"fr": "Deux semaines de retard et personne ne rappelle. Je publie ça sur Facebook ce soir.",
	}}
	silent = persona{name: "silent", silent: true}
)

// mix is the order personas are dealt to the demo customers: about half
// satisfied, a third unhappy in some way, some silent.
var mix = []persona{happy, content, angry, happy, slow, public, content, silent, happy, angry, happy, partial}

// form fills the survey form the way persona p answers.
func (p persona) form(locale string) url.Values {
	f := url.Values{}
	f.Set("lang", locale)
	f.Set("overall", strconv.Itoa(p.overall))
	if p.partial {
		f.Set("comment", p.comment[locale])
		return f
	}
	for k, v := range p.agree {
		if reverseItems[k] {
			v = 6 - v
		}
		f.Set(k, strconv.Itoa(v))
	}
	for _, w := range p.wrong {
		f.Add("what_went_wrong", w)
	}
	f.Set("comment", p.comment[locale])
	return f
}

var firstNames = []string{"Camille", "Liam", "Chloé", "Noah", "Léa", "Emma", "Gabriel", "Olivia", "Raphaël", "Amélie", "Jules", "Sofia"}
var lastNames = []string{"Tremblay", "Gagnon", "Roy", "Smith", "Côté", "Bouchard", "Johnson", "Gauthier", "Morin", "Brown", "Lavoie", "Fortin"}

type customer struct {
	ref, name, email, locale, tz, kind, touchpoint, channel string
	value                                                   int64
	persona                                                 persona
}

func people(run string, n int) []customer {
	kinds := []struct{ kind, touchpoint, channel string }{
		{"delivery", "courier", "web"}, {"ticket_closed", "support", "phone"}, {"appointment", "store", "in_person"},
	}
	zones := []string{"America/Montreal", "Europe/Paris", "America/Toronto", "Europe/Brussels"}
	out := make([]customer, n)
	for i := range out {
		first, last := firstNames[i%len(firstNames)], lastNames[(i*5+i/len(firstNames))%len(lastNames)]
		k := kinds[i%len(kinds)]
		locale := "fr"
		if i%3 == 1 {
			locale = "en"
		}
		out[i] = customer{
			ref:    fmt.Sprintf("demo-%s-c%02d", run, i+1),
			name:   first + " " + last,
			email:  fmt.Sprintf("customer%02d.%s@demo.followup.localhost", i+1, run),
			locale: locale, tz: zones[i%len(zones)], kind: k.kind, touchpoint: k.touchpoint, channel: k.channel,
			value: int64(200+(i*137)%4800) * 100, persona: mix[i%len(mix)],
		}
	}
	return out
}
