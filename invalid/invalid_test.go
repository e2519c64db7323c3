package invalid_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/followup/followup/invalid"
)

func TestFieldErrorIsFoundThroughWrapping(t *testing.T) {
	err := fmt.Errorf("save campaign 3: %w", invalid.Field("trigger.run_at", "pick a date and a time"))
	var fe *invalid.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("errors.As found no FieldError in %v", err)
	}
	if fe.Field != "trigger.run_at" || fe.Message != "pick a date and a time" {
		t.Errorf("got %+v", fe)
	}
	if got, want := err.Error(), "save campaign 3: trigger.run_at: pick a date and a time"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func ExampleField() {
	err := invalid.Field("email", "is not an email address")
	fmt.Println(err)
	// Output: email: is not an email address
}
