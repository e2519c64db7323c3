package reports

// AlphaWarning is the conventional floor of an acceptable Cronbach's alpha:
// under it, the items of a dimension do not measure one thing reliably.
const AlphaWarning = 0.7

// CronbachAlpha returns the internal consistency of a scale: rows are
// respondents, columns the scale's items (reverse items already inverted),
// every row complete. With k items, item variances s²ᵢ and the variance s²ₜ
// of the respondents' totals,
//
//	α = k / (k − 1) × (1 − Σ s²ᵢ / s²ₜ)
//
// ok is false when alpha is undefined: fewer than two items or two
// respondents, or totals that do not vary.
func CronbachAlpha(rows [][]float64) (alpha float64, ok bool) {
	n := len(rows)
	if n < 2 {
		return 0, false
	}
	k := len(rows[0])
	if k < 2 {
		return 0, false
	}
	totals := make([]float64, n)
	var sumItemVar float64
	for j := 0; j < k; j++ {
		col := make([]float64, n)
		for i, r := range rows {
			if len(r) != k {
				return 0, false
			}
			col[i] = r[j]
			totals[i] += r[j]
		}
		sumItemVar += variance(col)
	}
	return alphaOf(k, sumItemVar, variance(totals))
}

// alphaOf is alpha from the number of items, the sum of their variances
// and the variance of the totals; undefined when the totals do not vary.
func alphaOf(k int, sumItemVar, totalVar float64) (float64, bool) {
	if k < 2 || totalVar <= 1e-12 {
		return 0, false
	}
	kf := float64(k)
	return kf / (kf - 1) * (1 - sumItemVar/totalVar), true
}

// variance is the sample variance (n − 1); alpha is a ratio of variances,
// so the choice of denominator cancels out as long as it is the same.
func variance(xs []float64) float64 {
	var mean float64
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return ss / float64(len(xs)-1)
}
