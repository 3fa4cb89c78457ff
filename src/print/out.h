/* Output sink: a big buffer flushed to a file descriptor in large blocks. The library never prints;
 * printers append here and the CLI owns the descriptor. Appends never fail: a write error is kept in
 * o->err and reported by ps_out_flush / ps_out_close. */
#ifndef PS_PRINT_OUT_H
#define PS_PRINT_OUT_H

#include <pairscope/base.h>
#include <string.h>

struct ps_out {
	int fd;
	int err;        /* first negative PS_E* code met, 0 when all writes succeeded */
	size_t len;
	size_t cap;
	char *buf;
};

/* Buffer of cap bytes (at least 4 KiB) writing to fd; 0 or -PS_ENOMEM. */
int ps_out_init(struct ps_out *o, int fd, size_t cap);
/* Capture mode for tests: fd < 0 keeps everything in the buffer, growing it. */
int ps_out_flush(struct ps_out *o);
/* Flush and free the buffer (not the descriptor); returns the first error. */
int ps_out_close(struct ps_out *o);
/* Make room for n more bytes (flushing or growing); returns the write pointer or NULL. */
char *ps_out_reserve_slow(struct ps_out *o, size_t n);
static inline char *ps_out_reserve(struct ps_out *o, size_t n)
{
	if (o->cap - o->len >= n)
		return o->buf + o->len;
	return ps_out_reserve_slow(o, n);
}
void ps_out_printf(struct ps_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline void ps_out_write(struct ps_out *o, const void *p, size_t n)
{
	char *d = ps_out_reserve(o, n);
	if (d) {
		memcpy(d, p, n);
		o->len += n;
	}
}
static inline void ps_out_puts(struct ps_out *o, const char *s) { ps_out_write(o, s, strlen(s)); }
static inline void ps_out_putc(struct ps_out *o, char c)
{
	char *d = ps_out_reserve(o, 1);
	if (d) {
		*d = c;
		o->len++;
	}
}
static inline void ps_out_spaces(struct ps_out *o, size_t n)
{
	char *d = ps_out_reserve(o, n);
	if (d) {
		memset(d, ' ', n);
		o->len += n;
	}
}
/* Unsigned decimal. */
void ps_out_u64(struct ps_out *o, uint64_t v);
/* Signed decimal. */
void ps_out_i64(struct ps_out *o, int64_t v);
/* "0x" + exactly digits lowercase hex digits. */
void ps_out_hex(struct ps_out *o, uint64_t v, unsigned digits);
/* Octets as lowercase hex, no separators. */
void ps_out_hexstr(struct ps_out *o, const uint8_t *p, size_t n);

/* Format into a small buffer without the sink (for header texts). */
size_t ps_fmt_u64(char *dst, uint64_t v);

#endif
