package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// FileSuffix turns a secret setting's variable into the one naming a file
// that holds its value: FOLLOWUP_SECRET_FILE for FOLLOWUP_SECRET. Secrets
// then stay out of the environment, which other processes, crash reports
// and "docker inspect" show: Docker and Kubernetes secrets and systemd's
// LoadCredential= all hand them over as files.
const FileSuffix = "_FILE"

// fromEnv returns the value of f from the environment: its variable, or,
// for a secret, the content of the file its _FILE variable names, read
// now and stripped of its trailing newline (editors and "echo" add one).
// Both set is an error rather than a silent choice, and so is a file that
// cannot be read or is empty: the process would otherwise start with the
// default (a database on 127.0.0.1) or with no secret at all.
func (f field) fromEnv(env Env) (string, bool, error) {
	raw, ok := env(f.env)
	if !f.secret {
		return raw, ok, nil
	}
	name := f.env + FileSuffix
	path, fromFile := env(name)
	if !fromFile || path == "" {
		return raw, ok, nil
	}
	if ok && raw != "" {
		return "", false, &Error{Env: name, Got: path,
			Expected: fmt.Sprintf("either %s or %s, not both (unset one of them)", f.env, name)}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is in Got already
		}
		return "", false, &Error{Env: name, Got: path,
			Expected: fmt.Sprintf("a readable file holding %s (%v)", f.env, err)}
	}
	v := strings.TrimRight(string(b), "\r\n")
	if v == "" {
		return "", false, &Error{Env: name, Got: path,
			Expected: fmt.Sprintf("a file holding %s, not an empty one", f.env)}
	}
	return v, true, nil
}
