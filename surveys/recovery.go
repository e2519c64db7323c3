package surveys

import (
	"context"
	"errors"
)

// RecoverySlug is the slug of the built-in recovery survey.
const RecoverySlug = "recovery-check"

// Recovery returns the short survey sent some days after a complaint was
// resolved, in English and French: how satisfied the customer is with how
// the problem was handled (the one-click row), whether it is resolved, one
// item per dimension of justice, and a comment. A low score anywhere makes
// the reply negative: the recovery failed, a double deviation.
func Recovery() Survey {
	agree := func(key string, d Dimension, en, fr string) Question {
		return Question{Key: key, Kind: Likert5, Dimension: d, Required: true, Text: Localized{"en": en, "fr": fr}}
	}
	return Survey{
		Slug: RecoverySlug,
		Name: "Recovery check after a complaint",
		Thresholds: Thresholds{
			Distributive: DefaultThreshold, Procedural: DefaultThreshold, Interactional: DefaultThreshold, Overall: DefaultThreshold,
		},
		Questions: []Question{
			{Key: "recovery_overall", Kind: Rating10, Dimension: Overall, Required: true, Text: Localized{
				"en": "How satisfied are you with how we handled your problem?",
				"fr": "Êtes-vous satisfait de la façon dont nous avons traité votre problème ?",
			}},
			agree("resolved", Overall,
				"My problem has been resolved.",
				"Mon problème a été résolu."),
			agree("fair_outcome", Distributive,
				"What I received in the end was fair.",
				"Ce que j'ai obtenu au final était juste."),
			agree("handled_well", Procedural,
				"My problem was handled quickly, without my having to chase you.",
				"Mon problème a été traité rapidement, sans que j'aie à vous relancer."),
			agree("treated_well", Interactional,
				"I was treated with courtesy, honesty and respect.",
				"J'ai été traité avec courtoisie, honnêteté et respect."),
			{Key: "comment", Kind: Text, Dimension: NoDimension, Text: Localized{
				"en": "Anything else you would like to tell us?",
				"fr": "Souhaitez-vous nous dire autre chose ?",
			}},
		},
	}
}

// EnsureRecovery returns the latest version of the recovery survey,
// creating it on first use.
func (s *Store) EnsureRecovery(ctx context.Context) (*Survey, error) {
	sv, err := s.Latest(ctx, RecoverySlug)
	if err == nil {
		return sv, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	sv, err = s.Create(ctx, Recovery())
	if errors.Is(err, ErrSlugTaken) {
		return s.Latest(ctx, RecoverySlug)
	}
	return sv, err
}
