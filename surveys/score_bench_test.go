package surveys

import "testing"

// BenchmarkScoreStorm scores the two replies of the reply-storm benchmark
// (a positive one and a negative one with its comment).
func BenchmarkScoreStorm(b *testing.B) {
	sv := Default()
	pos := agreeAll(5)
	pos["overall"] = Answer{Value: ptr(10)}
	pos["comment"] = Answer{Text: "Delivery on time, friendly driver, thank you!"}
	neg := agreeAll(1)
	neg["overall"] = Answer{Value: ptr(0)}
	neg["comment"] = Answer{Text: "Parcel arrived broken, nobody answers and I am still waiting for my refund. I will post this on Facebook and call my lawyer."}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%10 < 3 {
			sv.Score(neg)
		} else {
			sv.Score(pos)
		}
	}
}
