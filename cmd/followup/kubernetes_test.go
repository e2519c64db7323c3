package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/web"
)

// manifest is one document of deploy/kubernetes, as much as the test reads.
type manifest struct {
	file       string
	Kind       string `yaml:"kind"`
	APIVersion string `yaml:"apiVersion"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		Replicas *int `yaml:"replicas"`
		Selector struct {
			MatchLabels map[string]string `yaml:"matchLabels"`
		} `yaml:"selector"`
		Template podTemplate `yaml:"template"`
		Ports    []struct {
			Name       string `yaml:"name"`
			Port       int    `yaml:"port"`
			TargetPort string `yaml:"targetPort"`
		} `yaml:"ports"`
	} `yaml:"spec"`
	Resources []string `yaml:"resources"`
}

type podTemplate struct {
	Metadata struct {
		Labels map[string]string `yaml:"labels"`
	} `yaml:"metadata"`
	Spec struct {
		SecurityContext struct {
			RunAsNonRoot bool `yaml:"runAsNonRoot"`
			RunAsUser    int  `yaml:"runAsUser"`
		} `yaml:"securityContext"`
		Containers []container `yaml:"containers"`
		Volumes    []struct {
			Name   string `yaml:"name"`
			Secret *struct {
				SecretName string `yaml:"secretName"`
			} `yaml:"secret"`
		} `yaml:"volumes"`
	} `yaml:"spec"`
}

type container struct {
	Args []string `yaml:"args"`
	Env  []struct {
		Name  string `yaml:"name"`
		Value string `yaml:"value"`
	} `yaml:"env"`
	Ports []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	LivenessProbe  *probe `yaml:"livenessProbe"`
	ReadinessProbe *probe `yaml:"readinessProbe"`
	VolumeMounts   []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
	} `yaml:"volumeMounts"`
}

type probe struct {
	HTTPGet struct {
		Path string `yaml:"path"`
		Port string `yaml:"port"`
	} `yaml:"httpGet"`
}

func (c container) env(name string) string {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

// port resolves a probe's or Service's port (a name or a number) to the
// container's port number.
func (c container) port(p string) (int, error) {
	for _, cp := range c.Ports {
		if cp.Name == p || strconv.Itoa(cp.ContainerPort) == p {
			return cp.ContainerPort, nil
		}
	}
	return 0, fmt.Errorf("port %q is not a port of the container", p)
}

func readManifests(t *testing.T) []manifest {
	t.Helper()
	files, err := filepath.Glob("../../deploy/kubernetes/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("deploy/kubernetes: %v %v", files, err)
	}
	var out []manifest
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(false)
		for {
			var m manifest
			if err := dec.Decode(&m); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if m.Kind == "" {
				t.Errorf("%s: a document without kind", f)
			}
			m.file = filepath.Base(f)
			out = append(out, m)
		}
	}
	return out
}

// TestKubernetesManifests: a Deployment per role running a command of the
// binary, probed on /healthz and /readyz at the port of the listener that
// serves them (FOLLOWUP_HTTP_ADDR for serve, FOLLOWUP_METRICS_ADDR for the
// others), secrets as files of a mounted Secret, two schedulers, a
// migration Job, Services on ports the pods open, every file in the
// kustomization.
func TestKubernetesManifests(t *testing.T) {
	all := readManifests(t)
	deployments := map[string]container{}
	var listed []string
	files := map[string]bool{}
	for _, m := range all {
		files[m.file] = true
		if m.Kind == "Kustomization" {
			listed = m.Resources
			continue
		}
		if m.Kind != "Deployment" && m.Kind != "Job" {
			continue
		}
		where := m.Kind + " " + m.Metadata.Name
		pod := m.Spec.Template.Spec
		if len(pod.Containers) != 1 {
			t.Fatalf("%s: %d containers, want 1", where, len(pod.Containers))
		}
		c := pod.Containers[0]
		if !isCommand(c.Args) {
			t.Errorf("%s: args %v are not a command of followup", where, c.Args)
		}
		if !pod.SecurityContext.RunAsNonRoot || pod.SecurityContext.RunAsUser != 65532 {
			t.Errorf("%s: want runAsNonRoot and the image's user 65532", where)
		}
		checkSecretFiles(t, where, m.Spec.Template, c)
		if m.Kind == "Job" {
			if !slices.Equal(c.Args, []string{"migrate", "up"}) {
				t.Errorf("%s: args %v, want migrate up", where, c.Args)
			}
			deployments["migrate"] = c
			continue
		}
		role := c.Args[0]
		deployments[role] = c
		for k, v := range m.Spec.Selector.MatchLabels {
			if m.Spec.Template.Metadata.Labels[k] != v {
				t.Errorf("%s: the selector's %s=%s is not a label of its pods", where, k, v)
			}
		}
		listener := "FOLLOWUP_METRICS_ADDR"
		if role == "serve" {
			listener = "FOLLOWUP_HTTP_ADDR"
		}
		host, port, err := net.SplitHostPort(c.env(listener))
		if err != nil || (host != "0.0.0.0" && host != "") {
			t.Errorf("%s: %s=%q, want 0.0.0.0:PORT: the kubelet probes the pod's address", where, listener, c.env(listener))
			continue
		}
		for name, p := range map[string]*probe{"/healthz": c.LivenessProbe, "/readyz": c.ReadinessProbe} {
			if p == nil || p.HTTPGet.Path != name {
				t.Errorf("%s: want a probe on %s", where, name)
				continue
			}
			if code := probeStatus(role, p.HTTPGet.Path); code != http.StatusOK {
				t.Errorf("%s: the %s listener answers GET %s with %d", where, role, p.HTTPGet.Path, code)
			}
			if n, err := c.port(p.HTTPGet.Port); err != nil || strconv.Itoa(n) != port {
				t.Errorf("%s: probe %s on port %s (%d, %v), but %s listens on %s", where, name, p.HTTPGet.Port, n, err, listener, port)
			}
		}
		if role == "scheduler" && (m.Spec.Replicas == nil || *m.Spec.Replicas != 2) {
			t.Errorf("%s: want 2 replicas (one leads, one takes over)", where)
		}
	}
	for _, r := range append(slices.Clone(roles), "migrate") {
		if _, ok := deployments[r]; !ok {
			t.Errorf("deploy/kubernetes runs no %s", r)
		}
	}
	for _, m := range all {
		if m.Kind != "Service" {
			continue
		}
		role := strings.TrimPrefix(m.Metadata.Name, "followup-")
		c, ok := deployments[role]
		if !ok {
			t.Errorf("Service %s: no Deployment runs %s", m.Metadata.Name, role)
			continue
		}
		for _, p := range m.Spec.Ports {
			if _, err := c.port(p.TargetPort); err != nil {
				t.Errorf("Service %s: targetPort %s: %v", m.Metadata.Name, p.TargetPort, err)
			}
		}
	}
	for f := range files {
		if f != "kustomization.yaml" && !slices.Contains(listed, f) {
			t.Errorf("kustomization.yaml does not list %s", f)
		}
	}
	if len(listed) != len(files)-1 {
		t.Errorf("kustomization.yaml lists %v, the directory holds %v", listed, files)
	}
}

// probeStatus is what the listener that role's probes ask (the web server
// of serve, the metrics listener of the others) answers a GET of path, its
// dependencies all up.
func probeStatus(role, path string) int {
	s := &web.Server{Log: slog.New(slog.DiscardHandler), Clock: clock.Real{}}
	h := s.OpsHandler()
	if role == "serve" {
		h = s.Handler()
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code
}

// checkSecretFiles: every _FILE variable is one the configuration reads
// and names a file of a mounted Secret volume.
func checkSecretFiles(t *testing.T, where string, tpl podTemplate, c container) {
	t.Helper()
	secretVolumes := map[string]bool{}
	for _, v := range tpl.Spec.Volumes {
		if v.Secret != nil {
			secretVolumes[v.Name] = true
		}
	}
	var dirs []string
	for _, m := range c.VolumeMounts {
		if secretVolumes[m.Name] {
			dirs = append(dirs, strings.TrimSuffix(m.MountPath, "/")+"/")
		}
	}
	if len(dirs) != 1 {
		t.Fatalf("%s: want one Secret mounted, got %v", where, dirs)
	}
	n := 0
	for _, e := range c.Env {
		if strings.HasSuffix(e.Name, "_FILE") {
			secretFileEnv(t, where, e.Name, e.Value, dirs[0])
			n++
		}
	}
	if n < 3 {
		t.Errorf("%s: %d secrets from files, want at least the database URL, the Redis URL and the secret", where, n)
	}
}
