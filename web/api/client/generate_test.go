package client_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestClientIsGeneratedFromTheContract: the committed client is what
// oapi-codegen (the go.mod tool) makes of the contract today, so a change
// of web/api/openapi.yaml cannot leave it behind (run go generate
// ./web/api/client).
func TestClientIsGeneratedFromTheContract(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "client.gen.go")
	cmd := exec.Command("go", "tool", "oapi-codegen", "-config", "config.yaml", "-o", out, "../openapi.yaml")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("oapi-codegen: %v\n%s", err, b)
	}
	fresh, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("client.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Error("web/api/client/client.gen.go is not what the contract gives: run go generate ./web/api/client and commit the result")
	}
}
