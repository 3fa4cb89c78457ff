/* BR/EDR value formats (Core 5.4 Vol 4 Part E §7.1-7.7) in btmon 5.66's wording: names, Class of
 * Device, voice setting, packet types, access codes, feature pages, codec lists. print_field
 * (fields.c) prints the label and hands the value over. The text importer reads the same lines back
 * (src/trace/textlog_bits.c, textlog_layout.c). */
#include "print/print_int.h"
#include "proto/hci.h"
#include <stdio.h>
#include <string.h>

static uint64_t named_value(const struct ps_layout *l, const char *name, const void *rec, bool *ok)
{
	int i = name ? ps_layout_field(l, name) : -1;
	*ok = i >= 0;
	return i >= 0 ? ps_field_get_uint(&l->fields[i], rec) : 0;
}

void pr_bredr_value(struct ps_printer *p, const struct ps_layout *l, const struct ps_field *f, const void *rec,
		    uint64_t v, const uint8_t *b, size_t blen, unsigned indent)
{
	struct ps_out *o = p->out;
	unsigned w = ps_wire_size(f->wire);
	switch (f->fmt) {
	case PS_FMT_NAME248: { /* the text up to the first NUL (§7.3.12) */
		const uint8_t *z = blen ? memchr(b, 0, blen) : NULL;
		ps_out_write(o, (const char *)b, z ? (size_t)(z - b) : blen);
		ps_out_putc(o, '\n');
		break;
	}
	case PS_FMT_PASSKEY: /* §7.7.42 */
		ps_out_printf(o, "%06llu\n", (unsigned long long)v);
		break;
	case PS_FMT_VOICE:
	case PS_FMT_DEV_CLASS: {
		struct ps_sub_lines t;
		ps_out_printf(o, "0x%0*llx\n", 2 * (int)w, (unsigned long long)v);
		unsigned n = f->fmt == PS_FMT_VOICE ? ps_voice_setting_lines((uint16_t)v, &t)
						    : ps_dev_class_lines((uint32_t)v, &t);
		for (unsigned k = 0; k < n; k++)
			pr_line(p, indent + 2, t.line[k]);
		break;
	}
	case PS_FMT_IAC_LAP: { /* §7.1.1 */
		const char *s = ps_name_of(ps_names_iac_lap, (uint32_t)v);
		if (s)
			ps_out_printf(o, "0x%06llx (%s)\n", (unsigned long long)v, s);
		else
			ps_out_printf(o, "0x%06llx\n", (unsigned long long)v);
		break;
	}
	case PS_FMT_INQ_LEN: /* §7.1.1: 1.28 s units */
		ps_out_printf(o, "%.2fs (0x%02llx)\n", (double)v * 1.28, (unsigned long long)v);
		break;
	case PS_FMT_PKT_TYPE: { /* §7.1.5: the named bits, then the others */
		uint64_t left = v;
		ps_out_hex(o, v, 2 * w);
		ps_out_putc(o, '\n');
		for (const struct ps_name *n = f->aux; n && n->s; n++) {
			if (n->v && (v & n->v) == n->v)
				pr_line(p, indent + 2, n->s);
			left &= ~(uint64_t)n->v;
		}
		if (left) {
			ps_out_spaces(o, indent + 2);
			ps_out_printf(o, "Unknown packet types (0x%04llx)\n", (unsigned long long)left);
		}
		break;
	}
	case PS_FMT_PAGE: /* the maximum page follows as "/N" (a JOIN field, fields.c print_join) */
		ps_out_printf(o, "%llu\n", (unsigned long long)v);
		break;
	case PS_FMT_EXT_FEATURES: { /* §7.4.4, §7.7.34: names of pages 0-2 only */
		bool ok;
		uint64_t page = named_value(l, f->aux, rec, &ok);
		const struct ps_name *names = ok ? ps_lmp_feature_names((unsigned)page) : NULL;
		if (names)
			pr_features(p, b, blen, names, indent);
		else
			for (size_t k = 0; k < blen; k++)
				ps_out_printf(o, "%s0x%02x%s", k ? " " : "", b[k], k + 1 == blen ? "\n" : "");
		break;
	}
	default:
		break;
	}
}

/* §7.4.8: "  Codec: CVSD (0x02)" per standard codec, "Number of vendor codecs: N", the rest dumped. */
void pr_bredr_codecs(struct ps_printer *p, const struct ps_layout *l, const struct ps_field *f, const void *rec,
		     const uint8_t *b, size_t blen, unsigned indent)
{
	struct ps_out *o = p->out;
	bool ok;
	size_t n = (size_t)named_value(l, f->aux, rec, &ok), k = 0;
	for (; k < n && k < blen; k++) {
		const char *s = ps_name_of(ps_names_codec_id, b[k]);
		ps_out_spaces(o, indent + 2);
		ps_out_printf(o, "Codec: %s (0x%02x)\n", s ? s : "Reserved", b[k]);
	}
	if (k < blen) {
		ps_out_spaces(o, indent);
		ps_out_printf(o, "Number of vendor codecs: %u\n", b[k]);
		k++;
	}
	pr_hexdump(p, b + k, blen - k);
}
