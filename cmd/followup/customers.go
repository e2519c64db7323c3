package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strings"

	"github.com/followup/followup/app"
	"github.com/followup/followup/config"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/privacy"
)

const customersUsage = `usage: followup customers export REF [--out FILE.json]
       followup customers erase REF --yes

REF names one customer: their external reference, else their email (when
several customers share it, name one by reference or id), else id:N (the
customer's id, as the API shows it).

export writes everything followup holds of the customer as one JSON
document (standard output without --out). erase replaces their personal
data everywhere, keeping the anonymous figures of the reports; --yes
confirms it, since it cannot be undone. Both are recorded in the audit
(GET /api/v1/audit).
`

// cmdCustomers runs "followup customers export|erase REF": the use case is
// privacy.Service's, as the API's.
func cmdCustomers(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "export" && args[0] != "erase") {
		fmt.Fprint(stderr, customersUsage)
		return errUsage
	}
	sub, args := args[0], args[1:]
	var ref string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		ref, args = args[0], args[1:]
	}
	var out string
	var yes bool
	cfg, fs, err := loadConfig("customers "+sub, args, stderr, config.Options{}, func(fs *flag.FlagSet) {
		if sub == "export" {
			fs.StringVar(&out, "out", "", "the file to write (FILE.json); standard output when empty")
		} else {
			fs.BoolVar(&yes, "yes", false, "confirm the erase: it cannot be undone")
		}
	})
	if err != nil {
		return err
	}
	if ref == "" && fs.NArg() > 0 {
		ref = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "followup customers %s: unexpected %q\n%s", sub, fs.Arg(0), customersUsage)
		return errUsage
	}
	if ref == "" {
		fmt.Fprintf(stderr, "followup customers %s: which customer? REF is missing\n%s", sub, customersUsage)
		return errUsage
	}
	if sub == "erase" && !yes {
		fmt.Fprintf(stderr, "followup customers erase: erasing %s cannot be undone; run it again with --yes to confirm\n", ref)
		return errUsage
	}
	a, err := app.New(ctx, cfg, newLogger(cfg, stderr), app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	id, err := a.Customers.Resolve(ctx, ref)
	if errors.Is(err, customers.ErrNotFound) {
		return fmt.Errorf("no customer %q: give an external reference, an email or id:N", ref)
	}
	if err != nil {
		return err
	}
	who := privacy.Actor{Label: "cli"}
	if u, err := user.Current(); err == nil {
		who.Label = "cli:" + u.Username
	}
	if sub == "erase" {
		e, err := a.Privacy.Erase(ctx, who, id)
		if err != nil {
			return err
		}
		word := "erased"
		if e.Already {
			word = "was already erased; what was left was erased"
		}
		fmt.Fprintf(stdout, "customer %d %s: %s; %d queued task(s) removed\n", id, word, rowsText(e.Rows), e.TasksRemoved)
		return nil
	}
	e, err := a.Privacy.Export(ctx, who, id)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return fmt.Errorf("encode the export of customer %d: %w", id, err)
	}
	b = append(b, '\n')
	if out == "" {
		_, err := stdout.Write(b)
		return err
	}
	// Written beside the target, then renamed: a failure never leaves half
	// a file where the export was expected.
	tmp, err := os.CreateTemp(filepath.Dir(out), ".customer-*.json")
	if err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	fmt.Fprintf(stderr, "customer %d exported to %s\n", id, out)
	return nil
}

// rowsText says the rows changed per table: "customers 1, responses 2".
func rowsText(rows map[string]int64) string {
	var parts []string
	for k, v := range rows {
		if v > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, v))
		}
	}
	if len(parts) == 0 {
		return "no row changed"
	}
	sort.Strings(parts)
	return "rows changed: " + strings.Join(parts, ", ")
}
