package contracttest

import (
	"sort"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// undocumented lists the members of v, at any depth, that schema does not
// declare: the answer's fields the contract does not document. JSON
// Schema lets an object carry members it does not name (and clients must
// ignore them), so kin-openapi accepts them; the contract of followup must
// still name every field the server sends. A schema that says nothing of
// v's shape (any JSON value) or takes any member (additionalProperties)
// declares everything below it.
func undocumented(s *openapi3.Schema, v any, at string) []string {
	if s == nil {
		return nil
	}
	// One of several shapes: the answer is documented when one of them
	// names all its fields.
	if branches := append(append(openapi3.SchemaRefs{}, s.OneOf...), s.AnyOf...); len(branches) > 0 {
		var best []string
		for i, b := range branches {
			if b == nil || b.Value == nil {
				continue
			}
			got := undocumented(b.Value, v, at)
			if i == 0 || len(got) < len(best) {
				best = got
			}
		}
		return best
	}
	parts := flatten(s)
	switch v := v.(type) {
	case map[string]any:
		var out []string
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub, declared := member(parts, k)
			if !declared {
				out = append(out, at+"/"+k)
				continue
			}
			out = append(out, undocumented(sub, v[k], at+"/"+k)...)
		}
		return out
	case []any:
		var out []string
		for _, p := range parts {
			if p.Items != nil && p.Items.Value != nil {
				for i, e := range v {
					out = append(out, undocumented(p.Items.Value, e, at+"/"+strconv.Itoa(i))...)
				}
				return out
			}
		}
	}
	return nil
}

// flatten returns s and the schemas it is the sum of (allOf), at any
// depth.
func flatten(s *openapi3.Schema) []*openapi3.Schema {
	out := []*openapi3.Schema{s}
	for _, r := range s.AllOf {
		if r != nil && r.Value != nil {
			out = append(out, flatten(r.Value)...)
		}
	}
	return out
}

// member returns the schema one of parts declares for the member k, nil
// when any value is taken; declared is false when none of them names it
// and none takes members it does not name.
func member(parts []*openapi3.Schema, k string) (sub *openapi3.Schema, declared bool) {
	shaped := false
	for _, p := range parts {
		if r, ok := p.Properties[k]; ok && r != nil {
			return r.Value, true
		}
		if ap := p.AdditionalProperties; ap.Schema != nil {
			return ap.Schema.Value, true
		} else if ap.Has != nil && *ap.Has {
			return nil, true
		}
		if len(p.Properties) > 0 || (p.Type != nil && len(*p.Type) > 0) {
			shaped = true
		}
	}
	// A schema of no shape at all is any JSON value.
	return nil, !shaped
}
