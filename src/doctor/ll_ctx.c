/* Link-layer sniffer captures (Core Vol 6 Part B): CONNECT_IND (§2.3.3.1) opens a connection with both
 * addresses (initiator = central), data channel PDUs (§2.4: LLID 2 start, 1 continuation) carry L2CAP,
 * LL_ENC_REQ / LL_START_ENC_REQ (§5.1.3.1) start encryption, LL_TERMINATE_IND (§2.4.2.3) ends the link.
 * Direction comes from the sniffer when it knows it, else from the guess shared with decode and crack
 * (proto/ll.h ps_ll_dir_next: §4.5.1 channel alternation, then T_IFS timing). */
#include "doctor/doctor_int.h"
#include "proto/acl.h"
#include "proto/ll.h"
#include <string.h>

/* The access address names the link (§2.1.2), whichever capture interface heard it: a pcapng may hold
 * several (Ubertooth and others write one per radio or per link type), each its own "controller". */
static struct dr_conn *by_aa(struct ps_doctor *d, uint32_t aa)
{
	for (size_t i = d->nconns; i-- > 0;)
		if (d->conns[i].open && d->conns[i].sniffed && d->conns[i].aa == aa)
			return &d->conns[i];
	return NULL;
}

static struct dr_conn *open_ll(struct ps_doctor *d, uint16_t index, uint32_t aa)
{
	/* Sniffed links have no HCI handle: number them 1, 2, ... in order of appearance. */
	uint16_t h = 1;
	for (size_t i = 0; i < d->nconns; i++)
		if (d->conns[i].sniffed && d->conns[i].index == index)
			h++;
	struct dr_conn *c = dr_conn_open(d, index, h);
	if (c) {
		c->sniffed = true;
		c->aa = aa;
		c->role = 0; /* "local" = the central, so tx = sent by the central */
		c->ll_dir = PS_LL_DIR_INIT;
		c->ll_sn[0] = c->ll_sn[1] = 0xff;
	}
	return c;
}

static void connect_ind(struct ps_doctor *d, struct dr_ctrl *ctl, const struct ps_ll_pdu *u)
{
	struct ps_lladv_connect_ind ci;
	size_t used;
	const struct ps_layout *l = ps_lladv_layout(ps_lladv_connect_ind_code);
	if (!l || ps_layout_decode_prefix(l, u->payload, u->len, &ci, &used) < 0)
		return;
	struct dr_conn *c = by_aa(d, ci.access_addr);
	if (c && c->local.known)
		return; /* the same CONNECT_IND seen again */
	if (!c && !(c = open_ll(d, ctl->index, ci.access_addr)))
		return;
	c->ll_crc_init = ci.crc_init;
	c->ll_crc_known = true;
	c->local = (struct dr_party){ true, false, u->tx_add, { 0 } };
	memcpy(c->local.a, ci.init_addr, 6);
	c->peer = (struct dr_party){ true, false, u->rx_add, { 0 } };
	memcpy(c->peer.a, ci.adv_addr, 6);
}

static void control(struct ps_doctor *d, struct dr_conn *c, bool central, const uint8_t *p, size_t n)
{
	if (n < 1)
		return;
	const struct ps_layout *l = ps_llctrl_layout(p[0]);
	size_t used;
	switch (p[0]) {
	case ps_llctrl_enc_req_code: {
		struct ps_llctrl_enc_req r;
		if ((central || c->dir_guessed) && l && ps_layout_decode_prefix(l, p + 1, n - 1, &r, &used) == 0) {
			memcpy(c->skd_c, r.skd_c, 8);
			for (int i = 0; i < 4; i++)
				c->iv[i] = (uint8_t)(r.iv_c >> (8 * i));
			c->ll_have = 1;
			dr_enc_key_given(d, c, NULL, r.ediv, r.rand, true);
		}
		break;
	}
	case ps_llctrl_enc_rsp_code: {
		struct ps_llctrl_enc_rsp r;
		if ((!central || c->dir_guessed) && l && ps_layout_decode_prefix(l, p + 1, n - 1, &r, &used) == 0 &&
		    (c->ll_have & 1)) {
			memcpy(c->skd_p, r.skd_p, 8);
			for (int i = 0; i < 4; i++)
				c->iv[4 + i] = (uint8_t)(r.iv_p >> (8 * i));
			c->ll_have |= 2;
		}
		break;
	}
	case ps_llctrl_start_enc_req_code:
		/* §5.1.3.1: from here both directions are encrypted. */
		c->ll_enc = true;
		dr_enc_change(d, c, 0, true, false);
		break;
	case ps_llctrl_reject_ind_code:
	case ps_llctrl_reject_ext_ind_code: {
		/* An LL_ENC_REQ refused: the error code is the last octet (Vol 1 Part F). */
		struct dr_pairing *pp = c->pairing >= 0 ? &d->pairings[c->pairing] : NULL;
		if (pp && pp->enc_started && !pp->enc_on && n >= 2)
			dr_enc_change(d, c, p[n - 1], false, false);
		break;
	}
	case ps_llctrl_terminate_ind_code:
		if (n >= 2)
			dr_hci_disconnected(d, c->index, c->handle, p[1]);
		break;
	default:
		break;
	}
}

/* After encryption started, a capture that does not flag decrypted packets may still hold plaintext
 * (crackle writes decrypted files without the MIC and without a flag). A start PDU is taken as plaintext
 * when its basic L2CAP header is consistent: a fixed LE channel and a length that fills the PDU exactly,
 * or a first fragment of the largest sizes. For ciphertext that is a 1 in 10^8 coincidence. Continuations
 * ride on their start: the reassembler drops them without one. */
static bool plaintext(const struct ps_ll_pdu *u)
{
	if (u->llid == PS_LLID_CONT)
		return true;
	if (u->llid != PS_LLID_START || u->len < 4)
		return false;
	unsigned l2len = (unsigned)(u->payload[0] | u->payload[1] << 8), cid = (unsigned)(u->payload[2] | u->payload[3] << 8);
	if (cid < 0x0004 || cid > 0x0006)
		return false;
	return l2len + 4 == u->len || ((u->len == 27 || u->len == 251) && l2len + 4 > u->len && l2len < 512);
}

/* §4.5.9: a PDU the peer did not acknowledge is sent again with the same SN and the same content; the
 * sniffer sees both. Only the first is the sender's. With guessed directions either side's last PDU
 * may be the original. */
static bool retransmission(struct dr_conn *c, bool central, const struct ps_ll_pdu *u)
{
	uint32_t h = ps_ll_pdu_hash(u);
	bool again = (c->ll_sn[central] == u->sn && c->ll_hash[central] == h) ||
		     (c->dir_guessed && c->ll_sn[!central] == u->sn && c->ll_hash[!central] == h);
	c->ll_sn[central] = u->sn;
	c->ll_hash[central] = h;
	return again && u->len > 0;
}

void dr_ll_frame(struct ps_doctor *d, struct dr_ctrl *ctl, const struct ps_frame *f)
{
	struct ps_ll_pdu u;
	if (ps_ll_pdu_split(f->data, f->len, (f->ll.flags & PS_LL_HAS_CRC) != 0, &u) < 0)
		return;
	/* Damaged on the air: the sniffer's CRC verdict, else ours (Ubertooth, DLT 251 set no flag): §3.1.1
	 * with CRCInit (0x555555 on the advertising channels). A damaged PDU would feed wrong values (a
	 * confirm) to the checks. */
	bool damaged = (f->ll.flags & PS_LL_CRC_CHECKED) && !(f->ll.flags & PS_LL_CRC_OK);
	bool crc_ours = !(f->ll.flags & PS_LL_CRC_CHECKED) && u.has_crc;
	if (u.adv) {
		if (damaged || (crc_ours && ps_ll_crc24(PS_LL_ADV_CRC_INIT, f->data + 4, 2u + u.len) != u.crc))
			return;
		if (u.adv_type == ps_lladv_connect_ind_code)
			connect_ind(d, ctl, &u);
		return;
	}
	struct dr_conn *c = by_aa(d, u.aa);
	if (!c && (damaged || !(c = open_ll(d, ctl->index, u.aa))))
		return;
	/* Once encrypted, a mismatch proves nothing: decrypted rewrites (crackle -o) keep the ciphertext's CRC. */
	if (crc_ours && c->ll_crc_known && !c->ll_enc && ps_ll_crc24(c->ll_crc_init, f->data + 4, 2u + u.len) != u.crc)
		damaged = true;
	/* The sniffer's direction, else the guess shared with decode and crack (proto/ll.h); a damaged PDU
	 * was still sent in its event, so it moves the guess on too. */
	bool central = ps_ll_dir_next(&c->ll_dir, f, &c->dir_guessed);
	if (damaged)
		return;
	if (retransmission(c, central, &u))
		return; /* the same PDU again: nothing new happened */
	if (u.len == 0)
		return; /* empty PDU */
	size_t n = u.len;
	if (c->ll_enc && (central || c->dir_guessed) && u.llid == PS_LLID_CTRL && n == 5 && (c->ll_have & 3) == 3 &&
	    !(c->ll_have & 4) && !(f->ll.flags & PS_LL_DECRYPTED)) {
		/* §5.1.3.1: the central's LL_START_ENC_RSP is the first encrypted PDU (counter 0): with the
		 * STK it must decrypt and its MIC verify. Kept for crypto_verify.c. */
		c->ll_hdr0 = u.hdr0;
		memcpy(c->ll_pdu, u.payload, 5);
		c->ll_have |= 4;
		return;
	}
	if (c->ll_enc && !(f->ll.flags & PS_LL_DECRYPTED) && !plaintext(&u)) {
		struct dr_pairing *pp = c->pairing >= 0 ? &d->pairings[c->pairing] : NULL;
		if (pp && !pp->complete && u.llid != PS_LLID_CONT)
			pp->opaque = true;
		if (u.llid != PS_LLID_CONT)
			return;
	}
	/* The nRF Sniffer (DLT 272, 157) decrypts in place and keeps the 4-octet MIC (Vol 6 Part E §2),
	 * counted in the header length: it is not data. */
	if ((f->ll.flags & PS_LL_DECRYPTED) && (f->dlt == 272 || f->dlt == 157) && n >= 5)
		n -= 4;
	if (u.llid == PS_LLID_CTRL)
		control(d, c, central, u.payload, n);
	else if (u.llid == PS_LLID_START || u.llid == PS_LLID_CONT)
		dr_l2cap_frame(d, c, central, c->handle, u.llid == PS_LLID_START ? PS_ACL_PB_START : PS_ACL_PB_CONT,
			       u.payload, n);
}
