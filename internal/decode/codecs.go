package decode

import (
	"bufio"
	"io"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
)

// bufSize is the read buffer of the gzip and deflate layers: the size
// io.Copy uses, so a body is read in large pieces.
const bufSize = 32 << 10

// zstdMaxWindow is the largest zstd window accepted: 8 MiB, the most that
// RFC 9659 lets an HTTP sender use and what browsers accept. urllib3
// (libzstd's default ZSTD_d_windowLogMax) accepts 128 MiB, but a decoder
// allocates the whole window when a frame starts, so a 12-byte body could
// cost 128 MiB.
const zstdMaxWindow = 8 << 20

// gzipLayer undoes gzip, member after member.
type gzipLayer struct {
	src      source
	br       *bufio.Reader
	zr       gzip.Reader
	coding   string
	members  int  // members read to their end
	inMember bool // a header was read and its member's end was not
	err      error
}

var gzipPool = sync.Pool{New: func() any {
	return &gzipLayer{br: bufio.NewReaderSize(nil, bufSize)}
}}

func newGzip(r io.Reader, coding string) *gzipLayer {
	g := gzipPool.Get().(*gzipLayer)
	g.src.reset(r)
	g.br.Reset(&g.src)
	g.coding = coding
	g.members, g.inMember, g.err = 0, false, nil
	return g
}

func (g *gzipLayer) release() {
	g.src.reset(nil)
	g.br.Reset(nil)
	gzipPool.Put(g)
}

func (g *gzipLayer) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	for {
		if !g.inMember {
			if err := g.header(); err != nil {
				g.err = g.fail(err)
				return 0, g.err
			}
			g.inMember = true
		}
		n, err := g.zr.Read(p)
		switch {
		case err == io.EOF:
			g.members++
			g.inMember = false
			if n > 0 {
				return n, nil
			}
		case err != nil:
			g.err = g.fail(err)
			return n, g.err
		default:
			return n, nil
		}
	}
}

// header reads a member's header.
func (g *gzipLayer) header() error {
	// zlib, and so urllib3, rejects a header with reserved flag bits set;
	// the gzip package does not look at them.
	b, _ := g.br.Peek(4)
	if g.src.err != nil {
		return g.src.err
	}
	if len(b) == 4 && b[0] == 0x1f && b[1] == 0x8b && b[3]&0xe0 != 0 {
		return gzip.ErrHeader
	}
	if err := g.zr.Reset(g.br); err != nil {
		return err
	}
	g.zr.Multistream(false)
	return nil
}

func (g *gzipLayer) fail(err error) error {
	// urllib3's GzipDecoder ignores whatever fails to decode after a
	// complete member ("trailing garbage acceptable in other gzip clients").
	if g.members > 0 && g.src.err == nil {
		return io.EOF
	}
	return g.src.classify(g.coding, err)
}

// deflateLayer undoes deflate, zlib-wrapped or raw.
type deflateLayer struct {
	src    source
	br     *bufio.Reader
	fr     io.ReadCloser // raw deflate, a flate.Resetter
	zr     io.ReadCloser // zlib, a zlib.Resetter; made when first needed
	cur    io.Reader     // fr or zr once the first bytes are seen
	coding string
	err    error
}

var deflatePool = sync.Pool{New: func() any {
	br := bufio.NewReaderSize(nil, bufSize)
	return &deflateLayer{br: br, fr: flate.NewReader(br)}
}}

func newDeflate(r io.Reader, coding string) *deflateLayer {
	d := deflatePool.Get().(*deflateLayer)
	d.src.reset(r)
	d.br.Reset(&d.src)
	d.coding = coding
	d.cur, d.err = nil, nil
	return d
}

func (d *deflateLayer) release() {
	d.src.reset(nil)
	d.br.Reset(nil)
	d.cur = nil
	deflatePool.Put(d)
}

// isZlibHeader reports whether b starts a zlib stream that zlib would begin
// to decode: deflate method, window of at most 32 KiB, valid check bits and
// no preset dictionary (zlib asks for one, and urllib3 falls back to raw).
func isZlibHeader(b []byte) bool {
	return len(b) >= 2 &&
		b[0]&0x0f == 8 && b[0]>>4 <= 7 &&
		(uint16(b[0])<<8|uint16(b[1]))%31 == 0 &&
		b[1]&0x20 == 0
}

func (d *deflateLayer) Read(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if d.cur == nil {
		if err := d.start(); err != nil {
			d.err = d.src.classify(d.coding, err)
			return 0, d.err
		}
	}
	n, err := d.cur.Read(p)
	if err != nil {
		d.err = d.src.classify(d.coding, err)
	}
	return n, d.err
}

// start picks zlib or raw deflate from the first two bytes.
func (d *deflateLayer) start() error {
	b, err := d.br.Peek(2)
	switch {
	case d.src.err != nil:
		return d.src.err
	case len(b) == 0:
		return err // io.EOF: no content
	case isZlibHeader(b):
		if d.zr == nil {
			zr, err := zlib.NewReader(d.br)
			if err != nil {
				return err
			}
			d.zr = zr
		} else if err := d.zr.(zlib.Resetter).Reset(d.br, nil); err != nil {
			return err
		}
		d.cur = d.zr
	default:
		// A one-byte body lands here too and is reported as truncated.
		if err := d.fr.(flate.Resetter).Reset(d.br, nil); err != nil {
			return err
		}
		d.cur = d.fr
	}
	return nil
}

// brotliLayer undoes br.
type brotliLayer struct {
	src    source
	dr     *brotli.Reader
	coding string
	err    error
}

var brotliPool = sync.Pool{New: func() any {
	b := &brotliLayer{}
	b.dr = brotli.NewReader(&b.src)
	return b
}}

func newBrotli(r io.Reader, coding string) *brotliLayer {
	b := brotliPool.Get().(*brotliLayer)
	b.src.reset(r)
	_ = b.dr.Reset(&b.src) // never fails
	b.coding = coding
	b.err = nil
	return b
}

func (b *brotliLayer) release() {
	b.src.reset(nil)
	brotliPool.Put(b)
}

func (b *brotliLayer) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	n, err := b.dr.Read(p)
	if err != nil {
		b.err = b.src.classify(b.coding, err)
	}
	return n, b.err
}

// zstdLayer undoes zstd. Its decoder decodes synchronously (concurrency 1),
// so it starts no goroutine and needs no Close: a pooled decoder that the
// pool drops is simply collected. It keeps the low-memory default: with
// WithDecoderLowmem(false) a decoder allocates 456 KiB instead of 51 KiB for
// a 2 KiB response, and decoding 16 MiB was no faster (p=0.7, n=6).
type zstdLayer struct {
	src    source
	dr     *zstd.Decoder
	coding string
	err    error
}

var zstdPool = sync.Pool{New: func() any {
	dr, err := zstd.NewReader(nil,
		zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderMaxWindow(zstdMaxWindow),
	)
	if err != nil {
		panic("decode: zstd options: " + err.Error())
	}
	return &zstdLayer{dr: dr}
}}

func newZstd(r io.Reader, coding string) *zstdLayer {
	z := zstdPool.Get().(*zstdLayer)
	z.src.reset(r)
	z.coding = coding
	z.err = z.dr.Reset(&z.src)
	if z.err != nil {
		z.err = z.src.classify(coding, z.err)
	}
	return z
}

func (z *zstdLayer) release() {
	_ = z.dr.Reset(nil)
	z.src.reset(nil)
	zstdPool.Put(z)
}

func (z *zstdLayer) Read(p []byte) (int, error) {
	if z.err != nil {
		return 0, z.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	n, err := z.dr.Read(p)
	if err != nil {
		z.err = z.src.classify(z.coding, err)
	}
	return n, z.err
}
