/* The generic codec: wire octets <-> layout structs, driven by the .def descriptors (layout.h). */
#include <pairscope/layout.h>
#include "base/bytes.h"
#include <string.h>

unsigned ps_wire_size(enum ps_wire w)
{
	switch (w) {
	case PS_W_U8: return 1;
	case PS_W_U16: return 2;
	case PS_W_U24: return 3;
	case PS_W_U32: return 4;
	case PS_W_U40: return 5;
	case PS_W_U48: return 6;
	case PS_W_U64: return 8;
	case PS_W_S8: return 1;
	case PS_W_ADDR: return 6;
	case PS_W_B3: return 3;
	case PS_W_B8: return 8;
	case PS_W_B16: return 16;
	case PS_W_B32: return 32;
	case PS_W_B64: return 64;
	case PS_W_B12: return 12;
	case PS_W_B31: return 31;
	case PS_W_REST: return 0;
	case PS_W_LIST: return 0;
	}
	return 0;
}

/* Width of the C member that stores an integer wire type. */
static unsigned member_size(enum ps_wire w)
{
	switch (w) {
	case PS_W_U8: case PS_W_S8: return 1;
	case PS_W_U16: return 2;
	case PS_W_U24: case PS_W_U32: return 4;
	case PS_W_U40: case PS_W_U48: case PS_W_U64: return 8;
	case PS_W_ADDR: case PS_W_B3: case PS_W_B8: case PS_W_B16: case PS_W_B32: case PS_W_B64:
	case PS_W_B12: case PS_W_B31:
	case PS_W_REST: case PS_W_LIST: return 0;
	}
	return 0;
}

static bool is_uint(enum ps_wire w) { return member_size(w) != 0; }

uint64_t ps_field_get_uint(const struct ps_field *f, const void *rec)
{
	const uint8_t *m = (const uint8_t *)rec + f->off;
	switch (member_size(f->wire)) {
	case 1: {
		uint8_t v;
		memcpy(&v, m, 1);
		return v;
	}
	case 2: {
		uint16_t v;
		memcpy(&v, m, 2);
		return v;
	}
	case 4: {
		uint32_t v;
		memcpy(&v, m, 4);
		return v;
	}
	case 8: {
		uint64_t v;
		memcpy(&v, m, 8);
		return v;
	}
	default:
		return 0;
	}
}

void ps_field_set_uint(const struct ps_field *f, void *rec, uint64_t v)
{
	uint8_t *m = (uint8_t *)rec + f->off;
	switch (member_size(f->wire)) {
	case 1: {
		uint8_t t = (uint8_t)v;
		memcpy(m, &t, 1);
		break;
	}
	case 2: {
		uint16_t t = (uint16_t)v;
		memcpy(m, &t, 2);
		break;
	}
	case 4: {
		uint32_t t = (uint32_t)v;
		memcpy(m, &t, 4);
		break;
	}
	case 8:
		memcpy(m, &v, 8);
		break;
	default:
		break;
	}
}

unsigned ps_layout_min_len(const struct ps_layout *l)
{
	unsigned n = 0;
	for (unsigned i = 0; i < l->nfields; i++)
		n += ps_wire_size(l->fields[i].wire);
	return n;
}

bool ps_layout_variable(const struct ps_layout *l)
{
	for (unsigned i = 0; i < l->nfields; i++)
		if (l->fields[i].wire == PS_W_REST || l->fields[i].wire == PS_W_LIST)
			return true;
	return false;
}

/* Octets a LIST occupies: fixed elements times the count, or walk self-delimited ones. Lists that run
 * to the end of the packet (count unknown until walked) take what is left. */
static int list_span(const struct ps_list_aux *aux, const struct ps_list *list, size_t *span)
{
	if (aux->len_field < 0) {
		size_t need = (size_t)list->n * ps_layout_min_len(aux->elem);
		if (need > list->len)
			return -PS_ETRUNC;
		*span = need;
		return 0;
	}
	size_t off = 0;
	for (unsigned i = 0; i < list->n; i++) {
		size_t fixed = ps_layout_min_len(aux->elem);
		if (list->len - off < fixed)
			return -PS_ETRUNC;
		/* the length field precedes REST: find its octet offset */
		size_t loff = 0;
		const struct ps_field *lf = &aux->elem->fields[aux->len_field];
		for (int k = 0; k < aux->len_field; k++)
			loff += ps_wire_size(aux->elem->fields[k].wire);
		uint64_t extra = ps_get_le(list->p + off + loff, ps_wire_size(lf->wire));
		if (list->len - off - fixed < extra)
			return -PS_ETRUNC;
		off += fixed + extra;
	}
	*span = off;
	return 0;
}

static int decode(const struct ps_layout *l, struct ps_rd *rd, void *out, bool exact)
{
	memset(out, 0, l->size);
	for (unsigned i = 0; i < l->nfields; i++) {
		const struct ps_field *f = &l->fields[i];
		uint8_t *m = (uint8_t *)out + f->off;
		int rc;
		if (is_uint(f->wire)) {
			uint64_t v;
			if ((rc = ps_rd_le(rd, ps_wire_size(f->wire), &v)) < 0)
				return rc;
			ps_field_set_uint(f, out, v);
		} else if (f->wire == PS_W_REST) {
			struct ps_bytes b;
			size_t left = ps_rd_left(rd);
			/* A REST followed by fixed fields (e.g. data then RSSI) leaves room for them. */
			size_t tail = 0;
			for (unsigned k = i + 1; k < l->nfields; k++)
				tail += ps_wire_size(l->fields[k].wire);
			if (left < tail)
				return -PS_ETRUNC;
			b.len = (uint16_t)(left - tail);
			if ((rc = ps_rd_view(rd, &b.p, b.len)) < 0)
				return rc;
			memcpy(m, &b, sizeof b);
		} else if (f->wire == PS_W_LIST) {
			const struct ps_list_aux *aux = f->aux;
			struct ps_list list;
			list.n = (uint16_t)ps_field_get_uint(&l->fields[aux->count_field], out);
			list.p = ps_rd_ptr(rd);
			list.len = (uint16_t)ps_rd_left(rd);
			size_t span;
			if ((rc = list_span(aux, &list, &span)) < 0)
				return rc;
			list.len = (uint16_t)span;
			ps_rd_skip(rd, span);
			memcpy(m, &list, sizeof list);
		} else {
			if ((rc = ps_rd_bytes(rd, m, ps_wire_size(f->wire))) < 0)
				return rc;
		}
	}
	if (exact && ps_rd_left(rd) != 0)
		return -PS_EBADDATA;
	return 0;
}

int ps_layout_decode(const struct ps_layout *l, const uint8_t *p, size_t len, void *out)
{
	struct ps_rd rd;
	ps_rd_init(&rd, p, len);
	return decode(l, &rd, out, true);
}

int ps_layout_decode_prefix(const struct ps_layout *l, const uint8_t *p, size_t len, void *out, size_t *used)
{
	struct ps_rd rd;
	ps_rd_init(&rd, p, len);
	int rc = decode(l, &rd, out, false);
	if (rc == 0 && used)
		*used = rd.off;
	return rc;
}

int ps_layout_encode(const struct ps_layout *l, const void *in, uint8_t *buf, size_t cap, size_t *len)
{
	struct ps_wr w;
	ps_wr_init(&w, buf, cap);
	for (unsigned i = 0; i < l->nfields; i++) {
		const struct ps_field *f = &l->fields[i];
		const uint8_t *m = (const uint8_t *)in + f->off;
		int rc;
		if (is_uint(f->wire)) {
			rc = ps_wr_le(&w, ps_field_get_uint(f, in), ps_wire_size(f->wire));
		} else if (f->wire == PS_W_REST) {
			struct ps_bytes b;
			memcpy(&b, m, sizeof b);
			rc = ps_wr_bytes(&w, b.p, b.len);
		} else if (f->wire == PS_W_LIST) {
			struct ps_list list;
			memcpy(&list, m, sizeof list);
			rc = ps_wr_bytes(&w, list.p, list.len);
		} else {
			rc = ps_wr_bytes(&w, m, ps_wire_size(f->wire));
		}
		if (rc < 0)
			return rc;
	}
	*len = w.len;
	return 0;
}

int ps_list_next(const struct ps_list_aux *aux, const struct ps_list *list, size_t *off, void *out)
{
	if (*off >= list->len)
		return -PS_EOF;
	size_t used = 0;
	int rc = ps_layout_decode_prefix(aux->elem, list->p + *off, list->len - *off, out, &used);
	if (rc < 0)
		return rc;
	if (aux->len_field >= 0) {
		/* self-delimited: the decoded REST took the rest of the list; trim it to the stated length */
		const struct ps_layout *e = aux->elem;
		uint64_t extra = ps_field_get_uint(&e->fields[aux->len_field], out);
		size_t fixed = ps_layout_min_len(e);
		if (list->len - *off < fixed + extra)
			return -PS_ETRUNC;
		/* re-decode exactly over fixed + extra octets so REST and trailing fields land right */
		rc = ps_layout_decode(e, list->p + *off, fixed + extra, out);
		if (rc < 0)
			return rc;
		used = fixed + extra;
	}
	*off += used;
	return 0;
}

int ps_list_get(const struct ps_list_aux *aux, const struct ps_list *list, unsigned i, void *out)
{
	size_t off = 0;
	int rc = -PS_ETRUNC;
	for (unsigned k = 0; k <= i; k++) {
		rc = ps_list_next(aux, list, &off, out);
		if (rc == -PS_EOF)
			return -PS_ETRUNC;
		if (rc < 0)
			return rc;
	}
	return rc;
}

const char *ps_name_of(const struct ps_name *tab, uint32_t v)
{
	for (; tab && tab->s; tab++)
		if (tab->v == v)
			return tab->s;
	return NULL;
}

int ps_name_value(const struct ps_name *tab, const char *s, uint32_t *v)
{
	for (; tab && tab->s; tab++)
		if (strcmp(tab->s, s) == 0) {
			*v = tab->v;
			return 0;
		}
	return -PS_ENOENT;
}

const struct ps_layout *ps_layout_find(const struct ps_layout *tab, size_t n, uint32_t code)
{
	for (size_t i = 0; i < n; i++)
		if (tab[i].code == code)
			return &tab[i];
	return NULL;
}

const struct ps_layout *ps_layout_find_dense(const struct ps_layout *tab, size_t n, uint32_t first, uint32_t code)
{
	if (code >= first && code - first < n && tab[code - first].code == code)
		return &tab[code - first];
	return ps_layout_find(tab, n, code);
}

int ps_layout_field(const struct ps_layout *l, const char *name)
{
	for (unsigned i = 0; i < l->nfields; i++)
		if (strcmp(l->fields[i].name, name) == 0)
			return (int)i;
	return -PS_ENOENT;
}
