package jpegscale

import (
	"fmt"
	"io"
)

// source is a small buffered byte reader. The decoder reads the file once,
// front to back, so it never needs the whole file in memory: a 200 MP JPEG
// can be tens of megabytes, which would be a large share of the memory budget.
type source struct {
	r   io.Reader // nil when the whole input is already in buf
	buf []byte
	pos int
	end int
	err error // sticky error from r; io.EOF means the input ended
}

const sourceBufSize = 64 << 10

func newReaderSource(r io.Reader) *source {
	return &source{r: r, buf: make([]byte, sourceBufSize)}
}

func newBytesSource(data []byte) *source {
	return &source{buf: data, end: len(data), err: io.EOF}
}

// fill reads more input into buf. It returns an error (wrapping
// io.ErrUnexpectedEOF when the input simply ended) when nothing could be read.
func (s *source) fill() error {
	if s.err == nil && s.r != nil {
		s.pos, s.end = 0, 0
		for tries := 0; tries < 100; tries++ { // io.Reader may return 0, nil; do not spin forever
			n, err := s.r.Read(s.buf)
			s.end = n
			if err != nil {
				s.err = err
			}
			if n > 0 {
				return nil
			}
			if err != nil {
				break
			}
		}
		if s.err == nil {
			s.err = io.ErrNoProgress
		}
	}
	if s.err == io.EOF {
		return fmt.Errorf("jpegscale: truncated JPEG: %w", io.ErrUnexpectedEOF)
	}
	return fmt.Errorf("jpegscale: reading JPEG: %w", s.err)
}

func (s *source) readByte() (byte, error) {
	if s.pos < s.end {
		b := s.buf[s.pos]
		s.pos++
		return b, nil
	}
	if err := s.fill(); err != nil {
		return 0, err
	}
	b := s.buf[s.pos]
	s.pos++
	return b, nil
}

func (s *source) readFull(p []byte) error {
	for len(p) > 0 {
		if s.pos >= s.end {
			if err := s.fill(); err != nil {
				return err
			}
		}
		n := copy(p, s.buf[s.pos:s.end])
		s.pos += n
		p = p[n:]
	}
	return nil
}

func (s *source) skip(n int) error {
	for n > 0 {
		if s.pos >= s.end {
			if err := s.fill(); err != nil {
				return err
			}
		}
		k := min(n, s.end-s.pos)
		s.pos += k
		n -= k
	}
	return nil
}

func (s *source) readU16() (int, error) {
	hi, err := s.readByte()
	if err != nil {
		return 0, err
	}
	lo, err := s.readByte()
	if err != nil {
		return 0, err
	}
	return int(hi)<<8 | int(lo), nil
}

// nextMarker skips to the next marker and returns its code (the byte after
// 0xFF). Bytes that are not part of a marker are skipped: T.81 allows fill
// bytes (0xFF) before a marker, and some writers leave stray bytes after
// entropy-coded data. The loop consumes a byte per iteration, so it ends with
// the input.
func (s *source) nextMarker() (byte, error) {
	for {
		b, err := s.readByte()
		if err != nil {
			return 0, err
		}
		if b != 0xFF {
			continue
		}
		for b == 0xFF {
			if b, err = s.readByte(); err != nil {
				return 0, err
			}
		}
		if b != 0 { // 0xFF00 is a stuffed data byte, not a marker
			return b, nil
		}
	}
}
