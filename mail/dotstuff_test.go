package mail

import (
	"bufio"
	"bytes"
	"net/textproto"
	"testing"
)

// dotWriterOutput is what net/textproto's DotWriter sends for msg, without
// the terminating ".\r\n": the reference appendDotStuffed must match.
func dotWriterOutput(t testing.TB, msg []byte) []byte {
	var out bytes.Buffer
	bw := bufio.NewWriter(&out)
	w := textproto.NewWriter(bw).DotWriter()
	if _, err := w.Write(msg); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(out.Bytes(), []byte(".\r\n"))
}

func TestDotStuffingMatchesTextproto(t *testing.T) {
	for _, msg := range []string{
		"",
		"Subject: x\r\n\r\nbody\r\n",
		"bare\nline feeds\n",
		".leading dot\r\n..two\r\nmid.dle\r\n.",
		"no final newline",
		"\r\n.\r\n",
		".\n.\n",
		"cr\ronly\r\n",
		"ends with cr\r",
	} {
		got := appendDotStuffed(nil, []byte(msg))
		if want := dotWriterOutput(t, []byte(msg)); !bytes.Equal(got, want) {
			t.Errorf("%q: got %q, want %q", msg, got, want)
		}
	}
}

func FuzzDotStuffing(f *testing.F) {
	for _, s := range []string{"a\r\n.b\n", ".", "\r", "x\r\r\n.\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		got := appendDotStuffed(nil, msg)
		if want := dotWriterOutput(t, msg); !bytes.Equal(got, want) {
			t.Errorf("%q: got %q, want %q", msg, got, want)
		}
	})
}
