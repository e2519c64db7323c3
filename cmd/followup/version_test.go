package main

import (
	"bytes"
	"debug/elf"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestVersionPrintsLinkTimeValues(t *testing.T) {
	defer func(v, c, ct, m string) { version, commit, commitTime, modified = v, c, ct, m }(version, commit, commitTime, modified)
	version, commit, commitTime, modified = "v1.2.3", "0123abcd", "2026-12-01T10:00:00Z", "false"
	var stdout, stderr bytes.Buffer
	if code := run([]string{"version"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	want := fmt.Sprintf("followup v1.2.3\ncommit 0123abcd\ncommit time 2026-12-01T10:00:00Z\nmodified false\ngo %s %s/%s\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if stdout.String() != want {
		t.Errorf("version printed\n%s\nwant\n%s", stdout.String(), want)
	}
}

// TestVersionWithoutLinkTimeValues: a plain go build (a test binary here)
// prints what ReadBuildInfo knows and "unknown" for the rest, never an
// empty field or Go's "(devel)".
func TestVersionWithoutLinkTimeValues(t *testing.T) {
	var stdout bytes.Buffer
	if err := cmdVersion(&stdout); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "followup ") || lines[4] != "go "+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH {
		t.Fatalf("version printed %q", stdout.String())
	}
	for _, l := range lines {
		if strings.HasSuffix(l, " ") || strings.Contains(l, "(devel)") {
			t.Errorf("line %q: an empty or (devel) value", l)
		}
	}
}

var static struct {
	once sync.Once
	path string
	err  error
}

// staticBinary builds followup as the image does (make static): no cgo,
// -trimpath, the version given by -ldflags -X. Once per test run.
func staticBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary: not in -short")
	}
	static.once.Do(func() {
		dir, err := os.MkdirTemp("", "followup-static-")
		if err != nil {
			static.err = err
			return
		}
		static.path = filepath.Join(dir, "followup")
		cmd := exec.Command("go", "build", "-trimpath",
			"-ldflags", "-s -w -X main.version=v9.8.7-test -X main.commit=feedface -X main.commitTime=2026-12-02T00:00:00Z -X main.modified=true",
			"-o", static.path, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			static.err = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if static.err != nil {
		t.Fatal(static.err)
	}
	return static.path
}

// TestStaticBinary: the binary of the image links no C library (it runs
// on FROM scratch), embeds the time zones and prints the version it was
// given at link time.
func TestStaticBinary(t *testing.T) {
	bin := staticBinary(t)
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary is dynamically linked (program header %v): it would not run FROM scratch", p.Type)
		}
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "followup v9.8.7-test\ncommit feedface\ncommit time 2026-12-02T00:00:00Z\nmodified true\n") {
		t.Errorf("followup version: %q, %v", out, err)
	}
	// The image has no /usr/share/zoneinfo: the report time zones and
	// team calendars come from the zones compiled in. (This machine has
	// zoneinfo on disk, which Go reads first, so only the import can be
	// checked here.)
	deps, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil || !strings.Contains(string(deps), "\ntime/tzdata\n") {
		t.Errorf("cmd/followup must import time/tzdata (the image has no /usr/share/zoneinfo): %v", err)
	}
}

func TestHealthcheck(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		fmt.Fprint(w, `{"postgres":"ok","redis":"down"}`)
	}))
	defer srv.Close()
	check := func(args ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"healthcheck"}, args...), &stdout, &stderr)
		return code, stderr.String()
	}
	if code, msg := check(srv.URL + "/readyz"); code != 0 {
		t.Errorf("ready: exit %d: %s", code, msg)
	}
	status = http.StatusServiceUnavailable
	if code, msg := check(srv.URL + "/readyz"); code != 1 || !strings.Contains(msg, `503 Service Unavailable {"postgres":"ok","redis":"down"}`) {
		t.Errorf("not ready: exit %d: %q", code, msg)
	}
	if code, msg := check(srv.URL + "/elsewhere"); code != 1 || !strings.Contains(msg, "404") {
		t.Errorf("404: exit %d: %q", code, msg)
	}
	if code, _ := check("a", "b"); code != 2 {
		t.Errorf("two URLs: exit %d, want 2", code)
	}
	// Without a URL: /readyz of FOLLOWUP_METRICS_ADDR, else of FOLLOWUP_HTTP_ADDR.
	status = http.StatusOK
	addr := strings.TrimPrefix(srv.URL, "http://")
	_, port, _ := strings.Cut(addr, ":")
	t.Setenv("FOLLOWUP_HTTP_ADDR", "0.0.0.0:"+port)
	if code, msg := check(); code != 0 {
		t.Errorf("FOLLOWUP_HTTP_ADDR 0.0.0.0:%s: exit %d: %s", port, code, msg)
	}
	t.Setenv("FOLLOWUP_METRICS_ADDR", "127.0.0.1:1")
	if code, msg := check("--timeout", "2s"); code != 1 || !strings.Contains(msg, "127.0.0.1:1/readyz") {
		t.Errorf("FOLLOWUP_METRICS_ADDR wins: exit %d: %q", code, msg)
	}
	t.Setenv("FOLLOWUP_METRICS_ADDR", ":"+port)
	if code, msg := check(); code != 0 {
		t.Errorf("FOLLOWUP_METRICS_ADDR :%s: exit %d: %s", port, code, msg)
	}
}

// TestVersionFromVCS: built from a git checkout without -X, the binary
// prints the commit Go embedded (vcs.revision, vcs.time, vcs.modified).
// The build happens in a fresh clone of HEAD: GOFLAGS may say
// -buildvcs=false, and a linked worktree is not stamped.
func TestVersionFromVCS(t *testing.T) {
	if testing.Short() {
		t.Skip("clones the repository and builds the binary: not in -short")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not in a git checkout: %v", err)
	}
	gitLog := exec.Command("git", "log", "-1", "--format=%cd", "--date=format-local:%Y-%m-%dT%H:%M:%SZ")
	gitLog.Env = append(os.Environ(), "TZ=UTC")
	commitTime, err := gitLog.Output()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "src")
	if out, err := exec.Command("git", "clone", "--quiet", "--no-hardlinks", "../..", dir).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	bin := filepath.Join(t.TempDir(), "followup")
	// The flags of staticBinary: -trimpath makes the clone's packages
	// those of the build cache.
	build := exec.Command("go", "build", "-buildvcs=true", "-trimpath", "-o", bin, "./cmd/followup")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOFLAGS=", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(out), "\n")
	want := []string{"commit " + strings.TrimSpace(string(head)), "commit time " + strings.TrimSpace(string(commitTime)), "modified false"}
	if len(lines) < 4 || !slices.Equal(lines[1:4], want) || !strings.Contains(lines[0], string(head[:12])) {
		t.Errorf("followup version from a clone of HEAD:\n%s\nwant the module's pseudo-version and\n%s", out, strings.Join(want, "\n"))
	}
}
