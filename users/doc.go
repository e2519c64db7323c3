// Package users owns the people who use followup and what they may do:
// accounts with a role (marketing, cx, manager, admin), passwords hashed with
// argon2id, sign-in sessions and revocable API tokens, all stored hashed.
// It knows nothing of HTTP: the web package asks it who a credential
// belongs to.
package users
