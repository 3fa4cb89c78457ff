/* Block-buffered input for the streaming readers (btsnoop, pcapng): one fread per block, never a
 * read per record, never the whole file in memory; works the same on files and pipes. */
#include "trace/reader_int.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int ps_instream_init(struct ps_instream *s, FILE *fp, const uint8_t *pre, size_t prelen, size_t cap)
{
	memset(s, 0, sizeof *s);
	s->fp = fp;
	s->cap = cap > prelen ? cap : prelen;
	s->buf = malloc(s->cap);
	if (!s->buf)
		return -PS_ENOMEM;
	memcpy(s->buf, pre, prelen);
	s->end = prelen;
	return 0;
}

size_t ps_instream_ensure(struct ps_instream *s, size_t need)
{
	if (need > s->cap)
		need = s->cap;
	while (s->end - s->start < need && !s->eof) {
		/* Slide the unconsumed tail to the front only when the record would not fit behind it. */
		if (s->start > 0 && s->cap - s->start < need) {
			memmove(s->buf, s->buf + s->start, s->end - s->start);
			s->base += s->start;
			s->end -= s->start;
			s->start = 0;
		}
		size_t got = fread(s->buf + s->end, 1, s->cap - s->end, s->fp);
		if (got == 0) {
			s->eof = true;
			s->error = ferror(s->fp) != 0;
		}
		s->end += got;
	}
	return s->end - s->start;
}

void ps_instream_free(struct ps_instream *s)
{
	free(s->buf);
	s->buf = NULL;
}

bool ps_trace_resync_found(struct ps_trace *t, uint64_t number, const struct ps_instream *in, uint64_t from,
			   const char *what)
{
	ps_trace_diagf(t, number, ps_instream_off(in), -PS_EBADDATA, "skipped %llu damaged bytes to the next %s",
		       (unsigned long long)(ps_instream_off(in) - from), what);
	return true;
}

bool ps_trace_resync_give_up(struct ps_trace *t, uint64_t number, struct ps_instream *in, uint64_t from,
			     const char *what)
{
	ps_trace_diagf(t, number, ps_instream_off(in), -PS_EBADDATA,
		       "no %s in the %llu bytes after the damage; stopped reading", what,
		       (unsigned long long)(ps_instream_off(in) - from));
	in->start = in->end;
	in->eof = true;
	return false;
}

int ps_trace_rec_start(struct ps_trace *t, uint64_t number, struct ps_instream *in, size_t hdr_len, const char *what,
		       size_t *avail)
{
	size_t n = ps_instream_ensure(in, hdr_len);
	uint64_t off = ps_instream_off(in);
	*avail = n;
	if (in->error) {
		ps_trace_diagf(t, number, off, -PS_EIO, "read error: %s", strerror(errno));
		return -PS_EIO;
	}
	if (n == 0)
		return -PS_EOF;
	if (n < hdr_len) {
		ps_trace_diagf(t, number, off, -PS_ETRUNC, "truncated %s header at end of file (%zu of %zu bytes)",
			       what, n, hdr_len);
		ps_instream_consume(in, n);
		return -PS_EOF;
	}
	return 0;
}
