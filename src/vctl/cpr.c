/* Connection Parameters Request procedure (Core Vol 6 Part B §5.1.7, LE feature bit 1), started by a
 * peripheral's host with LE Connection Update (Vol 4 Part E §7.8.18): LL_CONNECTION_PARAM_REQ to the
 * central, whose host gets LE Remote Connection Parameter Request (§7.7.65.6) and answers with the
 * Reply (§7.8.31, 0x2020) or Negative Reply (§7.8.32, 0x2021). A reply becomes LL_CONNECTION_UPDATE_IND
 * and LE Connection Update Complete on both sides at the instant; a refusal LL_REJECT_EXT_IND and
 * LE Connection Update Complete with the reason to the peripheral's host.
 *
 * The two commands are parsed here from their raw parameters (fixed lengths 14 and 3) and answered
 * with Command Complete carrying status and handle. */
#include "vctl/cmd_int.h"
#include "base/bytes.h"
#include <string.h>

enum {
	ST_INVALID_LL_PARAMS = 0x1e,
	ST_TRANSACTION_COLLISION = 0x2a, /* Different Transaction Collision */
};

static void reject(struct ps_vctl_link *l, struct air_conn *cn, uint8_t error)
{
	struct ps_llctrl_reject_ext_ind r = { .reject_opcode = ps_llctrl_connection_param_req_code, .error = error };
	vctl_send_ctrl(l, cn, 0, ps_llctrl_reject_ext_ind_code, &r);
}

void vctl_cpr_start(struct ps_vctl *c, struct air_conn *cn, const struct ps_hci_cmd_le_conn_update *a)
{
	/* No preferred periodicity or anchor offsets (0 / 0xffff: none, §2.4.2.16). */
	struct ps_llctrl_connection_param_req r = {
		.interval_min = a->min_interval, .interval_max = a->max_interval, .latency = a->latency,
		.timeout = a->supv_timeout, .periodicity = 0, .ref_event = 0, .offset0 = 0xffff, .offset1 = 0xffff,
		.offset2 = 0xffff, .offset3 = 0xffff, .offset4 = 0xffff, .offset5 = 0xffff,
	};
	cn->cpr = CPR_W4_RSP;
	vctl_send_ctrl(c->link, cn, 1, ps_llctrl_connection_param_req_code, &r);
}

/* The central's LL got the peripheral's request. */
void vctl_cpr_rx_req(struct ps_vctl_link *l, struct air_conn *cn, const struct ps_llctrl_connection_param_req *r)
{
	struct ps_vctl *c = vctl_get(l, cn->e[0].ctl);
	/* §5.3: the central's own Connection Update (an instant procedure) is running: the peripheral's
	 * request loses with Different Transaction Collision. */
	if (cn->upd_pending) {
		reject(l, cn, ST_TRANSACTION_COLLISION);
		return;
	}
	/* §5.1.7.1: parameters outside the ranges of §4.5.1 are rejected by the LL itself. */
	if (!vctl_update_valid(r->interval_min, r->interval_max, r->latency, r->timeout)) {
		reject(l, cn, ST_INVALID_LL_PARAMS);
		return;
	}
	/* §7.7.65.6: with the event masked the Controller answers Unsupported Remote Feature (0x1A) itself. */
	struct ps_le_evt_conn_param_request e = { .handle = cn->e[0].handle, .min_interval = r->interval_min,
						  .max_interval = r->interval_max, .latency = r->latency,
						  .supv_timeout = r->timeout };
	if (!c || !vctl_le_evt(c, ps_le_evt_conn_param_request_code, &e)) {
		reject(l, cn, ST_UNSUPP_REMOTE);
		return;
	}
	cn->cpr = CPR_W4_HOST;
}

/* The peripheral's request ended without an update: its host learns why (§7.7.65.3 with a status). */
void vctl_cpr_end(struct ps_vctl_link *l, struct air_conn *cn, uint8_t status)
{
	cn->cpr = CPR_IDLE;
	struct ps_vctl *c = vctl_get(l, cn->e[1].ctl);
	if (!c || !cn->e[1].alive)
		return;
	struct ps_le_evt_conn_update_complete e = { .status = status, .handle = cn->e[1].handle,
						    .interval = cn->interval, .latency = cn->latency,
						    .supv_timeout = cn->timeout };
	vctl_le_evt(c, ps_le_evt_conn_update_complete_code, &e);
}

/* LL_REJECT_EXT_IND for our LL_CONNECTION_PARAM_REQ arrived at the peripheral. */
void vctl_cpr_rx_reject(struct ps_vctl_link *l, struct air_conn *cn, uint8_t error)
{
	if (cn->cpr != CPR_IDLE)
		vctl_cpr_end(l, cn, error);
}

/* Command Complete with Status and Connection_Handle, the return parameters of §7.8.31 and §7.8.32. */
static void complete(struct ps_vctl *c, uint16_t op, uint8_t status, uint16_t handle)
{
	uint8_t b[3] = { status, (uint8_t)handle, (uint8_t)(handle >> 8) };
	struct ps_hci_evt_cmd_complete e = { .ncmd = 1, .opcode = op, .params = { b, sizeof b } };
	vctl_evt(c, ps_hci_evt_cmd_complete_code, &e);
}

static struct air_conn *waiting_conn(struct ps_vctl *c, uint16_t op, uint16_t handle)
{
	int side;
	struct air_conn *cn = vctl_conn_by_handle(c, handle, &side);
	if (!cn) {
		complete(c, op, ST_UNKNOWN_CONN, handle);
		return NULL;
	}
	/* Only the central's host, and only while its controller waits for an answer. */
	if (side != 0 || cn->cpr != CPR_W4_HOST) {
		complete(c, op, ST_CMD_DISALLOWED, handle);
		return NULL;
	}
	return cn;
}

/* §7.8.31 LE Remote Connection Parameter Request Reply: Connection_Handle, Interval_Min, Interval_Max,
 * Max_Latency, Timeout, Min_CE_Length, Max_CE_Length (2 octets each). */
void vctl_h_cpr_reply(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_conn_param_req_reply *a = p;
	uint16_t handle = a->handle & 0x0fff;
	uint16_t imin = a->min_interval, lat = a->latency, to = a->supv_timeout;
	if (!vctl_update_valid(imin, a->max_interval, lat, to) || a->min_length > a->max_length) {
		complete(c, op, ST_INVALID_PARAMS, handle);
		return;
	}
	struct air_conn *cn = waiting_conn(c, op, handle);
	if (!cn)
		return;
	complete(c, op, ST_OK, handle);
	/* The central picks the host's minimum interval, as for its own LE Connection Update (cmd_conn.c);
	 * both hosts hear of the result, the peripheral's because it asked (§7.7.65.3). */
	struct ps_llctrl_connection_update_ind u = { .win_size = 1, .win_offset = 0, .interval = imin,
						     .latency = lat, .timeout = to, .instant = 6 };
	cn->upd = u;
	cn->upd_pending = true;
	cn->upd_by_host = 3;
	vctl_send_ctrl(c->link, cn, 0, ps_llctrl_connection_update_ind_code, &u);
}

/* §7.8.32 LE Remote Connection Parameter Request Negative Reply: Connection_Handle, Reason. */
void vctl_h_cpr_neg_reply(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_conn_param_req_neg_reply *a = p;
	uint16_t handle = a->handle & 0x0fff;
	uint8_t reason = a->reason;
	struct air_conn *cn = waiting_conn(c, op, handle);
	if (!cn)
		return;
	complete(c, op, ST_OK, handle);
	/* The peripheral's LL gets the host's reason (commonly 0x3B Unacceptable Connection Parameters)
	 * in LL_REJECT_EXT_IND and ends the procedure there. */
	reject(c->link, cn, reason);
}
