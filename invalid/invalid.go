// Package invalid holds the one error every domain package returns for
// input it cannot use: the field at fault and what is wrong with it. The
// web core maps it to 400 (or shows it next to the field of a form); the
// domain packages know nothing of HTTP. A validator that checks several
// fields returns Fields, every problem at once.
package invalid

// FieldError says which input field is wrong and why. Field is spelled as
// the API and the forms spell it ("trigger.run_at", "questions[2].key");
// Message says what is wrong, in words a person can act on.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is "field: message".
func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Field returns the error for field with its message.
func Field(field, message string) *FieldError {
	return &FieldError{Field: field, Message: message}
}
