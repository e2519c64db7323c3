package webtest

import (
	"testing"
	"time"

	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/reportfix"
)

// SeedReports writes two weeks of October 2026: W41 a happy courier reply
// and an unhappy shop reply (a complaint), W42 nothing, W43 a single
// unhappy courier reply.
func SeedReports(t *testing.T, h *apptest.Harness) *reportfix.Fixture {
	t.Helper()
	fx := reportfix.New(t, h.Schema.DB)
	day := func(d, hour int) time.Time { return time.Date(2026, 10, d, hour, 0, 0, 0, time.UTC) }
	fx.Reply(reportfix.Reply{At: day(6, 10), Touchpoint: "courier", Channel: "phone", Team: "north", Segment: "gold",
		Distributive: reportfix.Score(70), Procedural: reportfix.Score(60), Interactional: reportfix.Score(90), Overall: reportfix.Score(80)})
	shop := fx.Reply(reportfix.Reply{At: day(7, 15), Touchpoint: "shop", Channel: "store", Team: "south", Segment: "basic",
		Distributive: reportfix.Score(10), Procedural: reportfix.Score(30), Interactional: reportfix.Score(40), Overall: reportfix.Score(20), Negative: true, Risks: []string{"temporal", "financial"}})
	fx.Complaint(reportfix.Complaint{Response: shop, Priority: 2, OpenedAt: day(7, 15), DueAt: day(8, 15), Risks: []string{"temporal"}})
	fx.Reply(reportfix.Reply{At: day(21, 8), Touchpoint: "courier", Channel: "web", Team: "north", Segment: "gold",
		Distributive: reportfix.Score(55), Interactional: reportfix.Score(65), Overall: reportfix.Score(45), Negative: true, Risks: []string{"temporal"}})
	return fx
}
