/* One line per frame (--summary), in the spirit of tshark's default columns: number, time, direction,
 * protocol, name, then the first few fields of the deepest decoded layout as name=value (names from the
 * .def tables). Built without printf: this mode is about speed. */
#include "print/classify.h"
#include "proto/hci.h"

#define MAX_KEYS 4

/* A short, one-word rendering of a field value. */
static void put_value(struct ps_out *o, const struct ps_field *f, const void *rec)
{
	const uint8_t *m = (const uint8_t *)rec + f->off;
	uint64_t v = ps_field_get_uint(f, rec);
	unsigned w = ps_wire_size(f->wire);
	switch (f->wire) {
	case PS_W_ADDR:
		pr_out_bdaddr(o, m, ':');
		return;
	case PS_W_B3: case PS_W_B8: case PS_W_B12: case PS_W_B16: case PS_W_B31: case PS_W_B32: case PS_W_B64:
		if (f->fmt == PS_FMT_LEHEX) {
			ps_out_write(o, "0x", 2);
			for (unsigned i = w; i-- > 0;)
				ps_out_hexstr(o, m + i, 1);
			return;
		}
		ps_out_hexstr(o, m, w);
		return;
	case PS_W_REST:
	case PS_W_LIST:
		return;
	case PS_W_S8:
		ps_out_i64(o, (int8_t)v);
		return;
	case PS_W_U8: case PS_W_U16: case PS_W_U24: case PS_W_U32: case PS_W_U40: case PS_W_U48: case PS_W_U64:
		break;
	}
	switch ((enum ps_fmt)f->fmt) {
	case PS_FMT_ENUM:
	case PS_FMT_ENCRYPT:
	case PS_FMT_HCI_ERROR:
	case PS_FMT_BT_VERSION: {
		const char *s = ps_name_of(pr_field_names(f), (uint32_t)v);
		if (s) {
			ps_out_putc(o, '"');
			ps_out_puts(o, s);
			ps_out_putc(o, '"');
		} else {
			ps_out_hex(o, v, 2 * w);
		}
		return;
	}
	case PS_FMT_HEX:
	case PS_FMT_LL_HOPSCA:
	case PS_FMT_BITS:
	case PS_FMT_EVMASK:
	case PS_FMT_SMP_AUTHREQ:
	case PS_FMT_SMP_KEYDIST:
		ps_out_hex(o, v, 2 * w);
		return;
	default:
		ps_out_u64(o, v);
		return;
	}
}

void pr_summary_keys(struct ps_out *o, const struct ps_layout *l, const void *rec)
{
	unsigned keys = 0;
	for (unsigned i = 0; i < l->nfields && keys < MAX_KEYS; i++) {
		const struct ps_field *fd = &l->fields[i];
		if (fd->wire == PS_W_REST || fd->wire == PS_W_LIST || fd->fmt == PS_FMT_HIDDEN)
			continue;
		ps_out_putc(o, ' ');
		ps_out_puts(o, fd->name);
		ps_out_putc(o, '=');
		put_value(o, fd, rec);
		keys++;
	}
}

void pr_summary(struct ps_printer *p, const struct ps_frame *f)
{
	struct ps_out *o = p->out;
	struct pr_item it;
	pr_classify(p, f, &it);
	if (!pr_item_shown(p, &it))
		return;
	char tb[64];
	size_t tn = pr_time(p, f, tb, sizeof tb);
	ps_out_u64(o, f->number);
	ps_out_putc(o, ' ');
	ps_out_write(o, tb, tn);
	ps_out_putc(o, ' ');
	ps_out_putc(o, it.dir);
	ps_out_putc(o, ' ');
	const struct pr_level *lv = it.has_inner ? &it.inner : &it.outer;
	ps_out_puts(o, lv->proto);
	ps_out_putc(o, ' ');
	if (it.outer.proto[0] == 'A' && it.outer.proto[1] == 'C') {
		ps_out_write(o, "[h", 2);
		ps_out_u64(o, it.handle);
		ps_out_write(o, "] ", 2);
	}
	if (it.has_inner && it.outer.l && it.outer.proto[0] == 'H') {
		ps_out_puts(o, it.outer.l->label);
		ps_out_write(o, ": ", 2);
	}
	if (it.fragment)
		ps_out_puts(o, "fragment");
	else if (it.bad)
		ps_out_puts(o, it.why ? it.why : "malformed");
	else
		ps_out_puts(o, pr_name(p, lv->name));
	uint8_t rec[1024];
	if (!it.fragment && !it.bad && pr_item_decode(&it, &lv, rec, sizeof rec))
		pr_summary_keys(o, lv->l, rec);
	ps_out_putc(o, '\n');
	if (it.bad)
		pr_damage(p, it.why ? it.why : "malformed packet");
}
