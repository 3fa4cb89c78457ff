/* Frame dispatch for the printers: Linux monitor opcodes (BlueZ btsnoop datalink 2001) to the btmon
 * text walkers, index bookkeeping (#N frame counters, manufacturer, link types), --only filters. */
#include "print/print_int.h"
#include "proto/hci.h"
#include <stdio.h>
#include <stdlib.h>

struct ps_printer *ps_printer_new(const struct ps_print_opts *opts, struct ps_out *out)
{
	struct ps_printer *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->o = *opts;
	if (p->o.width == 0)
		p->o.width = 80;
	p->out = out;
	p->time_offset = -1;
	p->acl = ps_acl_new(32);
	if (!p->acl) {
		free(p);
		return NULL;
	}
	for (unsigned i = 0; i < PS_MAX_INDEX; i++)
		p->idx[i].manufacturer = p->o.vendor;
	return p;
}

void ps_printer_free(struct ps_printer *p)
{
	if (!p)
		return;
	ps_acl_free(p->acl);
	ps_acl_free(p->ll_acl);
	free(p);
}

unsigned ps_printer_damage(const struct ps_printer *p) { return p->damage; }
const char *ps_printer_last_problem(const struct ps_printer *p) { return p->problem; }

static struct pr_index *idx_of(struct ps_printer *p, uint16_t index)
{
	return index < PS_MAX_INDEX ? &p->idx[index] : NULL;
}

/* Index records: "= New Index: <addr> (Primary,UART,hci0)" and friends. */
static void index_record(struct ps_printer *p, const struct ps_frame *f)
{
	char a[PS_ADDR_STRLEN] = "00:00:00:00:00:00", extra[160];
	struct pr_index *x = idx_of(p, f->index);
	switch (f->opcode) {
	case PS_MON_NEW_INDEX: {
		uint8_t type = 0, bus = 0, bd[6] = { 0 };
		char name[9] = { 0 };
		if (f->len >= 8) {
			type = f->data[0];
			bus = f->data[1];
			memcpy(bd, f->data + 2, 6);
			memcpy(name, f->data + 8, f->len >= 16 ? 8 : f->len - 8);
		} else {
			pr_damage(p, "New Index record shorter than 16 octets");
		}
		if (x) {
			x->type = type;
			memcpy(x->bdaddr, bd, 6);
			x->manufacturer = p->o.vendor;
		}
		ps_addr_str(bd, a);
		const char *t = ps_name_of(ps_names_dev_type, type), *b = ps_name_of(ps_names_bus_type, bus);
		snprintf(extra, sizeof extra, "(%s,%s,%s)", t ? t : "Unknown", b ? b : "Unknown", name);
		pr_header(p, '=', C_GREEN, "New Index", a, extra);
		return;
	}
	case PS_MON_INDEX_INFO: {
		uint16_t m = 0;
		uint8_t bd[6] = { 0 };
		if (f->len >= 8) {
			memcpy(bd, f->data, 6);
			m = (uint16_t)(f->data[6] | f->data[7] << 8);
		} else {
			pr_damage(p, "Index Info record shorter than 8 octets");
		}
		if (x) {
			memcpy(x->bdaddr, bd, 6);
			x->manufacturer = m;
		}
		ps_addr_str(bd, a);
		snprintf(extra, sizeof extra, "(%s)", ps_company_name(m));
		pr_header(p, '=', C_GREEN, "Index Info", a, extra);
		return;
	}
	default:
		if (x)
			ps_addr_str(x->bdaddr, a);
		pr_header(p, '=', C_GREEN,
			  f->opcode == PS_MON_DEL_INDEX	   ? "Delete Index"
			  : f->opcode == PS_MON_OPEN_INDEX ? "Open Index"
							   : "Close Index",
			  a, NULL);
		return;
	}
}

/* A NUL-terminated string inside a record, bounded by the record. */
static void bounded(const uint8_t *d, size_t len, char *buf, size_t cap)
{
	size_t n = strnlen((const char *)d, len);
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, d, n);
	buf[n] = 0;
}

static void system_record(struct ps_printer *p, const struct ps_frame *f)
{
	char msg[512], ident[64], extra[32];
	switch (f->opcode) {
	case PS_MON_SYSTEM_NOTE:
		bounded(f->data, f->len, msg, sizeof msg);
		pr_header(p, '=', NULL, "Note", msg, NULL);
		return;
	case PS_MON_USER_LOGGING: {
		/* priority(1) ident_len(1) ident message */
		const char *label = "Message";
		size_t off = 2;
		if (f->len >= 2 && f->data[1] && (size_t)2 + f->data[1] <= f->len) {
			bounded(f->data + 2, f->data[1], ident, sizeof ident);
			label = ident;
			off = 2u + f->data[1];
		} else if (f->len < 2) {
			off = f->len;
		}
		bounded(f->data + off, f->len - off, msg, sizeof msg);
		pr_header(p, '=', NULL, label, msg, NULL);
		return;
	}
	case PS_MON_VENDOR_DIAG:
		snprintf(extra, sizeof extra, "(len %u)", f->len);
		pr_header(p, '=', NULL, "Vendor Diagnostic", NULL, extra);
		pr_hexdump(p, f->data, f->len);
		return;
	default:
		snprintf(extra, sizeof extra, "(code %u len %u)", f->opcode, f->len);
		pr_header(p, '*', C_ERROR, "Unknown packet", NULL, extra);
		pr_hexdump(p, f->data, f->len);
		return;
	}
}

static void sco(struct ps_printer *p, const struct ps_frame *f, bool rx)
{
	char text[24], extra[40];
	if (f->len < 3) {
		pr_header(p, '*', C_ERROR, rx ? "Malformed SCO Data RX packet" : "Malformed SCO Data TX packet", NULL, NULL);
		pr_hexdump(p, f->data, f->len);
		pr_damage(p, "SCO packet shorter than its 3-octet header");
		return;
	}
	uint16_t h = (uint16_t)(f->data[0] | f->data[1] << 8);
	snprintf(text, sizeof text, "Handle %u", h & 0x0fff);
	snprintf(extra, sizeof extra, "flags 0x%02x dlen %u", h >> 12, f->data[2]);
	pr_header(p, rx ? '>' : '<', C_CYAN, rx ? "SCO Data RX" : "SCO Data TX", text, extra);
	if (f->len - 3u != f->data[2]) {
		char msg[64];
		snprintf(msg, sizeof msg, "invalid packet size (%u != %u)", f->len - 3u, f->data[2]);
		pr_error(p, msg);
		pr_hexdump(p, f->data + 3, f->len - 3u);
	}
}

static void iso(struct ps_printer *p, const struct ps_frame *f, bool rx)
{
	char text[24], extra[40];
	if (f->len < 4) {
		pr_header(p, '*', C_ERROR, rx ? "Malformed ISO Data RX packet" : "Malformed ISO Data TX packet", NULL, NULL);
		pr_hexdump(p, f->data, f->len);
		pr_damage(p, "ISO packet shorter than its 4-octet header");
		return;
	}
	uint16_t h = (uint16_t)(f->data[0] | f->data[1] << 8), dlen = (uint16_t)(f->data[2] | f->data[3] << 8);
	snprintf(text, sizeof text, "Handle %u", h & 0x0fff);
	snprintf(extra, sizeof extra, "flags 0x%02x dlen %u", h >> 12, dlen);
	pr_header(p, rx ? '>' : '<', C_CYAN, rx ? "ISO Data RX" : "ISO Data TX", text, extra);
	if (f->len - 4u != dlen) {
		char msg[64];
		snprintf(msg, sizeof msg, "invalid packet size (%u != %u)", f->len - 4u, dlen);
		pr_error(p, msg);
		pr_hexdump(p, f->data + 4, f->len - 4u);
	}
}

/* The text walk for one frame; output goes to p->out (a scratch sink when filtered out). */
static void text_frame(struct ps_printer *p, const struct ps_frame *f)
{
	switch (f->opcode) {
	case PS_MON_COMMAND:
	case PS_MON_EVENT:
	case PS_MON_ACL_TX:
	case PS_MON_ACL_RX:
	case PS_MON_SCO_TX:
	case PS_MON_SCO_RX:
	case PS_MON_ISO_TX:
	case PS_MON_ISO_RX:
		if (f->index >= PS_MAX_INDEX) {
			ps_out_printf(p->out, "        Invalid index (%u).\n", f->index);
			pr_damage(p, "controller index out of range");
			return;
		}
		p->idx[f->index].frame++;
		break;
	default:
		break;
	}
	switch (f->opcode) {
	case PS_MON_NEW_INDEX:
	case PS_MON_DEL_INDEX:
	case PS_MON_OPEN_INDEX:
	case PS_MON_CLOSE_INDEX:
	case PS_MON_INDEX_INFO:
		index_record(p, f);
		return;
	case PS_MON_COMMAND:
		p->layers |= PS_ONLY_HCI;
		if (f->len >= 2 && (f->data[1] >> 2) == 0x08)
			p->layers |= PS_ONLY_LE;
		pr_command(p, f);
		return;
	case PS_MON_EVENT:
		p->layers |= PS_ONLY_HCI;
		if (f->len >= 1 && f->data[0] == 0x3e)
			p->layers |= PS_ONLY_LE;
		pr_event(p, f);
		return;
	case PS_MON_ACL_TX:
	case PS_MON_ACL_RX:
		pr_acl(p, f, f->opcode == PS_MON_ACL_RX);
		return;
	case PS_MON_SCO_TX:
	case PS_MON_SCO_RX:
		sco(p, f, f->opcode == PS_MON_SCO_RX);
		return;
	case PS_MON_ISO_TX:
	case PS_MON_ISO_RX:
		iso(p, f, f->opcode == PS_MON_ISO_RX);
		return;
	case PS_MON_LL:
		pr_ll_text(p, f);
		return;
	default:
		system_record(p, f);
		return;
	}
}

int ps_printer_frame(struct ps_printer *p, const struct ps_frame *f)
{
	p->cur = f;
	p->cur_index = f->index;
	p->cur_damaged = false;
	p->layers = 0;
	if (p->time_offset < 0)
		p->time_offset = (int64_t)(f->ts_us / 1000000);
	switch (p->o.mode) {
	case PS_PRINT_SUMMARY:
		if (f->opcode == PS_MON_LL)
			pr_ll_summary(p, f);
		else
			pr_summary(p, f);
		break;
	case PS_PRINT_JSON:
		if (f->opcode == PS_MON_LL)
			pr_ll_json(p, f);
		else
			pr_json(p, f);
		break;
	case PS_PRINT_TEXT:
		if (!p->o.only) {
			text_frame(p, f);
			break;
		}
		/* Filtered: walk into a scratch sink (state such as reassembly and #N must advance), then
		 * copy it out when the frame carries a selected layer. */
		{
			struct ps_out *real = p->out, scratch;
			if (ps_out_init(&scratch, -1, 8192) < 0)
				return 0;
			p->out = &scratch;
			text_frame(p, f);
			p->out = real;
			if (p->layers & p->o.only)
				ps_out_write(real, scratch.buf, scratch.len);
			ps_out_close(&scratch);
		}
		break;
	}
	return p->cur_damaged ? 1 : 0;
}
