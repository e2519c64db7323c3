package customers

// Segments derived from a customer's annual value when the data gives none
// (see SegmentOf). A segment the data gives is shown as it is.
const (
	SegmentKey      = "key"
	SegmentHigh     = "high"
	SegmentStandard = "standard"
	SegmentSmall    = "small"
)

// Thresholds of the derived segments, in cents of annual value: 10,000 and
// more is a key account, 2,000 a high-value customer, 500 a standard one,
// anything above nothing a small one.
const (
	KeyFromCents      = 1_000_000
	HighFromCents     = 200_000
	StandardFromCents = 50_000
)

// SegmentOf is the customer's segment: the one the data gives (segment,
// from the API or an import), else one derived from the annual value, with
// derived true. A customer with neither has no segment ("").
func SegmentOf(segment string, annualValueCents int64) (string, bool) {
	switch {
	case segment != "":
		return segment, false
	case annualValueCents >= KeyFromCents:
		return SegmentKey, true
	case annualValueCents >= HighFromCents:
		return SegmentHigh, true
	case annualValueCents >= StandardFromCents:
		return SegmentStandard, true
	case annualValueCents > 0:
		return SegmentSmall, true
	}
	return "", false
}
