-- Audience labels (touchpoints, channels, segments) are compared in lower
-- case from now on: campaigns saved before keep matching only if their own
-- labels are written so too.
-- +goose Up
UPDATE campaigns c SET audience = c.audience || (
    SELECT coalesce(jsonb_object_agg(k, (SELECT coalesce(jsonb_agg(lower(trim(v))), '[]'::jsonb)
                                         FROM jsonb_array_elements_text(c.audience -> k) AS v)), '{}'::jsonb)
    FROM unnest(ARRAY['touchpoints', 'channels', 'segments']) AS k
    WHERE jsonb_typeof(c.audience -> k) = 'array')
WHERE c.audience IS NOT NULL AND jsonb_typeof(c.audience) = 'object';

-- +goose Down
-- Lower-cased labels cannot be given back their case; they match as before.
SELECT 1;
