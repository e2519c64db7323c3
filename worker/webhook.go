package worker

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/followup/followup/feedback"
)

// Webhook posts alerts as JSON to a URL (it is feedback.Poster over HTTP,
// at the edge: the domain knows no transport), signed so the receiver can check
// they come from us: X-Followup-Signature is "sha256=" and the hex HMAC-SHA256,
// with the shared secret, of the X-Followup-Timestamp value, a dot and the
// body. X-Followup-Alert-Id carries the alert's id: the same alert retried
// keeps it, so the receiver can drop repeats. The body's "text" field is
// what Slack-style incoming webhooks display.
type Webhook struct {
	URL    string
	Secret []byte
	Client *http.Client
}

// WebhookBody is what a webhook receives.
type WebhookBody struct {
	ID          string          `json:"id"`
	Kind        string          `json:"kind"`
	Audience    string          `json:"audience"`
	Text        string          `json:"text"`
	ComplaintID *int64          `json:"complaint_id,omitempty"`
	Data        json.RawMessage `json:"data"`
	CreatedAt   time.Time       `json:"created_at"`
}

// Sign returns the signature header value of body sent at timestamp.
func Sign(secret []byte, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Post delivers one alert. Any answer other than 2xx is an error, to retry.
func (w *Webhook) Post(ctx context.Context, a feedback.Alert, now time.Time) error {
	body, err := json.Marshal(WebhookBody{ID: a.ID, Kind: a.Kind, Audience: a.Audience, Text: a.Text,
		ComplaintID: a.ComplaintID, Data: a.Data, CreatedAt: a.CreatedAt})
	if err != nil {
		return fmt.Errorf("encode alert %s: %w", a.ID, err)
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("alert webhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "followup-alerts/1")
	req.Header.Set("X-Followup-Alert-Id", a.ID)
	req.Header.Set("X-Followup-Timestamp", ts)
	req.Header.Set("X-Followup-Signature", Sign(w.Secret, ts, body))
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("alert webhook: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("alert webhook answered %s", resp.Status)
	}
	return nil
}
