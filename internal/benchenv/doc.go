// Package benchenv gives benchmark tools a throwaway PostgreSQL schema,
// migrated, on the real server, and reports the machine they ran on.
package benchenv
