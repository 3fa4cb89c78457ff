/* Link-layer frames as text, in btmon's style (docs/decode-ll.md): a header line
 *   > LE LL: LL_ENC_REQ  C->P ch 12 -58 dBm AA af9a9b1e                 #140 12.345678
 * (right block: the capture's frame number, then the time, as HCI headers give #N and the time), then
 * the LL header bits and the PDU's fields from the ll_adv.def / ll_ctrl.def layouts at indent 8, and
 * L2CAP frames reassembled from data PDUs printed by the same code as under HCI ACL data. */
#include "print/ll_int.h"
#include <stdio.h>

static size_t right_block(struct ps_printer *p, const struct ps_frame *f, char *b, size_t cap)
{
	size_t n = 0;
	b[n++] = ' ';
	b[n++] = '#';
	n += ps_fmt_u64(b + n, f->number);
	if (p->o.time != PS_TIME_NONE) {
		b[n++] = ' ';
		n += pr_time(p, f, b + n, cap - n);
	}
	return n;
}

static void header(struct ps_printer *p, const struct ps_frame *f, const struct pr_ll_item *it)
{
	char rb[96], extra[96];
	size_t rbn = right_block(p, f, rb, sizeof rb);
	int n = snprintf(extra, sizeof extra, " %s%s", pr_ll_dir_str(it), it->dir >= 0 ? " " : "");
	/* DLT 251 carries no channel or signal; a 0 dBm RSSI is a sniffer that did not measure it */
	if (pr_ll_channel(f) >= 0)
		n += snprintf(extra + n, sizeof extra - (size_t)n, "ch %d ", pr_ll_channel(f));
	if (f->ll.rssi)
		n += snprintf(extra + n, sizeof extra - (size_t)n, "%d dBm ", f->ll.rssi);
	snprintf(extra + n, sizeof extra - (size_t)n, "AA %08x", (unsigned)it->u.aa);
	pr_header_rb(p, '>', it->u.adv ? C_BLUE : C_CYAN, "LE LL", it->name, extra, rb, rbn);
}

static void ll_hdr_line(struct ps_printer *p, const struct pr_ll_item *it)
{
	const struct ps_ll_pdu *u = &it->u;
	if (u->adv)
		ps_out_printf(p->out, "        Header: type 0x%x TxAdd %u RxAdd %u ChSel %u len %u\n", u->adv_type,
			      u->tx_add, u->rx_add, u->ch_sel, u->len);
	else
		ps_out_printf(p->out, "        Header: LLID %u NESN %u SN %u MD %u%s len %u\n", u->llid, u->nesn, u->sn,
			      u->md, u->cp ? " CP 1" : "", u->len);
}

static const char *check_word(int state)
{
	return state == PR_LL_CRC_OK ? " (valid)" : state == PR_LL_CRC_BAD ? " (invalid)" : "";
}

static void mic_line(struct ps_printer *p, const struct pr_ll_item *it)
{
	if (!it->mic)
		return;
	ps_out_printf(p->out, "        MIC: %02x%02x%02x%02x%s\n", it->mic[0], it->mic[1], it->mic[2], it->mic[3],
		      check_word(it->mic_state));
}

void pr_ll_text(struct ps_printer *p, const struct ps_frame *f)
{
	struct pr_ll_item it;
	pr_ll_walk(p, f, &it);
	p->layers |= PS_ONLY_LL;
	header(p, f, &it);
	const struct ps_ll_pdu *u = &it.u;
	if (it.kind == PR_LL_MALFORMED) {
		pr_error(p, "invalid packet size (header length past the captured octets)");
		pr_hexdump(p, f->data, f->len);
		return;
	}
	ll_hdr_line(p, &it);
	if (it.crc_state == PR_LL_CRC_BAD) {
		if (f->ll.flags & PS_LL_CRC_CHECKED)
			ps_out_printf(p->out, "        CRC: 0x%06x (invalid)\n", (unsigned)u->crc);
		else
			ps_out_printf(p->out, "        CRC: 0x%06x (invalid, expected 0x%06x)\n", (unsigned)u->crc,
				      (unsigned)it.crc_expect);
	}
	if (it.retransmit)
		pr_line(p, 8, "Retransmission (same SN and octets as the previous PDU this way)");
	if (it.decrypted)
		pr_line(p, 8, "Decrypted by the sniffer");
	else if (it.plain_guess)
		pr_line(p, 8, "Plaintext after encryption start (no sniffer flag; the L2CAP header fits)");
	switch (it.kind) {
	case PR_LL_MALFORMED:
	case PR_LL_EMPTY:
		break;
	case PR_LL_ADV:
	case PR_LL_CTRL:
		if (it.l)
			pr_decode_print(p, it.l, it.d, it.len, 8, "invalid packet size");
		else if (it.kind == PR_LL_CTRL) {
			ps_out_printf(p->out, "        Opcode: 0x%02x\n", it.code);
			pr_hexdump(p, it.d, it.len);
		} else {
			pr_hexdump(p, it.d, it.len);
		}
		mic_line(p, &it);
		break;
	case PR_LL_DATA:
		if (it.l2cap_rc >= 0 && it.why)
			ps_out_printf(p->out, "        L2CAP: %s\n", it.why);
		if (it.l2cap_rc == 1)
			pr_l2cap(p, it.cid, it.l2, it.l2len);
		else if (it.l2cap_rc < 0) {
			/* a sniffer misses packets: say so, but the capture itself is not damaged */
			ps_out_printf(p->out, "        L2CAP: %s\n", it.why ? it.why : "reassembly failed");
			pr_hexdump(p, u->payload, u->len);
		}
		mic_line(p, &it);
		break;
	case PR_LL_ENC:
		ps_out_printf(p->out, "        Encrypted: %u octets\n", u->len >= 4 ? u->len - 4u : u->len);
		pr_hexdump(p, u->payload, u->len >= 4 ? u->len - 4u : u->len);
		mic_line(p, &it);
		break;
	case PR_LL_RFU:
		pr_hexdump(p, u->payload, u->len);
		break;
	}
}
