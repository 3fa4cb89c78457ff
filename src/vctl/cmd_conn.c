/* Connection-related HCI commands of the virtual controller (Core Vol 4 Part E §7.1.6 Disconnect,
 * §7.1.23, §7.5.4, §7.8.12-13 create/cancel, §7.8.18 update, §7.8.21 remote features, §7.8.24-26
 * encryption, §7.8.33-35/46 data length): parameter ranges checked here, procedures in air.c/llenc.c. */
#include "vctl/cmd_int.h"
#include <string.h>

static struct air_conn *conn_or_status(struct ps_vctl *c, uint16_t op, uint16_t handle, int *side)
{
	struct air_conn *cn = vctl_conn_by_handle(c, handle, side);
	if (!cn)
		vctl_cmd_status(c, op, ST_UNKNOWN_CONN);
	return cn;
}

void vctl_h_disconnect(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_disconnect *a = p;
	int side;
	/* §7.1.6: allowed reasons 0x05, 0x13-0x15, 0x1a, 0x29, 0x3b. */
	switch (a->reason) {
	case 0x05: case 0x13: case 0x14: case 0x15: case 0x1a: case 0x29: case 0x3b:
		break;
	default:
		vctl_cmd_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	struct air_conn *cn = conn_or_status(c, op, a->handle, &side);
	if (!cn)
		return;
	vctl_cmd_status(c, op, ST_OK);
	vctl_disconnect(c, cn, side, a->reason);
}

void vctl_h_read_remote_version(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_read_remote_version *a = p;
	int side;
	struct air_conn *cn = conn_or_status(c, op, a->handle, &side);
	if (!cn)
		return;
	vctl_cmd_status(c, op, ST_OK);
	/* LL_VERSION_IND exchange (Vol 6 Part B §5.1.5): the peer is one of ours. */
	struct ps_hci_evt_remote_version_complete e = { .status = 0, .handle = a->handle, .lmp_ver = 0x0c,
							 .manufacturer = 0xffff, .lmp_subver = 0x0001 };
	vctl_evt(c, ps_hci_evt_remote_version_complete_code, &e);
}

void vctl_h_read_rssi(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_read_rssi *a = p;
	int side;
	struct ps_hci_rsp_read_rssi r = { .status = 0, .handle = a->handle, .rssi = -50 };
	if (!vctl_conn_by_handle(c, a->handle, &side))
		r.status = ST_UNKNOWN_CONN;
	vctl_cmd_complete(c, op, &r);
}

bool vctl_update_valid(uint16_t imin, uint16_t imax, uint16_t lat, uint16_t to)
{
	/* §7.8.12/§7.8.18: interval 6..3200 (7.5 ms..4 s), min <= max, latency <= 499, timeout 10..3200
	 * and timeout (10 ms) > (1 + latency) * interval_max (1.25 ms) * 2. */
	if (imin < PS_LL_INTERVAL_MIN || imax > PS_LL_INTERVAL_MAX || imin > imax)
		return false;
	if (lat > PS_LL_LATENCY_MAX || to < PS_LL_TIMEOUT_MIN || to > PS_LL_TIMEOUT_MAX)
		return false;
	return (uint32_t)to * 4 > (uint32_t)(1 + lat) * imax;
}

void vctl_h_create_conn(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_create_conn *a = p;
	/* §7.8.12: own type 0x03 needs no random address when the list has a local IRK for the peer (any
	 * entry when the accept list picks the peer). */
	struct vctl_addr pa = { .type = a->peer_addr_type & 1 };
	memcpy(pa.a, a->peer_addr, 6);
	const struct vctl_addr *peer = a->filter_policy ? NULL : &pa;
	if (c->init.on) {
		vctl_cmd_status(c, op, ST_CMD_DISALLOWED);
		return;
	}
	if (a->scan_interval < 4 || a->scan_interval > 0x4000 || a->scan_window < 4 || a->scan_window > a->scan_interval ||
	    a->filter_policy > 1 || a->peer_addr_type > 3 || a->own_addr_type > 3 ||
	    !vctl_update_valid(a->min_interval, a->max_interval, a->latency, a->supv_timeout) ||
	    ((a->own_addr_type & 1) && !c->has_rand && !(a->own_addr_type == 3 && vctl_priv_has_local(c, peer)))) {
		vctl_cmd_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	c->init.p = *a;
	c->init.on = true;
	c->init.gen++;
	vctl_cmd_status(c, op, ST_OK);
	vctl_init_started(c);
}

void vctl_h_create_conn_cancel(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	if (!c->init.on) {
		vctl_cmd_complete_status(c, op, ST_CMD_DISALLOWED);
		return;
	}
	c->init.on = false;
	c->init.gen++;
	vctl_cmd_complete_status(c, op, ST_OK);
	/* §7.8.13: then LE Connection Complete with Unknown Connection Identifier (0x02). */
	struct ps_le_evt_enhanced_conn_complete ee = { .status = ST_UNKNOWN_CONN };
	if (vctl_le_enabled(c, ps_le_evt_enhanced_conn_complete_code)) {
		vctl_le_evt(c, ps_le_evt_enhanced_conn_complete_code, &ee);
	} else {
		struct ps_le_evt_conn_complete e = { .status = ST_UNKNOWN_CONN };
		vctl_le_evt(c, ps_le_evt_conn_complete_code, &e);
	}
}

void vctl_h_conn_update(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_conn_update *a = p;
	int side;
	if (!vctl_update_valid(a->min_interval, a->max_interval, a->latency, a->supv_timeout) ||
	    a->min_length > a->max_length) {
		vctl_cmd_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	struct air_conn *cn = conn_or_status(c, op, a->handle, &side);
	if (!cn)
		return;
	/* One parameter change at a time on a connection (§7.8.18: Command Disallowed while one is pending). */
	if (cn->upd_pending || cn->cpr != CPR_IDLE) {
		vctl_cmd_status(c, op, ST_CMD_DISALLOWED);
		return;
	}
	vctl_cmd_status(c, op, ST_OK);
	/* A peripheral asks the central with the Connection Parameters Request procedure (Vol 6 Part B
	 * §5.1.7); the central's host decides (LE Remote Connection Parameter Request, §7.7.65.6). */
	if (side == 1) {
		vctl_cpr_start(c, cn, a);
		return;
	}
	struct ps_llctrl_connection_update_ind u = { .win_size = 1, .win_offset = 0, .interval = a->min_interval,
						     .latency = a->latency, .timeout = a->supv_timeout, .instant = 6 };
	cn->upd = u;
	cn->upd_pending = true;
	cn->upd_by_host = 1;
	vctl_send_ctrl(c->link, cn, 0, ps_llctrl_connection_update_ind_code, &u);
}

void vctl_h_read_remote_features(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_read_remote_features *a = p;
	int side;
	struct air_conn *cn = conn_or_status(c, op, a->handle, &side);
	if (!cn)
		return;
	vctl_cmd_status(c, op, ST_OK);
	/* LL_FEATURE_REQ/RSP (§5.1.4): the peer is one of ours. */
	struct ps_le_evt_remote_features_complete e = { .status = 0, .handle = a->handle,
							.features = { VCTL_LE_FEATURES } };
	vctl_le_evt(c, ps_le_evt_remote_features_complete_code, &e);
}

void vctl_h_start_encryption(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_start_encrypt *a = p;
	int side;
	struct air_conn *cn = conn_or_status(c, op, a->handle, &side);
	if (!cn)
		return;
	/* §7.8.24: central only; one encryption procedure at a time. */
	if (side != 0 || cn->enc_c != ENC_IDLE) {
		vctl_cmd_status(c, op, ST_CMD_DISALLOWED);
		return;
	}
	vctl_cmd_status(c, op, ST_OK);
	vctl_enc_start(c, cn, a->rand, a->ediv, a->ltk);
}

static void ltk_answer(struct ps_vctl *c, uint16_t op, uint16_t handle, const uint8_t *ltk)
{
	int side;
	struct ps_hci_rsp_le_ltk_req_reply r = { .status = 0, .handle = handle };
	struct air_conn *cn = vctl_conn_by_handle(c, handle, &side);
	if (!cn)
		r.status = ST_UNKNOWN_CONN;
	else if (side != 1 || cn->enc_p != ENC_W4_LTK)
		r.status = ST_CMD_DISALLOWED;
	vctl_cmd_complete(c, op, &r);
	if (!r.status)
		vctl_enc_ltk_reply(c, cn, ltk);
}

void vctl_h_ltk_reply(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_ltk_req_reply *a = p;
	ltk_answer(c, op, a->handle, a->ltk);
}

void vctl_h_ltk_neg_reply(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_ltk_req_neg_reply *a = p;
	ltk_answer(c, op, a->handle, NULL);
}

/* §7.8.33: TX octets 0x001b..0x00fb, TX time 0x0148..0x4290. */
static bool dl_valid(uint16_t octets, uint16_t time)
{
	return octets >= 0x1b && octets <= 0xfb && time >= 0x148 && time <= 0x4290;
}

void vctl_h_set_data_length(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_set_data_length *a = p;
	int side;
	struct ps_hci_rsp_le_set_data_length r = { .status = 0, .handle = a->handle };
	struct air_conn *cn = vctl_conn_by_handle(c, a->handle, &side);
	if (!dl_valid(a->tx_len, a->tx_time))
		r.status = ST_INVALID_PARAMS;
	else if (!cn)
		r.status = ST_UNKNOWN_CONN;
	vctl_cmd_complete(c, op, &r);
	if (r.status)
		return;
	cn->e[side].pref_tx = a->tx_len;
	vctl_data_len_changed(c->link, cn);
}

void vctl_h_read_default_data_length(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	struct ps_hci_rsp_le_read_default_data_length r = { .tx_len = c->sugg_tx,
							    .tx_time = (uint16_t)((c->sugg_tx + 14) * 8) };
	vctl_cmd_complete(c, op, &r);
}

void vctl_h_write_default_data_length(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_write_default_data_length *a = p;
	if (!dl_valid(a->tx_len, a->tx_time)) {
		vctl_cmd_complete_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	c->sugg_tx = a->tx_len;
	vctl_cmd_complete_status(c, op, ST_OK);
}

void vctl_h_read_max_data_length(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	struct ps_hci_rsp_le_read_max_data_length r = { .max_tx_len = VCTL_LL_MAX, .max_tx_time = 2120,
							.max_rx_len = VCTL_LL_MAX, .max_rx_time = 2120 };
	vctl_cmd_complete(c, op, &r);
}
