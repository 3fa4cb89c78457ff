/* btmon text import, layer 3b: one layout's printed fields back into its struct (the inverse of the
 * table-driven printer). Fields are taken in declaration order: at the cursor when the label is there,
 * else further on (mail prose or lines we do not model may sit in between), else under an unknown
 * label at the cursor (an older btmon's wording), else not printed: then the spec's value (0) is used
 * and the field is named as an assumption, so the frame is marked PS_FRAME_REBUILT. */
#include "trace/textlog_int.h"
#include "proto/hci.h"
#include <stdio.h>
#include <string.h>

bool tl_at_hexdump(struct tl_cur *c)
{
	tl_skip_sep(c);
	const char *s = c->s + c->pos;
	size_t n = c->n - c->pos;
	if (n < 2 || ps_hex_digit(s[0]) < 0 || ps_hex_digit(s[1]) < 0)
		return false;
	if (n == 2 || s[2] == '\n')
		return true; /* a one-octet dump at the end of a line */
	if (s[2] != ' ')
		return false;
	/* "xx yy" or "x  ascii": a second hex pair, or the two-space gap before the ASCII column */
	return (n >= 5 && ps_hex_digit(s[3]) >= 0 && ps_hex_digit(s[4]) >= 0 && (n == 5 || tl_is_sep(s[5]))) ||
	       (n >= 4 && s[3] == ' ');
}

/* "D2:A7:4C:76:F3:E0" then an optional "(Static)" / "(OUI ...)" / "(Raspberry Pi Foundation)". */
static int parse_addr(struct tl_cur *c, uint8_t out[6])
{
	tl_skip_sep(c);
	const char *s = c->s + c->pos;
	size_t n = c->n - c->pos;
	if (n < 17)
		return -PS_EBADDATA;
	for (int i = 0; i < 6; i++) {
		int hi = ps_hex_digit(s[i * 3]), lo = ps_hex_digit(s[i * 3 + 1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[i * 3 + 2] != ':'))
			return -PS_EBADDATA;
		out[5 - i] = (uint8_t)(hi << 4 | lo);
	}
	c->pos += 17;
	size_t k = c->pos;
	while (k < c->n && c->s[k] == ' ')
		k++;
	if (k < c->n && c->s[k] == '(') {
		int depth = 0;
		for (size_t e = k; e < c->n && e - k < 120 && c->s[e] != '\n'; e++) {
			if (c->s[e] == '(')
				depth++;
			else if (c->s[e] == ')' && --depth == 0) {
				c->pos = e + 1;
				break;
			}
		}
	}
	return 0;
}

/* Does l have a field printed under this label? */
static bool layout_has_label(const struct ps_layout *l, const char *p, size_t n)
{
	for (unsigned i = 0; i < l->nfields; i++)
		if (l->fields[i].label[0] && tl_label_eq(p, n, l->fields[i].label))
			return true;
	return false;
}

/* "Label:" at the cursor that this layout does not know: its length, else 0. */
static size_t foreign_label(struct tl_cur *c, const struct ps_layout *l)
{
	tl_skip_sep(c);
	const char *p = c->s + c->pos;
	size_t n = c->n - c->pos;
	for (size_t i = 0; i < n && i < 60; i++) {
		if (p[i] == '\n' || p[i] == '(')
			return 0;
		if (p[i] == ':')
			return (i > 0 && (i + 1 == n || tl_is_sep(p[i + 1])) && !layout_has_label(l, p, i)) ? i : 0;
	}
	return 0;
}

/* Octets of the REST field i: from total and the fixed fields, or from a preceding length field. */
static long rest_len(const struct ps_layout *l, unsigned i, long total, size_t used, const void *rec)
{
	size_t tail = 0;
	for (unsigned k = i + 1; k < l->nfields; k++)
		tail += ps_wire_size(l->fields[k].wire);
	if (total >= 0)
		return total - (long)used - (long)tail >= 0 ? total - (long)used - (long)tail : -1;
	for (unsigned k = i; k-- > 0;) {
		const char *nm = l->fields[k].name;
		size_t nl = strlen(nm);
		if (nl >= 3 && strcmp(nm + nl - 3, "len") == 0 && ps_wire_size(l->fields[k].wire) <= 2)
			return (long)ps_field_get_uint(&l->fields[k], rec);
	}
	return -1;
}

/* Extended inquiry response data (Vol 3 Part C §8): btmon prints the structures, not the zeros that pad
 * them to n octets. The longest run of printed structures that reads back whole is the data. */
static int parse_eir(struct tl_cur *c, uint8_t *out, size_t n, char *err, size_t errcap)
{
	struct tl_cur best = *c;
	size_t m = 0;
	char e2[8];
	for (size_t k = 1; k <= n; k++) {
		struct tl_cur t = *c;
		if (tl_parse_ad(&t, out, k, e2, sizeof e2) == 0) {
			m = k;
			best = t;
		}
	}
	memset(out, 0, n);
	if (m && tl_parse_ad(c, out, m, err, errcap) < 0)
		return -PS_EBADDATA;
	*c = best;
	return 0;
}

/* Read Local Supported Codecs after the standard codec count: "Codec: CVSD (0x02)" lines, "Number of
 * vendor codecs: N", then the vendor codecs' dump (len octets in all when len >= 0). */
static int parse_codecs(struct tl_cur *c, long len, struct tl_arena *ar, struct ps_bytes *b)
{
	uint8_t *dst = ar->p + ar->used;
	size_t cap = ar->cap - ar->used, got = 0;
	struct ps_field id = { "", "", 0, PS_W_U8, PS_FMT_ENUM, ps_names_codec_id };
	uint64_t v;
	while (tl_take_label(c, "Codec")) {
		if (got >= cap || tl_parse_uint(c, &id, &v) < 0 || v > 0xff)
			return -PS_EBADDATA;
		dst[got++] = (uint8_t)v;
	}
	struct ps_field dec = { "", "", 0, PS_W_U8, PS_FMT_DEC, NULL };
	if (tl_take_label(c, "Number of vendor codecs")) {
		if (got >= cap || tl_parse_uint(c, &dec, &v) < 0 || v > 0xff)
			return -PS_EBADDATA;
		dst[got++] = (uint8_t)v;
		size_t rest = len >= 0 ? ((size_t)len > got ? (size_t)len - got : 0) : tl_count_hexdump(c);
		if (rest > cap - got || (rest && tl_parse_hexdump(c, dst + got, rest) < 0))
			return -PS_EBADDATA;
		got += rest;
	}
	b->p = dst;
	b->len = (uint16_t)got;
	ar->used += got;
	return 0;
}

static int parse_rest(struct tl_cur *c, const struct ps_field *f, long len, struct tl_arena *ar,
		      struct ps_bytes *b, char *err, size_t errcap)
{
	if (f->fmt == PS_FMT_CODECS) {
		if (parse_codecs(c, len, ar, b) == 0)
			return 0;
		snprintf(err, errcap, "%s: unreadable codec list", f->label[0] ? f->label : f->name);
		return -PS_EBADDATA;
	}
	if (f->fmt == PS_FMT_NAME248) {
		/* the name's text to the end of the line, NUL-padded to 248 octets (or the length known) */
		size_t n = len > 0 ? (size_t)len : 248, k;
		if (n > ar->cap - ar->used) {
			snprintf(err, errcap, "%s: %zu octets do not fit", f->label, n);
			return -PS_ENOSPC;
		}
		if (c->pos < c->n && c->s[c->pos] == ' ')
			c->pos++;
		for (k = c->pos; k < c->n && c->s[k] != '\n' && c->s[k] != '\r'; k++)
			;
		size_t tl = k - c->pos < n ? k - c->pos : n;
		memcpy(ar->p + ar->used, c->s + c->pos, tl);
		memset(ar->p + ar->used + tl, 0, n - tl);
		c->pos = k;
		b->p = ar->p + ar->used;
		b->len = (uint16_t)n;
		ar->used += n;
		return 0;
	}
	if (len < 0 && f->fmt == PS_FMT_HEXDUMP) {
		/* length unknown: take every dump row */
		len = (long)tl_count_hexdump(c);
	}
	if (len < 0) {
		struct tl_cur t = *c;
		tl_skip_sep(&t);
		size_t k = t.pos;
		while (k < t.n && ps_hex_digit(t.s[k]) >= 0)
			k++;
		len = (long)(k - t.pos) / 2;
	}
	if ((size_t)len > ar->cap - ar->used) {
		snprintf(err, errcap, "%s: %ld octets do not fit", f->label, len);
		return -PS_ENOSPC;
	}
	uint8_t *dst = ar->p + ar->used;
	int rc;
	if (len == 0)
		rc = 0;
	else if (f->fmt == PS_FMT_HEXDUMP)
		rc = tl_parse_hexdump(c, dst, (size_t)len);
	else if (f->fmt == PS_FMT_AD)
		rc = tl_parse_ad(c, dst, (size_t)len, err, errcap);
	else if (f->fmt == PS_FMT_EIR)
		rc = parse_eir(c, dst, (size_t)len, err, errcap);
	else if (f->fmt == PS_FMT_AD_DUMP) {
		/* the octets are the dump; the AD lines after it say the same again: read them into the
		 * space after the dump's copy, only to step over them */
		rc = tl_parse_hexdump(c, dst, (size_t)len);
		struct tl_cur t = *c;
		char e2[8];
		if (rc == 0 && ar->cap - ar->used >= 2 * (size_t)len &&
		    tl_parse_ad(&t, dst + len, (size_t)len, e2, sizeof e2) == 0 && !memcmp(dst, dst + len, (size_t)len))
			*c = t;
	} else if (f->fmt == PS_FMT_UUID)
		rc = tl_parse_uuid(c, dst, (size_t)len);
	else
		rc = tl_parse_hexstr(c, dst, (size_t)len);
	if (rc < 0) {
		if (f->fmt != PS_FMT_AD)
			snprintf(err, errcap, "%s: expected %ld octets of hex", f->label[0] ? f->label : f->name, len);
		return rc;
	}
	ar->used += (size_t)len;
	b->p = dst;
	b->len = (uint16_t)len;
	return 0;
}

static int parse_list(struct tl_cur *c, const struct ps_layout *l, const struct ps_field *f, void *rec,
		      struct tl_arena *ar, struct tl_assumed *as, char *err, size_t errcap)
{
	const struct ps_list_aux *aux = f->aux;
	unsigned n = (unsigned)ps_field_get_uint(&l->fields[aux->count_field], rec);
	struct ps_list list = { (uint16_t)n, ar->p + ar->used, 0 };
	uint8_t elem[512];
	if (aux->elem->size > sizeof elem)
		return -PS_ENOSPC;
	for (unsigned i = 0; i < n; i++) {
		if (tl_at_hexdump(c) && aux->len_field < 0) {
			/* btmon 5.66 prints only the first NOCP pair and dumps the rest */
			size_t left = (size_t)(n - i) * ps_layout_min_len(aux->elem);
			if (left > ar->cap - ar->used)
				return -PS_ENOSPC;
			int rc = tl_parse_hexdump(c, ar->p + ar->used, left);
			if (rc < 0) {
				snprintf(err, errcap, "%s: hexdump of the remaining entries unreadable", f->label);
				return rc;
			}
			ar->used += left;
			list.len = (uint16_t)(list.len + left);
			break;
		}
		memset(elem, 0, aux->elem->size);
		size_t mark = ar->used;
		if (i == 0)
			list.p = ar->p + mark;
		int rc = tl_parse_layout(c, aux->elem, -1, elem, ar, as, err, errcap);
		if (rc < 0)
			return rc;
		size_t used;
		uint8_t tmp[512];
		rc = ps_layout_encode(aux->elem, elem, tmp, sizeof tmp, &used);
		if (rc < 0 || used > ar->cap - mark)
			return rc < 0 ? rc : -PS_ENOSPC;
		/* the element's REST octets sat at mark while parsing; encode copied them, so the element
		 * replaces them and the list stays contiguous */
		memcpy(ar->p + mark, tmp, used);
		ar->used = mark + used;
		list.len = (uint16_t)(list.len + used);
	}
	memcpy((uint8_t *)rec + f->off, &list, sizeof list);
	return 0;
}

/* An address whose type field was not printed (btmon's SMP Identity Address Information): the
 * annotation tells random ("(Static)", "(Resolvable)", ...) from public ("(OUI ..)", a company). The
 * field stays named as assumed. */
static void type_from_annotation(const struct ps_layout *l, const struct ps_field *f, void *rec, uint64_t missing,
				 const char *text, size_t n)
{
	const char *t = f->aux;
	int ti = t && t[0] != '=' ? ps_layout_field(l, t) : -1;
	if (ti < 0 || ti >= 64 || !(missing >> ti & 1))
		return;
	static const char *const rnd[] = { "(Static)", "(Resolvable)", "(Non-Resolvable)", "(Reserved)" };
	for (size_t k = 0; k < PS_ARRAY_SIZE(rnd); k++) {
		size_t rl = strlen(rnd[k]);
		for (size_t i = 0; i + rl <= n; i++)
			if (!memcmp(text + i, rnd[k], rl)) {
				ps_field_set_uint(&l->fields[ti], rec, 1);
				return;
			}
	}
}

/* REST formats btmon (and pairscope: ELEMS, ENTRIES, ATTR_VALUE) print as per-entry lines. */
static bool entries_fmt(const struct ps_field *f)
{
	return f->fmt == PS_FMT_HEXDUMP || f->fmt == PS_FMT_HEXSTR || f->fmt == PS_FMT_DATA ||
	       f->fmt == PS_FMT_ELEMS || f->fmt == PS_FMT_ENTRIES || f->fmt == PS_FMT_ATTR_VALUE ||
	       f->fmt == PS_FMT_NUMBERED;
}

/* A NUMBERED list's count field is not printed ("Connection Handle #0: 96" lines, btmon's BIG events):
 * the lines read say it. */
static void numbered_count(const struct ps_layout *l, const struct ps_field *f, void *rec, size_t len)
{
	int ci = f->fmt == PS_FMT_NUMBERED && f->aux ? ps_layout_field(l, f->aux) : -1;
	if (ci >= 0)
		ps_field_set_uint(&l->fields[ci], rec, len / 2);
}

/* The PS_FMT_JOIN field printed on owner's line (src/print/fields.c join_of), or -1. */
static int join_of(const struct ps_layout *l, const struct ps_field *owner)
{
	for (unsigned i = 0; i < l->nfields; i++)
		if (l->fields[i].fmt == PS_FMT_JOIN && l->fields[i].aux && !strcmp(l->fields[i].aux, owner->name))
			return (int)i;
	return -1;
}

/* An unlabelled hexdump further on, before the next "Label:" (lines the layout does not model, such
 * as bit names of an older btmon, may sit in between): moves there. */
static bool seek_hexdump(struct tl_cur *c)
{
	struct tl_cur t = *c;
	for (size_t k = t.pos; k < t.n && k - c->pos < 600; k++) {
		if (t.s[k] == ':' && (k + 1 == t.n || tl_is_sep(t.s[k + 1])))
			return false;
		if (k > c->pos && !tl_is_sep(t.s[k - 1]))
			continue;
		t.pos = k;
		if (!tl_is_sep(t.s[k]) && tl_at_hexdump(&t)) {
			*c = t;
			return true;
		}
	}
	return false;
}

/* Fixed octet strings by display format. */
static int parse_octets(struct tl_cur *c, const struct ps_layout *l, const struct ps_field *f, void *rec,
			char *err, size_t errcap)
{
	uint8_t *m = (uint8_t *)rec + f->off;
	unsigned wsz = ps_wire_size(f->wire);
	int rc;
	switch (f->fmt) {
	case PS_FMT_HEXDUMP:
		rc = tl_parse_hexdump(c, m, wsz);
		break;
	case PS_FMT_COMMANDS:
		rc = tl_parse_commands(c, m, wsz);
		break;
	case PS_FMT_FEATURES:
		rc = tl_parse_octets0x(c, m, wsz);
		if (rc == 0) {
			uint64_t v = 0;
			for (unsigned k = 0; k < wsz && k < 8; k++)
				v |= (uint64_t)m[k] << (8 * k);
			tl_skip_bit_names(c, f, v);
		}
		break;
	case PS_FMT_EXT_FEATURES: { /* the bit names of the page read before (Vol 2 Part C §3.3) */
		rc = tl_parse_octets0x(c, m, wsz);
		int pi = ps_layout_field(l, f->aux);
		const struct ps_name *names = pi >= 0 ? ps_lmp_feature_names(
			(unsigned)ps_field_get_uint(&l->fields[pi], rec)) : NULL;
		if (rc == 0 && names) {
			struct ps_field page_f = { f->label, f->name, f->off, f->wire, PS_FMT_FEATURES, names };
			uint64_t v = 0;
			for (unsigned k = 0; k < wsz && k < 8; k++)
				v |= (uint64_t)m[k] << (8 * k);
			tl_skip_bit_names(c, &page_f, v);
		}
		break;
	}
	case PS_FMT_PK256:
		rc = wsz == 64 ? tl_parse_pk256(c, m) : -PS_EBADDATA;
		break;
	case PS_FMT_UUID:
		rc = tl_parse_uuid(c, m, wsz);
		break;
	case PS_FMT_AD: {
		/* legacy advertising data: only the significant part (the length field's octets) is printed;
		 * the rest is zero by the spec (Vol 3 Part C §11), and rec is already zeroed */
		size_t n = wsz;
		int li = f->aux ? ps_layout_field(l, f->aux) : -1;
		if (li >= 0 && ps_field_get_uint(&l->fields[li], rec) < n)
			n = (size_t)ps_field_get_uint(&l->fields[li], rec);
		rc = n ? tl_parse_ad(c, m, n, err, errcap) : 0;
		if (rc < 0)
			return rc;
		break;
	}
	default:
		rc = tl_parse_hexstr(c, m, wsz);
		break;
	}
	if (rc < 0)
		snprintf(err, errcap, "%s: expected %u octets as printed", f->label, wsz);
	return rc;
}

int tl_parse_layout(struct tl_cur *c, const struct ps_layout *l, long total, void *rec, struct tl_arena *ar,
		    struct tl_assumed *as, char *err, size_t errcap)
{
	size_t used = 0;
	uint64_t joined = 0;  /* JOIN fields already read on their owner's line */
	uint64_t missing = 0; /* fields not printed (assumed) */
	for (unsigned i = 0; i < l->nfields; i++) {
		const struct ps_field *f = &l->fields[i];
		unsigned wsz = ps_wire_size(f->wire);
		long rlen = f->wire == PS_W_REST ? rest_len(l, i, total, used, rec) : -1;
		if (f->fmt == PS_FMT_JOIN) {
			if (!(i < 64 && joined >> i & 1))
				tl_assume(as, f->label[0] ? f->label : f->name);
			used += wsz;
			continue;
		}
		if (f->fmt == PS_FMT_HIDDEN || (f->wire == PS_W_REST && rlen == 0)) {
			if (f->fmt == PS_FMT_HIDDEN && wsz) {
				tl_assume(as, f->label[0] ? f->label : f->name);
				/* an address type not printed: the address's annotation may still tell it */
				if (i < 64)
					missing |= 1ULL << i;
			}
			used += wsz;
			continue;
		}
		/* a LIST has no line of its own (its elements' fields follow), nor has AD data */
		bool found = !f->label[0] || f->wire == PS_W_LIST || f->fmt == PS_FMT_AD || f->fmt == PS_FMT_AD_DUMP ||
			     f->fmt == PS_FMT_EIR || f->fmt == PS_FMT_CODECS ||
			     tl_take_label(c, f->label);
		if (!found && (f->fmt == PS_FMT_HEXDUMP) && (tl_at_hexdump(c) || seek_hexdump(c)))
			found = true; /* dumps are printed without their label */
		if (!found) {
			struct tl_cur t = *c;
			if (tl_seek_label(&t, f->label, c->n)) {
				*c = t;
				found = true;
			}
		}
		if (!found && f->wire != PS_W_REST) {
			size_t fl = foreign_label(c, l);
			if (fl) {
				c->pos += fl + 1; /* an older or newer name for this field */
				found = true;
			}
		}
		if (!found && f->wire == PS_W_REST && rlen > 0 && entries_fmt(f)) {
			/* btmon decoded the list into lines of its own (ATT handle lists, L2CAP CIDs, scan
			 * PHY entries): their values in order */
			struct tl_cur t = *c;
			if (ar->cap - ar->used >= (size_t)rlen && tl_parse_entries(&t, ar->p + ar->used, (size_t)rlen) == 0) {
				struct ps_bytes b = { ar->p + ar->used, (uint16_t)rlen };
				ar->used += (size_t)rlen;
				memcpy((uint8_t *)rec + f->off, &b, sizeof b);
				numbered_count(l, f, rec, (size_t)rlen);
				used += (size_t)rlen;
				*c = t;
				continue;
			}
		}
		if (!found) {
			if (f->wire == PS_W_LIST || f->wire == PS_W_REST) {
				snprintf(err, errcap, "field \"%s\" missing", f->label);
				return -PS_ETRUNC;
			}
			tl_assume(as, f->label[0] ? f->label : f->name);
			if (i < 64)
				missing |= 1ULL << i;
			used += wsz;
			continue;
		}
		int rc = 0;
		uint8_t *m = (uint8_t *)rec + f->off;
		switch (f->wire) {
		case PS_W_U8: case PS_W_U16: case PS_W_U24: case PS_W_U32: case PS_W_U40: case PS_W_U48:
		case PS_W_U64: case PS_W_S8: {
			uint64_t v;
			if (f->fmt == PS_FMT_HEXDUMP) {
				uint8_t b[8];
				rc = tl_parse_hexdump(c, b, wsz);
				v = 0;
				for (unsigned k = wsz; rc == 0 && k-- > 0;)
					v = v << 8 | b[k];
			} else {
				rc = tl_parse_uint(c, f, &v);
			}
			if (rc < 0) {
				snprintf(err, errcap, "%s: unreadable value", f->label);
				return rc;
			}
			bool neg_ok = f->wire == PS_W_S8 || f->fmt == PS_FMT_DBM || f->fmt == PS_FMT_RSSI;
			if (wsz < 8 && v >> (8 * wsz) && !(neg_ok && (int64_t)v < 0 && (int64_t)v >= -128)) {
				snprintf(err, errcap, "%s: value %llu does not fit %u octet%s", f->label,
					 (unsigned long long)v, wsz, wsz > 1 ? "s" : "");
				return -PS_ERANGE;
			}
			ps_field_set_uint(f, rec, v);
			tl_skip_bit_names(c, f, v);
			int ji = join_of(l, f);
			uint64_t jv;
			if (ji >= 0 && ji < 64 && tl_parse_join(c, f, &l->fields[ji], &jv) == 0) {
				unsigned jw = ps_wire_size(l->fields[ji].wire);
				if (jw < 8 && jv >> (8 * jw)) {
					snprintf(err, errcap, "%s: value %llu does not fit", l->fields[ji].label,
						 (unsigned long long)jv);
					return -PS_ERANGE;
				}
				ps_field_set_uint(&l->fields[ji], rec, jv);
				joined |= 1ULL << ji;
			}
			break;
		}
		case PS_W_ADDR: {
			size_t at = c->pos;
			rc = parse_addr(c, m);
			if (rc < 0)
				snprintf(err, errcap, "%s: not an address", f->label);
			else
				type_from_annotation(l, f, rec, missing, c->s + at, c->pos - at);
			break;
		}
		case PS_W_REST: {
			struct ps_bytes b = { NULL, 0 };
			struct tl_cur save = *c;
			size_t aused = ar->used;
			rc = parse_rest(c, f, rlen, ar, &b, err, errcap);
			if (rc < 0 && rlen > 0 && entries_fmt(f)) {
				/* btmon printed the list as lines ("Attribute data list: 2 entries" then Handle
				 * and Value per entry), or printed this label twice (Signed Write's whole value
				 * as "Data" before the data proper): the lines' values, else the next same label */
				struct tl_cur t = save;
				ar->used = aused;
				if (tl_parse_entries(&t, ar->p + ar->used, (size_t)rlen) == 0) {
					b.p = ar->p + ar->used;
					b.len = (uint16_t)rlen;
					ar->used += (size_t)rlen;
					*c = t;
					rc = 0;
				} else {
					t = save;
					if (tl_seek_label(&t, f->label, t.n) && parse_rest(&t, f, rlen, ar, &b, err, errcap) == 0) {
						*c = t;
						rc = 0;
					}
				}
			}
			if (rc == 0) {
				memcpy(m, &b, sizeof b);
				used += b.len;
			}
			break;
		}
		case PS_W_LIST:
			rc = parse_list(c, l, f, rec, ar, as, err, errcap);
			if (rc == 0) {
				struct ps_list li;
				memcpy(&li, m, sizeof li);
				used += li.len;
			}
			break;
		default: /* fixed octet strings */
			rc = parse_octets(c, l, f, rec, err, errcap);
			break;
		}
		if (rc < 0)
			return rc;
		used += wsz;
	}
	return 0;
}
