package request_test

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// b64 is go-httpbin's /base64 path that answers with text.
func b64(text string) string { return "/base64/" + base64.URLEncoding.EncodeToString([]byte(text)) }

// Stream leaves the body on the wire until it is read, like requests'
// stream=True; Lines reads it a line at a time. requests:
//
//	r = requests.get(url, stream=True)
//	for line in r.iter_lines():
//	    print(line)
func ExampleBuilder_Stream() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + b64("first\nsecond\r\nthird")).Stream().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	for line, err := range r.Lines() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s\n", line)
	}
	// Output:
	// first
	// second
	// third
}

// LinesDelim splits on a delimiter of the caller's, like
// iter_lines(delimiter=b';').
func ExampleResponse_LinesDelim() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + b64("a=1;b=2;c=3")).Stream().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for pair := range r.LinesDelim([]byte(";")) {
		fmt.Printf("%s ", pair)
	}
	fmt.Println()
	// Output:
	// a=1 b=2 c=3
}

// Chunks reads the body n bytes at a time, like iter_content(chunk_size=n).
func ExampleResponse_Chunks() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + b64("abcdefgh")).Stream().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for chunk, err := range r.Chunks(3) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%q ", chunk)
	}
	fmt.Println()
	// Output:
	// "abc" "def" "gh"
}

// Body hands out a streamed body to read with any io tool; Close gives the
// connection back.
func ExampleResponse_Body() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/drip?numbytes=5&duration=0").Stream().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	n, err := io.Copy(io.Discard, r.Body())
	fmt.Println(n, err)
	// Output:
	// 5 <nil>
}

// Events reads a text/event-stream (server-sent events).
func ExampleResponse_Events() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/sse?count=2&duration=2ms").Stream().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for ev, err := range r.Events() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ev.Type, strings.HasPrefix(ev.Data, `{"id":`))
	}
	// Output:
	// ping true
	// ping true
}

// SaveFile writes the body to a file, which appears only once the whole
// body has arrived.
func ExampleResponse_SaveFile() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	dir, err := os.MkdirTemp("", "tether-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	r, err := request.Get(httpbin.URL + b64("saved body")).Stream().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(dir, "body.txt")
	n, err := r.SaveFile(path)
	if err != nil {
		log.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	fmt.Println(n, string(data))
	// Output:
	// 10 saved body
}

// File and Form make a multipart/form-data body, like requests'
// files= and data=. requests:
//
//	files = {'report': ('report.csv', open('report.csv', 'rb'), 'text/csv')}
//	requests.post(url, data={'name': 'tether'}, files=files)
func ExampleBuilder_File() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Post(httpbin.URL+"/post").
		Form(url.Values{"name": {"tether"}}).
		File("report", "report.csv", strings.NewReader("a,b\n1,2\n"), request.PartContentType("text/csv")).
		Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	var got struct {
		Form  map[string][]string
		Files map[string][]string
	}
	if err := r.JSON(&got); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%v %q\n", got.Form, got.Files["report"])
	// Output:
	// map[name:[tether]] ["a,b\n1,2\n"]
}

// FileFromPath streams a file from disk; it is opened again if a 307 or
// 308 redirect needs the body again.
func ExampleBuilder_FileFromPath() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	dir, err := os.MkdirTemp("", "tether-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(path, []byte("from disk"), 0o600); err != nil {
		log.Fatal(err)
	}

	r, err := request.Post(httpbin.URL+"/redirect-to?status_code=307&url=/post").
		FileFromPath("notes", path, request.PartHeader("X-Origin", "example")).
		Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	var got struct{ Files map[string][]string }
	if err := r.JSON(&got); err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(r.History()), got.Files["notes"])
	// Output:
	// 1 [from disk]
}

// MaxBodySize bounds what a call reads into memory, counted after
// decoding, so a compressed bomb cannot exhaust it.
func ExampleBuilder_MaxBodySize() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	_, err := request.Get(httpbin.URL + "/bytes/2048").MaxBodySize(1024).Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrBodyTooLarge))
	// Output:
	// true
}

// Decode(false) gives the body as it came on the wire, like reading
// requests' r.raw: here the gzip stream itself, to be saved as a .gz file.
func ExampleBuilder_Decode() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/gzip").Stream().Decode(false).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	magic := make([]byte, 2)
	if _, err := io.ReadFull(r.Body(), magic); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %x\n", r.Header().Get("Content-Encoding"), magic)
	// Output:
	// gzip 1f8b
}

// UploadProgress and DownloadProgress report bytes as they go, at most
// every 100ms and once at the end.
func ExampleBuilder_UploadProgress() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	var sent, received [2]int64
	_, err := request.Post(httpbin.URL + "/post").
		BodyBytes(make([]byte, 1<<20)).
		UploadProgress(func(done, total int64) { sent = [2]int64{done, total} }).
		DownloadProgress(func(done, total int64) { received = [2]int64{done, total} }).
		Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	// The reply echoes the body in base64: more bytes than were sent; sent
	// chunked, its total is unknown (-1).
	fmt.Println("sent", sent[0], "of", sent[1], "| received more:", received[0] > sent[0], received[1])
	// Output:
	// sent 1048576 of 1048576 | received more: true -1
}

// Text decodes by the charset of Content-Type, which Encoding names, as
// requests' r.text and r.encoding; gzip, deflate, br and zstd bodies are
// decoded first.
func ExampleResponse_Text() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/gzip").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Header().Get("Content-Encoding"), r.Encoding(), strings.Contains(r.Text(), `"gzipped": true`))
	// Output:
	// gzip utf-8 true
}

// TextAs decodes by a charset the caller names, as requests' r.text does
// after r.encoding = 'ISO-8859-1': here a server that says UTF-8 but sends
// Latin-1.
func ExampleResponse_TextAs() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	u := httpbin.URL + "/base64/" + base64.URLEncoding.EncodeToString([]byte("caf\xe9"))
	r, err := request.Get(u).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.TextAs("ISO-8859-1"))
	// Output:
	// café
}

// TextLines yields a streamed body's lines as text, decoded by the
// Content-Type's charset, like requests':
//
//	r = requests.get(url, stream=True)
//	for line in r.iter_lines(decode_unicode=True):
//	    print(line)
func ExampleResponse_TextLines() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	q := url.Values{"hex": {hex.EncodeToString([]byte("caf\xe9\r\nna\xefve\n"))}, "ct": {"text/plain; charset=iso-8859-1"}}
	r, err := request.Get(httpbin.URL + testserver.BodyPath + "?" + q.Encode()).Stream().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	for line, err := range r.TextLines() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(line)
	}
	// Output:
	// café
	// naïve
}

// TextLinesAs decodes by a charset the caller names, as requests'
// iter_lines(decode_unicode=True) does after r.encoding = 'cp1252': here a
// CSV export that names no charset and is in Windows-1252.
func ExampleResponse_TextLinesAs() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	q := url.Values{"hex": {hex.EncodeToString([]byte("name,price\r\nth\xe9,3 \x80\r\n"))}, "ct": {"text/csv"}}
	r, err := request.Get(httpbin.URL + testserver.BodyPath + "?" + q.Encode()).Stream().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	for line, err := range r.TextLinesAs("cp1252") {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(line)
	}
	// Output:
	// name,price
	// thé,3 €
}

// Links parses the Link header, like requests' r.links.
func ExampleResponse_Links() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	link := `<https://api.example.com/items?page=2>; rel="next"`
	r, err := request.Get(httpbin.URL + "/response-headers?Link=" + url.QueryEscape(link)).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Links()["next"].URL)
	// Output:
	// https://api.example.com/items?page=2
}

// OK, IsRedirect and IsPermanentRedirect are requests' r.ok,
// r.is_redirect and r.is_permanent_redirect.
func ExampleResponse_IsRedirect() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/redirect-to?status_code=308&url=/get").NoRedirects().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.OK(), r.IsRedirect(), r.IsPermanentRedirect(), r.Elapsed() > 0)
	// Output:
	// true true true true
}
