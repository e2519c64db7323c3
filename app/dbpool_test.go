package app

import "testing"

func TestPoolSizeStaysWithinTheServersShare(t *testing.T) {
	for _, tc := range []struct {
		configured, concurrency, share int
		want                           int
		capped                         bool
	}{
		{0, 10, 48, 20, false},   // the default: at least 20
		{0, 30, 48, 40, false},   // concurrency and ten more
		{0, 100, 48, 48, true},   // concurrency 100 would pass max_connections
		{12, 100, 48, 12, false}, // configured
		{80, 10, 48, 48, true},   // configured above the share
		{0, 10, 0, 20, false},    // the server's limit unknown
		{0, 10, 1, 2, true},      // a tiny server: still two
	} {
		got, capped := PoolSize(tc.configured, tc.concurrency, tc.share)
		if got != tc.want || capped != tc.capped {
			t.Errorf("PoolSize(%d, %d, %d) = %d, %v; want %d, %v", tc.configured, tc.concurrency, tc.share, got, capped, tc.want, tc.capped)
		}
	}
}
