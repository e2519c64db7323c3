package main

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/followup/followup/config"
)

// roles are the long-running commands the deployment files start, each
// in its own container, unit or Deployment.
var roles = []string{"serve", "worker", "scheduler", "inbound"}

// isCommand says whether args (a command and its arguments) is one the
// binary accepts: asked for its help, it answers 0, where an unknown
// command answers 2.
func isCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	return run(append(slices.Clone(args), "-h"), io.Discard, io.Discard) == 0
}

func readRepoFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dockerfile is the instructions of the Dockerfile, continuation lines joined.
func dockerfile(t *testing.T) [][2]string {
	t.Helper()
	var out [][2]string
	text := strings.ReplaceAll(string(readRepoFile(t, "Dockerfile")), "\\\n", " ")
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		op, rest, _ := strings.Cut(line, " ")
		out = append(out, [2]string{strings.ToUpper(op), strings.TrimSpace(rest)})
	}
	return out
}

// TestDockerfileIsConsistent: the prebuilt image (make docker) copies what
// make static makes and comes before the Go image, so that no builder
// pulls it; the source image (the last stage, a plain docker build) copies
// what its build stage makes; both take the one metadata stage, whose
// commands are the binary's and whose ports are those its defaults open.
func TestDockerfileIsConsistent(t *testing.T) {
	type stage struct{ name, from string }
	var stages []stage
	copied := map[string][]string{} // stage -> sources
	var runs []string
	var exposed []string
	var entry, cmd, health []string
	env := map[string]string{}
	for _, in := range dockerfile(t) {
		op, rest := in[0], in[1]
		if op == "FROM" {
			from, name, _ := strings.Cut(rest, " AS ")
			stages = append(stages, stage{name: name, from: from})
			continue
		}
		if len(stages) == 0 {
			continue // ARG before the first FROM
		}
		cur := stages[len(stages)-1].name
		if cur != "meta" && slices.Contains([]string{"EXPOSE", "ENV", "ENTRYPOINT", "CMD", "HEALTHCHECK", "USER"}, op) {
			t.Errorf("%s in stage %s: the images' settings belong to the meta stage both take", op, cur)
		}
		switch op {
		case "COPY":
			fields := strings.Fields(rest)
			from := ""
			if f, ok := strings.CutPrefix(fields[0], "--from="); ok {
				from, fields = f, fields[1:]
			}
			for _, src := range fields[:len(fields)-1] {
				copied[cur] = append(copied[cur], from+":"+src)
			}
		case "RUN":
			runs = append(runs, rest)
		case "EXPOSE":
			exposed = strings.Fields(rest)
		case "ENV":
			for _, kv := range strings.Fields(rest) {
				k, v, _ := strings.Cut(kv, "=")
				env[k] = v
			}
		case "ENTRYPOINT":
			entry = jsonArray(t, rest)
		case "CMD":
			cmd = jsonArray(t, rest)
		case "HEALTHCHECK":
			_, exec, _ := strings.Cut(rest, "CMD ")
			health = jsonArray(t, exec)
		case "USER":
			if !regexp.MustCompile(`^[1-9][0-9]*:[1-9][0-9]*$`).MatchString(rest) {
				t.Errorf("USER %s: want a numeric non-root uid:gid (runAsNonRoot checks it, scratch has no /etc/passwd)", rest)
			}
		}
	}
	var names []string
	for _, st := range stages {
		names = append(names, st.name+"<"+st.from)
	}
	want := []string{"meta<scratch", "prebuilt<meta", "build<golang:${GO_VERSION}", "source<meta"}
	if !slices.Equal(names, want) {
		t.Errorf("stages %v, want %v: the prebuilt image before the Go image, the source image last", names, want)
	}

	// make static fills bin/rootfs with what the prebuilt stage copies.
	makefile := string(readRepoFile(t, "Makefile"))
	for _, want := range []string{"CGO_ENABLED=0 $(GO) build -trimpath", "docker build --target prebuilt", "docker build --target source"} {
		if !strings.Contains(makefile, want) {
			t.Errorf("Makefile: no %q", want)
		}
	}
	for _, src := range copied["prebuilt"] {
		path := strings.TrimPrefix(src, ":bin/rootfs/")
		if !strings.Contains(makefile, "bin/rootfs/"+path) {
			t.Errorf("the prebuilt stage copies %s, which make static does not make", src)
		}
	}
	if len(copied["prebuilt"]) != 2 {
		t.Errorf("the prebuilt stage copies %v, want the binary and the CA bundle", copied["prebuilt"])
	}
	for _, src := range copied["source"] {
		path := strings.TrimPrefix(src, "build:")
		if !strings.Contains(strings.Join(runs, "\n"), "-o "+path) && path != "/etc/ssl/certs/ca-certificates.crt" {
			t.Errorf("the source stage copies %s, which its build stage does not make", src)
		}
	}
	if !slices.Equal(entry, []string{"/followup"}) || !isCommand(cmd) {
		t.Errorf("ENTRYPOINT %v CMD %v: want /followup and one of its commands", entry, cmd)
	}
	if len(health) < 2 || health[0] != "/followup" || health[1] != "healthcheck" {
		t.Errorf("HEALTHCHECK %v: want /followup healthcheck (there is no shell)", health)
	}
	for _, v := range []string{"FOLLOWUP_HTTP_ADDR", "FOLLOWUP_INBOUND_ADDR"} {
		_, port, err := net.SplitHostPort(env[v])
		if err != nil || !slices.Contains(exposed, port) {
			t.Errorf("ENV %s=%s: its port is not in EXPOSE %v", v, env[v], exposed)
		}
	}
	if !slices.Contains(exposed, "9464") {
		t.Errorf("EXPOSE %v: want 9464, the FOLLOWUP_METRICS_ADDR port of compose and Kubernetes", exposed)
	}
	ignore := strings.Fields(string(readRepoFile(t, ".dockerignore")))
	if !slices.Contains(ignore, ".git") || !slices.Contains(ignore, "!/bin/rootfs") {
		t.Errorf(".dockerignore %v: want .git left out and bin/rootfs kept", ignore)
	}
}

func jsonArray(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	if err := yaml.Unmarshal([]byte(s), &out); err != nil {
		t.Fatalf("%s: want the exec form [\"...\"]: %v", s, err)
	}
	return out
}

// TestDockerImage builds the image as make docker does (the binary built
// here, nothing pulled) and runs its version command. It needs a Docker
// engine.
func TestDockerImage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and the image: not in -short")
	}
	if _, err := exec.LookPath("docker"); err != nil {
		t.Skip("no docker client: " + err.Error())
	}
	if out, err := exec.Command("docker", "info", "--format", "{{.ServerVersion}}").CombinedOutput(); err != nil {
		t.Skipf("no Docker engine answers (docker info: %v): %s", err, strings.TrimSpace(string(out)))
	}
	image := "followup:test-" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	mk := exec.Command("make", "-C", "../..", "docker", "IMAGE="+image, "VERSION=v0.0.0-image-test")
	if out, err := mk.CombinedOutput(); err != nil {
		t.Fatalf("make docker: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("docker", "image", "rm", "-f", image).CombinedOutput(); err != nil {
			t.Logf("remove %s: %v %s", image, err, out)
		}
	})
	out, err := exec.Command("docker", "run", "--rm", image, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "followup v0.0.0-image-test\n") {
		t.Errorf("docker run %s version: %v\n%s", image, err, out)
	}
	out, err = exec.Command("docker", "image", "inspect", "--format", "{{.Config.User}}", image).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "65532:65532" {
		t.Errorf("the image's user: %q, %v", out, err)
	}
}

// secretFileEnv checks that an environment variable naming a secret file
// is one the configuration reads, and returns the secret's file name.
func secretFileEnv(t *testing.T, where, name, value, dir string) string {
	t.Helper()
	if !slices.Contains(config.FileNames(), name) {
		t.Errorf("%s: %s is not a _FILE variable of the configuration (%v)", where, name, config.FileNames())
	}
	file, ok := strings.CutPrefix(value, dir)
	if !ok {
		t.Errorf("%s: %s=%s, want a file under %s", where, name, value, dir)
	}
	return file
}

var errNotFound = errors.New("not found")

// child returns the value at a path of keys in a decoded YAML document.
func child(v any, keys ...string) (any, error) {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, errNotFound
		}
		if v, ok = m[k]; !ok {
			return nil, errNotFound
		}
	}
	return v, nil
}

func strs(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// TestComposeIsConsistent: compose.yaml starts every role once, after the
// migration, with its secrets as files the configuration reads, and checks
// each one's health with a command of the binary on a listener it opens.
func TestComposeIsConsistent(t *testing.T) {
	var doc map[string]any
	if err := yaml.Unmarshal(readRepoFile(t, "compose.yaml"), &doc); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	declared, _ := child(doc, "secrets")
	services, _ := doc["services"].(map[string]any)
	started := map[string]bool{}
	for name, s := range services {
		image, _ := child(s, "image")
		if img, _ := image.(string); !strings.Contains(img, "followup") {
			continue
		}
		command := strs(mustChild(t, s, "command"))
		if !isCommand(command) {
			t.Errorf("service %s: command %v is not a command of followup", name, command)
		}
		started[command[0]] = true
		env, _ := child(s, "environment")
		envMap, _ := env.(map[string]any)
		mounted := strs(mustChild(t, s, "secrets"))
		for k, v := range envMap {
			if !strings.HasSuffix(k, config.FileSuffix) {
				continue
			}
			file := secretFileEnv(t, "service "+name, k, v.(string), "/run/secrets/")
			if !slices.Contains(mounted, file) {
				t.Errorf("service %s: %s names secret %s, which it does not mount (%v)", name, k, file, mounted)
			}
			if _, err := child(declared, file); err != nil {
				t.Errorf("service %s: secret %s is not declared", name, file)
			}
		}
		if command[0] == "migrate" {
			continue
		}
		if c, _ := child(s, "depends_on", "migrate", "condition"); c != "service_completed_successfully" {
			t.Errorf("service %s: want it to depend on migrate completing, got %v", name, c)
		}
		test := strs(mustChild(t, s, "healthcheck", "test"))
		if len(test) < 3 || test[1] != "/followup" || test[2] != "healthcheck" {
			t.Errorf("service %s: healthcheck %v, want /followup healthcheck", name, test)
		}
		// healthcheck asks FOLLOWUP_METRICS_ADDR, else FOLLOWUP_HTTP_ADDR:
		// only serve has the latter.
		if _, ok := envMap["FOLLOWUP_METRICS_ADDR"]; !ok && command[0] != "serve" {
			t.Errorf("service %s: no FOLLOWUP_METRICS_ADDR, so nothing answers its healthcheck", name)
		}
	}
	for _, r := range append(slices.Clone(roles), "migrate") {
		if !started[r] {
			t.Errorf("compose.yaml starts no %s", r)
		}
	}
	if n, _ := child(services, "scheduler", "deploy", "replicas"); n != 2 {
		t.Errorf("scheduler replicas %v, want 2 (fail-over)", n)
	}
}

func mustChild(t *testing.T, v any, keys ...string) any {
	t.Helper()
	c, err := child(v, keys...)
	if err != nil {
		t.Fatalf("%s: %v", strings.Join(keys, "."), err)
	}
	return c
}

// unit parses a systemd unit into key → values (a key may repeat).
func unit(t *testing.T, path string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, line := range strings.Split(string(readRepoFile(t, path)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			out[k] = append(out[k], v)
		}
	}
	return out
}

// TestSystemdUnits: one unit per role and a oneshot migration the roles
// require; each unit's secrets are credentials whose _FILE variables the
// configuration reads; systemd-analyze verify finds nothing to say.
func TestSystemdUnits(t *testing.T) {
	units, err := filepath.Glob("../../deploy/systemd/*.service")
	if err != nil || len(units) != len(roles)+1 {
		t.Fatalf("deploy/systemd: %v %v, want one unit per role and followup-migrate.service", units, err)
	}
	for _, r := range append(slices.Clone(roles), "migrate") {
		path := "deploy/systemd/followup-" + r + ".service"
		u := unit(t, path)
		exec := strings.Fields(strings.Join(u["ExecStart"], ""))
		if len(exec) < 2 || exec[0] != "/usr/local/bin/followup" || exec[1] != r || !isCommand(exec[1:]) {
			t.Errorf("%s: ExecStart %v, want /usr/local/bin/followup %s", path, exec, r)
		}
		creds := map[string]bool{}
		for _, c := range u["LoadCredential"] {
			name, _, _ := strings.Cut(c, ":")
			creds[name] = true
		}
		files := 0
		for _, e := range u["Environment"] {
			k, v, _ := strings.Cut(e, "=")
			if !strings.HasSuffix(k, config.FileSuffix) {
				continue
			}
			files++
			if cred := secretFileEnv(t, path, k, v, "%d/"); !creds[cred] {
				t.Errorf("%s: %s names credential %s, which no LoadCredential= loads", path, k, cred)
			}
		}
		if files == 0 {
			t.Errorf("%s: no secret is read from a credential", path)
		}
		for _, want := range []string{"DynamicUser", "NoNewPrivileges", "ProtectSystem", "EnvironmentFile"} {
			if len(u[want]) == 0 {
				t.Errorf("%s: no %s=", path, want)
			}
		}
		switch {
		case r == "migrate" && (u["Type"][0] != "oneshot" || u["RemainAfterExit"][0] != "yes"):
			t.Errorf("%s: want Type=oneshot and RemainAfterExit=yes", path)
		case r != "migrate" && (!slices.Contains(u["Requires"], "followup-migrate.service") || !slices.Contains(u["Restart"], "on-failure")):
			t.Errorf("%s: want Requires=followup-migrate.service and Restart=on-failure", path)
		}
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed: the units are not verified: " + err.Error())
	}
	// verify checks that ExecStart's program exists: point it at a real
	// followup binary.
	bin := staticBinary(t)
	dir := t.TempDir()
	var paths []string
	for _, src := range units {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, filepath.Base(src))
		if err := os.WriteFile(dst, bytes.ReplaceAll(b, []byte("/usr/local/bin/followup"), []byte(bin)), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, dst)
	}
	out, err := exec.Command(analyze, append([]string{"verify", "--man=no"}, paths...)...).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}
