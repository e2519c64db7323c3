package main

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/followup/followup/surveys"
)

// drillPostgres: PostgreSQL stopped (pg_ctl stop -m fast: SIGINT to the
// postmaster) mid-campaign for o.pgDown, then started again. While it is
// down, the API (with a valid token) and a survey page are asked once a
// second: they should answer 503 with Retry-After, never 401 nor 500.
func drillPostgres(ctx context.Context, e *env) *outcome {
	token, err := e.adminToken(ctx)
	if err != nil {
		return &outcome{Drill: "postgres-stop", Err: err}
	}
	signer, err := surveys.NewSigner([]byte(e.settings["FOLLOWUP_SECRET"]))
	if err != nil {
		return &outcome{Drill: "postgres-stop", Err: err}
	}
	var firstInvitation int64
	if err := e.db.GetContext(ctx, &firstInvitation, `SELECT min(id) FROM invitations`); err != nil {
		return &outcome{Drill: "postgres-stop", Err: err}
	}
	serve, err := e.start("serve")
	if err != nil {
		return &outcome{Drill: "postgres-stop", Err: err}
	}
	defer serve.Stop(syscall.SIGTERM, 10*time.Second)
	base := fmt.Sprintf("http://127.0.0.1:%d", e.httpPort)
	probes := map[string]func() (*http.Request, error){
		"API GET /api/v1/campaigns (valid token)": func() (*http.Request, error) {
			req, err := http.NewRequest("GET", base+"/api/v1/campaigns", nil)
			if err == nil {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			return req, err
		},
		"survey page GET /s/{token}": func() (*http.Request, error) {
			return http.NewRequest("GET", base+surveys.SurveyPath+signer.Sign(surveys.PurposeSurvey, firstInvitation, time.Now().Add(30*24*time.Hour)), nil)
		},
	}
	return runCampaign(ctx, e, "postgres-stop", true, func(ctx context.Context, r *campaignRun) error {
		if err := r.waitProgress(ctx, 0.2); err != nil {
			return err
		}
		busy := r.inFlight()
		e.pg.stopFast()
		r.out.note("PostgreSQL stopped with %d SMTP connections busy", busy)
		seen := map[string]map[string]int{}
		client := &http.Client{Timeout: 5 * time.Second}
		until := time.Now().Add(e.o.pgDown)
		for time.Now().Before(until) {
			for name, mk := range probes {
				req, err := mk()
				if err != nil {
					return err
				}
				status := "no answer"
				if resp, err := client.Do(req.WithContext(ctx)); err == nil {
					status = fmt.Sprint(resp.StatusCode)
					if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") == "" {
						status += " without Retry-After"
					}
					resp.Body.Close()
				}
				if seen[name] == nil {
					seen[name] = map[string]int{}
				}
				seen[name][status]++
				r.out.Requests++
				if strings.HasPrefix(status, "5") && !strings.HasPrefix(status, "503") {
					r.out.Status5xx++
				}
			}
			if err := sleep(ctx, time.Second); err != nil {
				return err
			}
		}
		names := make([]string, 0, len(seen))
		for n := range seen {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			r.out.note("while PostgreSQL was down, %s answered %s", n, statusList(seen[n]))
			if seen[n]["401"] > 0 {
				r.out.Failures = append(r.out.Failures, "a valid API token got 401 while PostgreSQL was down")
			}
		}
		return e.pg.start(ctx)
	})
}

func statusList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
