package web

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/followup/followup/invalid"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
)

// MaxFormBytes is the largest form body any page takes (the survey
// editor's, with every question in two languages, is the largest).
const MaxFormBytes = 1 << 20

// checkInput refuses, before any handler runs, a request whose path,
// query or form holds a text the product could not store (see
// invalid.Text): 400 naming the field, so no handler can forget to check
// and no NUL byte reaches PostgreSQL as a 500. JSON bodies are checked as
// they are decoded (DecodeJSON, CheckJSONText). It parses form bodies
// (at most MaxFormBytes) so their values can be checked; handlers find
// them parsed.
func (s *Server) checkInput(w http.ResponseWriter, r *http.Request, route Route) bool {
	fe := invalid.Text("path", r.URL.Path)
	if fe == nil {
		fe = checkValues(r.URL.Query())
	}
	if fe == nil && isForm(r) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxFormBytes)
		var err error
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			err = r.ParseMultipartForm(MaxFormBytes)
		} else {
			err = r.ParseForm()
		}
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			s.badInput(w, r, route, http.StatusRequestEntityTooLarge, "", fmt.Sprintf("the form is larger than %d bytes", MaxFormBytes))
			return false
		case err != nil:
			s.badInput(w, r, route, http.StatusBadRequest, "", "the form could not be read")
			return false
		}
		fe = checkValues(r.PostForm)
		if fe == nil && r.MultipartForm != nil {
			fe = checkValues(r.MultipartForm.Value)
		}
	}
	if fe != nil {
		s.badInput(w, r, route, http.StatusBadRequest, fe.Field, fe.Field+" "+fe.Message)
		return false
	}
	return true
}

// isForm says whether the request's body is a form.
func isForm(r *http.Request) bool {
	if r.Body == nil || r.Body == http.NoBody || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return false
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct == "application/x-www-form-urlencoded" || ct == "multipart/form-data"
}

// checkValues checks the names and values of a query or form, in the
// order of their names (so the field named is always the same one).
func checkValues(v map[string][]string) *invalid.FieldError {
	for _, k := range sortedKeys(v) {
		if fe := invalid.Text("field name", k); fe != nil {
			return fe
		}
		for _, x := range v[k] {
			if fe := invalid.Text(k, x); fe != nil {
				return fe
			}
		}
	}
	return nil
}

// badInput answers a request refused by checkInput the way its audience
// reads errors: JSON for the API, a page in the customer's language for
// the customers' pages, the staff's message page otherwise.
func (s *Server) badInput(w http.ResponseWriter, r *http.Request, route Route, status int, field, msg string) {
	switch {
	case route.Token:
		WriteError(w, status, field, msg)
	case customerPath(r.URL.Path):
		locale := RequestLocale(r, "")
		s.RenderPage(w, status, "message", templates.PageData{Locale: locale, Title: templates.T(locale, "error.400.title"),
			Data: templates.T(locale, "error.400.body", field)})
	default:
		locale := StaffLocale(r)
		s.RenderStaff(w, r, status, "message", templates.T(locale, "staff.unreadable.title"), templates.T(locale, "staff.unreadable.body", msg))
	}
}

// customerPath says whether path is one of the customers' pages.
func customerPath(path string) bool {
	return strings.HasPrefix(path, surveys.SurveyPath) || strings.HasPrefix(path, surveys.UnsubscribePath) ||
		strings.HasPrefix(path, "/preview/")
}

// CheckJSONText checks every text of v, a value JSON was decoded into
// (structs, maps, slices, json.RawMessage), with invalid.Text, naming the
// field at fault by its JSON path ("customer.name", "questions[2].key").
func CheckJSONText(v any) *invalid.FieldError {
	return walkText(reflect.ValueOf(v), "")
}

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

func walkText(v reflect.Value, path string) *invalid.FieldError {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return walkText(v.Elem(), path)
	case reflect.String:
		return invalid.Text(path, v.String())
	case reflect.Struct:
		return walkStruct(v, path)
	case reflect.Slice, reflect.Array:
		if v.Type() == rawType {
			if fe := invalid.JSON(path, v.Bytes()); fe != nil {
				return fe
			}
			var x any
			if json.Unmarshal(v.Bytes(), &x) != nil {
				return nil // not JSON: the field's own check says so
			}
			return walkText(reflect.ValueOf(x), path)
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // bytes (base64 in JSON), not text
		}
		for i := range v.Len() {
			if fe := walkText(v.Index(i), path+"["+strconv.Itoa(i)+"]"); fe != nil {
				return fe
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, k := range keys {
			if k.Kind() == reflect.String {
				if fe := invalid.Text(cmp.Or(path, "field name"), k.String()); fe != nil { // a bad key: named by its parent
					return fe
				}
			}
			name := join(path, fmt.Sprint(k))
			if fe := walkText(v.MapIndex(k), name); fe != nil {
				return fe
			}
		}
	}
	return nil
}

func walkStruct(v reflect.Value, path string) *invalid.FieldError {
	t := v.Type()
	if t == timeType {
		return nil
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
			continue
		case name == "" && f.Anonymous:
			name = path // an embedded struct's fields are its parent's
		case name == "":
			name = join(path, f.Name)
		default:
			name = join(path, name)
		}
		if fe := walkText(v.Field(i), name); fe != nil {
			return fe
		}
	}
	return nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
