/* L2CAP over LE for the host (Core Vol 3 Part A §3.1 basic frames, §2.1 LE fixed channels, §4 LE
 * signaling: Connection Parameter Update Request/Response §4.20-4.21, Command Reject §4.1) and the ACL
 * data path under it (Vol 4 Part E §5.4.2 packet boundary flags, §4.1.1 controller buffer credits). */
#include "host/host_int.h"
#include "base/bytes.h"
#include <pairscope/h4.h>
#include <string.h>

/* ---- transmit: fragments queued until the controller has a buffer ---- */

void host_tx_pump(struct ps_host *h)
{
	while (h->le_credits > 0 && h->txlen > 0) {
		struct host_frag *f = &h->txq[h->txhead];
		h->txhead = (h->txhead + 1) % HOST_TXQ;
		h->txlen--;
		struct host_conn *c = host_conn_find(h, f->handle);
		if (!c)
			continue; /* the link went away while queued */
		c->tx_queued--;
		c->tx_inflight++;
		h->le_credits--;
		uint8_t b[4 + HOST_FRAG];
		ps_put_le(b, (uint16_t)(f->handle | f->pb << 12), 2);
		ps_put_le(b + 2, f->len, 2);
		memcpy(b + 4, f->data, f->len);
		host_send_raw(h, PS_H4_ACL, b, 4u + f->len);
	}
}

void host_nocp(struct ps_host *h, uint16_t handle, uint16_t count)
{
	struct host_conn *c = host_conn_find(h, handle);
	if (!c)
		return;
	unsigned k = count < c->tx_inflight ? count : c->tx_inflight;
	c->tx_inflight -= k;
	h->le_credits = (uint16_t)(h->le_credits + k);
	if (h->le_credits > h->le_total)
		h->le_credits = h->le_total;
	if (h->cb.tx_done)
		h->cb.tx_done(h->cb.ctx, handle, c->tx_inflight + c->tx_queued);
}

void host_conn_drop_tx(struct ps_host *h, struct host_conn *c)
{
	/* mark the link's queued fragments dead: the pump skips fragments of unknown handles */
	uint16_t handle = c->info.handle;
	for (unsigned i = 0; i < h->txlen; i++) {
		struct host_frag *f = &h->txq[(h->txhead + i) % HOST_TXQ];
		if (f->handle == handle)
			f->handle = 0xffff;
	}
	c->tx_queued = 0;
	c->tx_inflight = 0;
}

int ps_host_l2cap_send(struct ps_host *h, uint16_t handle, uint16_t cid, const uint8_t *sdu, size_t len)
{
	struct host_conn *c = host_conn_find(h, handle);
	if (!c)
		return -PS_ENOENT;
	if (len > PS_HOST_MAX_SDU)
		return -PS_ERANGE;
	size_t frag = h->le_mtu < HOST_FRAG ? h->le_mtu : HOST_FRAG;
	if (!frag)
		return -PS_ESTATE;
	size_t total = len + 4, nfrag = (total + frag - 1) / frag;
	if (HOST_TXQ - h->txlen < nfrag)
		return -PS_ENOSPC;
	uint8_t *b = h->pkt;
	ps_put_le(b, len, 2);
	ps_put_le(b + 2, cid, 2);
	memcpy(b + 4, sdu, len);
	for (size_t off = 0; off < total; off += frag) {
		struct host_frag *f = &h->txq[(h->txhead + h->txlen) % HOST_TXQ];
		size_t k = total - off < frag ? total - off : frag;
		f->handle = handle;
		f->pb = off ? 0x1 : 0x0; /* §5.4.2: 00 first non-automatically-flushable, 01 continuation */
		f->len = (uint16_t)k;
		memcpy(f->data, b + off, k);
		h->txlen++;
		c->tx_queued++;
	}
	host_tx_pump(h);
	return 0;
}

unsigned ps_host_tx_pending(const struct ps_host *h, uint16_t handle)
{
	for (int i = 0; i < PS_HOST_MAX_CONN; i++)
		if (h->conn[i].used && h->conn[i].info.handle == handle)
			return h->conn[i].tx_inflight + h->conn[i].tx_queued;
	return 0;
}

/* ---- receive: reassembly and fixed channels ---- */

static void deliver(struct ps_host *h, struct host_conn *c, const uint8_t *pdu, size_t len)
{
	if (len < 4)
		return;
	uint16_t cid = (uint16_t)ps_get_le(pdu + 2, 2);
	const uint8_t *p = pdu + 4;
	size_t n = len - 4;
	switch (cid) {
	case PS_HOST_CID_SMP:
		if (h->cb.smp_rx)
			h->cb.smp_rx(h->cb.ctx, c->info.handle, p, n);
		break;
	case PS_HOST_CID_LE_SIGNALING:
		host_sig_rx(h, c, p, n);
		break;
	case PS_HOST_CID_ATT:
		if (h->cb.l2cap_rx)
			h->cb.l2cap_rx(h->cb.ctx, c->info.handle, cid, p, n);
		else
			host_att_rx(h, c, p, n);
		break;
	default:
		if (h->cb.l2cap_rx)
			h->cb.l2cap_rx(h->cb.ctx, c->info.handle, cid, p, n);
		break;
	}
}

void host_acl_rx(struct ps_host *h, const uint8_t *p, size_t len)
{
	if (len < 4)
		return;
	uint16_t hf = (uint16_t)ps_get_le(p, 2);
	uint16_t handle = hf & 0x0fff;
	uint8_t pb = hf >> 12 & 3;
	const uint8_t *d = p + 4;
	size_t n = len - 4;
	struct host_conn *c = host_conn_find(h, handle);
	if (!c) {
		host_log(h, "ACL data for an unknown handle");
		return;
	}
	if (pb == 0x2 || pb == 0x0) {
		if (c->rx_active)
			host_log(h, "L2CAP PDU cut short by a new start fragment");
		c->rx_active = false;
		/* the common case: the whole PDU in one fragment, no copy */
		if (n >= 4 && ps_get_le(d, 2) + 4 == n) {
			deliver(h, c, d, n);
			return;
		}
		c->rx_active = true;
		c->rx_len = 0;
		c->rx_need = 0;
	} else if (pb != 0x1 || !c->rx_active) {
		host_log(h, "unexpected ACL continuation fragment");
		return;
	}
	if (c->rx_len + n > sizeof c->rx) {
		host_log(h, "L2CAP PDU larger than the reassembly buffer: dropped");
		c->rx_active = false;
		return;
	}
	memcpy(c->rx + c->rx_len, d, n);
	c->rx_len = (uint16_t)(c->rx_len + n);
	if (!c->rx_need && c->rx_len >= 4) {
		uint32_t need = (uint32_t)ps_get_le(c->rx, 2) + 4;
		if (need > sizeof c->rx) {
			host_log(h, "L2CAP PDU larger than the reassembly buffer: dropped");
			c->rx_active = false;
			return;
		}
		c->rx_need = (uint16_t)need;
	}
	if (c->rx_need && c->rx_len >= c->rx_need) {
		c->rx_active = false;
		if (c->rx_len > c->rx_need)
			host_log(h, "ACL fragments longer than the L2CAP length: extra octets ignored");
		deliver(h, c, c->rx, c->rx_need);
	}
}

/* ---- LE signaling channel (§4) ---- */

int host_sig_send(struct ps_host *h, struct host_conn *c, uint8_t code, uint8_t id, const void *st)
{
	uint8_t b[4 + 64];
	size_t n = 0;
	const struct ps_layout *l = ps_l2cap_layout(code);
	if (!l || ps_layout_encode(l, st, b + 4, sizeof b - 4, &n) < 0)
		return -PS_EINVAL;
	b[0] = code;
	b[1] = id;
	ps_put_le(b + 2, n, 2);
	return ps_host_l2cap_send(h, c->info.handle, PS_HOST_CID_LE_SIGNALING, b, n + 4);
}

static void reject(struct ps_host *h, struct host_conn *c, uint8_t id, uint16_t reason)
{
	struct ps_l2cap_cmd_reject r = { .reason = reason };
	host_sig_send(h, c, 0x01, id, &r);
}

/* §4.20: the central checks the requested parameters against the ranges of Vol 4 Part E §7.8.18. */
static bool params_ok(const struct ps_l2cap_conn_param_req *r)
{
	if (r->min_interval < 6 || r->max_interval > 3200 || r->min_interval > r->max_interval)
		return false;
	if (r->latency > 499 || r->timeout < 10 || r->timeout > 3200)
		return false;
	return (uint32_t)r->timeout * 4 > (uint32_t)(1 + r->latency) * r->max_interval;
}

void host_sig_rx(struct ps_host *h, struct host_conn *c, const uint8_t *p, size_t len)
{
	/* one B-frame may carry several commands */
	while (len >= 4) {
		uint8_t code = p[0], id = p[1];
		uint16_t clen = (uint16_t)ps_get_le(p + 2, 2);
		if ((size_t)clen + 4 > len) {
			reject(h, c, id, 0x0001); /* signaling MTU exceeded / malformed */
			return;
		}
		const uint8_t *d = p + 4;
		p += 4 + clen;
		len -= 4 + (size_t)clen;
		if (!id) {
			host_log(h, "LE signaling command with identifier 0 ignored");
			continue;
		}
		const struct ps_layout *l = ps_l2cap_layout(code);
		union {
			uint64_t align;
			uint8_t b[128];
			struct ps_l2cap_conn_param_req req;
			struct ps_l2cap_conn_param_rsp rsp;
			struct ps_l2cap_le_conn_req lcr;
		} u;
		memset(&u, 0, sizeof u);
		bool ok = l && l->size <= sizeof u && ps_layout_decode(l, d, clen, &u) == 0;
		switch (code) {
		case 0x12: /* Connection Parameter Update Request */
			if (c->info.role != PS_HOST_CENTRAL || !ok) {
				reject(h, c, id, 0x0000); /* only a central accepts it (§4.20) */
				break;
			} else {
				bool accept = params_ok(&u.req) && !h->cfg.reject_param_update;
				struct ps_l2cap_conn_param_rsp r = { .result = accept ? 0x0000 : 0x0001 };
				host_sig_send(h, c, 0x13, id, &r);
				if (accept) {
					struct ps_host_conn_params cp = { u.req.min_interval, u.req.max_interval,
									  u.req.latency, u.req.timeout };
					ps_host_update_params(h, c->info.handle, &cp);
				}
			}
			break;
		case 0x13: /* Connection Parameter Update Response */
			if (ok && h->cb.conn_param_rsp)
				h->cb.conn_param_rsp(h->cb.ctx, c->info.handle, u.rsp.result);
			break;
		case 0x14: /* LE Credit Based Connection Request: no PSM is served here */
			if (ok) {
				struct ps_l2cap_le_conn_rsp r = { .result = 0x0002 }; /* SPSM not supported */
				host_sig_send(h, c, 0x15, id, &r);
			} else {
				reject(h, c, id, 0x0000);
			}
			break;
		case 0x01: /* Command Reject */
			host_log(h, "peer rejected an LE signaling command");
			break;
		default:
			/* §4.1: Command not understood */
			reject(h, c, id, 0x0000);
			break;
		}
	}
}
