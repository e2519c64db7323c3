package customers

// Segments derived from a customer's annual value when the data gives none
// (see SegmentOf). A segment the data gives is shown as it is.
const (
	SegmentKey      = "key"
	SegmentHigh     = "high"
	SegmentStandard = "standard"
	SegmentSmall    = "small"
)

// DefaultKeyFromCents is the key-account threshold SegmentOf uses when it
// is given none: 2,500 a year, the default of FOLLOWUP_KEY_CUSTOMER_VALUE.
const DefaultKeyFromCents = 250_000

// SegmentOf is the customer's segment: the one the data gives (segment,
// from the API or an import), else one derived from the annual value, with
// derived true. keyFrom is the annual value from which a customer is a key
// account (the key-customer threshold that also raises their complaints'
// priority; 0 or less: DefaultKeyFromCents); half of it makes a high-value
// customer, a tenth a standard one, anything above nothing a small one. A
// customer with neither segment nor value has none ("").
func SegmentOf(segment string, annualValueCents, keyFrom int64) (string, bool) {
	if keyFrom <= 0 {
		keyFrom = DefaultKeyFromCents
	}
	switch {
	case segment != "":
		return segment, false
	case annualValueCents >= keyFrom:
		return SegmentKey, true
	case annualValueCents >= keyFrom/2:
		return SegmentHigh, true
	case annualValueCents >= keyFrom/10:
		return SegmentStandard, true
	case annualValueCents > 0:
		return SegmentSmall, true
	}
	return "", false
}
