package stream

import (
	"bytes"
	"io"
	"iter"
	"math"
	"time"
	"unicode/utf8"
)

// An Event is one server-sent event, as an EventSource would dispatch it.
type Event struct {
	// ID is the stream's last event ID when the event was dispatched: the
	// value of the last "id" field seen so far, in this event's block or
	// an earlier one, or "" if none.
	ID string
	// Type is the value of the block's "event" field, or "message" when
	// the block has none or it is empty.
	Type string
	// Data is the values of the block's "data" fields, joined with "\n".
	Data string
	// Retry is the reconnection time the stream has set so far with
	// "retry" fields, or zero if it has set none.
	Retry time.Duration
}

// bom is the UTF-8 byte order mark.
var bom = []byte("\xEF\xBB\xBF")

// Events parses r as an event stream by the WHATWG "event stream
// interpretation" rules
// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation)
// and yields the events an EventSource would dispatch, in order:
//
//   - One UTF-8 byte order mark at the start of the stream is dropped.
//   - Lines end at "\r\n", "\n" or "\r".
//   - A line starting with ":" is a comment and is ignored.
//   - A line with a ":" is a field whose name is what precedes the first
//     ":" and whose value is what follows it, less one space if one comes
//     first; a line without one is a field with that name and an empty
//     value. Field names are case-sensitive and unknown ones are ignored.
//   - "data" appends its value and "\n" to the block's data; "event" sets
//     the block's type; "id" sets the last event ID unless its value
//     contains U+0000 NULL (an empty value resets it), and the ID stays
//     set for the events that follow; "retry" sets the reconnection time
//     in milliseconds when its value is a non-empty run of ASCII digits
//     (a value too large for a time.Duration sets the largest one) and is
//     otherwise ignored.
//   - An empty line ends a block. A block whose data is empty (it has no
//     "data" field) is not dispatched, but it still ends the block, so
//     its "event" type does not carry over; otherwise the event is
//     dispatched with the data's final "\n" removed.
//   - A block that the stream does not end with an empty line is not
//     dispatched: at io.EOF, pending data is discarded.
//
// The stream is decoded as UTF-8: each maximal ill-formed byte sequence in
// a field value becomes one U+FFFD, as the WHATWG UTF-8 decoder does, so
// ID, Type and Data are always valid UTF-8.
//
// An event is yielded as soon as the empty line that ends it has been
// read. If r fails, the events dispatched before the failure are yielded,
// then the error with a zero Event.
func Events(r io.Reader) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		lr := lineReader{r: r}
		var p eventParser
		first := true
		for {
			line, terminated, ok := lr.next()
			if !ok {
				if lr.err != io.EOF {
					yield(Event{}, lr.err)
				}
				return
			}
			if first {
				first = false
				line = bytes.TrimPrefix(line, bom)
			}
			if !terminated {
				// A final line at io.EOF: the stream ended inside a
				// block, whose pending data is discarded.
				continue
			}
			if ev, ok := p.line(line); ok && !yield(ev, nil) {
				return
			}
		}
	}
}

// An eventParser holds the buffers of the event stream interpretation.
type eventParser struct {
	data  []byte // data buffer
	typ   []byte // event type buffer
	id    string // last event ID buffer
	retry time.Duration

	// lastType is the type of the last event dispatched with one, kept so
	// that a stream of events of one type allocates that string once.
	lastType string
}

// line processes one line, without its line end, and returns the event
// it dispatches, if any.
func (p *eventParser) line(line []byte) (Event, bool) {
	if len(line) == 0 {
		return p.dispatch()
	}
	if line[0] == ':' {
		return Event{}, false
	}
	name, value := line, []byte(nil)
	if i := bytes.IndexByte(line, ':'); i >= 0 {
		name, value = line[:i], line[i+1:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
	}
	switch string(name) {
	case "event":
		p.typ = append(p.typ[:0], value...)
	case "data":
		p.data = append(p.data, value...)
		p.data = append(p.data, '\n')
	case "id":
		if bytes.IndexByte(value, 0) < 0 && p.id != string(value) {
			p.id = decodeUTF8(value)
		}
	case "retry":
		if ms, ok := parseRetry(value); ok {
			p.retry = ms
		}
	}
	return Event{}, false
}

// dispatch ends the current block and returns its event, if it has one.
func (p *eventParser) dispatch() (Event, bool) {
	defer func() {
		p.data = p.data[:0]
		p.typ = p.typ[:0]
	}()
	if len(p.data) == 0 {
		return Event{}, false
	}
	ev := Event{
		ID:    p.id,
		Type:  "message",
		Data:  decodeUTF8(p.data[:len(p.data)-1]),
		Retry: p.retry,
	}
	if len(p.typ) > 0 {
		if p.lastType != string(p.typ) {
			p.lastType = decodeUTF8(p.typ)
		}
		ev.Type = p.lastType
	}
	return ev, true
}

// parseRetry parses a retry field's value: a non-empty run of ASCII
// digits, in milliseconds, saturated at the largest time.Duration.
func parseRetry(value []byte) (time.Duration, bool) {
	if len(value) == 0 {
		return 0, false
	}
	const limit = math.MaxInt64 / int64(time.Millisecond)
	var ms int64
	for _, c := range value {
		if c < '0' || c > '9' {
			return 0, false
		}
		if ms <= limit {
			ms = ms*10 + int64(c-'0')
		}
	}
	if ms > limit {
		return time.Duration(math.MaxInt64), true
	}
	return time.Duration(ms) * time.Millisecond, true
}

// decodeUTF8 returns b as a string, each maximal ill-formed subsequence
// replaced with U+FFFD as the WHATWG Encoding standard's UTF-8 decoder
// does. (utf8.DecodeRune instead reports each bad byte separately, so
// "\xE2\x82" would become two U+FFFD rather than one.) It does not strip a
// byte order mark.
func decodeUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	var (
		needed, seen int
		cp           rune
		lower, upper byte = 0x80, 0xBF
	)
	for i := 0; i < len(b); {
		c := b[i]
		if needed == 0 {
			i++
			switch {
			case c < 0x80:
				out = append(out, c)
			case c >= 0xC2 && c <= 0xDF:
				needed, cp = 1, rune(c&0x1F)
			case c >= 0xE0 && c <= 0xEF:
				if c == 0xE0 {
					lower = 0xA0
				} else if c == 0xED {
					upper = 0x9F
				}
				needed, cp = 2, rune(c&0x0F)
			case c >= 0xF0 && c <= 0xF4:
				if c == 0xF0 {
					lower = 0x90
				} else if c == 0xF4 {
					upper = 0x8F
				}
				needed, cp = 3, rune(c&0x07)
			default:
				out = utf8.AppendRune(out, utf8.RuneError)
			}
			continue
		}
		if c < lower || c > upper {
			// The sequence is cut short: replace what was seen of it and
			// decode c afresh.
			needed, seen, cp = 0, 0, 0
			lower, upper = 0x80, 0xBF
			out = utf8.AppendRune(out, utf8.RuneError)
			continue
		}
		i++
		lower, upper = 0x80, 0xBF
		cp = cp<<6 | rune(c&0x3F)
		if seen++; seen == needed {
			out = utf8.AppendRune(out, cp)
			needed, seen, cp = 0, 0, 0
		}
	}
	if needed != 0 {
		out = utf8.AppendRune(out, utf8.RuneError)
	}
	return string(out)
}
