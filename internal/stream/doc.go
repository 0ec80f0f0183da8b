// Package stream splits a response body into lines, chunks and server-sent
// events, as requests' iter_lines/iter_content do and as the WHATWG
// event-stream rules say.
//
// [TextLines] is Lines decoded as text, as iter_lines(decode_unicode=True)
// yields it.
//
// All these functions return Go 1.23 iterators ([iter.Seq2]) that read from
// an [io.Reader] as the loop asks for more, so a body is never held in
// memory whole (but by TextLines, for the codecs it documents). A read error other than [io.EOF] is yielded once, with a
// nil or zero value, and ends the iteration. Breaking out of a loop early
// is safe; the reader is then left where the iteration stopped reading,
// and closing it stays the caller's job.
//
// # Differences from requests
//
// [Lines] splits on the same line ends as requests' iter_lines and yields
// the same lines, except where requests' output depends on where the
// network happened to split the body:
//
//   - requests splits each chunk with bytes.splitlines, so a "\r\n" whose
//     "\r" ends one chunk and whose "\n" starts the next yields a spurious
//     empty line (psf/requests#3980; fixed only on the unreleased 3.0
//     branch). Lines treats it as the one line end it is.
//   - With a delimiter, requests yields a spurious empty line whenever a
//     chunk ends exactly after a delimiter (psf/requests#4121, #5540).
//     Lines yields what requests yields when the whole body arrives as one
//     chunk, which is Python's body.split(delimiter).
//
// In both cases the lines Lines yields do not depend on how the reader
// splits the body.
//
// # Speed
//
// On short lines, finding each line end is what costs. On amd64, [Lines]
// marks every "\n" and "\r" of a read 64 bytes at a time with a small
// kernel (eol_amd64.s: AVX-512 where the CPU runs it at full clock, SSE2
// elsewhere; both checked against eolMasksGo) and walks the marks, with a
// shorter walk for the common stretch that holds no "\r"; elsewhere it
// searches for each line end with bytes.IndexByte.
package stream
