// Package config holds followup's typed configuration: every setting is read
// once at start from a FOLLOWUP_* environment variable or its matching flag,
// parsed into a typed field and validated. A bad value stops the program with
// one line that names the variable and what is expected.
//
// The package knows nothing of the roles that use the settings; it must not
// open connections or read files beyond what its fields describe.
//
// Tables: none.
package config
