package templates

import (
	"fmt"
	"strings"
)

func init() {
	htmlFuncs["bytes"] = Bytes
}

// Bytes writes a file's size for people in locale: 820 B, 14 KB, 3.4 MB
// (in French 820 o, 14 Ko, 3,4 Mo).
func Bytes(locale string, n int) string {
	fr := locale == "fr"
	unit := func(en, f string) string {
		if fr {
			return f
		}
		return en
	}
	switch {
	case n >= 1<<20:
		s := fmt.Sprintf("%.1f", float64(n)/(1<<20))
		if fr {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s + " " + unit("MB", "Mo")
	case n >= 1<<10:
		return fmt.Sprintf("%d %s", (n+512)>>10, unit("KB", "Ko"))
	}
	return fmt.Sprintf("%d %s", n, unit("B", "o"))
}
