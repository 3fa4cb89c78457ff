/* Output sink: buffered appends, flushed with write(2) in big blocks (see out.h). */
#include "print/out.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int ps_out_init(struct ps_out *o, int fd, size_t cap)
{
	memset(o, 0, sizeof *o);
	if (cap < 4096)
		cap = 4096;
	o->buf = malloc(cap);
	if (!o->buf)
		return -PS_ENOMEM;
	o->cap = cap;
	o->fd = fd;
	return 0;
}

int ps_out_flush(struct ps_out *o)
{
	if (o->fd < 0)
		return o->err;
	size_t off = 0;
	while (off < o->len) {
		ssize_t n = write(o->fd, o->buf + off, o->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (!o->err)
				o->err = -PS_EIO;
			break;
		}
		off += (size_t)n;
	}
	o->len = 0;
	return o->err;
}

int ps_out_close(struct ps_out *o)
{
	int rc = ps_out_flush(o);
	free(o->buf);
	o->buf = NULL;
	o->cap = o->len = 0;
	return rc;
}

char *ps_out_reserve_slow(struct ps_out *o, size_t n)
{
	if (o->fd >= 0) {
		ps_out_flush(o);
		if (o->cap >= n)
			return o->buf;
	}
	size_t cap = o->cap ? o->cap : 4096;
	while (cap - o->len < n)
		cap *= 2;
	char *b = realloc(o->buf, cap);
	if (!b) {
		if (!o->err)
			o->err = -PS_ENOMEM;
		return NULL;
	}
	o->buf = b;
	o->cap = cap;
	return o->buf + o->len;
}

void ps_out_printf(struct ps_out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *d = ps_out_reserve(o, 256);
	int n = d ? vsnprintf(d, o->cap - o->len, fmt, ap) : -1;
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= o->cap - o->len) {
		d = ps_out_reserve(o, (size_t)n + 1);
		if (!d)
			return;
		va_start(ap, fmt);
		vsnprintf(d, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	o->len += (size_t)n;
}

size_t ps_fmt_u64(char *dst, uint64_t v)
{
	char tmp[20];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		dst[i] = tmp[n - 1 - i];
	return n;
}

void ps_out_u64(struct ps_out *o, uint64_t v)
{
	char *d = ps_out_reserve(o, 20);
	if (d)
		o->len += ps_fmt_u64(d, v);
}

void ps_out_i64(struct ps_out *o, int64_t v)
{
	if (v < 0) {
		ps_out_putc(o, '-');
		ps_out_u64(o, (uint64_t)0 - (uint64_t)v);
	} else {
		ps_out_u64(o, (uint64_t)v);
	}
}

static const char hexd[] = "0123456789abcdef";

void ps_out_hex(struct ps_out *o, uint64_t v, unsigned digits)
{
	char *d = ps_out_reserve(o, digits + 2);
	if (!d)
		return;
	d[0] = '0';
	d[1] = 'x';
	for (unsigned i = 0; i < digits; i++)
		d[2 + i] = hexd[(v >> (4 * (digits - 1 - i))) & 0xf];
	o->len += digits + 2;
}

void ps_out_hexstr(struct ps_out *o, const uint8_t *p, size_t n)
{
	char *d = ps_out_reserve(o, 2 * n + 1); /* ps_hex_encode ends with a NUL, not kept */
	if (!d)
		return;
	ps_hex_encode(p, n, d);
	o->len += 2 * n;
}
