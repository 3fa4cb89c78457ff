/* btmon 5.66 text primitives: header lines (monitor/packet.c print_packet layout: right block ends at
 * width-1, text cut with ".."), hexdumps, indented lines and timestamps. */
#include "print/print_int.h"
#include "proto/hci.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

const char *pr_name(const struct ps_printer *p, const char *s)
{
	if (p->o.legacy_names && s) {
		const char *old = ps_legacy_name(s);
		if (old)
			return old;
	}
	return s;
}

void pr_damage(struct ps_printer *p, const char *why)
{
	if (!p->cur_damaged) {
		p->cur_damaged = true;
		p->damage++;
	}
	snprintf(p->problem, sizeof p->problem, "%s", why);
}

/* Right block: " #N" (when the frame count changed), " [hciN]" (monitor input), " time". */
static size_t right_block(struct ps_printer *p, char *b, size_t cap)
{
	const struct ps_frame *f = p->cur;
	size_t n = 0;
	uint16_t index = f->index;
	if (index != PS_INDEX_NONE && index < PS_MAX_INDEX && p->idx[index].frame != p->last_frame) {
		b[n++] = ' ';
		b[n++] = '#';
		n += ps_fmt_u64(b + n, p->idx[index].frame);
		p->last_frame = p->idx[index].frame;
	}
	if (index != PS_INDEX_NONE && !(f->flags & PS_FRAME_NO_INDEX)) {
		memcpy(b + n, " [hci", 5);
		n += 5;
		n += ps_fmt_u64(b + n, index);
		b[n++] = ']';
	}
	if (p->o.time != PS_TIME_NONE) {
		b[n++] = ' ';
		n += pr_time(p, f, b + n, cap - n);
	}
	return n;
}

size_t pr_time(struct ps_printer *p, const struct ps_frame *f, char *buf, size_t cap)
{
	int64_t sec = (int64_t)(f->ts_us / 1000000);
	unsigned usec = (unsigned)(f->ts_us % 1000000);
	if (p->time_offset < 0)
		p->time_offset = sec;
	if (p->o.time == PS_TIME_OFFSET && sec < p->time_offset) {
		/* Older than the first record (pasted excerpts out of order, sniffers whose clocks run
		 * backwards): a negative offset, not a wrapped-around unsigned one. */
		uint64_t back = (uint64_t)p->time_offset * 1000000 - f->ts_us;
		int n = snprintf(buf, cap, "-%llu.%06llu", (unsigned long long)(back / 1000000),
				 (unsigned long long)(back % 1000000));
		return n > 0 ? (size_t)n : 0;
	}
	if (p->o.time == PS_TIME_OFFSET) {
		size_t n = ps_fmt_u64(buf, (uint64_t)(sec - p->time_offset));
		buf[n++] = '.';
		for (int i = 5; i >= 0; i--, usec /= 10)
			buf[n + (size_t)i] = (char)('0' + usec % 10);
		return n + 6;
	}
	time_t t = (time_t)sec;
	struct tm tm;
	localtime_r(&t, &tm);
	int n;
	if (p->o.time == PS_TIME_DATE)
		n = snprintf(buf, cap, "%04d-%02d-%02d %02d:%02d:%02d.%06u", tm.tm_year + 1900, tm.tm_mon + 1,
			     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, usec);
	else if (p->o.time == PS_TIME_LOCAL)
		n = snprintf(buf, cap, "%02d:%02d:%02d.%06u", tm.tm_hour, tm.tm_min, tm.tm_sec, usec);
	else
		n = 0;
	return n > 0 ? (size_t)n : 0;
}

void pr_header(struct ps_printer *p, char ident, const char *color, const char *label, const char *text,
	       const char *extra)
{
	char rb[96];
	size_t rbn = right_block(p, rb, sizeof rb);
	pr_header_rb(p, ident, color, label, text, extra, rb, rbn);
}

void pr_header_rb(struct ps_printer *p, char ident, const char *color, const char *label, const char *text,
		  const char *extra, const char *rb, size_t rbn)
{
	struct ps_out *o = p->out;
	int col = (int)p->o.width;
	int len = 0;
	bool c = p->o.color;
	if (c && color)
		ps_out_puts(o, color);
	ps_out_putc(o, ident);
	ps_out_putc(o, ' ');
	len = 2;
	if (label) {
		ps_out_puts(o, label);
		len += (int)strlen(label);
	}
	if (text) {
		int extra_len = extra ? (int)strlen(extra) : 0;
		int max_len = col - len - extra_len - (int)rbn - 3;
		char t[512];
		size_t tl = strnlen(text, sizeof t - 3);
		int n = 0;
		if (label) {
			t[n++] = ':';
			t[n++] = ' ';
		}
		memcpy(t + n, text, tl);
		n += (int)tl;
		if (n > max_len && max_len >= 3) {
			/* btmon: cut to max_len, end in "..", and a space just before becomes '.' too */
			t[max_len - 1] = '.';
			t[max_len - 2] = '.';
			if (t[max_len - 3] == ' ')
				t[max_len - 3] = '.';
			n = max_len;
		} else if (n > max_len) {
			n = max_len > 0 ? max_len : 0;
		}
		ps_out_write(o, t, (size_t)n);
		len += n;
	}
	if (c && color)
		ps_out_puts(o, C_OFF);
	if (extra) {
		ps_out_putc(o, ' ');
		ps_out_puts(o, extra);
		len += 1 + (int)strlen(extra);
	}
	if (rbn > 0) {
		if (len < col) {
			/* printf("%*c", x, ' '): at least one space, |x| when x < 0 */
			int x = col - len - (int)rbn - 1;
			ps_out_spaces(o, (size_t)(x == 0 ? 1 : abs(x)));
		}
		if (c)
			ps_out_puts(o, C_YELLOW);
		ps_out_write(o, rb, rbn);
		if (c)
			ps_out_puts(o, C_OFF);
	}
	ps_out_putc(o, '\n');
}

void pr_line(struct ps_printer *p, unsigned indent, const char *s)
{
	ps_out_spaces(p->out, indent);
	ps_out_puts(p->out, s);
	ps_out_putc(p->out, '\n');
}

void pr_label(struct ps_printer *p, unsigned indent, const char *label)
{
	ps_out_spaces(p->out, indent);
	if (label && *label) {
		ps_out_puts(p->out, pr_name(p, label));
		ps_out_write(p->out, ": ", 2);
	}
}

void pr_error(struct ps_printer *p, const char *s)
{
	ps_out_spaces(p->out, 8);
	if (p->o.color)
		ps_out_puts(p->out, C_ERROR);
	ps_out_puts(p->out, s);
	if (p->o.color)
		ps_out_puts(p->out, C_OFF);
	ps_out_putc(p->out, '\n');
	pr_damage(p, s);
}

void pr_hexdump(struct ps_printer *p, const uint8_t *d, size_t len)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i += 16) {
		char *w = ps_out_reserve(p->out, 74);
		if (!w)
			return;
		size_t n = len - i < 16 ? len - i : 16;
		memset(w, ' ', 73);
		for (size_t k = 0; k < n; k++) {
			uint8_t b = d[i + k];
			w[8 + 3 * k] = hx[b >> 4];
			w[8 + 3 * k + 1] = hx[b & 0xf];
			w[8 + 49 + k] = (b >= 0x20 && b < 0x7f) ? (char)b : '.';
		}
		w[73] = '\n';
		p->out->len += 74;
	}
}

bool pr_size_mismatch(struct ps_printer *p, const uint8_t *d, size_t size, unsigned stated)
{
	if (size == stated)
		return false;
	char msg[64];
	snprintf(msg, sizeof msg, "invalid packet size (%zu != %u)", size, stated);
	pr_error(p, msg);
	pr_hexdump(p, d, size);
	return true;
}
