/* btmon text import, layer 3: field lines back into layout structs, the inverse of the btmon printer
 * driven by the same .def descriptors (include/pairscope/layout.h).
 *
 * Fields are found by label, in the order the layout declares them, so the parser does not care
 * whether a field sits on its own line (a normal log) or runs on after the previous value (a
 * flattened mail): each value parser stops exactly where its format ends. Values are read the way the
 * printer wrote them: the "(0x..)" btmon adds after names, durations and dBm is the exact value and
 * wins; bare hex or decimal otherwise; msec figures without hex are converted back by their unit. */
#include "trace/textlog_int.h"
#include <stdio.h>
#include <string.h>

void tl_skip_sep(struct tl_cur *c)
{
	while (c->pos < c->n && tl_is_sep(c->s[c->pos]))
		c->pos++;
}

bool tl_at_end(struct tl_cur *c)
{
	tl_skip_sep(c);
	return c->pos >= c->n;
}

/* Canonical label: lower case, single spaces, btmon's renames folded onto the current names. */
static size_t canon(const char *s, size_t n, char *out, size_t cap)
{
	static const struct {
		const char *from, *to;
	} ren[] = {
		{ "master", "central" }, { "slave", "peripheral" }, { "white list", "accept list" },
		{ "confim", "confirm" }, { "whitelist", "accept list" },
	};
	char tmp[128];
	size_t m = 0;
	bool sp = false;
	for (size_t i = 0; i < n && m < sizeof tmp - 1; i++) {
		char ch = s[i];
		if (tl_is_sep(ch)) {
			sp = m > 0;
			continue;
		}
		if (sp)
			tmp[m++] = ' ';
		sp = false;
		if (m < sizeof tmp - 1)
			tmp[m++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
	}
	size_t o = 0;
	for (size_t i = 0; i < m && o < cap - 1;) {
		bool hit = false;
		for (size_t r = 0; r < PS_ARRAY_SIZE(ren); r++) {
			size_t fl = strlen(ren[r].from), tl = strlen(ren[r].to);
			if (m - i >= fl && memcmp(tmp + i, ren[r].from, fl) == 0 && o + tl < cap) {
				memcpy(out + o, ren[r].to, tl);
				o += tl;
				i += fl;
				hit = true;
				break;
			}
		}
		if (!hit)
			out[o++] = tmp[i++];
	}
	out[o] = 0;
	return o;
}

bool tl_label_eq(const char *a, size_t an, const char *b)
{
	char ca[128], cb[128];
	canon(a, an, ca, sizeof ca);
	canon(b, strlen(b), cb, sizeof cb);
	return strcmp(ca, cb) == 0;
}

/* Length of a "Label:" at p (up to the ':' followed by a separator or the end), 0 if none. */
static size_t label_len(const char *p, size_t n)
{
	for (size_t i = 0; i < n && i < 80; i++) {
		if (p[i] == ':' && i + 2 <= n && p[i + 1] == ':' && (i + 2 == n || tl_is_sep(p[i + 2])))
			return i > 0 ? i : 0; /* btmon 5.66's "Address type::" typo */
		if (p[i] == ':')
			return (i > 0 && (i + 1 == n || tl_is_sep(p[i + 1]))) ? i : 0;
		if (p[i] == '(' && i > 0 && p[i - 1] == ' ') {
			/* "TX power (selected):" is a label; "Name (0x01) ncmd 1" or "Name (15)" are not */
			size_t e = i + 1;
			while (e < n && e < 80 && p[e] != ')' && p[e] != '(' && p[e] != '\n')
				e++;
			if (e + 1 < n && p[e] == ')' && p[e + 1] == ':' && e > i + 1 && !(p[i + 1] == '0' && p[i + 2] == 'x')) {
				i = e;
				continue;
			}
			return 0;
		}
		if (p[i] == '(' || p[i] == ')' || p[i] == '[')
			return 0;
	}
	return 0;
}

size_t tl_label_at(struct tl_cur *c)
{
	tl_skip_sep(c);
	return label_len(c->s + c->pos, c->n - c->pos);
}

bool tl_take_label(struct tl_cur *c, const char *label)
{
	tl_skip_sep(c);
	size_t ll = label_len(c->s + c->pos, c->n - c->pos);
	if (!ll || !tl_label_eq(c->s + c->pos, ll, label))
		return false;
	c->pos += ll + 1;
	if (c->pos < c->n && c->s[c->pos] == ':')
		c->pos++;
	return true;
}

bool tl_seek_label(struct tl_cur *c, const char *label, size_t limit)
{
	char want[128];
	size_t wl = canon(label, strlen(label), want, sizeof want);
	if (!wl)
		return false;
	if (limit > c->n)
		limit = c->n;
	for (size_t k = c->pos; k < limit; k++) {
		if (k > c->pos && !tl_is_sep(c->s[k - 1]))
			continue;
		/* quick first-letter filter before the full comparison */
		char f = c->s[k];
		if (f >= 'A' && f <= 'Z')
			f = (char)(f - 'A' + 'a');
		if (f != want[0] && !(want[0] == 'c' && (f == 'm')) && !(want[0] == 'p' && f == 's') &&
		    !(want[0] == 'a' && f == 'w'))
			continue;
		size_t ll = label_len(c->s + k, c->n - k);
		if (ll && tl_label_eq(c->s + k, ll, label)) {
			c->pos = k + ll + 1;
			if (c->pos < c->n && c->s[c->pos] == ':')
				c->pos++;
			return true;
		}
	}
	return false;
}

/* "(0xHH..)" at s[i..]: value and end. */
static bool paren_hex(const char *s, size_t n, size_t i, uint64_t *v, size_t *end)
{
	if (i + 4 > n || s[i] != '(' || s[i + 1] != '0' || (s[i + 2] != 'x' && s[i + 2] != 'X'))
		return false;
	size_t k = i + 3;
	uint64_t x = 0;
	size_t d = 0;
	while (k < n && ps_hex_digit(s[k]) >= 0) {
		x = x << 4 | (uint64_t)ps_hex_digit(s[k++]);
		if (++d > 16)
			return false;
	}
	if (!d || k >= n || s[k] != ')')
		return false;
	*v = x;
	*end = k + 1;
	return true;
}

/* Scale of a duration format: units per msec x 1000 (0 = not a duration). */
static uint64_t unit_per_ms1000(uint16_t fmt)
{
	switch (fmt) {
	case PS_FMT_SLOT625: return 1600; /* 1 / 0.625 */
	case PS_FMT_INTV125: return 800;  /* 1 / 1.25 */
	case PS_FMT_TIME10: return 100;   /* 1 / 10 */
	case PS_FMT_TIME10_MS: return 100; /* the same, btmon's "ms" spelling */
	default: return 0;
	}
}

/* Match one of an ENUM's names at the cursor (old logs without the hex), longest first. */
static bool name_at(struct tl_cur *c, const struct ps_name *tab, uint64_t *v)
{
	size_t best = 0;
	for (; tab && tab->s; tab++) {
		size_t l = strlen(tab->s);
		if (l > best && c->n - c->pos >= l && memcmp(c->s + c->pos, tab->s, l) == 0 &&
		    (c->pos + l == c->n || tl_is_sep(c->s[c->pos + l]))) {
			best = l;
			*v = tab->v;
		}
	}
	if (!best)
		return false;
	c->pos += best;
	return true;
}

/* Text: a name then (0x..) on the same line, before any next label. */
static bool scan_paren(struct tl_cur *c, bool one_line, uint64_t *v)
{
	const char *s = c->s;
	size_t n = c->n, i = c->pos, end;
	uint64_t x;
	for (size_t k = i; k < n && k - i < 160 && s[k] != ':'; k++) {
		/* mail may wrap a long name: go on to the next line unless it starts a field */
		if (s[k] == '\n' && (one_line || k + 1 >= n || label_len(s + k + 1, n - k - 1)))
			break;
		if (s[k] == '(' && paren_hex(s, n, k, &x, &end)) {
			c->pos = end;
			*v = x;
			return true;
		}
	}
	return false;
}

int tl_parse_uint(struct tl_cur *c, const struct ps_field *f, uint64_t *v)
{
	while (c->pos < c->n && c->s[c->pos] == ' ')
		c->pos++;
	const char *s = c->s;
	size_t n = c->n, i = c->pos;
	if (i >= n)
		return -PS_ETRUNC;
	uint64_t x;
	size_t end;
	if (f->fmt == PS_FMT_COMPANY)
		return tl_parse_company(c, v);
	if (f->fmt == PS_FMT_INQ_LEN && scan_paren(c, true, v)) /* "10.24s (0x08)": the hex */
		return 0;
	if (f->fmt == PS_FMT_PAGE) { /* "1/2": the digits before the slash */
		if (!tl_is_digit(s[i]))
			return -PS_EBADDATA;
		for (x = 0; i < n && tl_is_digit(s[i]) && x < 256; i++)
			x = x * 10 + (uint64_t)(s[i] - '0');
		c->pos = i;
		*v = x;
		return 0;
	}
	/* a name may start with a digit ("Channel map: 37, 38, 39 (0x07)"): the "(0x..)" wins */
	if ((f->fmt == PS_FMT_ENUM || f->fmt == PS_FMT_ENCRYPT || f->fmt == PS_FMT_UUID) && tl_is_digit(s[i]) &&
	    scan_paren(c, true, v))
		return 0;
	if (i + 2 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') && ps_hex_digit(s[i + 2]) >= 0) {
		size_t k = i + 2, d = 0;
		x = 0;
		while (k < n && ps_hex_digit(s[k]) >= 0) {
			x = x << 4 | (uint64_t)ps_hex_digit(s[k++]);
			if (++d > 16)
				return -PS_ERANGE;
		}
		c->pos = k;
		*v = x;
		return 0;
	}
	if (tl_is_digit(s[i]) || (s[i] == '-' && i + 1 < n && tl_is_digit(s[i + 1]))) {
		bool neg = s[i] == '-';
		size_t k = i + neg;
		uint64_t ip = 0, frac = 0, fd = 0;
		while (k < n && tl_is_digit(s[k])) {
			if (ip > (UINT64_MAX - 9) / 10)
				return -PS_ERANGE;
			ip = ip * 10 + (uint64_t)(s[k++] - '0');
		}
		if (k + 1 < n && s[k] == '.' && tl_is_digit(s[k + 1])) {
			k++;
			while (k < n && tl_is_digit(s[k])) {
				if (fd < 3) {
					frac = frac * 10 + (uint64_t)(s[k] - '0');
					fd++;
				}
				k++;
			}
		}
		while (fd < 3) {
			frac *= 10;
			fd++;
		}
		/* optional unit word, then optional (0x..) */
		size_t u = k;
		while (u < n && s[u] == ' ')
			u++;
		size_t w = u;
		while (w < n && ((s[w] >= 'a' && s[w] <= 'z') || (s[w] >= 'A' && s[w] <= 'Z')) && w - u < 8)
			w++;
		bool unit = w > u && (w == n || tl_is_sep(s[w])) &&
			    (f->fmt == PS_FMT_UNIT || unit_per_ms1000(f->fmt) || f->fmt == PS_FMT_RSSI ||
			     f->fmt == PS_FMT_TIME1280 ||
			     f->fmt == PS_FMT_DBM || memcmp(s + u, "msec", 4) == 0 || memcmp(s + u, "dBm", 3) == 0);
		size_t after = unit ? w : k;
		size_t p = after;
		while (p < n && s[p] == ' ')
			p++;
		if (paren_hex(s, n, p, &x, &end)) {
			c->pos = end;
			*v = x;
			return 0;
		}
		c->pos = after;
		uint64_t per = unit_per_ms1000(f->fmt);
		if (f->fmt == PS_FMT_TIME1280 && !neg) {
			/* "2.56 sec" without its hex: 1.28 s units, the number in thousandths of a second */
			*v = ((ip * 1000 + frac) + 640) / 1280;
			return 0;
		}
		if (per && !neg) {
			uint64_t ms1000 = ip * 1000 + frac;
			*v = (ms1000 * per + 500000) / 1000000;
			return 0;
		}
		*v = neg ? (uint64_t)(-(int64_t)ip) : ip;
		return 0;
	}
	if (scan_paren(c, false, v))
		return 0;
	if ((f->fmt == PS_FMT_ENUM || f->fmt == PS_FMT_ENCRYPT || f->fmt == PS_FMT_NAME || f->fmt == PS_FMT_HEXNAME) &&
	    name_at(c, f->aux, v))
		return 0;
	return -PS_EBADDATA;
}

int tl_parse_hexstr(struct tl_cur *c, uint8_t *out, size_t n)
{
	tl_skip_sep(c);
	size_t k = c->pos, got = 0;
	while (got < n) {
		if (k + 1 >= c->n + 0 || ps_hex_digit(c->s[k]) < 0 || ps_hex_digit(c->s[k + 1]) < 0)
			return -PS_EBADDATA;
		out[got++] = (uint8_t)(ps_hex_digit(c->s[k]) << 4 | ps_hex_digit(c->s[k + 1]));
		k += 2;
	}
	if (k < c->n && ps_hex_digit(c->s[k]) >= 0)
		return -PS_EBADDATA; /* longer than the field: not this field's value */
	c->pos = k;
	return 0;
}

/* After a hexdump row whose ASCII column got only a of its row characters on the row's line: a
 * 72-column re-wrap moves the rest (or all) of the ASCII column onto a line of its own, which is
 * skipped when it fits what is missing and does not read as the next hex row or a field. */
static void skip_ascii_tail(struct tl_cur *c, size_t row, size_t a)
{
	size_t e = c->pos;
	while (e < c->n && c->s[e] == ' ')
		e++;
	if (a >= row || e >= c->n || c->s[e] != '\n')
		return;
	size_t b = e + 1, z = b;
	while (z < c->n && c->s[z] != '\n')
		z++;
	size_t t = z;
	while (t > b && c->s[t - 1] == ' ')
		t--;
	while (b < t && c->s[b] == ' ')
		b++;
	if (t == b || t - b > row - a)
		return;
	if (t - b >= 2 && ps_hex_digit(c->s[b]) >= 0 && ps_hex_digit(c->s[b + 1]) >= 0 &&
	    (t - b == 2 || c->s[b + 2] == ' '))
		return; /* the next row */
	for (size_t k = b; k + 1 < t; k++)
		if (c->s[k] == ':' && c->s[k + 1] == ' ')
			return; /* a field */
	c->pos = z;
}

int tl_parse_hexdump(struct tl_cur *c, uint8_t *out, size_t n)
{
	size_t got = 0;
	while (got < n) {
		size_t row = n - got < 16 ? n - got : 16;
		tl_skip_sep(c);
		for (size_t r = 0; r < row; r++) {
			while (c->pos < c->n && c->s[c->pos] == ' ')
				c->pos++;
			size_t k = c->pos;
			if (k + 1 >= c->n || ps_hex_digit(c->s[k]) < 0 || ps_hex_digit(c->s[k + 1]) < 0 ||
			    (k + 2 < c->n && !tl_is_sep(c->s[k + 2])))
				return -PS_EBADDATA;
			out[got++] = (uint8_t)(ps_hex_digit(c->s[k]) << 4 | ps_hex_digit(c->s[k + 1]));
			c->pos = k + 2;
		}
		/* the ASCII column: up to row characters, never past the line's end */
		while (c->pos < c->n && c->s[c->pos] == ' ')
			c->pos++;
		size_t a = 0;
		for (; a < row && c->pos < c->n && c->s[c->pos] != '\n'; a++)
			c->pos++;
		skip_ascii_tail(c, row, a);
		size_t e = c->pos;
		while (e < c->n && c->s[e] == ' ')
			e++;
		if (e < c->n && c->s[e] == '\n')
			c->pos = e;
	}
	return 0;
}

void tl_assume(struct tl_assumed *a, const char *name)
{
	size_t l = strlen(a->names);
	if (l + strlen(name) + 3 < sizeof a->names)
		snprintf(a->names + l, sizeof a->names - l, "%s%s", l ? ", " : "", name);
	a->count++;
}

size_t tl_count_hexdump(const struct tl_cur *c0)
{
	struct tl_cur c = *c0;
	size_t total = 0;
	for (;;) {
		tl_skip_sep(&c);
		size_t row = 0;
		while (row < 16) {
			size_t k = c.pos;
			if (k + 1 >= c.n || ps_hex_digit(c.s[k]) < 0 || ps_hex_digit(c.s[k + 1]) < 0 ||
			    (k + 2 < c.n && !tl_is_sep(c.s[k + 2])))
				break;
			row++;
			c.pos = k + 2;
			if (c.pos < c.n && c.s[c.pos] == ' ')
				c.pos++;
			if (c.pos < c.n && c.s[c.pos] == ' ')
				break; /* two spaces: the ASCII column follows */
		}
		if (!row)
			return total;
		total += row;
		while (c.pos < c.n && c.s[c.pos] == ' ')
			c.pos++;
		size_t a = 0;
		for (; a < row && c.pos < c.n && c.s[c.pos] != '\n'; a++)
			c.pos++;
		skip_ascii_tail(&c, row, a);
		while (c.pos < c.n && c.s[c.pos] == ' ')
			c.pos++;
		if (row < 16 && !(c.pos < c.n && c.s[c.pos] == '\n' && false))
			return total; /* a short row ends the dump */
	}
}
