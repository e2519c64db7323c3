package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/followup/followup/config"
)

// cmdHealthcheck asks a probe and succeeds on a 2xx answer: the
// container healthcheck of an image with no shell and no curl (FROM
// scratch), run by its HEALTHCHECK and compose's. Without URL it asks
// /readyz of this process's own listener: FOLLOWUP_METRICS_ADDR when set
// (worker, scheduler and inbound serve their probes there), else
// FOLLOWUP_HTTP_ADDR (serve), on loopback when the address is a wildcard.
func cmdHealthcheck(ctx context.Context, args []string, stderr io.Writer) error {
	var timeout *time.Duration
	cfg, fs, err := loadConfig("healthcheck", args, stderr, config.Options{}, func(fs *flag.FlagSet) {
		timeout = fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	})
	if err != nil {
		return err
	}
	var url string
	switch fs.NArg() {
	case 0:
		url = probeURL(cfg)
	case 1:
		url = fs.Arg(0)
	default:
		fmt.Fprintln(stderr, "usage: followup healthcheck [--timeout 3s] [URL]")
		return errUsage
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck %s: %w", url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("healthcheck %s: %s %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}

// probeURL is /readyz on the listener this configuration opens.
func probeURL(cfg config.Config) string {
	addr := cfg.HTTPAddr
	if cfg.MetricsAddr != "" {
		addr = cfg.MetricsAddr
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr + "/readyz"
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz"
}
