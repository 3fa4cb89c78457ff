/* btmon text import: advertising / scan response data (Core Supplement Part A §1; Core Vol 3 Part C
 * §11) back into AD structures from btmon's one-line-per-structure decode (the wording of
 * src/print/ad.c). Each structure is [length][type][data]; the whole must come to the octet count the
 * report states ("Data length: N"). Flag names, UUID names and other decoration are skipped: the
 * values sit in "Flags: 0x06", "(0x180d)", "Company: ... (89)". */
#include "trace/textlog_int.h"
#include "base/bytes.h"
#include <stdio.h>
#include <string.h>

static const char *const ad_labels[] = {
	"Flags:", "Name (short):", "Name (complete):", "TX power:", "Company:", "16-bit Service UUIDs (",
	"Unknown EIR field 0x", "RSSI:", "Type:", "UUID:", "Version:", "Data:", "Appearance:",
};


static bool at(const struct tl_cur *c, size_t k, const char *w)
{
	size_t l = strlen(w);
	return c->n - k >= l && memcmp(c->s + k, w, l) == 0;
}

/* Offset of the next known AD label (or the end) at or after k, at a separator boundary. */
static size_t next_label(const struct tl_cur *c, size_t k)
{
	for (; k < c->n; k++) {
		if (k && !tl_is_sep(c->s[k - 1]))
			continue;
		for (size_t i = 0; i < PS_ARRAY_SIZE(ad_labels); i++)
			if (at(c, k, ad_labels[i]))
				return k;
	}
	return c->n;
}

static bool take(struct tl_cur *c, const char *w)
{
	tl_skip_sep(c);
	if (!at(c, c->pos, w))
		return false;
	c->pos += strlen(w);
	return true;
}

static int number(struct tl_cur *c, uint64_t *v)
{
	struct ps_field f = { "", "", 0, PS_W_U64, PS_FMT_DEC, NULL };
	return tl_parse_uint(c, &f, v);
}

static bool dec(struct tl_cur *c, uint64_t *v)
{
	tl_skip_sep(c);
	size_t k = c->pos;
	uint64_t x = 0;
	while (k < c->n && c->s[k] >= '0' && c->s[k] <= '9' && k - c->pos < 10)
		x = x * 10 + (uint64_t)(c->s[k++] - '0');
	if (k == c->pos)
		return false;
	c->pos = k;
	*v = x;
	return true;
}

/* Hex string of unknown length at the cursor. */
static int hex_run(struct tl_cur *c, uint8_t *out, size_t cap, size_t *n)
{
	tl_skip_sep(c);
	size_t k = c->pos;
	while (k < c->n && ((c->s[k] >= '0' && c->s[k] <= '9') || (c->s[k] >= 'a' && c->s[k] <= 'f')))
		k++;
	size_t m = (k - c->pos) / 2;
	if ((k - c->pos) % 2 || m > cap)
		return -PS_EBADDATA;
	*n = m;
	return m ? tl_parse_hexstr(c, out, m) : 0;
}

/* "(N)" decimal in parentheses before the end of the line: the company ID. */
static int paren_dec(struct tl_cur *c, uint64_t *v)
{
	size_t end = c->pos;
	while (end < c->n && c->s[end] != '\n')
		end++;
	size_t nl = next_label(c, c->pos);
	if (nl < end)
		end = nl; /* a flattened log has no line end: stop at the next structure */
	for (size_t k = end; k-- > c->pos;) {
		if (c->s[k] != '(')
			continue;
		struct tl_cur t = { c->s, c->n, k + 1 };
		if (number(&t, v) == 0 && t.pos < c->n && c->s[t.pos] == ')') {
			c->pos = t.pos + 1;
			return 0;
		}
	}
	return -PS_EBADDATA;
}

/* take(), or the label a little further on when mail put a reply between the lines */
static bool seek(struct tl_cur *c, const char *w)
{
	if (take(c, w))
		return true;
	for (size_t k = c->pos + 1; k < c->n && k - c->pos < 400; k++)
		if (tl_is_sep(c->s[k - 1]) && at(c, k, w)) {
			c->pos = k + strlen(w);
			return true;
		}
	return false;
}

/* Apple's manufacturer data: "Type: iBeacon (2)" + UUID/Version/TX power, or "Type: X (t)" + Data. */
static int apple(struct tl_cur *c, uint8_t *p, size_t cap, size_t *n)
{
	size_t w = 0;
	while (take(c, "Type:")) {
		uint64_t type;
		if (paren_dec(c, &type) < 0 || w + 2 > cap)
			return -PS_EBADDATA;
		p[w++] = (uint8_t)type;
		if (seek(c, "UUID:")) {
			unsigned g[6];
			tl_skip_sep(c);
			char tmp[40] = "";
			size_t l = c->n - c->pos < 36 ? c->n - c->pos : 36;
			memcpy(tmp, c->s + c->pos, l);
			if (w + 22 > cap || sscanf(tmp, "%8x-%4x-%4x-%4x-%8x%4x", &g[0], &g[1], &g[2], &g[3], &g[4], &g[5]) != 6)
				return -PS_EBADDATA;
			c->pos += l;
			uint8_t *u = p + w + 1;
			p[w] = 0x15;
			ps_put_le(u + 12, g[0], 4);
			ps_put_le(u + 10, g[1], 2);
			ps_put_le(u + 8, g[2], 2);
			ps_put_le(u + 6, g[3], 2);
			ps_put_le(u + 2, g[4], 4);
			ps_put_le(u, g[5], 2);
			uint64_t ma, mi, tx;
			/* "Version: 16605.21773" is major.minor, not a fraction */
			if (!seek(c, "Version:") || !dec(c, &ma) || c->pos >= c->n || c->s[c->pos] != '.')
				return -PS_EBADDATA;
			c->pos++;
			if (!dec(c, &mi) || !seek(c, "TX power:") || number(c, &tx) < 0)
				return -PS_EBADDATA;
			ps_put_le(u + 16, ma, 2);
			ps_put_le(u + 18, mi, 2);
			u[20] = (uint8_t)tx;
			take(c, "dB");
			w += 22;
		} else if (take(c, "Data:")) {
			size_t m;
			if (w + 1 > cap || hex_run(c, p + w + 1, cap - w - 1, &m) < 0)
				return -PS_EBADDATA;
			p[w] = (uint8_t)m;
			w += 1 + m;
		} else {
			return -PS_EBADDATA;
		}
	}
	*n = w;
	return 0;
}

int tl_parse_ad(struct tl_cur *c, uint8_t *out, size_t n, char *err, size_t errcap)
{
	size_t got = 0;
	uint8_t s[256];
	while (got < n) {
		tl_skip_sep(c);
		if (tl_at_hexdump(c))
			return tl_parse_hexdump(c, out + got, n - got); /* what btmon could not split */
		size_t w = 2;
		uint64_t v;
		if (take(c, "Flags:")) {
			if (number(c, &v) < 0)
				goto bad;
			s[1] = 0x01;
			s[w++] = (uint8_t)v;
			c->pos = next_label(c, c->pos); /* the flag names */
		} else if (take(c, "Name (short):") || take(c, "Name (complete):")) {
			s[1] = c->s[c->pos - 3] == 't' ? 0x08 : 0x09;
			while (c->pos < c->n && c->s[c->pos] == ' ')
				c->pos++;
			size_t e = c->pos;
			while (e < c->n && c->s[e] != '\n')
				e++;
			size_t nl = next_label(c, c->pos);
			if (nl < e)
				e = nl;
			while (e > c->pos && c->s[e - 1] == ' ')
				e--;
			if (e - c->pos > sizeof s - 2)
				goto bad;
			memcpy(s + 2, c->s + c->pos, e - c->pos);
			w += e - c->pos;
			c->pos = e;
		} else if (take(c, "TX power:")) {
			if (number(c, &v) < 0)
				goto bad;
			take(c, "dBm");
			s[1] = 0x0a;
			s[w++] = (uint8_t)v;
		} else if (take(c, "Company:")) {
			if (paren_dec(c, &v) < 0 || v > 0xffff)
				goto bad;
			s[1] = 0xff;
			ps_put_le(s + 2, v, 2);
			w = 4;
			size_t m;
			if (v == 76 || v == 19456) {
				if (apple(c, s + w, sizeof s - w, &m) < 0)
					goto bad;
				w += m;
			} else if (take(c, "Data:")) {
				if (hex_run(c, s + w, sizeof s - w, &m) < 0)
					goto bad;
				w += m;
			}
		} else if (take(c, "16-bit Service UUIDs (")) {
			s[1] = at(c, c->pos, "complete") ? 0x03 : 0x02;
			c->pos = c->pos + 1;
			while (c->pos < c->n && c->s[c->pos] != ':')
				c->pos++;
			c->pos++;
			if (number(c, &v) < 0 || v > 120)
				goto bad;
			for (uint64_t i = 0; i < v; i++) {
				/* "Heart Rate (0x180d)" */
				size_t k = c->pos;
				while (k + 1 < c->n && !(c->s[k] == '(' && c->s[k + 1] == '0'))
					k++;
				struct tl_cur t = { c->s, c->n, k + 1 };
				uint64_t u;
				if (k + 1 >= c->n || number(&t, &u) < 0)
					goto bad;
				ps_put_le(s + w, u, 2);
				w += 2;
				c->pos = t.pos + 1;
			}
		} else if (take(c, "Appearance:")) {
			/* btmon names the appearance (AD type 0x19): "Appearance: Watch (0x00c0)" */
			struct ps_field f = { "", "", 0, PS_W_U16, PS_FMT_ENUM, NULL };
			if (tl_parse_uint(c, &f, &v) < 0 || v > 0xffff)
				goto bad;
			s[1] = 0x19;
			ps_put_le(s + 2, v, 2);
			w = 4;
		} else if (take(c, "Unknown EIR field 0x")) {
			struct tl_cur t = { c->s, c->n, c->pos - 2 };
			size_t m;
			if (number(&t, &v) < 0 || v > 0xff || t.pos >= c->n || c->s[t.pos] != ':')
				goto bad;
			c->pos = t.pos + 1;
			s[1] = (uint8_t)v;
			if (hex_run(c, s + w, sizeof s - w, &m) < 0)
				goto bad;
			w += m;
		} else {
			/* prose or a line we do not model: go on at the next structure's label */
			size_t nl = next_label(c, c->pos);
			if (nl >= c->n || at(c, nl, "RSSI:") || nl == c->pos)
				goto bad;
			c->pos = nl;
			continue;
		}
		s[0] = (uint8_t)(w - 1);
		if (got + w > n)
			goto bad;
		memcpy(out + got, s, w);
		got += w;
	}
	return 0;
bad:
	snprintf(err, errcap, "advertising data: structure %zu unreadable", got);
	return -PS_EBADDATA;
}
