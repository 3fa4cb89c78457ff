/* Field printing driven by the layout descriptors (include/pairscope/layout.h formats), in btmon 5.66's
 * wording: one place turns a descriptor + decoded struct into "Label: value" text. */
#include "print/print_int.h"
#include "proto/hci.h"
#include <stdio.h>

static const struct ps_field *field_named(const struct ps_layout *l, const char *name)
{
	int i = ps_layout_field(l, name);
	return i < 0 ? NULL : &l->fields[i];
}

/* "D2:A7:4C:76:F3:E0": most significant octet first, upper case, sep between octets. */
void pr_out_bdaddr(struct ps_out *o, const uint8_t a[6], char sep)
{
	char *d = ps_out_reserve(o, PS_ADDR_STRLEN); /* ps_addr_str ends with a NUL, not kept */
	if (!d)
		return;
	ps_addr_str(a, d);
	for (int i = 2; i < PS_ADDR_STRLEN - 1; i += 3)
		d[i] = sep;
	o->len += PS_ADDR_STRLEN - 1;
}

const struct ps_name *pr_field_names(const struct ps_field *f)
{
	if (f->fmt == PS_FMT_HCI_ERROR)
		return ps_names_hci_error;
	if (f->fmt == PS_FMT_BT_VERSION)
		return ps_names_bt_version;
	return f->aux;
}

void pr_addr(struct ps_printer *p, unsigned indent, const char *label, const uint8_t a[6], uint8_t type)
{
	static const char *const kind[4] = { " (Non-Resolvable)\n", " (Resolvable)\n", " (Reserved)\n", " (Static)\n" };
	struct ps_out *o = p->out;
	pr_label(p, indent, label);
	switch (type) {
	case 0x00:
	case 0x02: {
		const char *c = ps_name_of(ps_names_oui, (uint32_t)a[5] << 16 | (uint32_t)a[4] << 8 | a[3]);
		pr_out_bdaddr(o, a, ':');
		if (c)
			ps_out_printf(o, " (%s)\n", c);
		else
			ps_out_printf(o, " (OUI %02X-%02X-%02X)\n", a[5], a[4], a[3]);
		break;
	}
	case 0x01:
	case 0x03:
		pr_out_bdaddr(o, a, ':');
		ps_out_puts(o, kind[a[5] >> 6]);
		break;
	default:
		/* btmon prints other types with dashes and no suffix */
		pr_out_bdaddr(o, a, '-');
		ps_out_putc(o, '\n');
		break;
	}
}

static void put_enum(struct ps_printer *p, const struct ps_field *f, uint64_t v)
{
	const char *s = ps_name_of(f->aux, (uint32_t)v);
	ps_out_puts(p->out, s ? pr_name(p, s) : "Reserved");
	ps_out_write(p->out, " (", 2);
	ps_out_hex(p->out, v, 2 * ps_wire_size(f->wire));
	ps_out_write(p->out, ")\n", 2);
}

static void put_bits(struct ps_printer *p, const struct ps_field *f, uint64_t v, unsigned indent)
{
	ps_out_hex(p->out, v, 2 * ps_wire_size(f->wire));
	ps_out_putc(p->out, '\n');
	for (const struct ps_name *n = f->aux; n && n->s; n++)
		if (n->v && (v & n->v) == n->v)
			pr_line(p, indent + 2, pr_name(p, n->s));
}

/* LE Set Extended Advertising Parameters properties: BITS, the legacy bit followed by the PDU it
 * selects (Core 5.4 Vol 4 Part E §7.8.53 Table 7.2), as btmon prints it. */
static void put_adv_props(struct ps_printer *p, const struct ps_field *f, uint64_t v, unsigned indent)
{
	ps_out_hex(p->out, v, 2 * ps_wire_size(f->wire));
	ps_out_putc(p->out, '\n');
	for (const struct ps_name *n = f->aux; n && n->s; n++) {
		if (!n->v || (v & n->v) != n->v)
			continue;
		if (n->v != 0x10) {
			pr_line(p, indent + 2, pr_name(p, n->s));
			continue;
		}
		const char *s = ps_name_of(ps_names_legacy_adv_pdu, (uint32_t)v);
		ps_out_spaces(p->out, indent + 2);
		ps_out_printf(p->out, "%s: %s\n", n->s, s ? s : "Reserved");
	}
}

/* LE Extended Advertising Report event type (Core 5.4 Vol 4 Part E §7.7.65.13): properties (bits 0-4),
 * data status (bits 5-6), and the legacy PDU it stands for, in btmon's three-level layout. */
static void put_ext_adv_evt(struct ps_printer *p, const struct ps_field *f, uint64_t v, unsigned indent)
{
	struct ps_out *o = p->out;
	unsigned ds = (unsigned)(v >> 5) & 3;
	const char *s = ps_name_of(ps_names_pa_data_status, ds);
	ps_out_printf(o, "0x%04x\n", (unsigned)v);
	ps_out_spaces(o, indent + 2);
	ps_out_printf(o, "Props: 0x%04x\n", (unsigned)v & 0x1f);
	for (const struct ps_name *n = f->aux; n && n->s; n++)
		if (n->v && (v & n->v) == n->v)
			pr_line(p, indent + 4, n->s);
	ps_out_spaces(o, indent + 2);
	ps_out_printf(o, "Data status: %s\n", s ? s : "Reserved");
	if (v & ~0x7fULL) {
		ps_out_spaces(o, indent + 2);
		ps_out_printf(o, "Reserved (0x%04x)\n", (unsigned)(v & ~0x7fULL));
	}
	if (v & 0x10) {
		s = ps_name_of(ps_names_legacy_report_pdu, (uint32_t)v);
		ps_out_spaces(o, indent);
		ps_out_printf(o, "Legacy PDU Type: %s (0x%04x)\n", s ? s : "Reserved", (unsigned)v);
	}
}

/* Event mask style: aux names bit numbers. */
/* width: hex digits, from the wire size (16 for event masks, 4 for link policy settings) */
static void put_evmask(struct ps_printer *p, uint64_t v, const struct ps_name *names, unsigned indent,
		       unsigned width)
{
	ps_out_hex(p->out, v, width);
	ps_out_putc(p->out, '\n');
	uint64_t left = v;
	for (const struct ps_name *n = names; n && n->s; n++)
		if (v & (1ULL << n->v)) {
			pr_line(p, indent + 2, pr_name(p, n->s));
			left &= ~(1ULL << n->v);
		}
	/* btmon names reserved bits of event masks only, not of link policy settings (§7.2.10) */
	if (left && width == 16) {
		ps_out_spaces(p->out, indent + 2);
		ps_out_write(p->out, "Unknown mask (", 14);
		ps_out_hex(p->out, left, width);
		ps_out_write(p->out, ")\n", 2);
	}
}

static void put_smp_authreq(struct ps_printer *p, uint8_t v)
{
	static const char *const bond[4] = { "No bonding", "Bonding", "Reserved", "Reserved" };
	ps_out_printf(p->out, "%s, %s, %s, %s%s (0x%02x)\n", bond[v & 3], v & 0x04 ? "MITM" : "No MITM",
		      v & 0x08 ? "SC" : "Legacy", v & 0x10 ? "Keypresses" : "No Keypresses",
		      v & 0x20 ? ", CT2" : "", v);
}

static void put_smp_keydist(struct ps_printer *p, uint8_t v)
{
	if (!(v & 0x07))
		ps_out_puts(p->out, "<none> ");
	else {
		if (v & 0x01)
			ps_out_puts(p->out, "EncKey ");
		if (v & 0x02)
			ps_out_puts(p->out, "IdKey ");
		if (v & 0x04)
			ps_out_puts(p->out, "Sign ");
		if (v & 0x08)
			ps_out_puts(p->out, "LinkKey ");
	}
	ps_out_printf(p->out, "(0x%02x)\n", v);
}

/* The link a handle belongs to, for Encryption Change wording. */
static uint8_t link_of(struct ps_printer *p, uint16_t handle)
{
	uint16_t i = p->cur_index;
	if (i >= PS_MAX_INDEX)
		return LINK_UNKNOWN;
	return p->idx[i].link[handle & 0x0fff];
}

static void print_field(struct ps_printer *p, const struct ps_layout *l, const struct ps_field *f,
			const void *rec, unsigned indent, bool joined)
{
	struct ps_out *o = p->out;
	const uint8_t *m = (const uint8_t *)rec + f->off;
	uint64_t v = ps_field_get_uint(f, rec);
	unsigned w = ps_wire_size(f->wire);
	struct ps_bytes b = { NULL, 0 };
	if (f->wire == PS_W_REST) {
		memcpy(&b, m, sizeof b);
	} else if (f->wire == PS_W_ADDR || f->wire == PS_W_B3 || f->wire == PS_W_B8 || f->wire == PS_W_B12 ||
		   f->wire == PS_W_B16 || f->wire == PS_W_B31 || f->wire == PS_W_B32 || f->wire == PS_W_B64) {
		b.p = m; /* octet strings are stored in the struct in wire order */
		b.len = (uint16_t)w;
	}
	int64_t sv = f->wire == PS_W_S8 ? (int8_t)v : (int64_t)v;

	switch ((enum ps_fmt)f->fmt) {
	case PS_FMT_HIDDEN:
	case PS_FMT_CUSTOM:
	case PS_FMT_JOIN:
		return;
	case PS_FMT_HEXDUMP:
		pr_hexdump(p, b.p, b.len);
		return;
	case PS_FMT_ELEMS:
		pr_elems(p, l, f, rec, &b, indent);
		return;
	case PS_FMT_ENTRIES:
		pr_phy_entries(p, l, f, rec, &b, indent);
		return;
	case PS_FMT_ATTR_VALUE:
		pr_attr_value(p, l, f, rec, &b, indent);
		return;
	case PS_FMT_NUMBERED: {
		/* btmon's print_list of handles: up to the count, whole values only */
		const struct ps_field *cf = f->aux ? field_named(l, f->aux) : NULL;
		uint64_t cnt = cf ? ps_field_get_uint(cf, rec) : b.len / 2u;
		size_t k = 0;
		for (; k < cnt && 2 * k + 2 <= b.len; k++) {
			ps_out_spaces(o, indent);
			ps_out_printf(o, "%s #%zu: %u\n", f->label, k, (unsigned)(b.p[2 * k] | b.p[2 * k + 1] << 8));
		}
		pr_hexdump(p, b.p + 2 * k, b.len - 2 * k);
		return;
	}
	case PS_FMT_CODECS:
		pr_bredr_codecs(p, l, f, rec, b.p, b.len, indent);
		return;
	case PS_FMT_AD_DUMP:
	case PS_FMT_EIR:
	case PS_FMT_AD: {
		size_t n = b.len;
		if (f->aux) {
			const struct ps_field *lf = field_named(l, f->aux);
			if (lf && ps_field_get_uint(lf, rec) < n)
				n = (size_t)ps_field_get_uint(lf, rec);
		}
		if (f->fmt == PS_FMT_AD_DUMP)
			pr_hexdump(p, b.p, n);
		pr_ad(p, b.p, n);
		return;
	}
	case PS_FMT_PK256:
		ps_out_spaces(o, indent);
		ps_out_puts(o, f->label);
		ps_out_write(o, ":\n", 2);
		ps_out_spaces(o, indent + 2);
		ps_out_write(o, "X: ", 3);
		ps_out_hexstr(o, b.p, 32);
		ps_out_putc(o, '\n');
		ps_out_spaces(o, indent + 2);
		ps_out_write(o, "Y: ", 3);
		ps_out_hexstr(o, b.p + 32, 32);
		ps_out_putc(o, '\n');
		return;
	case PS_FMT_DATA:
		pr_label(p, indent + 2, f->label);
		ps_out_hexstr(o, b.p, b.len);
		ps_out_putc(o, '\n');
		return;
	case PS_FMT_ADDR: {
		uint8_t type = 0;
		const char *t = f->aux;
		if (t && t[0] == '=')
			type = (uint8_t)(t[1] - '0');
		else if (t) {
			const struct ps_field *tf = field_named(l, t);
			if (tf)
				type = (uint8_t)ps_field_get_uint(tf, rec);
		}
		pr_addr(p, indent, f->label, m, type);
		return;
	}
	case PS_FMT_LL_ADDR:
		/* TxAdd/RxAdd: 0 public, 1 random (Vol 6 Part B §2.3) */
		pr_addr(p, indent, f->label, m, f->aux && !strcmp(f->aux, "rx") ? p->ll_rx_add : p->ll_tx_add);
		return;
	default:
		break;
	}
	pr_label(p, indent, f->label);
	switch ((enum ps_fmt)f->fmt) {
	case PS_FMT_DEC:
		if (joined)
			ps_out_printf(o, "%-4lld\n", (long long)sv); /* "ACL MTU: 64   SCO max packet" */
		else {
			ps_out_i64(o, sv);
			ps_out_putc(o, '\n');
		}
		break;
	case PS_FMT_COMMANDS:
		pr_commands(p, b.p, b.len, f->aux, indent);
		break;
	case PS_FMT_FEATURES:
		pr_features(p, b.p, b.len, f->aux, indent);
		break;
	case PS_FMT_NAME248:
	case PS_FMT_PASSKEY:
	case PS_FMT_DEV_CLASS:
	case PS_FMT_VOICE:
	case PS_FMT_IAC_LAP:
	case PS_FMT_INQ_LEN:
	case PS_FMT_PKT_TYPE:
	case PS_FMT_PAGE:
	case PS_FMT_EXT_FEATURES:
		pr_bredr_value(p, l, f, rec, v, b.p, b.len, indent); /* src/print/bredr.c */
		break;
	case PS_FMT_STATES:
		pr_states(p, v, f->aux, indent);
		break;
	case PS_FMT_COMPANY: {
		const char *s = f->aux ? ps_name_of(f->aux, (uint32_t)v) : ps_company_name((uint16_t)v);
		ps_out_printf(o, "%s (%llu)\n", s ? s : "not assigned", (unsigned long long)v);
		break;
	}
	case PS_FMT_UUID:
		if (f->wire == PS_W_REST)
			pr_uuid(p, b.p, b.len);
		else {
			uint8_t u[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
			pr_uuid(p, u, w);
		}
		break;
	case PS_FMT_HEX:
		ps_out_hex(o, v, 2 * w);
		ps_out_putc(o, '\n');
		break;
	case PS_FMT_DECHEX:
		ps_out_i64(o, sv);
		ps_out_write(o, " (", 2);
		ps_out_hex(o, v, 2 * w);
		ps_out_write(o, ")\n", 2);
		break;
	case PS_FMT_ENUM:
		put_enum(p, f, v);
		break;
	case PS_FMT_ENCRYPT: {
		const struct ps_field *hf = field_named(l, "handle");
		uint8_t link = hf ? link_of(p, (uint16_t)ps_field_get_uint(hf, rec)) : LINK_UNKNOWN;
		const char *s = ps_name_of(f->aux, (uint32_t)v);
		/* btmon names mode 1 by the link: E0 on BR/EDR, AES-CCM on LE (5.66 loses the LE type
		 * when reading files and prints "Enabled"; we track it from LE Connection Complete). */
		if (v == 1 && link == LINK_LE)
			s = "Enabled with AES-CCM";
		else if (v == 1 && link == LINK_BREDR)
			s = "Enabled with E0";
		ps_out_printf(o, "%s (0x%02x)\n", s ? s : "Reserved", (unsigned)v);
		break;
	}
	case PS_FMT_BITS:
		put_bits(p, f, v, indent);
		break;
	case PS_FMT_EVMASK:
		put_evmask(p, v, f->aux, indent, 2 * w);
		break;
	case PS_FMT_HEXSTR:
		ps_out_hexstr(o, b.p, b.len);
		ps_out_putc(o, '\n');
		break;
	case PS_FMT_SMP_AUTHREQ:
		put_smp_authreq(p, (uint8_t)v);
		break;
	case PS_FMT_SMP_KEYDIST:
		put_smp_keydist(p, (uint8_t)v);
		break;
	case PS_FMT_SLOT625:
		ps_out_printf(o, "%.3f msec (0x%04llx)\n", (double)v * 0.625, (unsigned long long)v);
		break;
	case PS_FMT_TIME10_MS:
		ps_out_printf(o, "%llu ms (0x%02llx)\n", (unsigned long long)v * 10, (unsigned long long)v);
		break;
	case PS_FMT_TIME1280:
		ps_out_printf(o, "%.2f sec (0x%04llx)\n", (double)v * 1.28, (unsigned long long)v);
		break;
	case PS_FMT_ADV_PROPS:
		put_adv_props(p, f, v, indent);
		break;
	case PS_FMT_EXT_ADV_EVT:
		put_ext_adv_evt(p, f, v, indent);
		break;
	case PS_FMT_NAME: {
		const char *s = ps_name_of(f->aux, (uint32_t)v);
		ps_out_puts(o, s ? pr_name(p, s) : "Reserved");
		ps_out_putc(o, '\n');
		break;
	}
	case PS_FMT_HEXNAME: {
		const char *s = ps_name_of(f->aux, (uint32_t)v);
		if (s)
			ps_out_printf(o, "%s (0x%0*llx)\n", s, 2 * (int)w, (unsigned long long)v);
		else
			ps_out_printf(o, "0x%0*llx\n", 2 * (int)w, (unsigned long long)v);
		break;
	}
	case PS_FMT_INTV125:
		ps_out_printf(o, "%.2f msec (0x%04llx)\n", (double)v * 1.25, (unsigned long long)v);
		break;
	case PS_FMT_TIME10:
		ps_out_printf(o, "%llu msec (0x%04llx)\n", (unsigned long long)v * 10, (unsigned long long)v);
		break;
	case PS_FMT_RSSI:
		if ((uint8_t)v == 0x99 || sv == 127)
			ps_out_printf(o, "invalid (0x%02x)\n", (unsigned)(uint8_t)v);
		else {
			ps_out_i64(o, sv);
			ps_out_write(o, " dBm (", 6);
			ps_out_hex(o, (uint8_t)v, 2);
			ps_out_write(o, ")\n", 2);
		}
		break;
	case PS_FMT_DBM:
		ps_out_printf(o, "%d dbm (0x%02x)\n", (int)sv, (unsigned)(uint8_t)v);
		break;
	case PS_FMT_UNIT:
		/* 24-bit delays (CIS Established) also show their hex, as btmon does */
		if (f->wire == PS_W_U24)
			ps_out_printf(o, "%llu %s (0x%06llx)\n", (unsigned long long)v, (const char *)f->aux,
				      (unsigned long long)v);
		else if (f->wire == PS_W_S8) /* "TX power: -5 dBm" */
			ps_out_printf(o, "%lld %s\n", (long long)sv, (const char *)f->aux);
		else
			ps_out_printf(o, "%llu %s\n", (unsigned long long)v, (const char *)f->aux);
		break;
	case PS_FMT_LEHEX:
		ps_out_write(o, "0x", 2);
		for (unsigned i = b.len; i-- > 0;)
			ps_out_hexstr(o, b.p + i, 1);
		ps_out_putc(o, '\n');
		break;
	case PS_FMT_LL_HOPSCA: {
		/* Vol 6 Part B §2.3.3.1 Table 2.10: SCA ranges of the central's sleep clock */
		static const char *const sca[8] = { "251 ppm to 500 ppm", "151 ppm to 250 ppm", "101 ppm to 150 ppm",
						    "76 ppm to 100 ppm",  "51 ppm to 75 ppm",   "31 ppm to 50 ppm",
						    "21 ppm to 30 ppm",   "0 ppm to 20 ppm" };
		ps_out_printf(o, "%u\n", (unsigned)(v & 0x1f));
		ps_out_spaces(o, indent);
		ps_out_printf(o, "Sleep clock accuracy: %s (%u)\n", sca[(v >> 5) & 7], (unsigned)((v >> 5) & 7));
		break;
	}
	case PS_FMT_HCI_ERROR:
	case PS_FMT_BT_VERSION: {
		const char *s = ps_name_of(pr_field_names(f), (uint32_t)v);
		ps_out_printf(o, "%s (0x%02x)\n", s ? s : "Reserved", (unsigned)v);
		break;
	}
	case PS_FMT_HIDDEN:
	case PS_FMT_CUSTOM:
	case PS_FMT_JOIN:
	case PS_FMT_HEXDUMP:
	case PS_FMT_CODECS:
	case PS_FMT_EIR:
	case PS_FMT_AD:
	case PS_FMT_DATA:
	case PS_FMT_PK256:
	case PS_FMT_ADDR:
	case PS_FMT_LL_ADDR:
	case PS_FMT_ELEMS:
	case PS_FMT_ENTRIES:
	case PS_FMT_ATTR_VALUE:
	case PS_FMT_AD_DUMP:
	case PS_FMT_NUMBERED:
		break;
	}
}

static void print_list(struct ps_printer *p, const struct ps_field *f, const void *rec, unsigned indent)
{
	const struct ps_list_aux *aux = f->aux;
	struct ps_list list;
	memcpy(&list, (const uint8_t *)rec + f->off, sizeof list);
	uint8_t elem[512];
	size_t off = 0;
	if (aux->elem->size > sizeof elem)
		return;
	for (unsigned i = 0; i < list.n; i++) {
		if (ps_list_next(aux, &list, &off, elem) < 0)
			break;
		if (f->fmt == PS_FMT_ENTRIES) {
			/* btmon numbers arrayed parameters: "Entry 0", the element indented under it */
			ps_out_spaces(p->out, indent);
			ps_out_printf(p->out, "Entry %u\n", i);
			pr_fields(p, aux->elem, elem, indent + 2);
		} else {
			pr_fields(p, aux->elem, elem, indent);
		}
	}
	if (off < list.len)
		pr_hexdump(p, list.p + off, list.len - off);
}

/* The PS_FMT_JOIN field printed on f's line, or NULL. */
static const struct ps_field *join_of(const struct ps_layout *l, const struct ps_field *f)
{
	for (unsigned i = 0; i < l->nfields; i++)
		if (l->fields[i].fmt == PS_FMT_JOIN && l->fields[i].aux && !strcmp(l->fields[i].aux, f->name))
			return &l->fields[i];
	return NULL;
}

/* Append j to the line just printed for its owner f (btmon's two-values lines). */
static void print_join(struct ps_printer *p, const struct ps_field *f, const struct ps_field *j, const void *rec)
{
	struct ps_out *o = p->out;
	uint64_t v = ps_field_get_uint(j, rec);
	if (o->len && o->buf[o->len - 1] == '\n')
		o->len--;
	switch (f->fmt) {
	case PS_FMT_DEC:
		ps_out_printf(o, " %s: %llu\n", j->label, (unsigned long long)v);
		break;
	case PS_FMT_HEX:
		ps_out_printf(o, "-0x%0*llx\n", 2 * (int)ps_wire_size(j->wire), (unsigned long long)v);
		break;
	case PS_FMT_PAGE:
		ps_out_printf(o, "/%llu\n", (unsigned long long)v);
		break;
	default:
		ps_out_printf(o, " - %s %llu (0x%0*llx)\n", j->label, (unsigned long long)v,
			      2 * (int)ps_wire_size(j->wire), (unsigned long long)v);
		break;
	}
}

void pr_fields(struct ps_printer *p, const struct ps_layout *l, const void *rec, unsigned indent)
{
	for (unsigned i = 0; i < l->nfields; i++) {
		const struct ps_field *f = &l->fields[i];
		if (f->wire == PS_W_LIST) {
			print_list(p, f, rec, indent);
			continue;
		}
		const struct ps_field *j = f->fmt == PS_FMT_JOIN ? NULL : join_of(l, f);
		print_field(p, l, f, rec, indent, j != NULL);
		if (j)
			print_join(p, f, j, rec);
	}
}

int pr_decode_print(struct ps_printer *p, const struct ps_layout *l, const uint8_t *d, size_t len,
		    unsigned indent, const char *bad_size)
{
	uint8_t rec[1024];
	unsigned min = ps_layout_min_len(l);
	bool var = ps_layout_variable(l);
	if (l->size > sizeof rec)
		return -PS_ENOSPC;
	if (!var && len != min) {
		pr_error(p, bad_size);
		pr_hexdump(p, d, len);
		return -PS_EBADDATA;
	}
	if (var && len < min) {
		pr_error(p, "too short packet");
		pr_hexdump(p, d, len);
		return -PS_ETRUNC;
	}
	int rc = ps_layout_decode(l, d, len, rec);
	if (rc < 0) {
		/* a LIST whose count promises more than the octets hold (btmon would read past the
		 * packet): say so and show the octets */
		pr_error(p, "too short packet");
		pr_hexdump(p, d, len);
		return rc;
	}
	pr_fields(p, l, rec, indent);
	return 0;
}
