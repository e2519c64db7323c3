package web_test

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/internal/contracttest"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
	"github.com/followup/followup/web/api"
	"github.com/followup/followup/web/public"
	"github.com/followup/followup/web/staff"
)

// downDatabases are a PostgreSQL that cannot be reached: a port nothing
// listens on (the server stopped), and a pool already closed.
func downDatabases(t *testing.T) map[string]*sqlx.DB {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stopped := ln.Addr().String()
	ln.Close()
	out := map[string]*sqlx.DB{}
	for name, dsn := range map[string]string{
		"stopped server": "postgres://followup@" + stopped + "/followup?sslmode=disable&connect_timeout=2",
		"closed pool":    testenv.DatabaseURL(),
	} {
		db, err := sqlx.Open("postgres", dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		out[name] = db
	}
	out["closed pool"].Close()
	return out
}

// serverOn is the site wired to db, as app wires it.
func serverOn(t *testing.T, db *sqlx.DB) (*httptest.Server, *surveys.Signer) {
	t.Helper()
	tpl, err := templates.New(templates.Brand{Name: "Acme", Color: "#1f5fa8"})
	if err != nil {
		t.Fatal(err)
	}
	signer, err := surveys.NewSigner([]byte(testenv.Secret))
	if err != nil {
		t.Fatal(err)
	}
	s := &web.Server{Users: users.NewStore(db), Surveys: surveys.NewStore(db), Signer: signer, Templates: tpl,
		Clock: clock.Real{}, Log: slog.New(slog.DiscardHandler),
		Audiences: []web.Audience{public.Routes, api.Routes, staff.Routes}}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts, signer
}

// TestDatabaseDownIsUnavailableNotUnauthorized: with PostgreSQL out of
// reach, what could not be checked is 503 with Retry-After, never 401 or
// 500: a valid API token gets a problem saying to retry (an integration
// must not take its token for revoked), a signed-in person a page saying to
// try again in a minute, sign-in keeps what was typed, and a customer's
// survey page says to try again, in their language, with the answers they
// posted kept on the page, ready to send again.
func TestDatabaseDownIsUnavailableNotUnauthorized(t *testing.T) {
	t.Parallel()
	for name, db := range downDatabases(t) {
		t.Run(name, func(t *testing.T) {
			ts, signer := serverOn(t, db)
			link := ts.URL + surveys.SurveyPath + signer.Sign(surveys.PurposeSurvey, 1, time.Now().Add(time.Hour))
			answers := fullAnswers(2, 2)
			answers.Set("comment", "Très lent, <personne> n'a rappelé")
			answers.Set("lang", "fr")
			for _, tc := range []struct {
				name, method, url string
				header            map[string]string
				form              url.Values
				want              []string
			}{
				{"API token", "GET", ts.URL + "/api/v1/complaints", map[string]string{"Authorization": "Bearer fu_valid-for-all-we-know"}, nil,
					[]string{`"status":503`, "send the same request again"}},
				{"staff session", "GET", ts.URL + "/cx/", map[string]string{"Cookie": "followup_session=fs_maybe"}, nil,
					[]string{"Try again in a minute"}},
				{"sign-in", "POST", ts.URL + "/login", nil, url.Values{"email": {"ana@example.com"}, "password": {"a long passphrase"}},
					[]string{"Sign-in is unavailable", `value="ana@example.com"`}},
				{"survey page", "GET", link + "?lang=fr", nil, nil,
					[]string{"Réessayez dans une minute"}},
				{"survey answers", "POST", link, nil, answers,
					[]string{"Réessayez dans une minute", `name="comment" value="Très lent, &lt;personne&gt; n&#39;a rappelé"`,
						`name="overall" value="2"`, `action="` + strings.TrimPrefix(link, ts.URL) + `"`}},
			} {
				status, body, h := fetch(t, tc.method, tc.url, tc.form, tc.header)
				if status != http.StatusServiceUnavailable || h.Get("Retry-After") != "30" {
					t.Errorf("%s: %d, Retry-After %q, want 503 and 30: %.300s", tc.name, status, h.Get("Retry-After"), body)
					continue
				}
				for _, w := range tc.want {
					if !strings.Contains(body, w) {
						t.Errorf("%s: the answer lacks %q: %.2000s", tc.name, w, body)
					}
				}
			}
			// The API's 503 is a problem document, as the contract says.
			req, _ := http.NewRequest("GET", ts.URL+"/api/v1/complaints", nil)
			req.Header.Set("Authorization", "Bearer fu_x")
			resp, err := (&http.Client{Transport: contracttest.MustLoad(t).Transport(t, nil)}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 503 || ct != "application/problem+json" {
				t.Errorf("API: %d %q, want 503 application/problem+json", resp.StatusCode, ct)
			}
			// A handler meeting the dead database answers 503 as well.
			rec := httptest.NewRecorder()
			_, err = users.NewStore(db).ByEmail(req.Context(), "ana@example.com")
			web.WriteServerError(rec, err, "the event could not be stored; retry later")
			if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "30" {
				t.Errorf("a handler's database error: %d, want 503 with Retry-After", rec.Code)
			}
			// Without credentials there is nothing to check: still 401.
			if status, _, _ := fetch(t, "GET", ts.URL+"/api/v1/complaints", nil, nil); status != http.StatusUnauthorized {
				t.Errorf("API without a token: %d, want 401", status)
			}
		})
	}
}
