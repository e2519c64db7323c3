package trunc

// Runes returns s cut to its first n characters (runes), whole; s itself
// when it has no more than n.
func Runes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n { // fewer bytes than n: fewer runes too
		return s
	}
	count := 0
	for i := range s {
		if count == n {
			return s[:i]
		}
		count++
	}
	return s
}
