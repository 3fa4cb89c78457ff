/* A minimal ATT server and client for the host (Core Vol 3 Part F §3.4.2 Exchange MTU, §3.4.1.1 Error
 * Response): MTU exchange both ways; every other request gets the error a server without attributes
 * gives; commands and notifications are dropped, indications confirmed (§3.4.7). */
#include "host/host_int.h"
#include <string.h>

enum {
	ATT_ERROR_RSP = 0x01,
	ATT_MTU_REQ = 0x02,
	ATT_MTU_RSP = 0x03,
	ATT_HANDLE_VALUE_IND = 0x1d,
	ATT_HANDLE_VALUE_CFM = 0x1e,
	ATT_DEFAULT_MTU = 23,
	ATT_MAX_MTU = 517,
	ERR_INVALID_HANDLE = 0x01,
	ERR_INVALID_PDU = 0x04,
	ERR_NOT_SUPPORTED = 0x06,
	ERR_NOT_FOUND = 0x0a,
};

static uint16_t our_mtu(const struct ps_host *h)
{
	uint16_t m = h->cfg.att_mtu ? h->cfg.att_mtu : ATT_DEFAULT_MTU;
	return m < ATT_DEFAULT_MTU ? ATT_DEFAULT_MTU : m > ATT_MAX_MTU ? ATT_MAX_MTU : m;
}

static void att_send(struct ps_host *h, struct host_conn *c, uint8_t op, const void *st)
{
	uint8_t b[8];
	size_t n = 0;
	const struct ps_layout *l = ps_att_layout(op);
	b[0] = op;
	if (l && st && ps_layout_encode(l, st, b + 1, sizeof b - 1, &n) < 0)
		return;
	ps_host_l2cap_send(h, c->info.handle, PS_HOST_CID_ATT, b, n + 1);
}

static void error_rsp(struct ps_host *h, struct host_conn *c, uint8_t req, uint16_t handle, uint8_t err)
{
	struct ps_att_error_rsp e = { .request = req, .handle = handle, .error = err };
	att_send(h, c, ATT_ERROR_RSP, &e);
}

static void set_mtu(struct ps_host *h, struct host_conn *c, uint16_t peer)
{
	uint16_t m = our_mtu(h);
	c->att_mtu = peer < ATT_DEFAULT_MTU ? ATT_DEFAULT_MTU : peer < m ? peer : m;
	if (h->cb.att_mtu)
		h->cb.att_mtu(h->cb.ctx, c->info.handle, c->att_mtu);
}

void host_att_rx(struct ps_host *h, struct host_conn *c, const uint8_t *p, size_t len)
{
	if (!len)
		return;
	uint8_t op = p[0];
	const struct ps_layout *l = ps_att_layout(op);
	union {
		uint64_t align;
		uint8_t b[128];
		struct ps_att_exchange_mtu_req req;
		struct ps_att_exchange_mtu_rsp rsp;
	} u;
	memset(&u, 0, sizeof u);
	bool ok = l && l->size <= sizeof u && ps_layout_decode(l, p + 1, len - 1, &u) == 0;
	/* the first handle parameter of most requests, for the error response */
	uint16_t handle = len >= 3 ? (uint16_t)(p[1] | p[2] << 8) : 0;
	switch (op) {
	case ATT_MTU_REQ:
		if (!ok) {
			error_rsp(h, c, op, 0, ERR_INVALID_PDU);
			break;
		}
		{
			struct ps_att_exchange_mtu_rsp r = { .mtu = our_mtu(h) };
			att_send(h, c, ATT_MTU_RSP, &r);
		}
		set_mtu(h, c, u.req.mtu);
		break;
	case ATT_MTU_RSP:
		if (ok)
			set_mtu(h, c, u.rsp.mtu);
		break;
	case ATT_HANDLE_VALUE_IND:
		att_send(h, c, ATT_HANDLE_VALUE_CFM, NULL);
		break;
	case 0x04: /* Find Information */
	case 0x06: /* Find By Type Value */
	case 0x08: /* Read By Type */
	case 0x10: /* Read By Group Type */
		error_rsp(h, c, op, handle, ok ? ERR_NOT_FOUND : ERR_INVALID_PDU);
		break;
	case 0x0a: /* Read */
	case 0x0c: /* Read Blob */
	case 0x12: /* Write */
	case 0x16: /* Prepare Write */
		error_rsp(h, c, op, handle, ok ? ERR_INVALID_HANDLE : ERR_INVALID_PDU);
		break;
	default:
		/* §3.3: commands (bit 6) and responses/notifications/confirmations get no answer */
		if ((op & 0x40) || op == 0x1b || op == 0x1e || (op & 1))
			break;
		error_rsp(h, c, op, 0, ERR_NOT_SUPPORTED);
		break;
	}
}

int ps_host_att_exchange_mtu(struct ps_host *h, uint16_t handle)
{
	struct host_conn *c = host_conn_find(h, handle);
	if (!c)
		return -PS_ENOENT;
	struct ps_att_exchange_mtu_req r = { .mtu = our_mtu(h) };
	att_send(h, c, ATT_MTU_REQ, &r);
	return 0;
}
