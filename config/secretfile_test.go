package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// secretSamples are valid values of the secret settings, for the tests
// that read them from files. A new secret setting needs one here unless
// its default is a valid value.
var secretSamples = map[string]string{
	"FOLLOWUP_DATABASE_URL":         "postgres://app:s3cret@db.internal:5432/followup?sslmode=require",
	"FOLLOWUP_REDIS_URL":            "redis://:s3cret@redis.internal:6379/2",
	"FOLLOWUP_SECRET":               goodSecret,
	"FOLLOWUP_PREVIOUS_SECRETS":     strings.Repeat("a", 32) + "," + strings.Repeat("b", 40),
	"FOLLOWUP_SMTP_PASSWORD":        "smtp pass word",
	"FOLLOWUP_ALERT_WEBHOOK_SECRET": "0123456789abcdef-webhook",
	"FOLLOWUP_INBOUND_IMAP_URL":     "imaps://replies%40example.com:s3cret@imap.example.com/INBOX",
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestEverySecretReadsFromAFile: each secret setting has a _FILE variant
// whose file's content (without its trailing newline) gives the same
// configuration as the variable itself.
func TestEverySecretReadsFromAFile(t *testing.T) {
	var secrets int
	for _, f := range fields {
		if !f.secret {
			continue
		}
		secrets++
		t.Run(f.env, func(t *testing.T) {
			value, ok := secretSamples[f.env]
			if !ok {
				value = f.def
			}
			if value == "" {
				t.Fatalf("add a valid value of %s to secretSamples", f.env)
			}
			want, err := load(t, nil, map[string]string{f.env: value}, Options{})
			if err != nil {
				t.Fatalf("%s from the environment: %v", f.env, err)
			}
			for _, content := range []string{value, value + "\n", value + "\r\n"} {
				got, err := load(t, nil, map[string]string{f.env + "_FILE": writeFile(t, content)}, Options{})
				if err != nil {
					t.Fatalf("%s_FILE holding %q: %v", f.env, content, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s_FILE holding %q gives another configuration than %s", f.env, content, f.env)
				}
			}
			defaults, err := load(t, nil, nil, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if reflect.DeepEqual(want, defaults) {
				t.Errorf("the sample of %s is its default: the test would not see the file ignored", f.env)
			}
		})
	}
	if secrets < 7 {
		t.Errorf("%d secret settings, want at least 7 (database and Redis URLs, secrets, SMTP password, webhook secret, IMAP URL)", secrets)
	}
	if names := FileNames(); len(names) != secrets || names[0] != "FOLLOWUP_DATABASE_URL_FILE" {
		t.Errorf("FileNames() = %v", names)
	}
}

func TestSecretFileMistakesAreNamed(t *testing.T) {
	unreadable := filepath.Join(t.TempDir(), "missing")
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"both set", map[string]string{"FOLLOWUP_SECRET": goodSecret, "FOLLOWUP_SECRET_FILE": writeFile(t, goodSecret)},
			"either FOLLOWUP_SECRET or FOLLOWUP_SECRET_FILE, not both"},
		{"missing file", map[string]string{"FOLLOWUP_DATABASE_URL_FILE": unreadable},
			"a readable file holding FOLLOWUP_DATABASE_URL (no such file or directory), got \"" + unreadable + "\""},
		{"directory", map[string]string{"FOLLOWUP_SMTP_PASSWORD_FILE": t.TempDir()},
			"a readable file holding FOLLOWUP_SMTP_PASSWORD (is a directory)"},
		{"empty file", map[string]string{"FOLLOWUP_REDIS_URL_FILE": writeFile(t, "\n")},
			"a file holding FOLLOWUP_REDIS_URL, not an empty one"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, nil, tc.env, Options{})
			var ce *Error
			if !errors.As(err, &ce) || !strings.HasSuffix(ce.Env, "_FILE") {
				t.Fatalf("want a *Error naming the _FILE variable, got %v", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || !strings.HasPrefix(msg, "config: "+ce.Env+": ") {
				t.Errorf("message %q, want it to name %s and say %q", msg, ce.Env, tc.want)
			}
		})
	}
}

// TestSecretFileValueIsCheckedAndNotEchoed: a value read from a file is
// checked like one from the environment, and the error names the setting
// without its value.
func TestSecretFileValueIsCheckedAndNotEchoed(t *testing.T) {
	_, err := load(t, nil, map[string]string{"FOLLOWUP_SECRET_FILE": writeFile(t, "short-secret\n")}, Options{})
	var ce *Error
	if !errors.As(err, &ce) || ce.Env != "FOLLOWUP_SECRET" || !strings.Contains(err.Error(), "got 12 bytes") || strings.Contains(err.Error(), "short-secret") {
		t.Errorf("got %v, want FOLLOWUP_SECRET's length error without the value", err)
	}
}

// TestFlagWinsOverSecretFile: a flag on the command line wins over the
// environment, its files included (the file is not even read).
func TestFlagWinsOverSecretFile(t *testing.T) {
	c, err := load(t, []string{"--smtp-password", "from-flag"}, map[string]string{"FOLLOWUP_SMTP_PASSWORD_FILE": "/nonexistent"}, Options{})
	if err != nil || c.SMTP.Password != "from-flag" {
		t.Errorf("got %q, %v", c.SMTP.Password, err)
	}
}

// TestOnlySecretsHaveFiles: a _FILE variant of a plain setting is not read
// (a typo'd FOLLOWUP_HTTP_ADDR_FILE changes nothing).
func TestOnlySecretsHaveFiles(t *testing.T) {
	c, err := load(t, nil, map[string]string{"FOLLOWUP_HTTP_ADDR_FILE": writeFile(t, "0.0.0.0:9999")}, Options{})
	if err != nil || c.HTTPAddr != "127.0.0.1:8080" {
		t.Errorf("got %q, %v", c.HTTPAddr, err)
	}
}
