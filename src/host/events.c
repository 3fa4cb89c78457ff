/* Event dispatch of the HCI host layer (Core Vol 4 Part E §7.7): decodes each event with its layout and
 * updates the connection table, credits and callbacks. */
#include "host/host_int.h"
#include "base/bytes.h"
#include <pairscope/frame.h>
#include <pairscope/h4.h>
#include <stdio.h>
#include <string.h>

static void on_conn_complete(struct ps_host *h, uint8_t status, uint16_t handle, uint8_t role, uint8_t ptype,
			     const uint8_t paddr[6], uint16_t interval, uint16_t latency, uint16_t timeout)
{
	struct ps_host_conn_info info = { .handle = handle, .role = role, .interval = interval,
					  .latency = latency, .timeout = timeout };
	info.peer.type = ptype;
	memcpy(info.peer.a, paddr, 6);
	ps_host_local_addr(h, &info.local);
	if (!status) {
		struct host_conn *c = NULL;
		for (int i = 0; i < PS_HOST_MAX_CONN; i++)
			if (!h->conn[i].used) {
				c = &h->conn[i];
				break;
			}
		if (!c) {
			host_log(h, "connection table full: disconnecting the new link");
			struct ps_hci_cmd_disconnect d = { .handle = handle, .reason = 0x14 };
			host_cmd(h, 0x0406, &d, TAG_INTERNAL, handle);
			return;
		}
		memset(c, 0, offsetof(struct host_conn, rx));
		c->used = true;
		c->info = info;
		c->att_mtu = 23;
	}
	if (h->cb.connected)
		h->cb.connected(h->cb.ctx, status, &info);
}

static void on_le_meta(struct ps_host *h, const uint8_t *p, size_t len)
{
	if (len < 1)
		return;
	uint8_t sub = p[0];
	const struct ps_layout *l = ps_le_evt_layout(sub);
	union {
		uint64_t align;
		uint8_t b[256];
		struct ps_le_evt_conn_complete cc;
		struct ps_le_evt_enhanced_conn_complete ecc;
		struct ps_le_evt_adv_report ar;
		struct ps_le_evt_conn_update_complete cu;
		struct ps_le_evt_ltk_request ltk;
	} u;
	memset(&u, 0, sizeof u);
	if (!l || l->size > sizeof u || ps_layout_decode(l, p + 1, len - 1, &u) < 0) {
		if (l)
			host_log(h, "malformed LE meta event");
		return;
	}
	struct host_conn *c;
	switch (sub) {
	case ps_le_evt_conn_complete_code:
		on_conn_complete(h, u.cc.status, u.cc.handle, u.cc.role, u.cc.peer_addr_type, u.cc.peer_addr,
				 u.cc.interval, u.cc.latency, u.cc.supv_timeout);
		break;
	case ps_le_evt_enhanced_conn_complete_code:
		on_conn_complete(h, u.ecc.status, u.ecc.handle, u.ecc.role, u.ecc.peer_addr_type, u.ecc.peer_addr,
				 u.ecc.interval, u.ecc.latency, u.ecc.supv_timeout);
		break;
	case ps_le_evt_adv_report_code: {
		size_t off = 0;
		struct ps_hci_elem_adv_report r;
		for (unsigned i = 0; i < u.ar.num_reports; i++) {
			if (ps_list_next(&ps_list_adv_report, &u.ar.reports, &off, &r) < 0)
				break;
			struct ps_host_adv_report rep = { .event_type = r.event_type, .rssi = r.rssi,
							  .data = r.data.p, .data_len = (uint8_t)r.data.len };
			rep.addr.type = r.addr_type;
			memcpy(rep.addr.a, r.addr, 6);
			if (h->cb.adv_report)
				h->cb.adv_report(h->cb.ctx, &rep);
		}
		break;
	}
	case ps_le_evt_conn_update_complete_code:
		if ((c = host_conn_find(h, u.cu.handle)) != NULL && !u.cu.status) {
			c->info.interval = u.cu.interval;
			c->info.latency = u.cu.latency;
			c->info.timeout = u.cu.supv_timeout;
		}
		if (h->cb.conn_updated)
			h->cb.conn_updated(h->cb.ctx, u.cu.handle, u.cu.status, u.cu.interval, u.cu.latency,
					   u.cu.supv_timeout);
		break;
	case ps_le_evt_ltk_request_code:
		if (h->cb.ltk_request)
			h->cb.ltk_request(h->cb.ctx, u.ltk.handle, u.ltk.rand, u.ltk.ediv);
		else
			ps_host_ltk_neg_reply(h, u.ltk.handle);
		break;
	default:
		break;
	}
}

static void on_disconn(struct ps_host *h, uint16_t handle, uint8_t reason)
{
	struct host_conn *c = host_conn_find(h, handle);
	if (!c)
		return;
	/* §4.1.1 / §7.7.5: the controller frees the link's buffers; their credits come back. */
	h->le_credits = (uint16_t)(h->le_credits + c->tx_inflight);
	if (h->le_credits > h->le_total)
		h->le_credits = h->le_total;
	host_conn_drop_tx(h, c);
	c->used = false;
	if (h->cb.disconnected)
		h->cb.disconnected(h->cb.ctx, handle, reason);
	host_tx_pump(h);
}

static void on_event(struct ps_host *h, const uint8_t *p, size_t len)
{
	uint8_t code = p[0];
	const struct ps_layout *l = ps_hci_evt_layout(code);
	union {
		uint64_t align;
		uint8_t b[256];
		struct ps_hci_evt_cmd_complete cc;
		struct ps_hci_evt_cmd_status cs;
		struct ps_hci_evt_disconn_complete dc;
		struct ps_hci_evt_encrypt_change ec;
		struct ps_hci_evt_encrypt_key_refresh_complete kr;
		struct ps_hci_evt_num_completed_packets nocp;
		struct ps_hci_evt_hardware_error hw;
		struct ps_hci_evt_le_meta le;
	} u;
	memset(&u, 0, sizeof u);
	if (!l || l->size > sizeof u || ps_layout_decode(l, p + 2, len - 2, &u) < 0) {
		if (l)
			host_log(h, "malformed event");
		return;
	}
	struct host_conn *c;
	switch (code) {
	case ps_hci_evt_cmd_complete_code:
		host_completed(h, u.cc.opcode, u.cc.ncmd, false, u.cc.params.len ? u.cc.params.p[0] : 0,
			       u.cc.params.p, u.cc.params.len);
		break;
	case ps_hci_evt_cmd_status_code:
		host_completed(h, u.cs.opcode, u.cs.ncmd, true, u.cs.status, NULL, 0);
		break;
	case ps_hci_evt_disconn_complete_code:
		if (!u.dc.status)
			on_disconn(h, u.dc.handle, u.dc.reason);
		break;
	case ps_hci_evt_encrypt_change_code:
		if ((c = host_conn_find(h, u.ec.handle)) != NULL && !u.ec.status)
			c->encrypted = u.ec.encr_mode != 0;
		if (h->cb.enc_change)
			h->cb.enc_change(h->cb.ctx, u.ec.handle, u.ec.status, u.ec.encr_mode, false);
		break;
	case ps_hci_evt_encrypt_key_refresh_complete_code:
		if (h->cb.enc_change)
			h->cb.enc_change(h->cb.ctx, u.kr.handle, u.kr.status, 1, true);
		break;
	case ps_hci_evt_num_completed_packets_code: {
		size_t off = 0;
		struct ps_hci_elem_nocp e;
		for (unsigned i = 0; i < u.nocp.num_handles; i++) {
			if (ps_list_next(&ps_list_nocp, &u.nocp.entries, &off, &e) < 0)
				break;
			host_nocp(h, e.handle, e.count);
		}
		host_tx_pump(h);
		break;
	}
	case ps_hci_evt_hardware_error_code: {
		char msg[48];
		snprintf(msg, sizeof msg, "controller hardware error 0x%02x", u.hw.code);
		host_log(h, msg);
		break;
	}
	case ps_hci_evt_data_buffer_overflow_code:
		host_log(h, "controller reports ACL data buffer overflow");
		break;
	case ps_hci_evt_le_meta_code:
		on_le_meta(h, u.le.params.p - 1, (size_t)u.le.params.len + 1);
		break;
	default:
		break;
	}
}

int ps_host_receive_h4(struct ps_host *h, const uint8_t *pkt, size_t len)
{
	if (len < 1 || ps_h4_packet_len(pkt, len) != len) {
		host_log(h, "malformed H4 packet from the controller");
		return -PS_EBADDATA;
	}
	switch (pkt[0]) {
	case PS_H4_EVT:
		if (h->ops.trace)
			h->ops.trace(h->ops.ctx, PS_MON_EVENT, pkt + 1, len - 1);
		on_event(h, pkt + 1, len - 1);
		return 0;
	case PS_H4_ACL:
		if (h->ops.trace)
			h->ops.trace(h->ops.ctx, PS_MON_ACL_RX, pkt + 1, len - 1);
		host_acl_rx(h, pkt + 1, len - 1);
		return 0;
	default:
		host_log(h, "unexpected H4 packet type from the controller");
		return -PS_EBADDATA;
	}
}
