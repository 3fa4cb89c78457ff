/* Link-layer state for the printers (Core Vol 6 Part B): connections by access address, opened by
 * CONNECT_IND (§2.3.3.1, which also gives the CRC init) or by their first data PDU; encryption from
 * LL_START_ENC_REQ on (§5.1.3.1: every later non-empty PDU carries a MIC); L2CAP reassembled per
 * connection and direction from LLID 2 (start) and 1 (continuation) PDUs (§2.4). Direction comes
 * from the sniffer when it knows it, else from the guess shared with doctor and crack (§4.5.1
 * channel alternation, then timing; proto/ll.h ps_ll_dir_next). The table is fixed (PR_LL_CONNS,
 * least recently seen recycled) so memory is bounded. */
#include "print/ll_int.h"
#include "proto/acl.h"
#include "proto/l2cap.h"
#include <stdio.h>

static struct pr_ll_conn *conn_find(struct ps_printer *p, uint32_t aa)
{
	for (unsigned i = 0; i < PR_LL_CONNS; i++)
		if (p->ll[i].used && p->ll[i].aa == aa)
			return &p->ll[i];
	return NULL;
}

/* A fresh entry for aa: a free one or the least recently seen, whose partial L2CAP frames go too. */
static struct pr_ll_conn *conn_open(struct ps_printer *p, uint32_t aa)
{
	struct pr_ll_conn *c = &p->ll[0];
	for (unsigned i = 0; i < PR_LL_CONNS; i++) {
		if (!p->ll[i].used) {
			c = &p->ll[i];
			break;
		}
		if (p->ll[i].stamp < c->stamp)
			c = &p->ll[i];
	}
	if (p->ll_acl)
		ps_acl_drop(p->ll_acl, 0, (uint16_t)(c - p->ll));
	*c = (struct pr_ll_conn){ .aa = aa, .used = true, .last_sn = { 0xff, 0xff }, .last_chan = -1 };
	return c;
}

/* After encryption started, a capture without a "decrypted" flag may still hold plaintext (crackle
 * writes its decrypted files so). A start PDU is taken as plaintext when its basic L2CAP header fits:
 * a fixed LE channel and a length that fills the PDU exactly (or a first fragment of the largest
 * sizes). For ciphertext that is a 1 in 10^8 coincidence. Same rule as the doctor's. */
static bool plaintext_guess(const struct ps_ll_pdu *u)
{
	if (u->llid != PS_LLID_START || u->len < 4)
		return false;
	unsigned l2len = (unsigned)(u->payload[0] | u->payload[1] << 8);
	unsigned cid = (unsigned)(u->payload[2] | u->payload[3] << 8);
	if (cid < PS_L2CAP_CID_ATT || cid > PS_L2CAP_CID_SMP)
		return false;
	return l2len + 4 == u->len || ((u->len == 27 || u->len == 251) && l2len + 4 > u->len && l2len < 512);
}

static void crc_check(const struct ps_frame *f, const struct pr_ll_conn *c, struct pr_ll_item *it)
{
	const struct ps_ll_pdu *u = &it->u;
	if (!u->has_crc) {
		it->crc_state = PR_LL_CRC_NONE;
	} else if (f->ll.flags & PS_LL_CRC_CHECKED) {
		it->crc_state = (f->ll.flags & PS_LL_CRC_OK) ? PR_LL_CRC_OK : PR_LL_CRC_BAD;
	} else if (u->adv || (c && c->crc_known)) {
		/* §3.1.1 over header + payload, which follow the 4-octet access address */
		it->crc_expect = ps_ll_crc24(u->adv ? PS_LL_ADV_CRC_INIT : c->crc_init, f->data + 4, 2u + u->len);
		it->crc_state = it->crc_expect == u->crc ? PR_LL_CRC_OK : PR_LL_CRC_BAD;
		/* Decrypted rewrites of a capture (crackle -o) keep the ciphertext's CRC: once the link
		 * is encrypted, a mismatch says nothing. */
		if (it->crc_state == PR_LL_CRC_BAD && c && c->enc)
			it->crc_state = PR_LL_CRC_UNCHECKED;
	} else {
		it->crc_state = PR_LL_CRC_UNCHECKED;
	}
}

static void mic_state(const struct ps_frame *f, struct pr_ll_item *it)
{
	if (!it->mic)
		it->mic_state = PR_LL_CRC_NONE;
	else if (f->ll.flags & PS_LL_MIC_CHECKED)
		it->mic_state = (f->ll.flags & PS_LL_MIC_OK) ? PR_LL_CRC_OK : PR_LL_CRC_BAD;
	else
		it->mic_state = PR_LL_CRC_UNCHECKED;
}

static void advertising(struct ps_printer *p, struct pr_ll_item *it)
{
	const struct ps_ll_pdu *u = &it->u;
	it->kind = PR_LL_ADV;
	it->code = u->adv_type;
	it->l = ps_lladv_layout(u->adv_type);
	it->name = it->l ? it->l->label : "Unknown advertising PDU";
	it->d = u->payload;
	it->len = u->len;
	if (u->adv_type != ps_lladv_connect_ind_code || it->crc_state == PR_LL_CRC_BAD)
		return;
	struct ps_lladv_connect_ind ci;
	if (!it->l || ps_layout_decode(it->l, u->payload, u->len, &ci) < 0)
		return;
	/* A new connection (or the same CONNECT_IND heard again): its state starts clean. */
	struct pr_ll_conn *c = conn_find(p, ci.access_addr);
	if (!c || c->crc_init != ci.crc_init || c->enc) {
		c = c ? c : conn_open(p, ci.access_addr);
		if (p->ll_acl)
			ps_acl_drop(p->ll_acl, 0, (uint16_t)(c - p->ll));
		*c = (struct pr_ll_conn){ .aa = ci.access_addr, .used = true, .last_sn = { 0xff, 0xff }, .last_chan = -1 };
	}
	c->crc_init = ci.crc_init;
	c->crc_known = true;
	c->stamp = ++p->ll_clock;
}

/* The sniffer decrypted it but the MIC may still be there: strip it when the lengths say so. */
static size_t strip_mic(struct pr_ll_item *it, size_t n)
{
	const uint8_t *d = it->u.payload;
	if (n < 5)
		return n;
	if (it->u.llid == PS_LLID_CTRL) {
		const struct ps_layout *l = ps_llctrl_layout(d[0]);
		if (l && !ps_layout_variable(l) && n == 1u + ps_layout_min_len(l) + 4u) {
			it->mic = d + n - 4;
			return n - 4;
		}
	} else if (it->u.llid == PS_LLID_START && n >= 8 && (size_t)(d[0] | d[1] << 8) + 8 == n) {
		it->mic = d + n - 4;
		return n - 4;
	}
	return n;
}

static void reassemble(struct ps_printer *p, struct pr_ll_conn *c, struct pr_ll_item *it, size_t n)
{
	if (!p->ll_acl && !(p->ll_acl = ps_acl_new(2 * PR_LL_CONNS + 2))) {
		it->l2cap_rc = -PS_ENOMEM;
		it->why = "failed buffer allocation";
		return;
	}
	struct ps_acl_hdr h = { .handle = (uint16_t)(c - p->ll),
				.flags = it->u.llid == PS_LLID_START ? PS_ACL_PB_START : PS_ACL_PB_CONT,
				.dlen = (uint16_t)n };
	struct ps_acl_pdu out;
	it->l2cap_rc = ps_acl_push(p->ll_acl, 0, it->dir == 0, &h, it->u.payload, n, &out);
	if (it->l2cap_rc == -PS_EPROTO && it->u.llid == PS_LLID_START) {
		/* A sniffer missed the end of the previous frame: unlike btmon with ACL, keep this start
		 * (the partial frame is gone already), and say what was lost. */
		it->l2cap_rc = ps_acl_push(p->ll_acl, 0, it->dir == 0, &h, it->u.payload, n, &out);
		it->why = it->l2cap_rc >= 0 ? "previous frame incomplete (fragments missed)" : out.why;
	} else {
		it->why = out.why;
	}
	c->partial[it->dir] = it->l2cap_rc == 0;
	if (it->l2cap_rc == 1) {
		it->cid = out.cid;
		it->l2 = out.data;
		it->l2len = out.len;
	}
}

void pr_ll_walk(struct ps_printer *p, const struct ps_frame *f, struct pr_ll_item *it)
{
	memset(it, 0, sizeof *it);
	it->dir = -1;
	if (ps_ll_pdu_split(f->data, f->len, (f->ll.flags & PS_LL_HAS_CRC) != 0, &it->u) < 0) {
		it->kind = PR_LL_MALFORMED;
		it->name = "Malformed packet";
		return;
	}
	const struct ps_ll_pdu *u = &it->u;
	p->ll_tx_add = u->tx_add;
	p->ll_rx_add = u->rx_add;
	if (u->adv) {
		crc_check(f, NULL, it);
		advertising(p, it);
		return;
	}
	struct pr_ll_conn *c = conn_find(p, u->aa);
	if (!c)
		c = conn_open(p, u->aa);
	c->stamp = ++p->ll_clock;
	crc_check(f, c, it);
	/* The sniffer's direction, else the shared guess (proto/ll.h ps_ll_dir_next). */
	struct ps_ll_dir st = { .ts_us = c->last_ts, .chan = c->last_chan, .central = c->last_central, .seen = true };
	bool central = ps_ll_dir_next(&st, f, &it->dir_guessed);
	it->dir = central;
	c->last_central = central;
	c->last_ts = st.ts_us;
	c->last_chan = st.chan;
	it->code = u->llid;
	if (it->crc_state == PR_LL_CRC_BAD) {
		/* damaged on the air: show it, but let it change nothing */
		it->kind = PR_LL_RFU;
		it->name = "Damaged PDU";
		return;
	}
	uint32_t h = ps_ll_pdu_hash(u);
	it->retransmit = u->len > 0 && c->last_sn[central] == u->sn && c->last_hash[central] == h;
	c->last_sn[central] = u->sn;
	c->last_hash[central] = h;
	if (u->len == 0) {
		it->kind = PR_LL_EMPTY;
		it->name = "Empty PDU";
		return;
	}
	if (u->llid == PS_LLID_RFU) {
		it->kind = PR_LL_RFU;
		it->name = "Reserved LLID";
		return;
	}
	it->decrypted = (f->ll.flags & PS_LL_DECRYPTED) != 0;
	bool enc = !it->decrypted && (c->enc || (f->ll.flags & PS_LL_ENCRYPTED));
	if (enc && (plaintext_guess(u) || (u->llid == PS_LLID_CONT && c->partial[central]))) {
		/* continuations ride on a start taken as plaintext */
		it->plain_guess = true;
		enc = false;
	}
	if (enc) {
		it->kind = PR_LL_ENC;
		it->name = u->llid == PS_LLID_CTRL    ? "Encrypted LL Control"
			   : u->llid == PS_LLID_START ? "Encrypted L2CAP start"
						      : "Encrypted L2CAP cont";
		if (u->len >= 4)
			it->mic = u->payload + u->len - 4;
		mic_state(f, it);
		return;
	}
	size_t n = it->decrypted ? strip_mic(it, u->len) : u->len;
	mic_state(f, it);
	if (u->llid == PS_LLID_CTRL) {
		it->kind = PR_LL_CTRL;
		it->code = u->payload[0];
		it->l = ps_llctrl_layout(u->payload[0]);
		it->name = it->l ? it->l->label : "Unknown LL control";
		it->d = u->payload + 1;
		it->len = n - 1;
		if (it->retransmit)
			return;
		if (it->code == ps_llctrl_start_enc_req_code)
			c->enc = true; /* §5.1.3.1: the PDUs after it are encrypted, both ways */
		else if (it->code == ps_llctrl_pause_enc_rsp_code)
			c->enc = false; /* §5.1.3.2: seen in plaintext, so the pause is over */
		return;
	}
	it->kind = PR_LL_DATA;
	it->name = u->llid == PS_LLID_START ? "L2CAP start" : "L2CAP continuation";
	if (it->dir_guessed && u->llid == PS_LLID_CONT && !c->partial[central] && c->partial[!central]) {
		/* only the other side has a frame to continue: the guess missed a packet, fix it */
		central = !central;
		it->dir = central;
		c->last_central = central;
	}
	if (!it->retransmit)
		reassemble(p, c, it, n);
}

int pr_ll_channel(const struct ps_frame *f) { return ps_ll_frame_channel(f); }

const char *pr_ll_dir_str(const struct pr_ll_item *it)
{
	if (it->dir < 0)
		return "";
	if (it->dir_guessed)
		return it->dir ? "C->P?" : "P->C?";
	return it->dir ? "C->P" : "P->C";
}
