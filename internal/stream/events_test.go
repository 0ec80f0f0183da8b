package stream

import (
	"encoding/json"
	"io"
	"math"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mccutchen/go-httpbin/v2/httpbin"
)

// msg is a dispatched event of type "message" with no ID and no retry.
func msg(data string) Event { return Event{Type: "message", Data: data} }

func TestEvents(t *testing.T) {
	tests := []struct {
		name   string
		stream string
		want   []Event
	}{
		{name: "empty stream", stream: "", want: nil},
		{name: "one event", stream: "data: hello\n\n", want: []Event{msg("hello")}},
		{name: "two events", stream: "data: a\n\ndata: b\n\n", want: []Event{msg("a"), msg("b")}},
		{name: "blank lines only", stream: "\n\n\r\n\r\r", want: nil},
		{name: "blank lines between events", stream: "\n\ndata: a\n\n\n\ndata: b\n\n\n", want: []Event{msg("a"), msg("b")}},

		// Byte order mark.
		{name: "BOM stripped", stream: "\uFEFFdata: a\n\n", want: []Event{msg("a")}},
		{name: "BOM on its own line", stream: "\uFEFF\ndata: a\n\n", want: []Event{msg("a")}},
		{
			// The second BOM is part of the first field's name,
			// "\uFEFFdata", which is unknown: the block has no data.
			name:   "BOM stripped once",
			stream: "\uFEFF\uFEFFdata: a\n\ndata: b\n\n",
			want:   []Event{msg("b")},
		},
		{name: "BOM later is not stripped", stream: "data: a\n\n\uFEFFdata: b\n\n", want: []Event{msg("a")}},
		{name: "BOM in a value is kept", stream: "data: \uFEFFa\n\n", want: []Event{msg("\uFEFFa")}},

		// Line ends.
		{name: "LF", stream: "data: a\ndata: b\n\n", want: []Event{msg("a\nb")}},
		{name: "CR", stream: "data: a\rdata: b\r\r", want: []Event{msg("a\nb")}},
		{name: "CRLF", stream: "data: a\r\ndata: b\r\n\r\n", want: []Event{msg("a\nb")}},
		{name: "mixed", stream: "data: a\rdata: b\r\ndata: c\n\r\n", want: []Event{msg("a\nb\nc")}},
		{name: "LF CR is two line ends", stream: "data: a\n\rdata: b\n\n", want: []Event{msg("a"), msg("b")}},
		{name: "CR CR LF is two line ends", stream: "data: a\r\r\ndata: b\n\n", want: []Event{msg("a"), msg("b")}},
		{name: "other separators are not line ends", stream: "data: a\vb\fc\u2028d\u0085\n\n", want: []Event{msg("a\vb\fc\u2028d\u0085")}},

		// Comments.
		{name: "comment", stream: ": hello\ndata: a\n:\n:: x\n\n", want: []Event{msg("a")}},
		{name: "comment only", stream: ": keep-alive\n\n", want: nil},
		{name: "colon after a space is not a comment", stream: " :x\ndata: a\n\n", want: []Event{msg("a")}},

		// Fields.
		{name: "no space after the colon", stream: "data:a\n\n", want: []Event{msg("a")}},
		{name: "only one space removed", stream: "data:  a\n\n", want: []Event{msg(" a")}},
		{name: "a tab is not removed", stream: "data:\ta\n\n", want: []Event{msg("\ta")}},
		{name: "trailing space kept", stream: "data: a \n\n", want: []Event{msg("a ")}},
		{name: "colon in the value", stream: "data: a:b: c\n\n", want: []Event{msg("a:b: c")}},
		{name: "field without a colon", stream: "data\n\n", want: []Event{msg("")}},
		{name: "field with an empty value", stream: "data:\n\n", want: []Event{msg("")}},
		{name: "field with only a space", stream: "data: \n\n", want: []Event{msg("")}},
		{name: "unknown field", stream: "foo: bar\ndata: a\nbaz\n\n", want: []Event{msg("a")}},
		{name: "field names are case-sensitive", stream: "Data: a\nDATA: b\n\n", want: nil},
		{name: "space before the colon", stream: "data : a\n\n", want: nil},
		{name: "NUL in data kept", stream: "data: a\x00b\n\n", want: []Event{msg("a\x00b")}},

		// Data.
		{name: "multi-line data", stream: "data: a\ndata: b\ndata: c\n\n", want: []Event{msg("a\nb\nc")}},
		{name: "empty data lines kept", stream: "data: a\ndata\ndata:\ndata: b\n\n", want: []Event{msg("a\n\n\nb")}},
		{name: "only the final LF removed", stream: "data: a\ndata\n\n", want: []Event{msg("a\n")}},
		{name: "two empty data lines", stream: "data\ndata\n\n", want: []Event{msg("\n")}},
		{name: "data around other fields", stream: "data: a\nevent: e\ndata: b\n\n", want: []Event{{Type: "e", Data: "a\nb"}}},

		// Event type.
		{name: "type", stream: "event: add\ndata: a\n\n", want: []Event{{Type: "add", Data: "a"}}},
		{name: "empty type is message", stream: "event:\ndata: a\n\n", want: []Event{msg("a")}},
		{name: "last type wins", stream: "event: x\nevent: y\ndata: a\n\n", want: []Event{{Type: "y", Data: "a"}}},
		{name: "type does not carry over", stream: "event: x\ndata: a\n\ndata: b\n\n", want: []Event{{Type: "x", Data: "a"}, msg("b")}},
		{
			// A block with no data is not dispatched, but it still resets
			// the event type buffer.
			name:   "block without data resets the type",
			stream: "event: x\n\ndata: a\n\n",
			want:   []Event{msg("a")},
		},
		{name: "type with spaces kept", stream: "event:  x y \ndata: a\n\n", want: []Event{{Type: " x y ", Data: "a"}}},

		// Last event ID.
		{name: "id", stream: "id: 1\ndata: a\n\n", want: []Event{{ID: "1", Type: "message", Data: "a"}}},
		{
			name:   "id persists",
			stream: "id: 1\ndata: a\n\ndata: b\n\n",
			want:   []Event{{ID: "1", Type: "message", Data: "a"}, {ID: "1", Type: "message", Data: "b"}},
		},
		{
			name:   "id changes",
			stream: "id: 1\ndata: a\n\nid: 2\ndata: b\n\n",
			want:   []Event{{ID: "1", Type: "message", Data: "a"}, {ID: "2", Type: "message", Data: "b"}},
		},
		{
			name:   "empty id resets",
			stream: "id: 1\ndata: a\n\nid\ndata: b\n\nid: 3\ndata: c\n\nid:\ndata: d\n\n",
			want: []Event{
				{ID: "1", Type: "message", Data: "a"}, {Type: "message", Data: "b"},
				{ID: "3", Type: "message", Data: "c"}, {Type: "message", Data: "d"},
			},
		},
		{
			name:   "id with NUL ignored",
			stream: "id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\nid: \x00\ndata: c\n\n",
			want: []Event{
				{ID: "1", Type: "message", Data: "a"}, {ID: "1", Type: "message", Data: "b"},
				{ID: "1", Type: "message", Data: "c"},
			},
		},
		{
			name:   "id in a block without data persists",
			stream: "id: 7\n\ndata: a\n\n",
			want:   []Event{{ID: "7", Type: "message", Data: "a"}},
		},
		{
			name:   "id after data in the block applies",
			stream: "data: a\nid: 9\n\n",
			want:   []Event{{ID: "9", Type: "message", Data: "a"}},
		},
		{
			name:   "id kept verbatim",
			stream: "id:  x:y \ndata: a\n\n",
			want:   []Event{{ID: " x:y ", Type: "message", Data: "a"}},
		},

		// Retry.
		{name: "retry", stream: "retry: 1500\ndata: a\n\n", want: []Event{{Type: "message", Data: "a", Retry: 1500 * time.Millisecond}}},
		{name: "retry zero", stream: "retry: 0\ndata: a\n\n", want: []Event{msg("a")}},
		{name: "retry leading zeros", stream: "retry: 007\ndata: a\n\n", want: []Event{{Type: "message", Data: "a", Retry: 7 * time.Millisecond}}},
		{
			name:   "retry persists and is the latest",
			stream: "retry: 1000\ndata: a\n\ndata: b\n\nretry: 2000\n\ndata: c\n\n",
			want: []Event{
				{Type: "message", Data: "a", Retry: time.Second}, {Type: "message", Data: "b", Retry: time.Second},
				{Type: "message", Data: "c", Retry: 2 * time.Second},
			},
		},
		{
			name: "retry not all digits ignored",
			stream: "retry: 1000\n\n" +
				"retry: 1.5\nretry: -5\nretry: +5\nretry: 5 \nretry:  5\nretry: 5s\nretry: x\nretry\nretry:\nretry: ５\n" +
				"data: a\n\n",
			want: []Event{{Type: "message", Data: "a", Retry: time.Second}},
		},
		{
			name:   "retry too large saturates",
			stream: "retry: 99999999999999999999999\ndata: a\n\n",
			want:   []Event{{Type: "message", Data: "a", Retry: math.MaxInt64}},
		},
		{
			name:   "retry at the largest whole millisecond",
			stream: "retry: 9223372036854\ndata: a\n\n",
			want:   []Event{{Type: "message", Data: "a", Retry: 9223372036854 * time.Millisecond}},
		},

		// End of stream.
		{name: "unterminated block", stream: "data: a\n\ndata: b\n", want: []Event{msg("a")}},
		{name: "unterminated line", stream: "data: a\n\ndata: b", want: []Event{msg("a")}},
		{name: "unterminated final blank line after CR", stream: "data: a\r", want: nil},
		{name: "block ended by CR at EOF", stream: "data: a\r\r", want: []Event{msg("a")}},
		{name: "only data, no line end", stream: "data: a", want: nil},

		// Decoding.
		{name: "UTF-8 kept", stream: "event: ünï\ndata: héllo 世界 😀\n\n", want: []Event{{Type: "ünï", Data: "héllo 世界 😀"}}},
		{
			// Each maximal ill-formed subsequence is one U+FFFD: "\xE2\x82"
			// is the start of a 3-byte sequence cut short.
			name:   "invalid UTF-8 replaced",
			stream: "data: a\xffb\xe2\x82c\xf0\x9f\x98\n\n",
			want:   []Event{msg("a\uFFFDb\uFFFDc\uFFFD")},
		},
		{
			name:   "surrogates and overlongs replaced byte by byte",
			stream: "data: \xed\xa0\x80|\xc0\xaf|\xe0\x80\xaf\n\n",
			want:   []Event{msg("\uFFFD\uFFFD\uFFFD|\uFFFD\uFFFD|\uFFFD\uFFFD\uFFFD")},
		},
		{
			name:   "invalid UTF-8 in type and id",
			stream: "event: \xff\nid: \xfe1\ndata: a\n\n",
			want:   []Event{{ID: "\uFFFD1", Type: "\uFFFD", Data: "a"}},
		},
	}
	for _, tc := range tests {
		for name, r := range readers([]byte(tc.stream)) {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				got, err := collectEvents(t, r)
				if err != nil {
					t.Fatalf("Events yielded the error %v", err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("Events(%q) (-want +got):\n%s", tc.stream, diff)
				}
			})
		}
	}
}

func TestEventsReadError(t *testing.T) {
	tests := map[string]struct {
		r    io.Reader
		want []Event
		err  error
	}{
		"error inside a block": {
			r:    io.MultiReader(strings.NewReader("data: a\n\ndata: b\n"), iotest.ErrReader(errBoom)),
			want: []Event{msg("a")},
			err:  errBoom,
		},
		"error with the data": {
			r:    &dataErrReader{data: []byte("data: a\n\ndata: b\n\n"), err: errBoom},
			want: []Event{msg("a"), msg("b")},
			err:  errBoom,
		},
		"error at once": {
			r:   iotest.ErrReader(errBoom),
			err: errBoom,
		},
		"no progress": {
			r:    io.MultiReader(strings.NewReader("data: a\n\n"), emptyReader{}),
			want: []Event{msg("a")},
			err:  io.ErrNoProgress,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := collectEvents(t, tc.r)
			if err != tc.err {
				t.Errorf("Events yielded the error %v, want %v", err, tc.err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEventsBreak(t *testing.T) {
	r := &countingReader{r: strings.NewReader("data: a\n\ndata: b\n\n")}
	for ev := range Events(r) {
		if ev != msg("a") {
			t.Errorf("Events yielded %+v first, want %+v", ev, msg("a"))
		}
		break
	}
	if r.reads != 1 {
		t.Errorf("Events read %d times, want 1", r.reads)
	}
}

// TestEventsNoWait checks that an event is yielded as soon as the blank
// line that ends it has been read, which matters on a live stream: here
// the reader fails if it is read past that point.
func TestEventsNoWait(t *testing.T) {
	for _, end := range []string{"\n\n", "\r\r", "\r\n\r\n"} {
		r := io.MultiReader(strings.NewReader("data: a"+end), iotest.ErrReader(errBoom))
		for ev, err := range Events(r) {
			if err != nil {
				t.Errorf("line end %q: Events read past the event before yielding it: %v", end, err)
			}
			if ev != msg("a") {
				t.Errorf("line end %q: Events yielded %+v, want %+v", end, ev, msg("a"))
			}
			break
		}
	}
}

func TestDecodeUTF8(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"empty":                   {"", ""},
		"ASCII":                   {"abc", "abc"},
		"valid":                   {"é世😀", "é世😀"},
		"lone continuation":       {"\x80", "\uFFFD"},
		"two continuations":       {"\x80\xbf", "\uFFFD\uFFFD"},
		"truncated 2-byte at end": {"a\xc3", "a\uFFFD"},
		"truncated 3-byte":        {"\xe2\x82a", "\uFFFDa"},
		"truncated 4-byte":        {"\xf0\x9f\x98a", "\uFFFDa"},
		"invalid lead C0 C1":      {"\xc0\x80\xc1\xbf", "\uFFFD\uFFFD\uFFFD\uFFFD"},
		"F5 to FF":                {"\xf5\xff", "\uFFFD\uFFFD"},
		"overlong 3-byte":         {"\xe0\x9f\xbf", "\uFFFD\uFFFD\uFFFD"},
		"surrogate":               {"\xed\xbf\xbf", "\uFFFD\uFFFD\uFFFD"},
		"above U+10FFFF":          {"\xf4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},
		"largest code point":      {"\xf4\x8f\xbf\xbf", "\U0010FFFF"},
		"E0 lower bound":          {"\xe0\xa0\x80", "\u0800"},
		"cut short by a lead":     {"\xe2\xe2\x82\xac", "\uFFFD€"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, decodeUTF8([]byte(tc.in))); diff != "" {
				t.Errorf("decodeUTF8(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

// TestEventsHTTPBin reads go-httpbin's /sse stream over HTTP.
func TestEventsHTTPBin(t *testing.T) {
	srv := httptest.NewServer(httpbin.New())
	defer srv.Close()

	const count = 25
	// duration is the time the events are spread over; 1ms is short and
	// still exercises the pauses between writes.
	url := srv.URL + "/sse?count=" + strconv.Itoa(count) + "&duration=1ms&delay=0"
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %s", resp.Status)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/event-stream" {
		t.Errorf("Content-Type %q, want text/event-stream", resp.Header.Get("Content-Type"))
	}

	type data struct {
		ID        int   `json:"id"`
		Timestamp int64 `json:"timestamp"`
	}
	var (
		got  []Event
		ids  []int
		want []int
	)
	for ev, err := range Events(resp.Body) {
		if err != nil {
			t.Fatalf("Events yielded the error %v", err)
		}
		got = append(got, ev)
		var d data
		if err := json.Unmarshal([]byte(ev.Data), &d); err != nil {
			t.Errorf("event %d: data %q: %v", len(got)-1, ev.Data, err)
			continue
		}
		if d.Timestamp <= 0 {
			t.Errorf("event %d: data %q has no timestamp", len(got)-1, ev.Data)
		}
		ids = append(ids, d.ID)
	}
	if len(got) != count {
		t.Fatalf("Events yielded %d events, want %d", len(got), count)
	}
	for i, ev := range got {
		want = append(want, i)
		// go-httpbin sends "event: ping" and a one-line JSON "data", and
		// no "id" or "retry" field.
		if ev.Type != "ping" || ev.ID != "" || ev.Retry != 0 || strings.Contains(ev.Data, "\n") {
			t.Errorf("event %d: %+v, want type ping, no ID, no retry, one line of data", i, ev)
		}
	}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("ids in the data (-want +got):\n%s", diff)
	}
}
