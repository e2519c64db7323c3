// Package users owns the people who use followup and what they may do:
// accounts with a role (marketing, cx, manager, admin), passwords hashed with
// argon2id, sign-in sessions and revocable API tokens, all stored hashed.
// It knows nothing of HTTP: the web package asks it who a credential
// belongs to.
//
// Tables: users, sessions and api_tokens. It must never keep a secret in
// clear text or import net/http.
package users
