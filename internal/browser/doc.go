// Package browser drives a real headless Chromium for page tests, through
// chromedp. Each test gets its own browser with an empty profile.
//
// Tables: none. For tests only, never imported by the product.
package browser
