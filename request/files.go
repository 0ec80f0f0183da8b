package request

import (
	"context"
	"io"
	"net/http"

	"github.com/tether-http/tether/internal/multipart"
)

// filePart is one file of a multipart body, as a File or FileFromPath step
// gave it.
type filePart struct {
	field, filename string
	path            string // FileFromPath: opened (and stat'ed) at each send
	src             *body  // File: the reader as a body source
	contentType     string
	header          http.Header
	noFilename      bool
}

// A PartOption sets something about one file part of a multipart body.
type PartOption func(*partSpec)

// partSpec is what PartOptions say.
type partSpec struct {
	contentType string
	header      http.Header
	noFilename  bool
}

// PartNoFilename sends the part without a filename parameter, like
// requests' files={'f': (None, data)}: a form field whose value is read
// from a reader. The filename given to File is then ignored.
func PartNoFilename() PartOption {
	return func(p *partSpec) { p.noFilename = true }
}

// PartContentType sets the part's Content-Type, like the third element of
// requests' files={'f': (name, file, 'image/png')}. Without it a file part
// has no Content-Type, as in requests.
func PartContentType(contentType string) PartOption {
	return func(p *partSpec) { p.contentType = contentType }
}

// PartHeader adds a header to the part, like the fourth element of
// requests' files={'f': (name, file, type, {'X-A': '1'})}. The part's own
// headers are not set this way: Content-Disposition comes from the field
// and file names, Content-Type from [PartContentType], and a PartHeader
// naming either (or Content-Location) is an [ErrBody] error from Do, where
// requests lets the 4-tuple's dict lose to the generated header or send
// both.
func PartHeader(name, value string) PartOption {
	return func(p *partSpec) {
		if p.header == nil {
			p.header = http.Header{}
		}
		p.header.Add(name, value)
	}
}

// File adds a file part read from r to a multipart/form-data body, like
// requests' files={field: (filename, r)}. Parts go in the order added,
// after the [Builder.Form] values, which become the text parts. r is
// streamed, never read into memory; it replays (for a 307/308 redirect or
// a retry) under the rules of [Builder.Body]: a file or another seeker
// does, a plain reader does not. Content-Length is set when every part's
// size is known, otherwise the body is sent chunked.
//
// A nil r is an ErrBody error from Do (requests skips a part whose file is
// None; tether says so instead of sending less than was asked).
func (b Builder) File(field, filename string, r io.Reader, opts ...PartOption) Builder {
	if r == nil {
		return b.fail(kindError(ErrBody, "file part %q: nil reader", field))
	}
	src, err := newBody(r)
	if err != nil {
		return b.fail(err)
	}
	return b.with(&op{kind: opFile, file: newPart(field, filename, "", src, opts)})
}

// FileFromPath adds the file at path as a part of a multipart/form-data
// body, with its base name as the filename, like requests'
// files={field: open(path, 'rb')}. The file is opened when the request is
// sent, and opened again for a 307/308 redirect or a retry; it is never
// read into memory. A file that cannot be opened, or an empty path, is an
// ErrBody error from Do, and nothing is sent.
func (b Builder) FileFromPath(field, path string, opts ...PartOption) Builder {
	if path == "" {
		return b.fail(kindError(ErrBody, "file part %q: empty path", field))
	}
	return b.with(&op{kind: opFile, file: newPart(field, "", path, nil, opts)})
}

func newPart(field, filename, path string, src *body, opts []PartOption) *filePart {
	var spec partSpec
	for _, o := range opts {
		if o != nil {
			o(&spec)
		}
	}
	if spec.noFilename {
		filename = ""
	}
	return &filePart{field: field, filename: filename, path: path, src: src, contentType: spec.contentType, header: spec.header, noFilename: spec.noFilename}
}

// maxInlineMultipart is the largest multipart body of in-memory parts that
// is sent from one buffer; a bigger one is streamed part by part.
const maxInlineMultipart = 64 << 10

// multipartBody builds the multipart body of the Form's fields (as
// formFields lists them) and files, as requests builds one from data= and
// files=.
func multipartBody(fields []multipart.Field, files []*filePart) (*body, error) {
	parts := make([]multipart.File, len(files))
	replayable := true
	inMemory := true // every file part is bytes held by its builder
	for i, f := range files {
		var p multipart.File
		switch {
		case f.path != "":
			var err error
			if p, err = multipart.FromPath(f.field, f.path); err != nil {
				return nil, kindError(ErrBody, "file part %q: %w", f.field, err)
			}
			inMemory = false
		case f.src.open == nil:
			p = multipart.FromBytes(f.field, f.filename, f.src.data)
		default:
			inMemory = false
			src := f.src
			if src.spent != nil && src.spent.Load() {
				return nil, kindError(ErrBodyNotReplayable, "file part %q: %w", f.field, errConsumed)
			}
			p = multipart.File{
				Field: f.field, Filename: f.filename, Size: src.size,
				Open: func() (io.ReadCloser, error) { return src.reader(context.Background()) },
			}
			replayable = replayable && src.replayable
		}
		p.ContentType, p.Header = f.contentType, f.header
		if f.noFilename {
			p.Filename, p.OmitFilename = "", true
		}
		parts[i] = p
	}
	mb, err := multipart.New(fields, parts)
	if err != nil {
		return nil, kindError(ErrBody, "multipart: %w", err)
	}
	if inMemory && mb.Size() <= maxInlineMultipart {
		// Every byte is in memory already: one buffer, which net/http
		// knows for one, goes out with the request's headers in one write
		// rather than after them, part by part.
		data := make([]byte, mb.Size())
		rc, _ := mb.Open()
		_, err := io.ReadFull(rc, data)
		_ = rc.Close()
		if err == nil {
			return bytesBody(data, mb.ContentType()), nil
		}
	}
	// A body with a one-shot part is not replayable: a redirect that needs
	// it again fails before sending, and the next Do fails in resolve.
	return &body{
		contentType: mb.ContentType(), size: mb.Size(), replayable: replayable,
		open: func(context.Context) (io.ReadCloser, error) { return mb.Open() },
	}, nil
}
