package complaints

import "testing"

// TestSuggest follows the seminar's table (DOMAIN.md): form deviance of low
// gravity and high frequency is educated, grave and rare is separated,
// medium on both is tolerated by empowered staff, medium and frequent is
// formalised; substance calls for experts in house when medium to high,
// outside when medium to low.
func TestSuggest(t *testing.T) {
	cases := []struct {
		form, substance bool
		g, f            Level
		want            string
	}{
		{true, false, Low, High, StrategyPedagogic},
		{true, false, Low, Medium, StrategyPedagogic},
		{true, false, High, Low, StrategySeparation},
		{true, false, High, High, StrategySeparation},
		{true, false, Medium, Medium, StrategyTolerant},
		{true, false, Medium, High, StrategyMechanistic},
		{true, false, Low, Low, StrategyTolerant},
		{true, true, Medium, Medium, StrategyTolerant},
		{true, true, Medium, High, StrategyMechanistic},
		{true, true, High, Low, StrategySeparation},
		{false, true, High, High, StrategyExpert},
		{false, true, Medium, High, StrategyExpert},
		{false, true, Medium, Medium, StrategyExpert},
		{false, true, Medium, Low, StrategyThirdParty},
		{false, true, Low, Low, StrategyThirdParty},
		{false, false, High, High, ""},
	}
	for _, tc := range cases {
		if got := Suggest(tc.form, tc.substance, tc.g, tc.f); got != tc.want {
			t.Errorf("Suggest(form %v, substance %v, gravity %s, frequency %s) = %q, want %q",
				tc.form, tc.substance, tc.g, tc.f, got, tc.want)
		}
	}
}

func TestFrequencyOf(t *testing.T) {
	for share, want := range map[float64]Level{0: Low, 0.029: Low, 0.03: Medium, 0.099: Medium, 0.10: High, 0.5: High} {
		if got := FrequencyOf(share); got != want {
			t.Errorf("FrequencyOf(%v) = %s, want %s", share, got, want)
		}
	}
}
