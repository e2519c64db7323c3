package invalid

import "strings"

// Fields is every problem found in one input, in the order the fields
// were checked, so a form or an API client learns all of them in one
// answer rather than one per attempt. Validators collect with Add and
// return Err. errors.As finds a Fields, and also its first *FieldError
// (through Unwrap), so code that only knows FieldError still sees one.
type Fields []*FieldError

// Add records that field is wrong and why.
func (f *Fields) Add(field, message string) {
	*f = append(*f, Field(field, message))
}

// AddError records fe, or every field of err when it is a Fields; nil
// adds nothing. Other errors are not input problems and are ignored: a
// validator passes only what it built.
func (f *Fields) AddError(err error) {
	switch e := err.(type) {
	case nil:
	case *FieldError:
		if e != nil {
			*f = append(*f, e)
		}
	case Fields:
		*f = append(*f, e...)
	}
}

// Has reports whether field already has a problem: a validator skips the
// checks that would only repeat it.
func (f Fields) Has(field string) bool {
	for _, e := range f {
		if e.Field == field {
			return true
		}
	}
	return false
}

// Err is nil when nothing was found, else f (never a typed nil).
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return f
}

// Error is every "field: message", separated by "; ".
func (f Fields) Error() string {
	parts := make([]string, len(f))
	for i, e := range f {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap lets errors.As and errors.Is see each field's error.
func (f Fields) Unwrap() []error {
	out := make([]error, len(f))
	for i, e := range f {
		out[i] = e
	}
	return out
}
