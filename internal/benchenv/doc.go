// Package benchenv gives benchmark tools a throwaway PostgreSQL schema,
// migrated, on the real server, and reports the machine they ran on.
//
// Tables: none; it creates and drops the benchmark's schema. For cmd/bench-*
// only, never imported by the product.
package benchenv
