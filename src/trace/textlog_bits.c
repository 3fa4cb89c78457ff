/* btmon text import, layer 3c: the inverses of the printer's multi-line and composite formats
 * (src/print/bitmaps.c, fields.c): Supported Commands lists, feature octets, the bit-name lines that
 * follow BITS/EVMASK/FEATURES/STATES values, P-256 keys, UUIDs, company IDs and the second value btmon
 * prints on its owner's line (PS_FMT_JOIN). Each parser reads what the printer wrote and nothing else,
 * so a flattened mail (no line breaks) reads like a normal log. */
#include "trace/textlog_int.h"
#include "proto/hci.h"
#include "base/bytes.h"
#include <string.h>

/* Word w at the cursor (then a separator, the end, or one of the characters in after). */
static bool take_word(struct tl_cur *c, const char *w, const char *after)
{
	tl_skip_sep(c);
	size_t k = strlen(w);
	if (c->n - c->pos < k || memcmp(c->s + c->pos, w, k) != 0)
		return false;
	size_t e = c->pos + k;
	if (e < c->n && !tl_is_sep(c->s[e]) && !(after && strchr(after, c->s[e])))
		return false;
	c->pos = e;
	return true;
}

/* Unsigned decimal at the cursor. */
static bool take_dec(struct tl_cur *c, uint64_t *v)
{
	tl_skip_sep(c);
	size_t k = c->pos;
	uint64_t x = 0;
	while (k < c->n && tl_is_digit(c->s[k]) && k - c->pos < 12)
		x = x * 10 + (uint64_t)(c->s[k++] - '0');
	if (k == c->pos)
		return false;
	c->pos = k;
	*v = x;
	return true;
}

/* "Commands: 163 entries" then, per set bit, "Name (Octet O - Bit B)" or "Octet O - Bit B ": the
 * count says how many positions to collect; names are not needed (the positions are printed). */
int tl_parse_commands(struct tl_cur *c, uint8_t *out, size_t n)
{
	uint64_t count;
	memset(out, 0, n);
	if (!take_dec(c, &count) || !(take_word(c, "entries", NULL) || take_word(c, "entry", NULL)))
		return -PS_EBADDATA;
	for (uint64_t i = 0; i < count; i++) {
		/* the next "Octet" word; a name (up to ~80 characters) may precede it */
		size_t k = c->pos, lim = c->pos + 200 < c->n ? c->pos + 200 : c->n;
		bool hit = false;
		for (; k + 5 <= lim; k++) {
			if (memcmp(c->s + k, "Octet", 5) != 0 ||
			    (k > 0 && !tl_is_sep(c->s[k - 1]) && c->s[k - 1] != '('))
				continue;
			struct tl_cur t = { c->s, c->n, k + 5 };
			uint64_t oct, bit;
			if (take_dec(&t, &oct) && take_word(&t, "-", NULL) && take_word(&t, "Bit", NULL) &&
			    take_dec(&t, &bit) && oct < n && bit < 8) {
				out[oct] |= (uint8_t)(1u << bit);
				if (t.pos < t.n && t.s[t.pos] == ')')
					t.pos++;
				c->pos = t.pos;
				hit = true;
				break;
			}
		}
		if (!hit)
			return -PS_EBADDATA;
	}
	return 0;
}

/* "0x01 0x02 ... 0x08": n octets. */
int tl_parse_octets0x(struct tl_cur *c, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		tl_skip_sep(c);
		const char *s = c->s + c->pos;
		if (c->n - c->pos < 4 || s[0] != '0' || s[1] != 'x' || ps_hex_digit(s[2]) < 0 ||
		    ps_hex_digit(s[3]) < 0 || (c->n - c->pos > 4 && !tl_is_sep(s[4])))
			return -PS_EBADDATA;
		out[i] = (uint8_t)(ps_hex_digit(s[2]) << 4 | ps_hex_digit(s[3]));
		c->pos += 4;
	}
	return 0;
}

/* Name s at the cursor: separators in s match any run of separators in the text (re-wrapped or
 * flattened), other characters exactly. */
static bool take_name(struct tl_cur *c, const char *s)
{
	struct tl_cur t = *c;
	tl_skip_sep(&t);
	for (size_t i = 0; s[i];) {
		if (tl_is_sep(s[i])) {
			while (tl_is_sep(s[i]))
				i++;
			if (t.pos >= t.n || !tl_is_sep(t.s[t.pos]))
				return false;
			tl_skip_sep(&t);
			continue;
		}
		if (t.pos >= t.n || t.s[t.pos] != s[i])
			return false;
		t.pos++;
		i++;
	}
	if (t.pos < t.n && !tl_is_sep(t.s[t.pos]))
		return false;
	*c = t;
	return true;
}

static bool take_any_name(struct tl_cur *c, const char *s)
{
	const char *old = ps_legacy_name(s);
	return take_name(c, s) || (old && take_name(c, old));
}

/* "Unknown features (0x...)" and the like. */
static void take_unknown(struct tl_cur *c, const char *what)
{
	struct tl_cur t = *c;
	if (!take_name(&t, what))
		return;
	tl_skip_sep(&t);
	if (t.pos < t.n && t.s[t.pos] == '(') {
		while (t.pos < t.n && t.s[t.pos] != ')' && t.s[t.pos] != '\n')
			t.pos++;
		if (t.pos < t.n && t.s[t.pos] == ')') {
			t.pos++;
			*c = t;
		}
	}
}

/* The lines naming the set bits after a BITS/EVMASK/FEATURES/STATES value. Skipping them exactly
 * keeps an unlabelled field that follows (a hexdump) at the cursor; a name that is not there (an older
 * btmon's wording) just stops the skipping, the label search goes on from where it stopped. */
void tl_skip_bit_names(struct tl_cur *c, const struct ps_field *f, uint64_t v)
{
	const struct ps_name *names = f->aux;
	switch (f->fmt) {
	case PS_FMT_BITS:
	case PS_FMT_PKT_TYPE:
		for (const struct ps_name *nm = names; nm && nm->s; nm++)
			if (nm->v && (v & nm->v) == nm->v && !take_any_name(c, nm->s))
				return;
		if (f->fmt == PS_FMT_PKT_TYPE)
			take_unknown(c, "Unknown packet types");
		return;
	case PS_FMT_IAC_LAP: {
		const char *s = ps_name_of(ps_names_iac_lap, (uint32_t)v);
		char paren[40];
		if (s) {
			snprintf(paren, sizeof paren, "(%s)", s);
			take_name(c, paren);
		}
		return;
	}
	case PS_FMT_VOICE:
	case PS_FMT_DEV_CLASS: {
		struct ps_sub_lines t;
		unsigned n = f->fmt == PS_FMT_VOICE ? ps_voice_setting_lines((uint16_t)v, &t)
						    : ps_dev_class_lines((uint32_t)v, &t);
		for (unsigned k = 0; k < n; k++)
			if (!take_name(c, t.line[k]))
				return;
		return;
	}
	case PS_FMT_EVMASK:
	case PS_FMT_FEATURES:
	case PS_FMT_STATES: {
		/* EVMASK prints in table order, the others in bit order */
		for (unsigned bit = 0; bit < 64; bit++) {
			const char *s = NULL;
			if (f->fmt == PS_FMT_EVMASK) {
				if (!names || !names[bit].s)
					break;
				if (!(v >> (names[bit].v & 63) & 1))
					continue;
				s = names[bit].s;
			} else {
				if (!(v >> bit & 1))
					continue;
				for (const struct ps_name *nm = names; nm && nm->s; nm++)
					if (nm->v == bit) {
						s = nm->s;
						break;
					}
				if (!s)
					continue;
			}
			if (!take_any_name(c, s))
				return;
		}
		take_unknown(c, f->fmt == PS_FMT_EVMASK ? "Unknown mask"
				: f->fmt == PS_FMT_FEATURES ? "Unknown features" : "Unknown states");
		return;
	}
	default:
		return;
	}
}

/* "Label:" then "X: <32 octets>" and "Y: <32 octets>" (the label is already taken). */
int tl_parse_pk256(struct tl_cur *c, uint8_t out[64])
{
	if (!tl_take_label(c, "X") || tl_parse_hexstr(c, out, 32) < 0 || !tl_take_label(c, "Y") ||
	    tl_parse_hexstr(c, out + 32, 32) < 0)
		return -PS_EBADDATA;
	return 0;
}

/* The "(...)" closing a name on this line (or the next, when mail wrapped the name): its start and the
 * position after it. */
static bool paren_on_line(const struct tl_cur *c, size_t *open, size_t *close, int lines)
{
	int nl = 0;
	for (size_t k = c->pos; k < c->n && k - c->pos < 200; k++) {
		if (c->s[k] == '\n' && ++nl >= lines)
			return false;
		if (c->s[k] == ':' && k + 1 < c->n && tl_is_sep(c->s[k + 1]))
			return false; /* the next field's label */
		if (c->s[k] != '(')
			continue;
		size_t e = k + 1;
		while (e < c->n && (ps_hex_digit(c->s[e]) >= 0 || c->s[e] == '-' || c->s[e] == 'x'))
			e++;
		if (e < c->n && c->s[e] == ')' && e > k + 1) {
			*open = k;
			*close = e + 1;
			return true;
		}
	}
	return false;
}

/* UUID of n octets (2, 4 or 16): "Name (0x2800)", "Name (0x0000180f)", "Name (0000180f-0000-1000-
 * 8000-00805f9b34fb)"; other lengths were printed as a hex string. Wire order out. */
int tl_parse_uuid(struct tl_cur *c, uint8_t *out, size_t n)
{
	if (n != 2 && n != 4 && n != 16)
		return tl_parse_hexstr(c, out, n);
	tl_skip_sep(c);
	size_t o, e;
	if (!paren_on_line(c, &o, &e, 2))
		return -PS_EBADDATA;
	const char *s = c->s + o + 1;
	size_t len = e - o - 2;
	uint8_t be[16];
	size_t got = 0;
	if (n != 16) {
		if (len != 2 + 2 * n || s[0] != '0' || s[1] != 'x')
			return -PS_EBADDATA;
		s += 2;
		len -= 2;
	} else if (len != 36) {
		return -PS_EBADDATA;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '-')
			continue;
		if (i + 1 >= len || ps_hex_digit(s[i]) < 0 || ps_hex_digit(s[i + 1]) < 0 || got >= n)
			return -PS_EBADDATA;
		be[got++] = (uint8_t)(ps_hex_digit(s[i]) << 4 | ps_hex_digit(s[i + 1]));
		i++;
	}
	if (got != n)
		return -PS_EBADDATA;
	ps_rev_copy(out, be, n);
	c->pos = e;
	return 0;
}

/* "Broadcom Corporation (15)": the decimal in the first "(digits)" on the line. */
int tl_parse_company(struct tl_cur *c, uint64_t *v)
{
	tl_skip_sep(c);
	for (size_t k = c->pos; k < c->n && k - c->pos < 200 && c->s[k] != '\n'; k++) {
		if (c->s[k] != '(' || k + 1 >= c->n || !tl_is_digit(c->s[k + 1]))
			continue;
		struct tl_cur t = { c->s, c->n, k + 1 };
		uint64_t x;
		if (take_dec(&t, &x) && t.pos < t.n && t.s[t.pos] == ')') {
			c->pos = t.pos + 1;
			*v = x;
			return 0;
		}
	}
	return -PS_EBADDATA;
}

/* The joined value on its owner's line, styled by the owner's format (src/print/fields.c
 * print_join): DEC " Label: 8", HEX "-0xffff", otherwise " - Label 4660 (0x1234)". */
int tl_parse_join(struct tl_cur *c, const struct ps_field *owner, const struct ps_field *j, uint64_t *v)
{
	struct tl_cur t = *c;
	/* the joined value's own format is JOIN: read it as the owner's style prints it */
	struct ps_field hex = { "", "", 0, j->wire, PS_FMT_HEX, NULL };
	struct ps_field dechex = { "", "", 0, j->wire, PS_FMT_DECHEX, NULL };
	int rc;
	if (owner->fmt == PS_FMT_PAGE) { /* "1/2": the slash then the maximum page */
		if (t.pos >= t.n || t.s[t.pos] != '/')
			return -PS_ENOENT;
		t.pos++;
		struct ps_field page = { "", "", 0, j->wire, PS_FMT_PAGE, NULL };
		rc = tl_parse_uint(&t, &page, v);
	} else if (owner->fmt == PS_FMT_DEC) {
		if (!tl_take_label(&t, j->label))
			return -PS_ENOENT;
		struct ps_field dec = { "", "", 0, j->wire, PS_FMT_DEC, NULL };
		rc = tl_parse_uint(&t, &dec, v);
	} else {
		tl_skip_sep(&t);
		if (t.pos >= t.n || t.s[t.pos] != '-')
			return -PS_ENOENT;
		t.pos++;
		if (owner->fmt != PS_FMT_HEX && !take_name(&t, j->label))
			return -PS_ENOENT;
		rc = tl_parse_uint(&t, owner->fmt == PS_FMT_HEX ? &hex : &dechex, v);
	}
	if (rc < 0)
		return rc;
	*c = t;
	return 0;
}

/* Little-endian value of width w into out at *got, if it fits in n. */
static bool put_val(uint8_t *out, size_t n, size_t *got, uint64_t v, size_t w)
{
	if (w == 0 || w > 8 || *got + w > n)
		return false;
	for (size_t i = 0; i < w; i++)
		out[(*got)++] = (uint8_t)(v >> (8 * i));
	return true;
}

/* "0x" then hex digits at the cursor: value and width (digits / 2). */
static bool take_0x(struct tl_cur *c, uint64_t *v, size_t *w)
{
	const char *s = c->s + c->pos;
	size_t m = c->n - c->pos, d = 0;
	if (m < 3 || s[0] != '0' || s[1] != 'x')
		return false;
	uint64_t x = 0;
	while (2 + d < m && ps_hex_digit(s[2 + d]) >= 0 && d < 16)
		x = x << 4 | (uint64_t)ps_hex_digit(s[2 + d++]);
	if (!d || d % 2 || (2 + d < m && !tl_is_sep(s[2 + d]) && s[2 + d] != '-' && s[2 + d] != ')'))
		return false;
	c->pos += 2 + d;
	*v = x;
	*w = d / 2;
	return true;
}

/* One labelled line's value (cursor after the label) into out: "0x0003" and "0x0001-0x0007" by their
 * hex width, "Name (0x1800)" likewise, "Name (<128-bit UUID>)" 16 octets, a hex string ("Data: 0102",
 * "Value: 020300002a") as is, a decimal ("Source CID: 66") as 16 bits; "2 entries" and "Entry 0: LE 1M"
 * carry no octets. */
static bool entry_value(struct tl_cur *c, const char *label, size_t ll, uint8_t *out, size_t n, size_t *got)
{
	uint64_t v;
	size_t w;
	tl_skip_sep(c);
	if (ll >= 5 && memcmp(label, "Entry", 5) == 0)
		return true; /* "Entry 0: LE 1M": a heading, its PHY is the bit in the PHYs field */
	struct tl_cur t = *c;
	if (take_dec(&t, &v) && (take_word(&t, "entries", NULL) || take_word(&t, "entry", NULL))) {
		*c = t;
		return true;
	}
	if (take_0x(c, &v, &w)) {
		if (!put_val(out, n, got, v, w))
			return false;
		if (c->pos < c->n && c->s[c->pos] == '-') {
			c->pos++;
			return take_0x(c, &v, &w) && put_val(out, n, got, v, w);
		}
		/* a name after the value: "Access code: 0x9e8b33 (General Inquiry)" */
		size_t k = c->pos;
		while (k < c->n && c->s[k] == ' ')
			k++;
		if (k > c->pos && k < c->n && c->s[k] == '(') {
			size_t e = k;
			while (e < c->n && c->s[e] != ')' && c->s[e] != '\n')
				e++;
			if (e < c->n && c->s[e] == ')')
				c->pos = e + 1;
		}
		return true;
	}
	size_t o, e;
	if (paren_on_line(c, &o, &e, 1)) {
		/* "Active (0x01)", "0 (0x0000)", "Primary Service (0x2800)", "Name (<128-bit UUID>)" */
		if (e - o - 2 == 36) {
			if (*got + 16 > n || tl_parse_uuid(c, out + *got, 16) < 0)
				return false;
			*got += 16;
			return true;
		}
		struct tl_cur p = { c->s, c->n, o + 1 };
		if (!take_0x(&p, &v, &w) || p.pos != e - 1 || !put_val(out, n, got, v, w))
			return false;
		c->pos = e;
		return true;
	}
	size_t k = c->pos, hx = 0;
	bool letters = false;
	while (k < c->n && ps_hex_digit(c->s[k]) >= 0) {
		letters |= !tl_is_digit(c->s[k]);
		k++;
		hx++;
	}
	bool word_end = k == c->n || tl_is_sep(c->s[k]);
	bool raw = (ll == 4 && (!memcmp(label, "Data", 4))) || (ll == 5 && !memcmp(label, "Value", 5)) ||
		   (ll == 9 && !memcmp(label, "Signature", 9));
	if (hx && word_end && (raw || (letters && hx % 2 == 0))) {
		if (hx % 2 || *got + hx / 2 > n || tl_parse_hexstr(c, out + *got, hx / 2) < 0)
			return false;
		*got += hx / 2;
		return true;
	}
	if (hx && word_end && !letters) {
		if (!take_dec(c, &v) || v > 0xffff)
			return false;
		return put_val(out, n, got, v, 2);
	}
	return false;
}

int tl_parse_entries(struct tl_cur *c, uint8_t *out, size_t n)
{
	size_t got = 0, prev_at = 0;
	bool prev_len = false;
	struct tl_cur t = *c;
	/* the cursor may sit right after this field's own label: "2 entries" */
	uint64_t cnt;
	struct tl_cur e = t;
	if (take_dec(&e, &cnt) && (take_word(&e, "entries", NULL) || take_word(&e, "entry", NULL)))
		t = e;
	while (got < n) {
		size_t ll = tl_label_at(&t);
		if (!ll || memchr(t.s + t.pos, '\n', ll))
			return -PS_EBADDATA;
		const char *label = t.s + t.pos;
		t.pos += ll + 1;
		if (t.pos < t.n && t.s[t.pos] == ':')
			t.pos++;
		size_t at = got;
		if (!entry_value(&t, label, ll, out, n, &got))
			return -PS_EBADDATA;
		/* Multiple Handle Value Notification: btmon prints each tuple's Length before its Handle,
		 * the wire has Handle first (Core Vol 3 Part F §3.4.7.4) */
		if (ll == 6 && !memcmp(label, "Handle", 6) && prev_len && at - prev_at == 2 && got - at == 2) {
			uint8_t h0 = out[at], h1 = out[at + 1];
			out[at] = out[prev_at];
			out[at + 1] = out[prev_at + 1];
			out[prev_at] = h0;
			out[prev_at + 1] = h1;
		}
		prev_len = ll == 6 && !memcmp(label, "Length", 6);
		prev_at = at;
		/* the rest of a heading ("Entry 0: LE 1M"): up to the next label */
		if (ll >= 5 && memcmp(label, "Entry", 5) == 0) {
			while (t.pos < t.n) {
				struct tl_cur q = t;
				size_t ql = tl_label_at(&q);
				if (ql && !memchr(q.s + q.pos, '\n', ql))
					break;
				while (t.pos < t.n && tl_is_sep(t.s[t.pos]))
					t.pos++;
				while (t.pos < t.n && !tl_is_sep(t.s[t.pos]))
					t.pos++;
			}
		}
	}
	*c = t;
	return 0;
}
