// Package textenc decodes response text by its charset and parses Link
// headers, as requests' Response.encoding, .text and .links do.
//
// The oracle is Python requests (2.34) on CPython 3.11:
//
//   - [FromContentType] is requests.utils.get_encoding_from_headers, the value
//     requests stores in r.encoding.
//   - [Decode] is the decoding step of r.text, str(content, encoding,
//     errors="replace"), including Python's codec-name lookup and requests'
//     fallback to UTF-8 for a name Python does not know.
//   - [ParseLinks] is r.links, built on requests.utils.parse_header_links.
//   - [JSONText] is the decoding step of r.json(): the UTF guess of
//     requests.utils.guess_json_utf when r.encoding is unset, else r.text.
//
// Header values are handled as bytes. http.client decodes header lines as
// ISO-8859-1, so every byte of a Go header value is one character on the
// Python side; the functions here treat bytes >= 0x80 as those Latin-1
// characters would be treated (0x85 and 0xA0 count as white space for
// Python's str.strip(), for example).
//
// Deliberate differences from requests:
//
//   - When the response declares no charset (r.encoding is None) requests
//     guesses one with charset_normalizer (r.apparent_encoding); this package
//     does not guess: Decode with an empty label decodes UTF-8, and so does
//     JSONText where r.json() falls back to r.text.
//   - Only the codecs listed in the documentation of [Decode] are
//     implemented. A name of another Python codec (utf-7, mac_greek,
//     shift_jis_2004, ...) is treated as unknown and decoded as UTF-8, where
//     Python would use that codec.
//   - The CJK codecs are decoded with golang.org/x/text, whose tables follow
//     the WHATWG Encoding Standard; they agree with Python on valid text of
//     the base character sets but not everywhere (see [Decode]).
package textenc
