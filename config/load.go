package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Env looks up an environment variable; os.LookupEnv fits.
type Env func(name string) (string, bool)

// Options tune what Load demands.
type Options struct {
	// RequireSecret makes FOLLOWUP_SECRET mandatory (roles that sign or
	// verify customer links). Without it, an unset secret stays empty.
	RequireSecret bool
}

// Error is a configuration value that is missing or malformed.
type Error struct {
	Env      string
	Flag     string
	Expected string
	// Got is the offending value, empty for secrets and missing values.
	Got string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Flag == "" {
		fmt.Fprintf(&b, "config: %s: expected %s", e.Env, e.Expected)
	} else {
		fmt.Fprintf(&b, "config: %s (--%s): expected %s", e.Env, e.Flag, e.Expected)
	}
	if e.Got != "" {
		fmt.Fprintf(&b, ", got %q", e.Got)
	}
	return b.String()
}

// Register declares one flag per setting on fs, with usage text naming the
// matching environment variable. Call Load after fs.Parse.
func Register(fs *flag.FlagSet) {
	for _, f := range fields {
		fs.String(f.flag(), "", fmt.Sprintf("%s (env %s, default %q)", f.usage, f.env, f.def))
	}
}

// Load builds the configuration from the flags set on fs (registered with
// Register and already parsed) and the environment. A flag given on the
// command line wins over the environment, which wins over the default. A
// secret setting may instead be read from the file its _FILE variable
// names (FOLLOWUP_SECRET_FILE for FOLLOWUP_SECRET; see fromEnv).
func Load(fs *flag.FlagSet, env Env, opts Options) (Config, error) {
	given := map[string]string{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = fl.Value.String() })

	var c Config
	for _, f := range fields {
		raw, ok := given[f.flag()]
		if !ok {
			var err error
			if raw, ok, err = f.fromEnv(env); err != nil {
				return Config{}, err
			}
		}
		if !ok || raw == "" {
			raw = f.def
		}
		if raw == "" && f.env == "FOLLOWUP_SECRET" && !opts.RequireSecret {
			continue
		}
		if err := f.set(&c, raw); err != nil {
			ce := &Error{Env: f.env, Flag: f.flag(), Expected: f.usage}
			var exp expectError
			if errors.As(err, &exp) {
				ce.Expected = string(exp)
			}
			if !f.secret {
				ce.Got = raw
			}
			return Config{}, ce
		}
	}
	if c.Alerts.WebhookURL != "" && len(c.Alerts.WebhookSecret) == 0 {
		return Config{}, &Error{Env: "FOLLOWUP_ALERT_WEBHOOK_SECRET", Flag: "alert-webhook-secret",
			Expected: "a secret of at least 16 bytes when FOLLOWUP_ALERT_WEBHOOK_URL is set, so receivers can check alerts"}
	}
	if r := Contrast(c.Brand.Color, c.Brand.TextColor); r < MinBrandContrast {
		return Config{}, &Error{Env: "FOLLOWUP_BRAND_TEXT_COLOR", Flag: "brand-text-color", Got: c.Brand.TextColor,
			Expected: fmt.Sprintf("a colour readable on FOLLOWUP_BRAND_COLOR %s (contrast %.1f:1, at least %.1f:1 needed; try #000000 or #ffffff)",
				c.Brand.Color, r, MinBrandContrast)}
	}
	return c, nil
}

// WriteTable writes the settings as a Markdown table (variable, flag,
// default, meaning), the one the README shows.
func WriteTable(w io.Writer) error {
	if _, err := fmt.Fprintln(w, "| variable | flag | default | meaning |\n| --- | --- | --- | --- |"); err != nil {
		return err
	}
	for _, f := range fields {
		def := f.def
		if def == "" {
			def = "(none)"
		}
		usage := f.usage
		if f.secret {
			usage += "; or a file holding it: `" + f.env + FileSuffix + "`"
		}
		if _, err := fmt.Fprintf(w, "| `%s` | `--%s` | `%s` | %s |\n", f.env, f.flag(), def, usage); err != nil {
			return err
		}
	}
	return nil
}

// Names returns every environment variable the configuration reads, the
// _FILE variants of the secret settings excepted (FileNames lists them).
func Names() []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.env
	}
	return out
}

// FileNames returns the _FILE variables, one per secret setting: each
// names a file holding the setting's value.
func FileNames() []string {
	var out []string
	for _, f := range fields {
		if f.secret {
			out = append(out, f.env+FileSuffix)
		}
	}
	return out
}

// expectError replaces the generic expectation of a field with a precise one.
type expectError string

func (e expectError) Error() string { return string(e) }

type field struct {
	env    string
	def    string
	usage  string
	secret bool
	set    func(c *Config, raw string) error
}

// flag derives the flag name from the variable: FOLLOWUP_SMTP_HOST -> smtp-host.
func (f field) flag() string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(f.env, "FOLLOWUP_")), "_", "-")
}
