/* Block-buffered input for the streaming readers (btsnoop, pcapng): one fread per block, never a
 * read per record, never the whole file in memory; works the same on files and pipes. */
#include "trace/reader_int.h"
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
