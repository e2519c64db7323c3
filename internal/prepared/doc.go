// Package prepared keeps the prepared statements of a store: each hot query
// is parsed and planned by PostgreSQL once per connection instead of once
// per call, and runs in one round trip instead of two. Opaque keeps that
// true for statements with array parameters, whose plans PostgreSQL would
// otherwise make again at every call; AsyncCommit lets a statement run on
// its own commit without waiting for the disk.
//
// Tables: none; it prepares the statements its store gives it and must never
// decide what they say.
package prepared
