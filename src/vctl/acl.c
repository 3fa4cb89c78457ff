/* ACL data through the virtual controllers (Core Vol 4 Part E §4.1 flow control, §5.4.2 ACL packets,
 * §7.7.19 Number of Completed Packets; Vol 6 Part B §2.4 data PDUs, Vol 6 Part E AES-CCM): host
 * fragments become LL data PDUs of at most the connection's max TX octets, encrypted with the packet
 * counter and MIC once encryption is on, faults applied on demand, and the peer's host receives each
 * PDU as one ACL packet (PB 10 start, 01 continuation). */
#include "vctl/vctl_int.h"
#include "base/bytes.h"
#include <stdlib.h>
#include <string.h>

void vctl_end_release(struct ps_vctl_link *l, struct air_end *e)
{
	struct ps_vctl *c = vctl_get(l, e->ctl);
	if (c)
		c->acl_used -= e->inflight < c->acl_used ? e->inflight : c->acl_used;
	e->inflight = e->completed = 0;
	e->nheld = 0;
	e->have_swap = false;
	e->paused = false;
}

/* The sender's LL got the PDU acknowledged: one more packet to report in Number of Completed Packets. */
static void sent_complete(struct ps_vctl_link *l, struct air_conn *cn, int side)
{
	struct air_end *e = &cn->e[side];
	struct ps_vctl *c = vctl_get(l, e->ctl);
	if (!c || !e->alive)
		return;
	e->completed++;
	if (!c->nocp_sched) {
		c->nocp_sched = true;
		struct air_ev *ev = vctl_sched(l, l->now + c->f.nocp_delay_us, EV_NOCP);
		ev->ctl = c->index;
	}
}

void vctl_nocp(struct ps_vctl *c)
{
	struct ps_vctl_link *l = c->link;
	c->nocp_sched = false;
	uint8_t list[63 * 4];
	uint8_t n = 0;
	for (size_t k = 0; k < VCTL_LINK_MAX_CONN && n < 63; k++) {
		struct air_conn *cn = &l->conns[k];
		if (!cn->used)
			continue;
		for (int s = 0; s < 2; s++) {
			struct air_end *e = &cn->e[s];
			if (!e->alive || e->ctl != c->index || !e->completed)
				continue;
			struct ps_hci_elem_nocp ent = { .handle = e->handle, .count = (uint16_t)e->completed };
			size_t used = 0;
			if (ps_layout_encode(ps_list_nocp.elem, &ent, list + n * 4, 4, &used) < 0)
				continue;
			unsigned k2 = e->completed < e->inflight ? e->completed : e->inflight;
			e->inflight -= k2;
			c->acl_used -= k2 < c->acl_used ? k2 : c->acl_used;
			e->completed = 0;
			n++;
		}
	}
	if (!n)
		return;
	struct ps_hci_evt_num_completed_packets ev = { .num_handles = n, .entries = { n, list, (uint16_t)(n * 4) } };
	vctl_evt(c, ps_hci_evt_num_completed_packets_code, &ev);
}

static void air_send(struct ps_vctl_link *l, struct air_conn *cn, int side, uint8_t llid, const uint8_t *p,
		     size_t len, bool hci_last)
{
	struct air_end *e = &cn->e[side];
	struct ps_vctl *c = vctl_get(l, e->ctl);
	if (!c)
		return;
	struct air_ev *ev = vctl_sched(l, l->now + l->o.air_delay_us + c->f.delay_us, EV_PDU);
	ev->conn = (uint16_t)(cn - l->conns);
	ev->gen = cn->gen;
	ev->to = (uint8_t)!side;
	ev->llid = llid;
	ev->hci_last = hci_last;
	c->st.pdus_tx++;
	if (e->tx_enc && len > 0) {
		/* Vol 6 Part E §2: header octet 0 is the AAD source (masked inside), counter per direction */
		int rc = ps_crypto_ll_session_encrypt(e->ses, e->tx_ctr++, side == 0, llid, p, len, ev->data,
						      ev->data + len);
		ev->enc = 1;
		ev->len = (uint16_t)(len + 4);
		if (rc < 0 || c->f.mic_fail) {
			if (c->f.mic_fail)
				c->f.mic_fail--;
			ev->data[len] ^= 0x5a; /* forced MIC failure */
		}
	} else {
		memcpy(ev->data, p, len);
		ev->len = (uint16_t)len;
	}
}

static void hold(struct air_end *e, uint8_t llid, const uint8_t *p, size_t len, bool hci_last)
{
	if (ps_grow((void **)&e->held, &e->capheld, e->nheld, sizeof *e->held, 8) < 0)
		return;
	struct held_pdu *h = &e->held[e->nheld++];
	h->llid = llid;
	h->hci_last = hci_last;
	h->len = (uint16_t)len;
	memcpy(h->data, p, len);
}

/* Transmit one LL PDU from `side`. Data PDUs wait while the side is paused (encryption procedure,
 * Vol 6 Part B §5.1.3.1) and go through the fault settings; control PDUs go straight out. */
void vctl_tx_pdu(struct ps_vctl_link *l, struct air_conn *cn, int side, uint8_t llid, const uint8_t *p,
		 size_t len, bool hci_last, bool data)
{
	struct air_end *e = &cn->e[side];
	struct ps_vctl *c = vctl_get(l, e->ctl);
	if (!c || !e->alive)
		return;
	if (!data) {
		air_send(l, cn, side, llid, p, len, hci_last);
		return;
	}
	if (e->paused) {
		hold(e, llid, p, len, hci_last);
		return;
	}
	struct ps_vctl_faults *f = &c->f;
	if (f->drop) {
		f->drop--;
		if (hci_last)
			sent_complete(l, cn, side); /* lost on air, yet the sender counts it as sent */
		return;
	}
	if (f->reorder) {
		if (!e->have_swap) {
			e->have_swap = true;
			e->swap.llid = llid;
			e->swap.hci_last = hci_last;
			e->swap.len = (uint16_t)len;
			memcpy(e->swap.data, p, len);
			return;
		}
		f->reorder--;
		e->have_swap = false;
		air_send(l, cn, side, llid, p, len, hci_last);
		air_send(l, cn, side, e->swap.llid, e->swap.data, e->swap.len, e->swap.hci_last);
		return;
	}
	if (f->duplicate) {
		f->duplicate--;
		air_send(l, cn, side, llid, p, len, false);
	}
	air_send(l, cn, side, llid, p, len, hci_last);
}

void vctl_resume(struct ps_vctl_link *l, struct air_conn *cn, int side)
{
	struct air_end *e = &cn->e[side];
	e->paused = false;
	size_t n = e->nheld;
	e->nheld = 0;
	for (size_t i = 0; i < n && !e->paused; i++) {
		struct held_pdu h = e->held[i];
		vctl_tx_pdu(l, cn, side, h.llid, h.data, h.len, h.hci_last, true);
	}
}

void vctl_rx_pdu(struct ps_vctl_link *l, struct air_ev *ev)
{
	if (ev->conn >= VCTL_LINK_MAX_CONN)
		return;
	struct air_conn *cn = &l->conns[ev->conn];
	if (!cn->used || cn->gen != ev->gen)
		return;
	int rs = ev->to;
	struct air_end *r = &cn->e[rs];
	if (!r->alive)
		return; /* nobody listening: the sender will time out */
	struct ps_vctl *c = vctl_get(l, r->ctl);
	if (!c)
		return;
	if (ev->hci_last)
		sent_complete(l, cn, !rs);
	c->st.pdus_rx++;
	uint8_t plain[VCTL_LL_MAX + 8];
	size_t len = ev->len;
	const uint8_t *p = ev->data;
	if (ev->enc || r->rx_enc) {
		/* An unencrypted PDU on an encrypted link, or the other way round, fails the MIC check too. */
		int rc = -PS_ECRYPTO;
		if (ev->enc && r->rx_enc && len >= 4) {
			len -= 4;
			rc = ps_crypto_ll_session_decrypt(r->ses, r->rx_ctr, rs == 1, ev->llid, p, len, p + len,
							  plain);
			r->rx_ctr++;
			p = plain;
		}
		if (rc < 0) {
			/* Vol 6 Part B §5.1.3.1: MIC failure ends the connection at once (0x3D); the peer
			 * hears nothing more and times out. */
			c->st.mic_failures++;
			vctl_conn_lost(l, cn, rs, ST_MIC_FAILURE, true);
			return;
		}
	}
	if (ev->llid == PS_LLID_CTRL) {
		vctl_ll_ctrl(l, cn, rs, p, len);
		return;
	}
	if (!len)
		return; /* empty PDU */
	uint8_t b[4 + VCTL_LL_MAX];
	uint16_t pb = ev->llid == PS_LLID_START ? 0x2 : 0x1;
	ps_put_le(b, (uint16_t)(r->handle | pb << 12), 2);
	ps_put_le(b + 2, len, 2);
	memcpy(b + 4, p, len);
	vctl_out(c, PS_H4_ACL, b, 4 + len);
}

/* Host ACL packet (handle+flags, length, data) into the controller's buffers. */
void vctl_acl_from_host(struct ps_vctl *c, const uint8_t *p, size_t len)
{
	struct ps_vctl_link *l = c->link;
	uint16_t hf = (uint16_t)ps_get_le(p, 2), dlen = (uint16_t)ps_get_le(p + 2, 2);
	uint16_t handle = hf & 0x0fff;
	uint8_t pb = hf >> 12 & 3, bc = hf >> 14 & 3;
	if (dlen != len - 4 || dlen > c->o.acl_len || bc != 0 || pb == 3) {
		c->st.framing_errors++; /* longer than the buffer, broadcast or a reserved PB: not LE ACL */
		return;
	}
	int side;
	struct air_conn *cn = vctl_conn_by_handle(c, handle, &side);
	if (!cn) {
		c->st.acl_unknown_handle++;
		return;
	}
	/* §4.1.1: a host that ignores the credits overflows the buffers. */
	if (c->acl_used >= c->o.acl_num) {
		c->st.acl_overflow++;
		struct ps_hci_evt_data_buffer_overflow e = { .link_type = 0x01 };
		vctl_evt(c, ps_hci_evt_data_buffer_overflow_code, &e);
		return;
	}
	struct air_end *e = &cn->e[side];
	c->acl_used++;
	e->inflight++;
	if (!dlen) {
		sent_complete(l, cn, side);
		return;
	}
	/* PB 00 (first non-flushable) or 10 starts an L2CAP PDU, 01 continues one. */
	uint8_t llid = pb == 1 ? PS_LLID_CONT : PS_LLID_START;
	const uint8_t *d = p + 4;
	for (size_t off = 0; off < dlen;) {
		size_t k = dlen - off < e->max_tx ? dlen - off : e->max_tx;
		vctl_tx_pdu(l, cn, side, off ? PS_LLID_CONT : llid, d + off, k, off + k == dlen, true);
		off += k;
	}
}
