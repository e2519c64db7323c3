// Package charts draws the weekly report's charts as PNG images with
// gonum/plot, for emails (mail clients run no script, so the pages' charts
// cannot be reused). It decides how a chart looks; the caller gives it the
// figures and the words.
//
// Tables: none. It must never query data or choose words: both come from the
// caller.
package charts
