/* btmon text import, layer 2: record header lines (BlueZ monitor/packet.c print_packet layout):
 *   <ident> <label>: <text> <extra>   [#frame] [[hciN]] [timestamp]
 * e.g. "< HCI Command: LE Create Connect.. (0x08|0x000d) plen 25  #11 [hci0] 302.516667".
 * Mail may have wrapped any space of it onto the next clean line, so tokens are read across line
 * breaks; btmon's own cut of long names ("Connect..") is harmless because the codes in parentheses,
 * never cut, identify the packet. Timestamps: offsets ("298.154979"), -t ("12:04:58.154979"), -T
 * ("2019-07-11 12:04:58.154979") or none (-N). */
#include "trace/textlog_int.h"
#include <stdio.h>
#include <string.h>

struct label {
	const char *s;
	enum tl_kind kind;
	char dir;       /* implied direction, 0 when the marker decides */
	bool need_handle; /* short labels ("ACL:") count only before " Handle" */
};
static const struct label data_labels[] = {
	{ "HCI Command", TL_CMD, '<', false },  { "HCI Event", TL_EVT, '>', false },
	{ "ACL Data TX", TL_ACL, '<', false },  { "ACL Data RX", TL_ACL, '>', false },
	{ "SCO Data TX", TL_SCO, '<', false },  { "SCO Data RX", TL_SCO, '>', false },
	{ "ISO Data TX", TL_ISO, '<', false },  { "ISO Data RX", TL_ISO, '>', false },
	/* BlueZ 5.86 names data records by link type; the marker gives the direction */
	{ "LE-ACL", TL_ACL, 0, true },          { "BR-ACL", TL_ACL, 0, true },
	{ "ACL", TL_ACL, 0, true },             { "LE-CIS", TL_ISO, 0, true },
	{ "LE-BIS", TL_ISO, 0, true },          { "ISO", TL_ISO, 0, true },
	{ "BR-SCO", TL_SCO, 0, true },          { "BR-ESCO", TL_SCO, 0, true },
	{ "SCO", TL_SCO, 0, true },
};

/* System records ('=' lines) with their monitor opcodes. */
static const struct {
	const char *s;
	uint16_t op;
} index_labels[] = {
	{ "New Index", PS_MON_NEW_INDEX },   { "Delete Index", PS_MON_DEL_INDEX },
	{ "Open Index", PS_MON_OPEN_INDEX }, { "Close Index", PS_MON_CLOSE_INDEX },
	{ "Index Info", PS_MON_INDEX_INFO },
};

enum tl_kind tl_data_label(const char *p, size_t n, char *dir, size_t *len)
{
	for (size_t i = 0; i < PS_ARRAY_SIZE(data_labels); i++) {
		const struct label *l = &data_labels[i];
		size_t ln = strlen(l->s);
		if (n <= ln || memcmp(p, l->s, ln) != 0 || p[ln] != ':')
			continue;
		if (l->need_handle && (n < ln + 8 || memcmp(p + ln + 1, " Handle", 7) != 0))
			continue;
		*dir = l->dir;
		*len = ln + 1;
		return l->kind;
	}
	return TL_NONE;
}

/* "= ident:" user logging: a short word (bluetoothd, kernel, ...). */
static bool ident_label(const char *p, size_t n, size_t *len)
{
	size_t i = 0;
	while (i < n && i < 40 &&
	       ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') || tl_is_digit(p[i]) || p[i] == '_' ||
		p[i] == '-' || p[i] == '.' || p[i] == '/' || p[i] == '[' || p[i] == ']'))
		i++;
	if (i == 0 || i >= n || p[i] != ':')
		return false;
	*len = i + 1;
	return true;
}

static bool starts(const char *p, size_t n, const char *s)
{
	size_t k = strlen(s);
	return n >= k && memcmp(p, s, k) == 0;
}

bool tl_is_header(const char *p, size_t n)
{
	if (n < 3 || p[1] != ' ')
		return false;
	const char *q = p + 2;
	size_t m = n - 2;
	char dir;
	size_t ll;
	switch (p[0]) {
	case '<':
	case '>':
		return tl_data_label(q, m, &dir, &ll) != TL_NONE;
	case '=':
		for (size_t i = 0; i < PS_ARRAY_SIZE(index_labels); i++)
			if (starts(q, m, index_labels[i].s) && m > strlen(index_labels[i].s) &&
			    q[strlen(index_labels[i].s)] == ':')
				return true;
		return starts(q, m, "Note:") || starts(q, m, "Vendor Diagnostic (len") || ident_label(q, m, &ll);
	case '@':
		return starts(q, m, "MGMT ") || starts(q, m, "RAW ") || starts(q, m, "Control ");
	case '*':
		return starts(q, m, "Malformed ") || starts(q, m, "Unknown packet");
	default:
		return false;
	}
}

/* ---- small token readers over s[0..n) ---- */
static void skip_sep(const char *s, size_t n, size_t *i)
{
	while (*i < n && tl_is_sep(s[*i]))
		(*i)++;
}

static bool read_dec(const char *s, size_t n, size_t *i, uint64_t *v)
{
	size_t k = *i;
	uint64_t x = 0;
	while (k < n && tl_is_digit(s[k]) && k - *i < 19)
		x = x * 10 + (uint64_t)(s[k++] - '0');
	if (k == *i)
		return false;
	*v = x;
	*i = k;
	return true;
}

static bool read_hex0x(const char *s, size_t n, size_t *i, uint64_t *v)
{
	size_t k = *i;
	if (k + 2 >= n || s[k] != '0' || (s[k + 1] != 'x' && s[k + 1] != 'X') || ps_hex_digit(s[k + 2]) < 0)
		return false;
	k += 2;
	uint64_t x = 0;
	size_t d = 0;
	while (k < n && ps_hex_digit(s[k]) >= 0 && d < 16) {
		x = x << 4 | (uint64_t)ps_hex_digit(s[k++]);
		d++;
	}
	*v = x;
	*i = k;
	return true;
}

static bool lit(const char *s, size_t n, size_t *i, const char *w)
{
	size_t k = strlen(w);
	if (n - *i < k || memcmp(s + *i, w, k) != 0)
		return false;
	*i += k;
	return true;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* "S.uuuuuu", "HH:MM:SS.uuuuuu" or "YYYY-MM-DD HH:MM:SS.uuuuuu" followed by a separator or the end. */
static bool read_ts(const char *s, size_t n, size_t *i, struct tl_hdr *h)
{
	size_t k = *i;
	uint64_t a, b, c, us;
	if (!read_dec(s, n, &k, &a))
		return false;
	if (k < n && s[k] == '-') { /* date */
		uint64_t mo, d;
		size_t k0 = k + 1;
		if (!read_dec(s, n, &k0, &mo) || k0 >= n || s[k0] != '-')
			return false;
		k0++;
		if (!read_dec(s, n, &k0, &d) || k0 >= n || !tl_is_sep(s[k0]) || mo < 1 || mo > 12 || d < 1 || d > 31)
			return false;
		skip_sep(s, n, &k0); /* mail may wrap between date and time */
		struct tl_hdr t = *h;
		size_t k1 = k0;
		if (!read_ts(s, n, &k1, &t) || t.ts_kind != 2)
			return false;
		h->ts_us = (uint64_t)(days_from_civil((int64_t)a, (unsigned)mo, (unsigned)d) * 86400) * 1000000u +
			   t.ts_us;
		h->ts_kind = 3;
		h->has_ts = true;
		*i = k1;
		return true;
	}
	if (k < n && s[k] == ':') { /* time of day */
		k++;
		if (!read_dec(s, n, &k, &b) || k >= n || s[k] != ':')
			return false;
		k++;
		if (!read_dec(s, n, &k, &c) || k >= n || s[k] != '.')
			return false;
		size_t u0 = ++k;
		if (!read_dec(s, n, &k, &us) || k - u0 != 6 || (k < n && !tl_is_sep(s[k])))
			return false;
		h->ts_us = ((a * 60 + b) * 60 + c) * 1000000u + us;
		h->ts_kind = 2;
		h->has_ts = true;
		*i = k;
		return true;
	}
	if (k >= n || s[k] != '.')
		return false;
	size_t u0 = ++k;
	if (!read_dec(s, n, &k, &us) || k - u0 != 6 || (k < n && !tl_is_sep(s[k])))
		return false;
	h->ts_us = a * 1000000u + us;
	h->ts_kind = 1;
	h->has_ts = true;
	*i = k;
	return true;
}

/* The right block "#N [hciN] time", any part absent, possibly on the following line(s). */
static void read_trailer(const char *s, size_t n, size_t *i, struct tl_hdr *h)
{
	size_t k = *i;
	for (;;) {
		size_t t = k;
		skip_sep(s, n, &t);
		uint64_t v;
		if (t < n && s[t] == '#') {
			size_t q = t + 1;
			if (read_dec(s, n, &q, &v) && (q == n || tl_is_sep(s[q]))) {
				k = q;
				continue;
			}
		}
		if (t < n && (s[t] == '[' || s[t] == '{')) {
			size_t q = t + 1;
			if (lit(s, n, &q, "hci") && read_dec(s, n, &q, &v) && q < n && (s[q] == ']' || s[q] == '}')) {
				h->index = (int)(v & 0xffff);
				k = q + 1;
				continue;
			}
		}
		if (!h->has_ts && t < n && tl_is_digit(s[t]) && read_ts(s, n, &t, h)) {
			k = t;
			continue;
		}
		break;
	}
	*i = k;
}

/* Within the next ~300 characters, find "(0x..|0x....)" (cmd) or "(0x..)" then " plen N". The name is
 * the text before it, line breaks made spaces. */
static bool read_named_code(const char *s, size_t n, size_t *i, bool cmd, struct tl_hdr *h, uint64_t *code,
			    uint64_t *ogf)
{
	size_t lim = *i + 300 < n ? *i + 300 : n;
	for (size_t k = *i; k + 4 < lim; k++) {
		if (s[k] != '(' || s[k + 1] != '0' || s[k + 2] != 'x')
			continue;
		size_t q = k + 1;
		uint64_t a, b = 0;
		if (!read_hex0x(s, n, &q, &a))
			continue;
		if (cmd) {
			if (q >= n || s[q] != '|')
				continue;
			q++;
			if (!read_hex0x(s, n, &q, &b))
				continue;
		}
		if (q >= n || s[q] != ')')
			continue;
		q++;
		size_t p = q;
		skip_sep(s, n, &p);
		uint64_t len;
		if (!lit(s, n, &p, "plen"))
			continue;
		skip_sep(s, n, &p);
		if (!read_dec(s, n, &p, &len))
			continue;
		size_t a0 = *i, e = k;
		while (a0 < e && tl_is_sep(s[a0]))
			a0++;
		while (e > a0 && tl_is_sep(s[e - 1]))
			e--;
		size_t m = e - a0 < sizeof h->name - 1 ? e - a0 : sizeof h->name - 1;
		for (size_t z = 0; z < m; z++)
			h->name[z] = s[a0 + z] == '\n' ? ' ' : s[a0 + z];
		h->name[m] = 0;
		if (cmd) {
			*ogf = a;
			*code = b;
		} else {
			*code = a;
		}
		h->plen = (uint32_t)len;
		h->has_len = true;
		*i = p;
		return true;
	}
	return false;
}

/* "Handle H flags 0xF dlen N" */
static bool read_data_hdr(const char *s, size_t n, size_t *i, struct tl_hdr *h)
{
	size_t k = *i;
	uint64_t hd, fl, len;
	skip_sep(s, n, &k);
	/* With -T the line is so full that btmon cuts "Handle 64" to "Hand..": the handle is then
	 * unknown (h->handle_cut) and the caller assumes one. */
	hd = 0;
	size_t k1 = k;
	if (lit(s, n, &k1, "Handle") && (skip_sep(s, n, &k1), read_dec(s, n, &k1, &hd)) &&
	    !(k1 < n && s[k1] == '.')) {
		k = k1;
	} else {
		size_t e = k;
		while (e < n && e - k < 12 && s[e] != '\n' && !(s[e] == '.' && e + 1 < n && s[e + 1] == '.'))
			e++;
		if (e >= n || s[e] != '.' || memcmp(s + k, "Hand", e - k < 4 ? e - k : 4) != 0)
			return false;
		k = e + 2;
		h->handle_cut = true;
	}
	skip_sep(s, n, &k);
	if (lit(s, n, &k, "flags")) {
		skip_sep(s, n, &k);
		if (!read_hex0x(s, n, &k, &fl))
			return false;
		skip_sep(s, n, &k);
	} else {
		fl = 0;
	}
	if (!lit(s, n, &k, "dlen"))
		return false;
	skip_sep(s, n, &k);
	if (!read_dec(s, n, &k, &len))
		return false;
	h->handle = (uint16_t)(hd & 0x0fff);
	h->flags = (uint8_t)(fl & 0x0f);
	h->plen = (uint32_t)len;
	h->has_len = true;
	*i = k;
	return true;
}

/* Text of a one-line system record up to its trailer. */
static void read_text(const char *s, size_t n, size_t *i, struct tl_hdr *h, char *out, size_t cap)
{
	size_t e = *i;
	while (e < n && s[e] != '\n')
		e++;
	/* the trailer is the last tokens of the line, or alone on the next line */
	size_t cut = e;
	for (size_t k = *i; k < e; k++) {
		if (k > *i && s[k - 1] != ' ')
			continue;
		struct tl_hdr t = *h;
		size_t q = k;
		read_trailer(s, e, &q, &t);
		if (q == e && q > k && (t.has_ts || t.index >= 0)) {
			cut = k;
			*h = t;
			break;
		}
	}
	size_t a = *i;
	while (a < cut && s[a] == ' ')
		a++;
	while (cut > a && s[cut - 1] == ' ')
		cut--;
	size_t m = cut - a < cap - 1 ? cut - a : cap - 1;
	memcpy(out, s + a, m);
	out[m] = 0;
	*i = e;
	if (!h->has_ts && h->index < 0)
		read_trailer(s, n, i, h);
}

int tl_parse_header(const char *s, size_t n, struct tl_hdr *h, size_t *body, char *err, size_t errcap)
{
	memset(h, 0, sizeof *h);
	h->index = -1;
	if (n < 3 || s[1] != ' ') {
		snprintf(err, errcap, "not a record header");
		return -PS_EBADDATA;
	}
	h->dir = s[0];
	size_t i = 2, ll;
	char dir;
	uint64_t code = 0, ogf = 0;
	const char *q = s + 2;
	size_t m = n - 2;
	enum tl_kind k = TL_NONE;
	if (s[0] == '<' || s[0] == '>')
		k = tl_data_label(q, m, &dir, &ll);
	if (k != TL_NONE) {
		h->kind = k;
		i += ll;
		if (k == TL_CMD || k == TL_EVT) {
			if (!read_named_code(s, n, &i, k == TL_CMD, h, &code, &ogf)) {
				snprintf(err, errcap, "%s header without its code and plen",
					 k == TL_CMD ? "HCI Command" : "HCI Event");
				return -PS_EBADDATA;
			}
			if (k == TL_CMD) {
				if (ogf > 0x3f || code > 0x3ff) {
					snprintf(err, errcap, "opcode (0x%02llx|0x%04llx) out of range",
						 (unsigned long long)ogf, (unsigned long long)code);
					return -PS_ERANGE;
				}
				h->opcode = (uint16_t)(ogf << 10 | code);
			} else {
				if (code > 0xff) {
					snprintf(err, errcap, "event code 0x%llx out of range", (unsigned long long)code);
					return -PS_ERANGE;
				}
				h->evt = (uint8_t)code;
			}
		} else if (!read_data_hdr(s, n, &i, h)) {
			snprintf(err, errcap, "data header without Handle/flags/dlen");
			return -PS_EBADDATA;
		}
		/* Vol 4 Part E §5.4: parameter lengths are one octet; ACL data length two octets. */
		uint32_t max = k == TL_ACL ? 65535 : k == TL_ISO ? 16383 : 255;
		if (h->plen > max) {
			snprintf(err, errcap, "%s %u impossible (at most %u)", k == TL_CMD || k == TL_EVT ? "plen" : "dlen",
				 h->plen, max);
			return -PS_ERANGE;
		}
		read_trailer(s, n, &i, h);
		*body = i;
		return 0;
	}
	switch (s[0]) {
	case '=':
		for (size_t z = 0; z < PS_ARRAY_SIZE(index_labels); z++) {
			size_t ln = strlen(index_labels[z].s);
			if (starts(q, m, index_labels[z].s) && m > ln && q[ln] == ':') {
				h->kind = TL_INDEX;
				h->idx_op = index_labels[z].op;
				i += ln + 1;
				read_text(s, n, &i, h, h->rest, sizeof h->rest);
				*body = i;
				return 0;
			}
		}
		if (starts(q, m, "Vendor Diagnostic (len")) {
			uint64_t len;
			i += strlen("Vendor Diagnostic (len");
			skip_sep(s, n, &i);
			if (read_dec(s, n, &i, &len) && len <= 65535) {
				h->plen = (uint32_t)len;
				h->has_len = true;
			}
			h->kind = TL_VDIAG;
			read_text(s, n, &i, h, h->rest, sizeof h->rest);
			*body = i;
			return 0;
		}
		if (starts(q, m, "Note:")) {
			h->kind = TL_NOTE;
			i += 5;
		} else if (ident_label(q, m, &ll)) {
			h->kind = TL_USERLOG;
			size_t c = ll - 1 < sizeof h->name - 1 ? ll - 1 : sizeof h->name - 1;
			memcpy(h->name, q, c);
			h->name[c] = 0;
			i += ll;
		} else {
			break;
		}
		read_text(s, n, &i, h, h->rest, sizeof h->rest);
		*body = i;
		return 0;
	case '@':
		h->kind = TL_MGMT;
		read_text(s, n, &i, h, h->rest, sizeof h->rest);
		*body = i;
		return 0;
	case '*': {
		h->kind = TL_BAD;
		read_text(s, n, &i, h, h->rest, sizeof h->rest);
		const char *lp = strstr(h->rest, "len ");
		if (lp) {
			size_t z = (size_t)(lp - h->rest) + 4;
			uint64_t len;
			if (read_dec(h->rest, strlen(h->rest), &z, &len) && len <= 65535) {
				h->plen = (uint32_t)len;
				h->has_len = true;
			}
		}
		*body = i;
		return 0;
	}
	default:
		break;
	}
	snprintf(err, errcap, "unknown record header");
	return -PS_EBADDATA;
}
