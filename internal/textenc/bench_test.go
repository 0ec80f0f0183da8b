package textenc

import (
	"bytes"
	"testing"
)

const benchSize = 1 << 20

// repeatTo repeats s to exactly n bytes.
func repeatTo(s string, n int) []byte {
	return bytes.Repeat([]byte(s), n/len(s)+1)[:n]
}

func benchmarkDecode(b *testing.B, body []byte, label string) {
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		Decode(body, label)
	}
}

// BenchmarkDecode decodes 1 MiB bodies.
func BenchmarkDecode(b *testing.B) {
	utf8Text := repeatTo("héllo wörld, ünïcode € text 日本語 ", benchSize)
	// Cut on a rune boundary so the body stays valid.
	for len(utf8Text) > 0 && utf8Text[len(utf8Text)-1]&0xC0 == 0x80 {
		utf8Text = utf8Text[:len(utf8Text)-1] // drop the lead byte too
	}
	utf8Text = utf8Text[:len(utf8Text)-1] // drop the lead byte too
	invalidUTF8 := bytes.Clone(utf8Text)
	for i := 0; i < len(invalidUTF8); i += 1000 {
		invalidUTF8[i] = 0xff
	}
	latin1Text := repeatTo("h\xe9llo w\xf6rld, caf\xe9 na\xefve text ", benchSize)
	ascii := repeatTo("hello world, plain ASCII text ", benchSize)

	b.Run("utf-8 valid", func(b *testing.B) { benchmarkDecode(b, utf8Text, "utf-8") })
	b.Run("utf-8 invalid", func(b *testing.B) { benchmarkDecode(b, invalidUTF8, "utf-8") })
	b.Run("latin-1", func(b *testing.B) { benchmarkDecode(b, latin1Text, "ISO-8859-1") })
	b.Run("latin-1 ascii", func(b *testing.B) { benchmarkDecode(b, ascii, "ISO-8859-1") })
	b.Run("windows-1252", func(b *testing.B) { benchmarkDecode(b, latin1Text, "windows-1252") })
	b.Run("cp037", func(b *testing.B) { benchmarkDecode(b, latin1Text, "cp037") })
	b.Run("utf-16", func(b *testing.B) { benchmarkDecode(b, latin1Text, "utf-16") })
}
