/* JSON Lines (--json): one object per frame. Keys are the .def field names (C member names); enum
 * values carry their name beside them ("status": 0, "status_name": "Success"); addresses and octet
 * strings are strings; lists are arrays of objects. */
#include "print/classify.h"
#include "proto/hci.h"
#include <stdio.h>

static void out_put(void *o, const char *p, size_t n) { ps_out_write(o, p, n); }

void pr_json_str(struct ps_out *o, const char *s) { ps_json_quote(s, out_put, o); }

void pr_json_key(struct ps_out *o, bool *first, const char *k)
{
	if (!*first)
		ps_out_putc(o, ',');
	*first = false;
	pr_json_str(o, k);
	ps_out_putc(o, ':');
}

static void jfields(struct ps_out *o, const struct ps_layout *l, const void *rec);

static void jfield(struct ps_out *o, bool *first, const struct ps_field *f, const void *rec)
{
	const uint8_t *m = (const uint8_t *)rec + f->off;
	uint64_t v = ps_field_get_uint(f, rec);
	pr_json_key(o, first, f->name);
	switch (f->wire) {
	case PS_W_ADDR: {
		char b[18];
		ps_addr_str(m, b);
		pr_json_str(o, b);
		return;
	}
	case PS_W_B3: case PS_W_B8: case PS_W_B12: case PS_W_B16: case PS_W_B31: case PS_W_B32: case PS_W_B64:
		ps_out_putc(o, '"');
		if (f->fmt == PS_FMT_LEHEX) /* most significant octet first, as tshark and crackle show keys */
			for (unsigned i = ps_wire_size(f->wire); i-- > 0;)
				ps_out_hexstr(o, m + i, 1);
		else
			ps_out_hexstr(o, m, ps_wire_size(f->wire));
		ps_out_putc(o, '"');
		return;
	case PS_W_REST: {
		struct ps_bytes b;
		memcpy(&b, m, sizeof b);
		ps_out_putc(o, '"');
		ps_out_hexstr(o, b.p, b.len);
		ps_out_putc(o, '"');
		return;
	}
	case PS_W_LIST: {
		const struct ps_list_aux *aux = f->aux;
		struct ps_list list;
		memcpy(&list, m, sizeof list);
		uint8_t elem[512];
		size_t off = 0;
		ps_out_putc(o, '[');
		for (unsigned i = 0; i < list.n && aux->elem->size <= sizeof elem; i++) {
			if (ps_list_next(aux, &list, &off, elem) < 0)
				break;
			if (i)
				ps_out_putc(o, ',');
			jfields(o, aux->elem, elem);
		}
		ps_out_putc(o, ']');
		return;
	}
	case PS_W_S8:
		ps_out_i64(o, (int8_t)v);
		return;
	case PS_W_U8: case PS_W_U16: case PS_W_U24: case PS_W_U32: case PS_W_U40: case PS_W_U48: case PS_W_U64:
		break;
	}
	ps_out_u64(o, v);
	if (f->fmt == PS_FMT_ENUM || f->fmt == PS_FMT_ENCRYPT || f->fmt == PS_FMT_HCI_ERROR ||
	    f->fmt == PS_FMT_BT_VERSION || f->fmt == PS_FMT_NAME) {
		const char *s = ps_name_of(pr_field_names(f), (uint32_t)v);
		char k[64];
		snprintf(k, sizeof k, "%s_name", f->name);
		pr_json_key(o, first, k);
		pr_json_str(o, s ? s : "Reserved");
	}
}

static void jfields(struct ps_out *o, const struct ps_layout *l, const void *rec)
{
	bool first = true;
	ps_out_putc(o, '{');
	for (unsigned i = 0; i < l->nfields; i++)
		jfield(o, &first, &l->fields[i], rec);
	ps_out_putc(o, '}');
}

void pr_json_frame_start(struct ps_out *o, bool *first, const struct ps_frame *f, const char *time)
{
	ps_out_putc(o, '{');
	pr_json_key(o, first, "frame");
	ps_out_u64(o, f->number);
	pr_json_key(o, first, "time");
	pr_json_str(o, time);
	pr_json_key(o, first, "ts_us");
	ps_out_u64(o, f->ts_us);
}

void pr_json_level(struct ps_out *o, bool *first, const char *key, const struct pr_level *lv)
{
	uint8_t rec[1024];
	pr_json_key(o, first, key);
	bool f2 = true;
	ps_out_putc(o, '{');
	pr_json_key(o, &f2, "proto");
	pr_json_str(o, lv->proto);
	pr_json_key(o, &f2, "name");
	pr_json_str(o, lv->name);
	if (lv->l) {
		pr_json_key(o, &f2, "id");
		pr_json_str(o, lv->l->name);
	}
	pr_json_key(o, &f2, "code");
	ps_out_u64(o, lv->code);
	if (lv->l && lv->l->size <= sizeof rec && ps_layout_decode(lv->l, lv->d, lv->len, rec) == 0) {
		pr_json_key(o, &f2, "fields");
		jfields(o, lv->l, rec);
	} else if (lv->len) {
		pr_json_key(o, &f2, "data");
		ps_out_putc(o, '"');
		ps_out_hexstr(o, lv->d, lv->len);
		ps_out_putc(o, '"');
	}
	ps_out_putc(o, '}');
}

void pr_json(struct ps_printer *p, const struct ps_frame *f)
{
	struct ps_out *o = p->out;
	struct pr_item it;
	pr_classify(p, f, &it);
	if (!pr_item_shown(p, &it))
		return;
	bool first = true;
	char tb[64];
	size_t tn = pr_time(p, f, tb, sizeof tb);
	tb[tn] = 0;
	pr_json_frame_start(o, &first, f, tb);
	if (f->index != PS_INDEX_NONE && !(f->flags & PS_FRAME_NO_INDEX)) {
		pr_json_key(o, &first, "index");
		ps_out_u64(o, f->index);
	}
	char dir[2] = { it.dir, 0 };
	pr_json_key(o, &first, "dir");
	pr_json_str(o, dir);
	if (it.outer.proto[0] == 'A' && it.outer.proto[1] == 'C') {
		pr_json_key(o, &first, "handle");
		ps_out_u64(o, it.handle);
		pr_json_key(o, &first, "flags");
		ps_out_u64(o, it.acl_flags);
		if (it.fragment) {
			pr_json_key(o, &first, "fragment");
			ps_out_puts(o, "true");
		}
		if (it.has_inner) {
			pr_json_key(o, &first, "cid");
			ps_out_u64(o, it.cid);
		}
	} else {
		pr_json_level(o, &first, "packet", &it.outer);
	}
	if (it.has_inner)
		pr_json_level(o, &first, it.outer.proto[0] == 'A' ? "l2cap" : "inner", &it.inner);
	if (it.bad) {
		pr_json_key(o, &first, "error");
		pr_json_str(o, it.why ? it.why : "malformed packet");
		pr_damage(p, it.why ? it.why : "malformed packet");
	}
	ps_out_write(o, "}\n", 2);
}
