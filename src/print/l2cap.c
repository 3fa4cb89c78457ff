/* btmon 5.66 text for ACL data (Core 5.4 Vol 4 Part E §5.4.2) and what it carries once reassembled:
 * L2CAP LE signaling (Vol 3 Part A §4), SMP (Vol 3 Part H §3), ATT (Vol 3 Part F §3.4), and the generic
 * "Channel:" line for other CIDs. One header per fragment; the decode under the last fragment. */
#include "print/print_int.h"
#include "proto/att.h"
#include "proto/hci.h"
#include "proto/l2cap.h"
#include "proto/smp.h"
#include <stdio.h>

/* "      <prefix><name> (0x%02x) len N" then the fields, with btmon's size checks. */
static void pdu(struct ps_printer *p, const char *prefix, const struct ps_layout *l, const uint8_t *d,
		size_t size, const char *color)
{
	uint8_t code = d[0];
	ps_out_spaces(p->out, 6);
	if (p->o.color)
		ps_out_puts(p->out, l ? color : C_WHITE_BG);
	ps_out_puts(p->out, prefix);
	ps_out_puts(p->out, l ? pr_name(p, l->label) : "Unknown");
	if (p->o.color)
		ps_out_puts(p->out, C_OFF);
	ps_out_write(p->out, " (", 2);
	ps_out_hex(p->out, code, 2);
	ps_out_write(p->out, ") len ", 6);
	ps_out_u64(p->out, size - 1);
	ps_out_putc(p->out, '\n');
	if (!l) {
		pr_hexdump(p, d + 1, size - 1);
		return;
	}
	pr_decode_print(p, l, d + 1, size - 1, 8, "invalid size");
}

static void le_sig(struct ps_printer *p, const uint8_t *d, size_t size)
{
	if (size < PS_L2CAP_SIG_HDR) {
		pr_error(p, "malformed signal packet");
		pr_hexdump(p, d, size);
		return;
	}
	uint8_t code = d[0], ident = d[1];
	uint16_t len = (uint16_t)(d[2] | d[3] << 8);
	d += 4;
	size -= 4;
	if (size != len) {
		pr_error(p, "invalid signal packet size");
		pr_hexdump(p, d, size);
		return;
	}
	const struct ps_layout *l = ps_l2cap_layout(code);
	ps_out_printf(p->out, "      %sLE L2CAP: %s%s (0x%02x) ident %u len %u\n",
		      p->o.color ? (l ? C_MAGENTA : C_WHITE_BG) : "", l ? pr_name(p, l->label) : "Unknown",
		      p->o.color ? C_OFF : "", code, ident, len);
	if (!l) {
		pr_hexdump(p, d, len);
		return;
	}
	pr_decode_print(p, l, d, len, 8, "invalid size");
}

void pr_l2cap(struct ps_printer *p, uint16_t cid, const uint8_t *d, size_t size)
{
	switch (cid) {
	case PS_L2CAP_CID_ATT:
		p->layers |= PS_ONLY_ATT;
		if (size < 1) {
			pr_error(p, "malformed attribute packet");
			return;
		}
		pdu(p, "ATT: ", ps_att_layout(d[0]), d, size, C_MAGENTA);
		return;
	case PS_L2CAP_CID_LE_SIG:
		p->layers |= PS_ONLY_L2CAP;
		le_sig(p, d, size);
		return;
	case PS_L2CAP_CID_SMP:
	case PS_L2CAP_CID_SMP_BREDR:
		p->layers |= PS_ONLY_SMP;
		if (size < 1) {
			pr_error(p, "malformed attribute packet");
			return;
		}
		pdu(p, cid == PS_L2CAP_CID_SMP ? "SMP: " : "BR/EDR SMP: ", ps_smp_layout(d[0]), d, size, C_MAGENTA);
		return;
	default:
		/* btmon without channel state: PSM 0, basic mode, no channel record */
		p->layers |= PS_ONLY_L2CAP;
		ps_out_printf(p->out, "      %sChannel:%s %u len %zu [PSM 0 mode Basic (0x00)] {chan 65535}\n",
			      p->o.color ? C_CYAN : "", p->o.color ? C_OFF : "", cid, size);
		pr_hexdump(p, d, size);
		return;
	}
}

void pr_acl(struct ps_printer *p, const struct ps_frame *f, bool rx)
{
	char text[24], extra[40];
	struct ps_acl_hdr h;
	p->layers |= PS_ONLY_ACL;
	if (ps_acl_parse_hdr(f->data, f->len, &h) < 0) {
		pr_header(p, '*', C_ERROR, rx ? "Malformed ACL Data RX packet" : "Malformed ACL Data TX packet", NULL,
			  NULL);
		pr_hexdump(p, f->data, f->len);
		pr_damage(p, "ACL packet shorter than its 4-octet header");
		return;
	}
	const uint8_t *d = f->data + PS_HCI_ACL_HDR;
	size_t size = f->len - PS_HCI_ACL_HDR;
	*sb_u(sb_str(text, "Handle "), h.handle) = 0;
	*sb_u(sb_str(sb_hex(sb_str(extra, "flags "), h.flags, 2), " dlen "), h.dlen) = 0;
	const char *label = rx ? "ACL Data RX" : "ACL Data TX";
	if (p->o.new_header) {
		/* btmon 5.86 names the link type instead of the direction (the ident still gives it) */
		uint8_t link = p->cur_index < PS_MAX_INDEX ? p->idx[p->cur_index].link[h.handle] : LINK_UNKNOWN;
		label = link == LINK_LE ? "LE-ACL" : link == LINK_BREDR ? "BR-ACL" : "ACL";
	}
	pr_header(p, rx ? '>' : '<', C_CYAN, label, text, extra);
	if (pr_size_mismatch(p, d, size, h.dlen))
		return;
	struct ps_acl_pdu out;
	int rc = ps_acl_push(p->acl, p->cur_index, rx, &h, d, size, &out);
	if (rc < 0) {
		pr_error(p, out.why);
		pr_hexdump(p, d, size);
		return;
	}
	if (rc == 1)
		pr_l2cap(p, out.cid, out.data, out.len);
}
