package haenv

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/followup/followup/internal/benchenv"
)

// FleetConfig is what the followup processes of a Fleet share.
type FleetConfig struct {
	Bin         string // the followup binary
	Dir         string // where each process's log goes
	DatabaseURL string // the schema's URL (search_path set)
	RedisURL    string
	QueuePrefix string
	Secret      string // FOLLOWUP_SECRET, at least 32 bytes
	SMTPPort    int
	// Concurrency, Pool and Batch are FOLLOWUP_WORKER_CONCURRENCY,
	// FOLLOWUP_SMTP_POOL and FOLLOWUP_SEND_BATCH_SIZE.
	Concurrency, Pool, Batch int
	// Rate is FOLLOWUP_SMTP_RATE, shared by every worker through Redis; 0
	// is no limit.
	Rate float64
	// Extra settings, added last.
	Extra map[string]string
}

// Fleet is the followup processes of one deployment: workers,
// schedulers and one serve, each an OS process of its own.
type Fleet struct {
	cfg        FleetConfig
	ps         *Procs
	settings   map[string]string
	Workers    []*Proc
	Schedulers []*Proc
	Serve      *Proc
	// BaseURL is serve's address, once started.
	BaseURL string
}

// NewFleet prepares the processes' settings; nothing runs yet.
func NewFleet(ps *Procs, cfg FleetConfig) (*Fleet, error) {
	port, err := benchenv.FreePort()
	if err != nil {
		return nil, err
	}
	f := &Fleet{cfg: cfg, ps: ps, BaseURL: fmt.Sprintf("http://127.0.0.1:%d", port)}
	f.settings = map[string]string{
		"FOLLOWUP_DATABASE_URL":       cfg.DatabaseURL,
		"FOLLOWUP_REDIS_URL":          cfg.RedisURL,
		"FOLLOWUP_QUEUE_PREFIX":       cfg.QueuePrefix,
		"FOLLOWUP_SECRET":             cfg.Secret,
		"FOLLOWUP_HTTP_ADDR":          strings.TrimPrefix(f.BaseURL, "http://"),
		"FOLLOWUP_BASE_URL":           f.BaseURL,
		"FOLLOWUP_METRICS_ADDR":       "",
		"FOLLOWUP_SMTP_HOST":          "127.0.0.1",
		"FOLLOWUP_SMTP_PORT":          strconv.Itoa(cfg.SMTPPort),
		"FOLLOWUP_SMTP_TLS":           "none",
		"FOLLOWUP_SMTP_POOL":          strconv.Itoa(cfg.Pool),
		"FOLLOWUP_SMTP_RATE":          strconv.FormatFloat(cfg.Rate, 'f', -1, 64),
		"FOLLOWUP_WORKER_CONCURRENCY": strconv.Itoa(cfg.Concurrency),
		"FOLLOWUP_SEND_BATCH_SIZE":    strconv.Itoa(cfg.Batch),
		"FOLLOWUP_LOG_LEVEL":          "info",
		// Several processes share one PostgreSQL: each takes its share.
		"FOLLOWUP_DATABASE_PROCESSES": "8",
		// A throwaway schema without history: the barometer would only warn.
		"FOLLOWUP_BAROMETER":       "none",
		"FOLLOWUP_REPORT_SCHEDULE": "off",
	}
	for k, v := range cfg.Extra {
		f.settings[k] = v
	}
	return f, nil
}

// environ is the processes' environment: the fleet's settings and what a
// program needs to run, nothing of the caller's FOLLOWUP_* variables.
func (f *Fleet) environ() []string {
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir()}
	keys := make([]string, 0, len(f.settings))
	for k := range f.settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, k+"="+f.settings[k])
	}
	return out
}

// start runs `followup ROLE` and waits until its log says the role has
// started (or serve answers /readyz).
func (f *Fleet) start(ctx context.Context, role string, n int) (*Proc, error) {
	name := fmt.Sprintf("%s-%d", role, n)
	p, err := f.ps.Start(name, []string{f.cfg.Bin, role}, f.environ(), filepath.Join(f.cfg.Dir, name+".log"))
	if err != nil {
		return nil, err
	}
	started := map[string]string{"worker": "worker started", "scheduler": "scheduler started", "serve": "http listening"}[role]
	err = until(ctx, 60*time.Second, name+" to start", func(ctx context.Context) (bool, error) {
		if done, err := p.Exited(); done {
			return false, fmt.Errorf("%s exited (%v); the end of %s:\n%s", name, err, p.Log, tail(p.Log, 30))
		}
		b, _ := os.ReadFile(p.Log)
		if !strings.Contains(string(b), started) {
			return false, nil
		}
		if role != "serve" {
			return true, nil
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.BaseURL+"/readyz", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false, nil
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, nil
	})
	return p, err
}

// tail is the last n lines of a log file, for the error of a process
// that ended.
func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// Start runs workers `followup worker`, schedulers `followup scheduler`
// and, when serve is set, one `followup serve`, and waits until each has
// started.
func (f *Fleet) Start(ctx context.Context, workers, schedulers int, serve bool) error {
	for i := 0; i < workers; i++ {
		p, err := f.start(ctx, "worker", i+1)
		if err != nil {
			return err
		}
		f.Workers = append(f.Workers, p)
	}
	for i := 0; i < schedulers; i++ {
		p, err := f.start(ctx, "scheduler", i+1)
		if err != nil {
			return err
		}
		f.Schedulers = append(f.Schedulers, p)
	}
	if serve {
		p, err := f.start(ctx, "serve", 1)
		if err != nil {
			return err
		}
		f.Serve = p
	}
	return nil
}

// Exited names a process of the fleet that has ended, if one has.
func (f *Fleet) Exited() error {
	all := append(append([]*Proc{}, f.Workers...), f.Schedulers...)
	if f.Serve != nil {
		all = append(all, f.Serve)
	}
	for _, p := range all {
		if done, err := p.Exited(); done {
			return fmt.Errorf("%s exited (%v); the end of %s:\n%s", p.Name, err, p.Log, tail(p.Log, 30))
		}
	}
	return nil
}

// Stop ends every process of the fleet with SIGTERM, as a supervisor
// would, and kill -9 after grace.
func (f *Fleet) Stop(grace time.Duration) {
	for _, p := range append(append(append([]*Proc{}, f.Workers...), f.Schedulers...), f.Serve) {
		if p != nil {
			p.Stop(syscall.SIGTERM, grace)
		}
	}
}

// Logs are the fleet's log lines that contain any of words, at most max
// of them, for a failed test's report.
func (f *Fleet) Logs(max int, words ...string) []string {
	var out []string
	files, _ := filepath.Glob(filepath.Join(f.cfg.Dir, "*.log"))
	for _, file := range files {
		b, _ := os.ReadFile(file)
		for _, line := range strings.Split(string(b), "\n") {
			for _, w := range words {
				if strings.Contains(line, w) {
					out = append(out, filepath.Base(file)+": "+line)
					break
				}
			}
			if len(out) >= max {
				return out
			}
		}
	}
	return out
}
