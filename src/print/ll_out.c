/* Link-layer frames as summary lines and JSON Lines (docs/decode-ll.md). Field names come from the
 * ll_adv.def / ll_ctrl.def tables and, for L2CAP reassembled from data PDUs, from the SMP / ATT /
 * L2CAP tables, exactly as for HCI frames. */
#include "print/ll_int.h"
#include <stdio.h>

/* The levels a frame decodes to: outer = the LL PDU, inner = the L2CAP frame when complete. */
static void levels(const struct pr_ll_item *ll, struct pr_item *it)
{
	memset(it, 0, sizeof *it);
	it->dir = '>';
	it->layers = PS_ONLY_LL;
	struct pr_level *out = &it->outer;
	out->proto = "LL";
	out->name = ll->name;
	out->l = ll->l;
	out->code = ll->code;
	switch (ll->kind) {
	case PR_LL_ADV:
	case PR_LL_CTRL:
		out->d = ll->d;
		out->len = ll->len;
		break;
	case PR_LL_ENC:
		out->d = ll->u.payload;
		out->len = ll->u.len >= 4 ? ll->u.len - 4u : ll->u.len;
		break;
	case PR_LL_DATA:
		if (ll->l2cap_rc == 1) {
			pr_l2cap_level(it, ll->cid, ll->l2, ll->l2len);
			it->layers |= PS_ONLY_LL;
			break;
		}
		it->fragment = ll->l2cap_rc == 0;
		out->d = ll->u.payload;
		out->len = ll->u.len;
		break;
	case PR_LL_MALFORMED:
		it->bad = true;
		it->why = "header length past the captured octets";
		break;
	case PR_LL_EMPTY:
	case PR_LL_RFU:
		out->d = ll->u.payload;
		out->len = ll->u.len;
		break;
	}
}

/* Walk and classify one LL frame for the summary and JSON printers; false when --only hides it. */
static bool ll_item(struct ps_printer *p, const struct ps_frame *f, struct pr_ll_item *ll, struct pr_item *it)
{
	pr_ll_walk(p, f, ll);
	levels(ll, it);
	return pr_item_shown(p, it);
}

static void mic_hex(struct ps_out *o, const uint8_t *m)
{
	ps_out_hexstr(o, m, 4);
}

void pr_ll_summary(struct ps_printer *p, const struct ps_frame *f)
{
	struct pr_ll_item ll;
	struct pr_item it;
	if (!ll_item(p, f, &ll, &it))
		return;
	struct ps_out *o = p->out;
	char tb[64];
	size_t tn = pr_time(p, f, tb, sizeof tb);
	ps_out_u64(o, f->number);
	ps_out_putc(o, ' ');
	ps_out_write(o, tb, tn);
	ps_out_write(o, " > LL ", 6);
	if (pr_ll_channel(f) >= 0) {
		ps_out_write(o, "ch ", 3);
		ps_out_u64(o, (uint64_t)pr_ll_channel(f));
		ps_out_putc(o, ' ');
	}
	ps_out_printf(o, "AA %08x ", (unsigned)ll.u.aa);
	if (ll.dir >= 0) {
		ps_out_puts(o, pr_ll_dir_str(&ll));
		ps_out_putc(o, ' ');
	}
	uint8_t rec[1024];
	const struct pr_level *lv = it.has_inner ? &it.inner : &it.outer;
	if (it.has_inner) {
		ps_out_puts(o, lv->proto);
		ps_out_putc(o, ' ');
	}
	ps_out_puts(o, pr_name(p, lv->name));
	if (ll.retransmit)
		ps_out_puts(o, " retransmission");
	else if (it.fragment)
		ps_out_puts(o, " fragment");
	else if (ll.kind == PR_LL_DATA && ll.l2cap_rc < 0)
		ps_out_printf(o, " (%s)", ll.why ? ll.why : "reassembly failed");
	else if (!it.bad && pr_item_decode(&it, &lv, rec, sizeof rec))
		pr_summary_keys(o, lv->l, rec);
	if (ll.kind == PR_LL_ENC && ll.mic) {
		ps_out_write(o, " mic=", 5);
		mic_hex(o, ll.mic);
	}
	ps_out_putc(o, '\n');
	if (it.bad)
		pr_damage(p, it.why);
}

static void jbool(struct ps_out *o, bool *first, const char *k, bool v)
{
	pr_json_key(o, first, k);
	ps_out_puts(o, v ? "true" : "false");
}

static void jnum(struct ps_out *o, bool *first, const char *k, int64_t v)
{
	pr_json_key(o, first, k);
	ps_out_i64(o, v);
}

/* "ll": what the sniffer and the LL header say. */
static void jll(struct ps_out *o, bool *first, const struct ps_frame *f, const struct pr_ll_item *ll)
{
	const struct ps_ll_pdu *u = &ll->u;
	char aa[12];
	pr_json_key(o, first, "ll");
	bool f2 = true;
	ps_out_putc(o, '{');
	snprintf(aa, sizeof aa, "%08x", (unsigned)u->aa);
	pr_json_key(o, &f2, "aa");
	pr_json_str(o, aa);
	if (pr_ll_channel(f) >= 0) {
		jnum(o, &f2, "channel", pr_ll_channel(f));
		jnum(o, &f2, "phy", f->ll.phy);
	}
	if (f->ll.rssi)
		jnum(o, &f2, "rssi", f->ll.rssi);
	if (ll->kind != PR_LL_MALFORMED) {
		if (ll->dir >= 0) {
			pr_json_key(o, &f2, "direction");
			pr_json_str(o, ll->dir ? "C->P" : "P->C");
			jbool(o, &f2, "direction_guessed", ll->dir_guessed);
		}
		pr_json_key(o, &f2, "header");
		bool f3 = true;
		ps_out_putc(o, '{');
		if (u->adv) {
			jnum(o, &f3, "type", u->adv_type);
			jnum(o, &f3, "tx_add", u->tx_add);
			jnum(o, &f3, "rx_add", u->rx_add);
			jnum(o, &f3, "ch_sel", u->ch_sel);
		} else {
			jnum(o, &f3, "llid", u->llid);
			jnum(o, &f3, "nesn", u->nesn);
			jnum(o, &f3, "sn", u->sn);
			jnum(o, &f3, "md", u->md);
			jnum(o, &f3, "cp", u->cp);
		}
		jnum(o, &f3, "len", u->len);
		ps_out_putc(o, '}');
	}
	if (u->has_crc) {
		jnum(o, &f2, "crc", u->crc);
		if (ll->crc_state == PR_LL_CRC_OK || ll->crc_state == PR_LL_CRC_BAD)
			jbool(o, &f2, "crc_ok", ll->crc_state == PR_LL_CRC_OK);
	}
	if (ll->retransmit)
		jbool(o, &f2, "retransmission", true);
	if (ll->kind == PR_LL_ENC)
		jbool(o, &f2, "encrypted", true);
	if (ll->decrypted)
		jbool(o, &f2, "decrypted", true);
	if (ll->plain_guess)
		jbool(o, &f2, "plaintext_guess", true);
	if (ll->mic) {
		pr_json_key(o, &f2, "mic");
		ps_out_putc(o, '"');
		mic_hex(o, ll->mic);
		ps_out_putc(o, '"');
		if (ll->mic_state == PR_LL_CRC_OK || ll->mic_state == PR_LL_CRC_BAD)
			jbool(o, &f2, "mic_ok", ll->mic_state == PR_LL_CRC_OK);
	}
	ps_out_putc(o, '}');
}

void pr_ll_json(struct ps_printer *p, const struct ps_frame *f)
{
	struct pr_ll_item ll;
	struct pr_item it;
	if (!ll_item(p, f, &ll, &it))
		return;
	struct ps_out *o = p->out;
	bool first = true;
	char tb[64];
	size_t tn = pr_time(p, f, tb, sizeof tb);
	tb[tn] = 0;
	pr_json_frame_start(o, &first, f, tb);
	pr_json_key(o, &first, "dir");
	pr_json_str(o, ">");
	jll(o, &first, f, &ll);
	pr_json_level(o, &first, "packet", &it.outer);
	if (it.fragment)
		jbool(o, &first, "fragment", true);
	if (ll.kind == PR_LL_DATA && ll.why) {
		pr_json_key(o, &first, ll.l2cap_rc < 0 ? "l2cap_error" : "l2cap_note");
		pr_json_str(o, ll.why ? ll.why : "reassembly failed");
	}
	if (it.has_inner) {
		jnum(o, &first, "cid", it.cid);
		pr_json_level(o, &first, "l2cap", &it.inner);
	}
	if (it.bad) {
		pr_json_key(o, &first, "error");
		pr_json_str(o, it.why);
		pr_damage(p, it.why);
	}
	ps_out_write(o, "}\n", 2);
}
