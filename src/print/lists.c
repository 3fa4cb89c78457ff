/* btmon 5.66's decoded lists inside one parameter block: ATT handle/attribute lists (Core 5.4 Vol 3
 * Part F §3.4), L2CAP enhanced-credit CIDs (Vol 3 Part A §4.25-4.27), the per-PHY entries of LE Set
 * Extended Scan Parameters and LE Extended Create Connection (Vol 4 Part E §7.8.64/66), and the attribute
 * value of Find By Type Value Request (Vol 3 Part G §3). The element layouts live in the .def tables;
 * this file only walks them (formats ELEMS, ENTRIES and ATTR_VALUE of layout.h). */
#include "print/print_int.h"
#include <stdio.h>

static uint64_t parent_value(const struct ps_layout *l, const void *rec, const char *name, bool *found)
{
	int i = ps_layout_field(l, name);
	*found = i >= 0;
	return i >= 0 ? ps_field_get_uint(&l->fields[i], rec) : 0;
}

/* Octets of the element at d (left octets available), 0 when no whole element fits. */
static size_t elem_size(const struct ps_layout *l, const void *rec, const struct ps_list_aux *aux,
			const uint8_t *d, size_t left)
{
	size_t min = ps_layout_min_len(aux->elem);
	if (!ps_layout_variable(aux->elem))
		return min <= left ? min : 0;
	if (aux->len_field >= 0) {
		/* the element's own length field (ATT Multiple Handle Value Notification) */
		const struct ps_field *lf = &aux->elem->fields[aux->len_field];
		size_t at = 0;
		for (int k = 0; k < aux->len_field; k++)
			at += ps_wire_size(aux->elem->fields[k].wire);
		unsigned w = ps_wire_size(lf->wire);
		if (at + w > left)
			return 0;
		size_t v = 0;
		for (unsigned k = 0; k < w; k++)
			v |= (size_t)d[at + k] << (8 * k);
		return min + v <= left ? min + v : 0;
	}
	bool found;
	uint64_t v = parent_value(l, rec, "len", &found);
	if (!found) {
		/* Find Information Response: the format says the UUID size */
		uint64_t fmt = parent_value(l, rec, "format", &found);
		v = fmt == 1 ? 4 : fmt == 2 ? 18 : 0;
	}
	return v >= min && v && v <= left ? (size_t)v : 0;
}

/* One element's fields; the length field first when the element has one (btmon's order). */
static void elem_fields(struct ps_printer *p, const struct ps_list_aux *aux, const uint8_t *d, size_t n,
			unsigned indent)
{
	uint8_t rec[256];
	if (aux->elem->size > sizeof rec || ps_layout_decode(aux->elem, d, n, rec) < 0) {
		pr_hexdump(p, d, n);
		return;
	}
	if (aux->len_field <= 0) {
		pr_fields(p, aux->elem, rec, indent);
		return;
	}
	/* a copy of the layout with the length field moved to the front */
	struct ps_field f[16];
	unsigned nf = aux->elem->nfields;
	if (nf > PS_ARRAY_SIZE(f)) {
		pr_fields(p, aux->elem, rec, indent);
		return;
	}
	f[0] = aux->elem->fields[aux->len_field];
	for (unsigned k = 0, j = 1; k < nf; k++)
		if ((int)k != aux->len_field)
			f[j++] = aux->elem->fields[k];
	struct ps_layout l = *aux->elem;
	l.fields = f;
	pr_fields(p, &l, rec, indent);
}

void pr_elems(struct ps_printer *p, const struct ps_layout *l, const struct ps_field *f, const void *rec,
	      const struct ps_bytes *b, unsigned indent)
{
	const struct ps_list_aux *aux = f->aux;
	const uint8_t *d = b->p;
	size_t left = b->len;
	if (f->label[0]) {
		/* btmon's count is the octets over the element size, whole elements only */
		size_t sz = elem_size(l, rec, aux, d, left);
		if (!sz) {
			pr_hexdump(p, d, left);
			return;
		}
		size_t n = left / sz;
		pr_label(p, indent, f->label);
		ps_out_printf(p->out, "%zu entr%s\n", n, n == 1 ? "y" : "ies");
	}
	for (size_t sz; left && (sz = elem_size(l, rec, aux, d, left)) != 0; d += sz, left -= sz)
		elem_fields(p, aux, d, sz, indent);
	pr_hexdump(p, d, left);
}

void pr_phy_entries(struct ps_printer *p, const struct ps_layout *l, const struct ps_field *f, const void *rec,
		    const struct ps_bytes *b, unsigned indent)
{
	const struct ps_list_aux *aux = f->aux;
	const struct ps_field *mf = f > l->fields ? f - 1 : NULL;
	uint64_t mask = mf ? ps_field_get_uint(mf, rec) : 0;
	size_t sz = ps_layout_min_len(aux->elem), off = 0;
	unsigned n = 0;
	char head[64];
	for (const struct ps_name *nm = mf ? mf->aux : NULL; nm && nm->s; nm++) {
		if (!(mask & nm->v))
			continue;
		mask &= ~(uint64_t)nm->v;
		if (off + sz > b->len)
			break;
		snprintf(head, sizeof head, "Entry %u: %s", n++, nm->s);
		pr_line(p, indent, head);
		elem_fields(p, aux, b->p + off, sz, indent + 2);
		off += sz;
	}
	if (mask) {
		snprintf(head, sizeof head, "Unknown scanning PHYs (0x%2.2x)", (unsigned)mask);
		pr_line(p, indent + 2, head);
	}
	pr_hexdump(p, b->p + off, b->len - off);
}

/* Find By Type Value Request: the value by the attribute type just printed (btmon's
 * print_attribute_info). */
void pr_attr_value(struct ps_printer *p, const struct ps_layout *l, const struct ps_field *f, const void *rec,
		   const struct ps_bytes *b, unsigned indent)
{
	bool found;
	uint64_t type = parent_value(l, rec, "type", &found);
	struct ps_out *o = p->out;
	const uint8_t *d = b->p;
	size_t n = b->len;
	switch (found ? type : 0) {
	case 0x2800: /* Primary Service */
	case 0x2801: /* Secondary Service */
		pr_label(p, indent + 2, "UUID");
		pr_uuid(p, d, n);
		return;
	case 0x2802: /* Include */
		if (n < 4)
			break;
		ps_out_spaces(o, indent + 2);
		ps_out_printf(o, "Handle range: 0x%04x-0x%04x\n", d[0] | d[1] << 8, d[2] | d[3] << 8);
		pr_label(p, indent + 2, "UUID");
		pr_uuid(p, d + 4, n - 4);
		return;
	case 0x2803: /* Characteristic */
		if (n < 3)
			break;
		ps_out_spaces(o, indent + 2);
		ps_out_printf(o, "Properties: 0x%02x\n", d[0]);
		ps_out_spaces(o, indent + 2);
		ps_out_printf(o, "Handle: 0x%02x\n", d[1] | d[2] << 8);
		pr_label(p, indent + 2, "UUID");
		pr_uuid(p, d + 3, n - 3);
		return;
	default:
		pr_label(p, indent, f->label);
		ps_out_hexstr(o, d, n);
		ps_out_putc(o, '\n');
		return;
	}
	/* too short for its type: btmon shows the octets one level deeper */
	pr_label(p, indent + 2, f->label);
	ps_out_hexstr(o, d, n);
	ps_out_putc(o, '\n');
}
