/* The host's public operations (include/pairscope/host.h): advertising, scanning, connecting,
 * parameter updates (LE Connection Update, Vol 4 Part E §7.8.18, or the L2CAP request of Vol 3 Part A
 * §4.20 on a peripheral), encryption (§7.8.24-26) and disconnection, each turned into HCI commands. */
#include "host/host_int.h"
#include <stdlib.h>
#include <string.h>

int ps_host_new(struct ps_host **out, const struct ps_host_ops *ops, const struct ps_host_cb *cb,
		const struct ps_host_config *cfg)
{
	if (!out || !ops || !ops->send)
		return -PS_EINVAL;
	struct ps_host *h = calloc(1, sizeof *h);
	if (!h)
		return -PS_ENOMEM;
	h->ops = *ops;
	if (cb)
		h->cb = *cb;
	if (cfg)
		h->cfg = *cfg;
	h->init_step = -1;
	h->ncmd = 1;
	*out = h;
	return 0;
}

void ps_host_free(struct ps_host *h) { free(h); }

void ps_host_local_addr(const struct ps_host *h, struct ps_addr *out)
{
	if (h->cfg.has_random) {
		out->type = 1;
		memcpy(out->a, h->cfg.random_addr, 6);
	} else {
		out->type = 0;
		memcpy(out->a, h->bd_addr, 6);
	}
}

static uint8_t own_type(const struct ps_host *h) { return h->cfg.has_random ? 1 : 0; }

int ps_host_advertise(struct ps_host *h, const struct ps_host_adv *adv)
{
	if (!adv) {
		struct ps_hci_cmd_le_set_adv_enable e = { .enable = 0 };
		return host_cmd(h, 0x200a, &e, TAG_INTERNAL, 0);
	}
	if (adv->data_len > 31 || adv->scan_rsp_len > 31)
		return -PS_EINVAL;
	struct ps_hci_cmd_le_set_adv_params p = {
		.min_interval = adv->interval_min ? adv->interval_min : 0x0800,
		.max_interval = adv->interval_max ? adv->interval_max : 0x0800,
		.type = adv->type, .own_addr_type = own_type(h), .channel_map = 0x07,
	};
	struct ps_hci_cmd_le_set_adv_data d = { .len = adv->data_len };
	if (adv->data_len)
		memcpy(d.data, adv->data, adv->data_len);
	struct ps_hci_cmd_le_set_scan_rsp_data s = { .len = adv->scan_rsp_len };
	if (adv->scan_rsp_len)
		memcpy(s.data, adv->scan_rsp, adv->scan_rsp_len);
	struct ps_hci_cmd_le_set_adv_enable e = { .enable = 1 };
	int rc;
	if ((rc = host_cmd(h, 0x2006, &p, TAG_INTERNAL, 0)) < 0 || (rc = host_cmd(h, 0x2008, &d, TAG_INTERNAL, 0)) < 0 ||
	    (rc = host_cmd(h, 0x2009, &s, TAG_INTERNAL, 0)) < 0)
		return rc;
	return host_cmd(h, 0x200a, &e, TAG_INTERNAL, 0);
}

int ps_host_scan(struct ps_host *h, bool on)
{
	int rc;
	if (on) {
		struct ps_hci_cmd_le_set_scan_params p = { .type = 1, .interval = 0x0010, .window = 0x0010,
							   .own_addr_type = own_type(h) };
		if ((rc = host_cmd(h, 0x200b, &p, TAG_INTERNAL, 0)) < 0)
			return rc;
	}
	struct ps_hci_cmd_le_set_scan_enable e = { .enable = on, .filter_dup = 0 };
	return host_cmd(h, 0x200c, &e, TAG_INTERNAL, 0);
}

int ps_host_connect(struct ps_host *h, const struct ps_addr *peer, const struct ps_host_conn_params *cp)
{
	struct ps_host_conn_params d = { 24, 40, 0, 400 };
	if (!cp)
		cp = &d;
	struct ps_hci_cmd_le_create_conn c = {
		.scan_interval = 0x0060, .scan_window = 0x0030, .filter_policy = 0,
		.peer_addr_type = peer->type, .own_addr_type = own_type(h),
		.min_interval = cp->interval_min, .max_interval = cp->interval_max,
		.latency = cp->latency, .supv_timeout = cp->timeout,
	};
	memcpy(c.peer_addr, peer->a, 6);
	return host_cmd(h, 0x200d, &c, TAG_INTERNAL, 0);
}

int ps_host_connect_cancel(struct ps_host *h) { return host_cmd(h, 0x200e, NULL, TAG_INTERNAL, 0); }

int ps_host_disconnect(struct ps_host *h, uint16_t handle, uint8_t reason)
{
	if (!host_conn_find(h, handle))
		return -PS_ENOENT;
	struct ps_hci_cmd_disconnect d = { .handle = handle, .reason = reason };
	return host_cmd(h, 0x0406, &d, TAG_INTERNAL, handle);
}

int ps_host_update_params(struct ps_host *h, uint16_t handle, const struct ps_host_conn_params *p)
{
	struct host_conn *c = host_conn_find(h, handle);
	if (!c)
		return -PS_ENOENT;
	if (c->info.role == PS_HOST_CENTRAL) {
		struct ps_hci_cmd_le_conn_update u = { .handle = handle, .min_interval = p->interval_min,
						       .max_interval = p->interval_max, .latency = p->latency,
						       .supv_timeout = p->timeout };
		return host_cmd(h, 0x2013, &u, TAG_INTERNAL, handle);
	}
	/* §4.20: identifiers 1..255, never 0 */
	c->sig_id = (uint8_t)(c->sig_id == 0xff ? 1 : c->sig_id + 1);
	struct ps_l2cap_conn_param_req r = { .min_interval = p->interval_min, .max_interval = p->interval_max,
					     .latency = p->latency, .timeout = p->timeout };
	return host_sig_send(h, c, 0x12, c->sig_id, &r);
}

int ps_host_start_encryption(struct ps_host *h, uint16_t handle, uint64_t rand, uint16_t ediv, const uint8_t ltk[16])
{
	if (!host_conn_find(h, handle))
		return -PS_ENOENT;
	struct ps_hci_cmd_le_start_encrypt e = { .handle = handle, .rand = rand, .ediv = ediv };
	memcpy(e.ltk, ltk, 16);
	return host_cmd(h, 0x2019, &e, TAG_INTERNAL, handle);
}

int ps_host_ltk_reply(struct ps_host *h, uint16_t handle, const uint8_t ltk[16])
{
	struct ps_hci_cmd_le_ltk_req_reply r = { .handle = handle };
	memcpy(r.ltk, ltk, 16);
	return host_cmd(h, 0x201a, &r, TAG_INTERNAL, handle);
}

int ps_host_ltk_neg_reply(struct ps_host *h, uint16_t handle)
{
	struct ps_hci_cmd_le_ltk_req_neg_reply r = { .handle = handle };
	return host_cmd(h, 0x201b, &r, TAG_INTERNAL, handle);
}

int ps_host_conn_info(const struct ps_host *h, uint16_t handle, struct ps_host_conn_info *info)
{
	for (int i = 0; i < PS_HOST_MAX_CONN; i++)
		if (h->conn[i].used && h->conn[i].info.handle == handle) {
			*info = h->conn[i].info;
			return 0;
		}
	return -PS_ENOENT;
}

bool ps_host_encrypted(const struct ps_host *h, uint16_t handle)
{
	for (int i = 0; i < PS_HOST_MAX_CONN; i++)
		if (h->conn[i].used && h->conn[i].info.handle == handle)
			return h->conn[i].encrypted;
	return false;
}
