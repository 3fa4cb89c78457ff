/* btmon 5.66 text for HCI commands and events (Core 5.4 Vol 4 Part E §5.4.1, §5.4.4, §7): names and
 * fields from the hci_*.def tables; size checks and fallbacks (Unknown, Vendor, hexdumps) as btmon. */
#include "print/print_int.h"
#include "proto/hci.h"
#include <stdio.h>

static uint16_t manufacturer(const struct ps_printer *p)
{
	uint16_t i = p->cur_index;
	if (i < PS_MAX_INDEX)
		return p->idx[i].manufacturer;
	return p->o.vendor;
}

/* Name of an opcode for headers: table label, "<Vendor> <label>" for a known vendor command, "Vendor"
 * for other OGF 0x3f opcodes, else "Unknown". *l gets the layout (NULL when unknown). */
static const char *cmd_name(struct ps_printer *p, uint16_t opcode, const struct ps_layout **l, char *buf,
			    size_t cap)
{
	*l = ps_hci_cmd_layout(opcode);
	if (*l)
		return pr_name(p, (*l)->label);
	if (ps_hci_ogf(opcode) == 0x3f) {
		uint16_t m = manufacturer(p);
		*l = ps_hci_vnd_cmd_layout(m, opcode);
		if (*l) {
			const char *pre = ps_hci_vendor_prefix(m);
			if (!pre)
				return (*l)->label;
			snprintf(buf, cap, "%s %s", pre, (*l)->label);
			return buf;
		}
		return "Vendor";
	}
	return "Unknown";
}

void pr_command(struct ps_printer *p, const struct ps_frame *f)
{
	char extra[40], name[160];
	if (f->len < PS_HCI_CMD_HDR) {
		snprintf(extra, sizeof extra, "(len %u)", f->len);
		pr_header(p, '*', C_ERROR, "Malformed HCI Command packet", NULL, extra);
		pr_damage(p, "HCI command shorter than its 3-octet header");
		return;
	}
	uint16_t opcode = (uint16_t)(f->data[0] | f->data[1] << 8);
	uint8_t plen = f->data[2];
	const uint8_t *d = f->data + 3;
	size_t size = f->len - 3;
	const struct ps_layout *l;
	const char *n = cmd_name(p, opcode, &l, name, sizeof name);
	char *e = sb_hex(extra + 1, ps_hci_ogf(opcode), 2);
	extra[0] = '(';
	*e++ = '|';
	*sb_u(sb_str(sb_hex(e, ps_hci_ocf(opcode), 4), ") plen "), plen) = 0;
	pr_header(p, '<', l ? C_BLUE : C_WHITE_BG, "HCI Command", n, extra);
	if (!l) {
		pr_hexdump(p, d, size);
		return;
	}
	if (pr_size_mismatch(p, d, size, plen))
		return;
	pr_decode_print(p, l, d, size, 8, "invalid packet size");
}

static void print_status(struct ps_printer *p, uint8_t status)
{
	const char *s = ps_name_of(ps_names_hci_error, status);
	ps_out_puts(p->out, "        Status: ");
	ps_out_puts(p->out, s ? s : "Reserved");
	ps_out_write(p->out, " (", 2);
	ps_out_hex(p->out, status, 2);
	ps_out_write(p->out, ")\n", 2);
}

/* "      Reset (0x03|0x0003) ncmd 1" */
static void ncmd_line(struct ps_printer *p, const char *name, uint16_t opcode, uint8_t ncmd)
{
	char b[48], *e = b;
	e = sb_str(e, " (");
	e = sb_hex(e, ps_hci_ogf(opcode), 2);
	*e++ = '|';
	e = sb_hex(e, ps_hci_ocf(opcode), 4);
	e = sb_u(sb_str(e, ") ncmd "), ncmd);
	*e++ = '\n';
	ps_out_spaces(p->out, 6);
	ps_out_puts(p->out, name);
	ps_out_write(p->out, b, (size_t)(e - b));
}

static void cmd_complete(struct ps_printer *p, const uint8_t *d, size_t size)
{
	char name[160];
	uint8_t ncmd = d[0];
	uint16_t opcode = (uint16_t)(d[1] | d[2] << 8);
	const struct ps_layout *cl;
	const char *n = cmd_name(p, opcode, &cl, name, sizeof name);
	ncmd_line(p, n, opcode, ncmd);
	const struct ps_layout *rl = NULL;
	if (ps_hci_cmd_layout(opcode))
		rl = ps_hci_rsp_layout(opcode);
	else if (cl)
		rl = ps_hci_vnd_rsp_layout(manufacturer(p), opcode);
	if (!rl) {
		/* no return-parameter decoder: status, then the rest as a hexdump */
		if (size > 3) {
			print_status(p, d[3]);
			pr_hexdump(p, d + 4, size - 4);
		}
		return;
	}
	if (ps_layout_min_len(rl) > 1 && size - 3 == 1) {
		print_status(p, d[3]);
		return;
	}
	if (pr_decode_print(p, rl, d + 3, size - 3, 8, "invalid packet size") == 0 && opcode == 0x1001 &&
	    (d[8] | d[9] << 8) == 15) {
		/* Broadcom firmware version in the LMP subversion and revision (btmon's decoding) */
		uint16_t sub = (uint16_t)(d[10] | d[11] << 8), rev = (uint16_t)(d[5] | d[6] << 8);
		ps_out_printf(p->out, "          Firmware: %3.3u.%3.3u.%3.3u\n          Build: %4.4u\n",
			      (unsigned)(sub >> 13 & 0x07), (unsigned)(sub >> 8 & 0x1f), (unsigned)(sub & 0xff),
			      (unsigned)(rev & 0x0fff));
	}
}

static void cmd_status(struct ps_printer *p, const uint8_t *d)
{
	char name[160];
	uint16_t opcode = (uint16_t)(d[2] | d[3] << 8);
	const struct ps_layout *cl;
	const char *n = cmd_name(p, opcode, &cl, name, sizeof name);
	ncmd_line(p, n, opcode, d[1]);
	print_status(p, d[0]);
}

static void set_link(struct ps_printer *p, uint16_t handle, uint8_t type)
{
	if (p->cur_index < PS_MAX_INDEX)
		p->idx[p->cur_index].link[handle & 0x0fff] = type;
}

static void le_meta(struct ps_printer *p, const uint8_t *d, size_t size)
{
	uint8_t sub = d[0];
	const struct ps_layout *l = ps_le_evt_layout(sub);
	ps_out_printf(p->out, "      %s (0x%02x)\n", l ? pr_name(p, l->label) : "Unknown", sub);
	if (!l) {
		pr_hexdump(p, d + 1, size - 1);
		return;
	}
	/* Remember LE links: Encryption Change names its cipher by the link type. */
	if ((sub == ps_le_evt_conn_complete_code || sub == ps_le_evt_enhanced_conn_complete_code ||
	     sub == ps_le_evt_enhanced_conn_complete_v2_code) && size >= 4 && d[1] == 0)
		set_link(p, (uint16_t)(d[2] | d[3] << 8), LINK_LE);
	pr_decode_print(p, l, d + 1, size - 1, 8, "invalid packet size");
}

static void vendor_evt(struct ps_printer *p, const uint8_t *d, size_t size)
{
	uint16_t m = manufacturer(p);
	const struct ps_layout *l = size ? ps_hci_vnd_evt_layout(m, d[0]) : NULL;
	if (!l) {
		pr_hexdump(p, d, size);
		return;
	}
	const char *pre = ps_hci_vendor_prefix(m);
	ps_out_printf(p->out, "      %s%s%s (0x%02x)\n", pre ? pre : "", pre ? " " : "", l->label, d[0]);
	if (size - 1 != ps_layout_min_len(l)) {
		/* A vendor event whose first octet happens to match: btmon's wording, but no damage (the
		 * payload is the vendor's, not a lying length). */
		pr_line(p, 8, "invalid packet size");
		pr_hexdump(p, d + 1, size - 1);
		return;
	}
	pr_hexdump(p, d + 1, 63); /* btmon's LM Diag decoder shows the 63-octet record */
}

void pr_event(struct ps_printer *p, const struct ps_frame *f)
{
	char extra[40];
	if (f->len < PS_HCI_EVT_HDR) {
		snprintf(extra, sizeof extra, "(len %u)", f->len);
		pr_header(p, '*', C_ERROR, "Malformed HCI Event packet", NULL, extra);
		pr_hexdump(p, f->data, f->len);
		pr_damage(p, "HCI event shorter than its 2-octet header");
		return;
	}
	uint8_t code = f->data[0], plen = f->data[1];
	const uint8_t *d = f->data + 2;
	size_t size = f->len - 2;
	const struct ps_layout *l = ps_hci_evt_layout(code);
	extra[0] = '(';
	*sb_u(sb_str(sb_hex(extra + 1, code, 2), ") plen "), plen) = 0;
	pr_header(p, '>', l ? C_MAGENTA : C_WHITE_BG, "HCI Event", l ? l->label : "Unknown", extra);
	if (!l) {
		pr_hexdump(p, d, size);
		return;
	}
	if (pr_size_mismatch(p, d, size, plen))
		return;
	unsigned min = ps_layout_min_len(l);
	bool var = ps_layout_variable(l);
	if ((!var && size != min) || (var && size < min)) {
		pr_error(p, var ? "too short packet" : "invalid packet size");
		pr_hexdump(p, d, size);
		return;
	}
	switch (code) {
	case ps_hci_evt_cmd_complete_code:
		cmd_complete(p, d, size);
		return;
	case ps_hci_evt_cmd_status_code:
		cmd_status(p, d);
		return;
	case ps_hci_evt_le_meta_code:
		le_meta(p, d, size);
		return;
	case ps_hci_evt_vendor_code:
		vendor_evt(p, d, size);
		return;
	case ps_hci_evt_disconn_complete_code:
		if (d[0] == 0) {
			uint16_t h = (uint16_t)(d[1] | d[2] << 8) & 0x0fff;
			set_link(p, h, LINK_UNKNOWN);
			ps_acl_drop(p->acl, p->cur_index, h);
		}
		break;
	case ps_hci_evt_conn_complete_code:
		if (d[0] == 0 && d[9] == 0x01)
			set_link(p, (uint16_t)(d[1] | d[2] << 8), LINK_BREDR);
		break;
	default:
		break;
	}
	if (pr_decode_print(p, l, d, size, 8, "invalid packet size") == 0 &&
	    code == ps_hci_evt_remote_version_complete_code && (d[4] | d[5] << 8) == 15) {
		uint16_t sub = (uint16_t)(d[6] | d[7] << 8); /* Broadcom: firmware in the subversion */
		ps_out_printf(p->out, "          Firmware: %3.3u.%3.3u.%3.3u\n", (unsigned)(sub >> 13 & 0x07),
			      (unsigned)(sub >> 8 & 0x1f), (unsigned)(sub & 0xff));
	}
}
