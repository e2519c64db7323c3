// Package browser drives a real headless Chromium for page tests, through
// chromedp. Each test gets its own browser with an empty profile.
package browser
