package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/followup/followup/surveys"
	"github.com/followup/followup/web"
)

// drillBadInput: while a campaign is being sent, every public and API
// route (as the router lists them) is sent NULs, invalid UTF-8, control
// characters, header injections, very long texts, odd addresses and
// oversized events, in bodies, forms, query strings and path parameters.
// Any 5xx is a failure: bad input is the client's fault, 4xx.
func drillBadInput(ctx context.Context, e *env) *outcome {
	const name = "bad-input"
	token, err := e.adminToken(ctx)
	if err != nil {
		return &outcome{Drill: name, Err: err}
	}
	routes, err := e.routes(ctx)
	if err != nil {
		return &outcome{Drill: name, Err: fmt.Errorf("list the routes: %w", err)}
	}
	serve, err := e.start("serve")
	if err != nil {
		return &outcome{Drill: name, Err: err}
	}
	defer serve.Stop(syscall.SIGTERM, 10*time.Second)
	return runCampaign(ctx, e, name, true, func(ctx context.Context, r *campaignRun) error {
		if err := waitHTTP(ctx, e); err != nil {
			return err
		}
		s := &sweeper{e: e, out: r.out, token: token, base: fmt.Sprintf("http://127.0.0.1:%d", e.httpPort),
			client:   &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
			failures: map[string][]string{}}
		if err := s.prepare(ctx); err != nil {
			return err
		}
		for _, rt := range routes {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if rt.Public || rt.Token {
				s.sweep(ctx, rt)
			}
		}
		s.oversized(ctx)
		s.report()
		return nil
	})
}

func waitHTTP(ctx context.Context, e *env) error {
	for i := 0; i < 300; i++ {
		if resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/healthz", e.httpPort)); err == nil {
			resp.Body.Close()
			return nil
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return err
		}
	}
	return fmt.Errorf("followup serve does not answer on port %d", e.httpPort)
}

// sweeper sends the bad requests and keeps the 5xx.
type sweeper struct {
	e      *env
	out    *outcome
	token  string
	base   string
	client *http.Client
	seq    int

	// Real values of the path wildcards, so that a request reaches the
	// code behind the lookup.
	values   map[string]string
	survey   url.Values // a complete answer to the survey page
	admin    int64      // the admin's user id
	fresh    []int64    // sent invitations not answered yet
	signer   *surveys.Signer
	failures map[string][]string
}

// prepare finds or makes the rows the routes act on: a signed link, a
// reply and its complaint, a campaign and an action plan of the sweep's own.
func (s *sweeper) prepare(ctx context.Context) error {
	signer, err := surveys.NewSigner([]byte(s.e.settings["FOLLOWUP_SECRET"]))
	if err != nil {
		return err
	}
	var invs []int64
	if err := s.e.db.SelectContext(ctx, &invs, `SELECT id FROM invitations ORDER BY id DESC LIMIT 2`); err != nil {
		return err
	}
	exp := time.Now().Add(30 * 24 * time.Hour)
	answered := signer.Sign(surveys.PurposeSurvey, invs[0], exp)
	s.values = map[string]string{"token": signer.Sign(surveys.PurposeSurvey, invs[1], exp), "version": "1", "week": "2026-W47",
		"file": "trend.png", "name": "trend.csv"}
	var slug string
	if err := s.e.db.GetContext(ctx, &slug, `SELECT slug FROM surveys ORDER BY id LIMIT 1`); err != nil {
		return err
	}
	s.values["slug"] = slug
	// A negative reply: the survey page's form, lowest ratings, an angry comment.
	page, err := s.get(ctx, surveys.SurveyPath+answered)
	if err != nil {
		return err
	}
	s.survey = surveyAnswers(page)
	neg := url.Values{}
	for k, v := range s.survey {
		neg[k] = v
	}
	for k := range neg {
		if neg.Get(k) == "text" {
			neg.Set(k, "Awful, rude staff, I want a refund or I will see a lawyer.")
		}
	}
	resp, err := s.do(ctx, "POST", surveys.SurveyPath+answered, "application/x-www-form-urlencoded", []byte(neg.Encode()), false)
	if err != nil {
		return fmt.Errorf("answer the survey: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		s.out.note("the sweep's negative reply (%s) was answered %d", neg.Encode(), resp.StatusCode)
	}
	var complaint, response int64
	_ = s.e.db.GetContext(ctx, &response, `SELECT coalesce(max(id), 0) FROM responses`)
	_ = s.e.db.GetContext(ctx, &complaint, `SELECT coalesce(max(id), 0) FROM complaints`)
	if complaint == 0 {
		s.out.note("no complaint could be opened for the sweep: complaint routes only see an unknown id")
		complaint = 1
	}
	if response == 0 {
		response = 1
	}
	s.values["complaint"] = fmt.Sprint(complaint)
	s.values["response"] = fmt.Sprint(response)
	// A campaign of the sweep's own, so pause and archive do not stop the drill's.
	body, _ := json.Marshal(campaignTemplate(s.e.blast.SurveyID, "sweep campaign"))
	var created struct {
		ID int64 `json:"id"`
	}
	if err := s.json(ctx, "POST", "/api/v1/campaigns", body, &created); err != nil {
		return fmt.Errorf("the sweep's campaign: %w", err)
	}
	s.values["campaign"] = fmt.Sprint(created.ID)
	// Invitations already sent, of the sweep's campaign: each request to a
	// survey or unsubscribe link gets one of its own, so a first answer
	// does not turn the later ones into redirects. Their customers are the
	// sweep's own: an unsubscribe link that works opts its customer out,
	// which must not hold back the drill's campaign (it did, when a
	// customer of the campaign had not been sent to yet).
	if err := s.e.db.SelectContext(ctx, &s.fresh, `WITH c AS (
		INSERT INTO customers (external_ref, email, name, locale, time_zone)
		SELECT 'sweep-' || g, 'sweep' || g || '@drills.example', 'Sweep ' || g, 'en', 'UTC' FROM generate_series(1, 3000) g
		RETURNING id)
		INSERT INTO invitations (campaign_id, customer_id, survey_version_id, occurrence, scheduled_for, state)
		SELECT $1, id, $2, now(), now(), 'sent' FROM c ORDER BY id RETURNING id`, created.ID, s.e.blast.VersionID); err != nil {
		return fmt.Errorf("the sweep's invitations: %w", err)
	}
	s.signer = signer
	var plan struct {
		ID int64 `json:"id"`
	}
	if err := s.e.db.GetContext(ctx, &s.admin, `SELECT id FROM users WHERE email = 'admin@drills.example'`); err != nil {
		return err
	}
	body, _ = json.Marshal(actionTemplate(s.admin))
	if err := s.json(ctx, "POST", "/api/v1/action-plans", body, &plan); err != nil {
		s.out.note("the sweep's action plan: %v", err)
		plan.ID = 1
	}
	s.values["plan"] = fmt.Sprint(plan.ID)
	return nil
}

var (
	inputRE = regexp.MustCompile(`<(input|textarea)\b[^>]*>`)
	nameRE  = regexp.MustCompile(`\bname="([^"]+)"`)
	valueRE = regexp.MustCompile(`\bvalue="([^"]*)"`)
)

// surveyAnswers reads the survey page's form: for each question the first
// (lowest) choice, "text" for a text area, and the hidden fields.
func surveyAnswers(page string) url.Values {
	v := url.Values{}
	for _, m := range inputRE.FindAllStringSubmatch(page, -1) {
		name := nameRE.FindStringSubmatch(m[0])
		if name == nil || v.Has(name[1]) {
			continue
		}
		value := valueRE.FindStringSubmatch(m[0])
		switch {
		case m[1] == "textarea":
			v.Set(name[1], "text")
		case value != nil:
			v.Set(name[1], value[1])
		}
	}
	return v
}

// sweep tries one route with every hostile value where it takes input.
func (s *sweeper) sweep(ctx context.Context, rt web.Route) {
	method, pattern, ok := strings.Cut(rt.Pattern, " ")
	if !ok {
		method, pattern = "GET", rt.Pattern
	}
	if strings.HasPrefix(pattern, "/dev/") || strings.HasPrefix(pattern, "/admin/") || pattern == "/static/" {
		return
	}
	marked := fill(pattern)
	// Hostile path parameters.
	for _, w := range wildcards(pattern) {
		if w == "action" {
			continue
		}
		for _, h := range hostiles {
			p := s.fillRest(strings.ReplaceAll(marked[0], "\x00"+w+"\x00", url.PathEscape(h.text)))
			s.try(ctx, rt, method, p, "path "+w+"="+h.name, "", nil)
		}
	}
	for _, m := range marked {
		p := s.fillRest(m)
		// Hostile query parameters, on every method.
		for _, h := range hostiles {
			q := url.Values{}
			for _, k := range []string{"q", "from", "to", "since", "until", "state", "channel", "touchpoint", "team", "campaign", "survey", "page", "limit", "week", "lang", "score", "dimension", "kind", "priority", "owner"} {
				q.Set(k, h.text)
			}
			s.try(ctx, rt, method, p+"?"+q.Encode(), "query="+h.name, "", nil)
		}
		if method == "GET" || method == "DELETE" {
			continue
		}
		// Hostile bodies: the route's template with each text replaced,
		// and bodies that are not what the route reads at all.
		ct := "application/json"
		if rt.Public {
			ct = "application/x-www-form-urlencoded"
		}
		if tpl := s.template(method, pattern); tpl != nil {
			if form, ok := tpl.(url.Values); ok {
				for k := range form {
					for _, h := range hostiles {
						f := url.Values{}
						for kk, vv := range form {
							f[kk] = vv
						}
						f.Set(k, h.text)
						s.try(ctx, rt, method, p, "form "+k+"="+h.name, ct, []byte(f.Encode()))
					}
				}
			} else {
				for _, v := range variants(tpl, &s.seq) {
					s.try(ctx, rt, method, p, "body "+v.label, ct, v.body)
				}
			}
		}
		for label, b := range map[string][]byte{
			"raw NUL bytes": []byte("{\"a\":\"\x00\"}\x00"), "raw invalid UTF-8": []byte("\xff\xfe{\"a\":1}"),
			"truncated JSON": []byte(`{"a":[1,2`), "JSON array": []byte(`[1,2,3]`), "empty": nil,
			"deep nesting": bytes.Repeat([]byte("["), 100000),
		} {
			s.try(ctx, rt, method, p, "body "+label, ct, b)
		}
	}
}

func wildcards(pattern string) []string {
	var out []string
	for _, m := range wildcardRE.FindAllStringSubmatch(pattern, -1) {
		out = append(out, m[1])
	}
	return out
}

// fill returns the pattern as paths whose wildcards are marked
// \x00name\x00 (fillRest puts real values in), one per {action} the
// route knows.
func fill(pattern string) []string {
	marked := wildcardRE.ReplaceAllString(strings.TrimSuffix(pattern, "{$}"), "\x00$1\x00")
	if !strings.Contains(marked, "\x00action\x00") {
		return []string{marked}
	}
	var out []string
	for _, a := range []string{"pause", "resume", "archive", "test-send"} {
		out = append(out, strings.ReplaceAll(marked, "\x00action\x00", a))
	}
	return out
}

var wildcardRE = regexp.MustCompile(`\{([a-z]+)\}`)

// fillRest replaces the markers left in p by real values.
func (s *sweeper) fillRest(p string) string {
	id := s.values["complaint"]
	switch {
	case strings.HasPrefix(p, "/api/v1/campaigns/"):
		id = s.values["campaign"]
	case strings.HasPrefix(p, "/api/v1/action-plans/"):
		id = s.values["plan"]
	case strings.HasPrefix(p, "/api/v1/responses/"):
		id = s.values["response"]
	}
	return regexp.MustCompile("\x00([a-z]+)\x00").ReplaceAllStringFunc(p, func(m string) string {
		k := strings.Trim(m, "\x00")
		if k == "id" {
			return id
		}
		if k == "token" && len(s.fresh) > 0 {
			id := s.fresh[0]
			s.fresh = s.fresh[1:]
			purpose := surveys.PurposeSurvey
			if strings.HasPrefix(p, surveys.UnsubscribePath) {
				purpose = surveys.PurposeUnsubscribe
			}
			return s.signer.Sign(purpose, id, time.Now().Add(30*24*time.Hour))
		}
		if v, ok := s.values[k]; ok {
			return url.PathEscape(v)
		}
		return "1"
	})
}

func (s *sweeper) try(ctx context.Context, rt web.Route, method, path, label, ct string, body []byte) {
	resp, err := s.do(ctx, method, path, ct, body, !rt.Public)
	s.out.Requests++
	if err != nil {
		if ctx.Err() == nil {
			s.fail(rt.Pattern, fmt.Sprintf("%s %s: no answer (%v)", method, label, err))
		}
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 500 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		s.out.Status5xx++
		s.fail(rt.Pattern, fmt.Sprintf("%s: %d %s", label, resp.StatusCode, oneLine(string(msg))))
	}
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

func (s *sweeper) fail(route, what string) { s.failures[route] = append(s.failures[route], what) }

func (s *sweeper) do(ctx context.Context, method, path, ct string, body []byte, auth bool) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if auth {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	return s.client.Do(req)
}

func (s *sweeper) get(ctx context.Context, path string) (string, error) {
	resp, err := s.do(ctx, "GET", path, "", nil, false)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

func (s *sweeper) json(ctx context.Context, method, path string, body []byte, out any) error {
	resp, err := s.do(ctx, method, path, "application/json", body, true)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, oneLine(string(b)))
	}
	return json.Unmarshal(b, out)
}

// oversized sends events over the per-event cap: one alone, and one inside
// a batch (which the batch route should refuse as the single route does).
func (s *sweeper) oversized(ctx context.Context) {
	rt := web.Route{Pattern: "POST /api/v1/events", Token: true}
	big := func(size int) map[string]any {
		ev := eventTemplate()
		ev["attributes"] = map[string]any{"blob": strings.Repeat("x", size)}
		return ev
	}
	for _, c := range []struct {
		label string
		body  any
	}{
		{"one event of 2 MB", big(2 << 20)},
		{"a batch holding one event of 10 MB", []any{big(10 << 20)}},
	} {
		b, _ := json.Marshal(c.body)
		b = numbered(b, &s.seq)
		resp, err := s.do(ctx, "POST", "/api/v1/events", "application/json", b, true)
		s.out.Requests++
		if err != nil {
			s.fail(rt.Pattern, c.label+": no answer")
			continue
		}
		resp.Body.Close()
		switch {
		case resp.StatusCode >= 500:
			s.out.Status5xx++
			s.fail(rt.Pattern, fmt.Sprintf("%s: %d", c.label, resp.StatusCode))
		case resp.StatusCode < 300:
			s.out.Failures = append(s.out.Failures, fmt.Sprintf("%s was accepted (%d): the 1 MB cap of an event is not enforced", c.label, resp.StatusCode))
		}
		s.out.note("%s: %d", c.label, resp.StatusCode)
	}
}

func (s *sweeper) report() {
	routes := make([]string, 0, len(s.failures))
	for r := range s.failures {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		f := s.failures[r]
		shown := f
		if len(shown) > 3 {
			shown = shown[:3]
		}
		s.out.note("%s: %d bad answers, e.g. %s", r, len(f), strings.Join(shown, "; "))
	}
	if s.out.Status5xx > 0 {
		s.out.Failures = append(s.out.Failures, fmt.Sprintf("%d responses 5xx to bad input on %d routes", s.out.Status5xx, len(routes)))
	}
}
