package staff

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/templates"
)

// customerSearchPage is the customer search and its results.
type customerSearchPage struct {
	Q        string
	Error    string
	Searched bool
	Matches  []customerMatch
}

type customerMatch struct {
	customers.Match
	Value, Segment string
}

// pageCustomerSearch finds customers by exact reference or part of their
// name or email (/cx/customers?q=); without q it shows the search box.
func (s *Server) pageCustomerSearch(w http.ResponseWriter, r *http.Request) {
	locale := cxLocale(r)
	page := customerSearchPage{Q: r.URL.Query().Get("q")}
	status := http.StatusOK
	if _, asked := r.URL.Query()["q"]; asked {
		page.Searched = true
		found, err := s.Customers.Search(r.Context(), page.Q, 50)
		var fe *invalid.FieldError
		switch {
		case errors.As(err, &fe):
			page.Error, status = templates.T(locale, "cx.search.empty"), http.StatusBadRequest
			if len([]rune(page.Q)) > customers.MaxSearch {
				page.Error = templates.T(locale, "cx.search.long", customers.MaxSearch)
			}
		case err != nil:
			s.StaffError(w, "search customers", err)
			return
		}
		currency := s.Complaints.Governance().Currency
		for _, m := range found {
			cur := currency
			if m.Currency != nil {
				cur = *m.Currency
			}
			seg, _ := s.segmentOf(locale, m.Segment, m.AnnualValueCents)
			page.Matches = append(page.Matches, customerMatch{Match: m, Value: moneyText(locale, m.AnnualValueCents, cur), Segment: seg})
		}
	}
	s.renderCX(w, r, status, locale, "cx_customers", templates.T(locale, "cx.customers.title"), page)
}

// customerPage is everything about one customer.
type customerPage struct {
	F              complaints.CustomerFile
	Zone           viewerZone
	Value, Segment string
	SegmentDerived bool
	// Suppressed is why the address gets no email any more ("" when it
	// does): a bounce, a complaint to the mail provider.
	Suppressed string
	// QueueURL opens the queue on this customer's complaints.
	QueueURL string
}

// pageCustomer shows one customer: profile, service events, surveys and
// their states, replies with their scores, complaints with theirs.
func (s *Server) pageCustomer(w http.ResponseWriter, r *http.Request) {
	id, ok := pathIDPage(w, r)
	if !ok {
		return
	}
	locale := cxLocale(r)
	f, err := s.Complaints.CustomerFile(r.Context(), id)
	if errors.Is(err, complaints.ErrNoCustomer) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.StaffError(w, "load customer", err)
		return
	}
	page := customerPage{F: f, Zone: s.zoneOf(r)}
	currency := f.Customer.Currency
	if currency == "" {
		currency = s.Complaints.Governance().Currency
	}
	page.Value = moneyText(locale, f.Customer.AnnualValueCents, currency)
	page.Segment, page.SegmentDerived = s.segmentOf(locale, f.Customer.Segment, f.Customer.AnnualValueCents)
	if page.Suppressed, err = s.Customers.AddressSuppression(r.Context(), f.Customer.Email); err != nil {
		s.StaffError(w, "read suppression", err)
		return
	}
	page.QueueURL = "/cx/?" + url.Values{"q": {f.Customer.ExternalRef}, "state": {"open,in_progress,resolved"}}.Encode()
	title := f.Customer.Name
	if title == "" {
		title = f.Customer.Email
	}
	s.renderCX(w, r, http.StatusOK, locale, "cx_customer", title, page)
}
