package surveys

import (
	"context"
	"fmt"
	"strings"
)

// Duplicate creates the survey slug, named name, as a copy of the latest
// version of the survey from: its questions, thresholds and settings. The
// copy is a survey of its own, version 1, with no answers, so every
// question of it can be changed (the built-in questionnaire is copied this
// way and edited). An empty name is the original's with " (copy)".
func (s *Store) Duplicate(ctx context.Context, from, slug, name string) (*Survey, error) {
	src, err := s.Latest(ctx, from)
	if err != nil {
		return nil, err
	}
	st, err := s.Settings(ctx, from)
	if err != nil {
		return nil, err
	}
	cp := CopyOf(*src)
	cp.Slug, cp.Name = strings.TrimSpace(slug), strings.TrimSpace(name)
	if cp.Name == "" {
		cp.Name = src.Name + " (copy)"
	}
	sv, err := s.create(ctx, cp, fmt.Sprintf("copied from %s version %d", src.Slug, src.Version))
	if err != nil {
		return nil, err
	}
	if err := s.SetSettings(ctx, sv.Slug, st); err != nil {
		return nil, err
	}
	return sv, nil
}

// CopyOf returns sv's definition, unsaved: its questions and thresholds
// without the ids of the stored survey, to be saved under a new slug.
func CopyOf(sv Survey) Survey {
	cp := Survey{Thresholds: Thresholds{}}
	for d, v := range sv.Thresholds {
		cp.Thresholds[d] = v
	}
	for _, q := range sv.Questions {
		q.ID = 0
		q.Text = copyLocalized(q.Text)
		opts := make([]Option, len(q.Options))
		for i, o := range q.Options {
			o.Label = copyLocalized(o.Label)
			opts[i] = o
		}
		if q.Options == nil {
			opts = nil
		}
		q.Options = opts
		cp.Questions = append(cp.Questions, q)
	}
	return cp
}

func copyLocalized(l Localized) Localized {
	if l == nil {
		return nil
	}
	out := make(Localized, len(l))
	for k, v := range l {
		out[k] = v
	}
	return out
}
