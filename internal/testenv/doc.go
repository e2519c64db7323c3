// Package testenv gives tests real, isolated services: a fresh PostgreSQL
// schema with the migrations applied, a private asynq queue namespace on the
// real Redis, so tests run in parallel and in any order without seeing each
// other's rows or tasks. Nothing here is mocked. Redis database 0 is shared
// (by queue prefix); database 13 (FlushRedisDB) is reserved for the test
// that flushes it. Schema.Through puts a Link between code under test and
// PostgreSQL, which the test cuts to see what the code does when the
// database goes away mid-work.
//
// Tables: none; it creates, migrates and drops test schemas. For tests
// only, never imported by the product.
package testenv
