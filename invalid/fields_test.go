package invalid_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/followup/followup/invalid"
)

func TestFieldsCollectEveryProblem(t *testing.T) {
	var fs invalid.Fields
	if fs.Err() != nil {
		t.Fatal("an empty list must be no error (not a typed nil)")
	}
	fs.Add("name", "is required")
	fs.AddError(nil)
	fs.AddError(invalid.Field("cron", "is not a cron schedule"))
	fs.AddError(invalid.Fields{invalid.Field("time_zone", "is unknown"), invalid.Field("cap", "is negative")})
	err := fmt.Errorf("save campaign: %w", fs.Err())

	var got invalid.Fields
	if !errors.As(err, &got) || len(got) != 4 {
		t.Fatalf("errors.As found %v, want the 4 fields", got)
	}
	var first *invalid.FieldError
	if !errors.As(err, &first) || first.Field != "name" {
		t.Errorf("errors.As *FieldError = %+v, want the first field (name)", first)
	}
	if !got.Has("time_zone") || got.Has("delay") {
		t.Errorf("Has: time_zone must be there, delay must not")
	}
	want := "save campaign: name: is required; cron: is not a cron schedule; time_zone: is unknown; cap: is negative"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

func ExampleFields() {
	var fs invalid.Fields
	fs.Add("name", "is required")
	fs.Add("frequency_cap_days", "must be between 0 and 365")
	fmt.Println(fs.Err())
	// Output: name: is required; frequency_cap_days: must be between 0 and 365
}
