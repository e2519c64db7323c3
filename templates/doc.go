// Package templates holds the embedded email and page templates, per locale
// (en, fr), and renders them. It decides how things look and read, never what
// is sent to whom or when.
//
// Tables: none. It must never query a store or send anything.
package templates
