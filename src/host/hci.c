/* The HCI host layer (Core Vol 4 Part E §4.4 command flow control, §7.7 events): command queue sent
 * as Num_HCI_Command_Packets allows, the init sequence, event dispatch and the connection table. Every
 * command and event layout comes from the proto tables (hci_cmd.def, hci_rsp.def, hci_evt.def,
 * le_evt.def). */
#include "host/host_int.h"
#include "base/bytes.h"
#include <pairscope/frame.h>
#include <pairscope/h4.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void host_log(struct ps_host *h, const char *msg)
{
	if (h->cb.log)
		h->cb.log(h->cb.ctx, msg);
}

struct host_conn *host_conn_find(struct ps_host *h, uint16_t handle)
{
	for (int i = 0; i < PS_HOST_MAX_CONN; i++)
		if (h->conn[i].used && h->conn[i].info.handle == handle)
			return &h->conn[i];
	return NULL;
}

void host_send_raw(struct ps_host *h, uint8_t type, const uint8_t *p, size_t len)
{
	uint8_t b[8 + 255 + HOST_FRAG];
	if (len + 1 > sizeof b)
		return;
	b[0] = type;
	memcpy(b + 1, p, len);
	if (h->ops.trace)
		h->ops.trace(h->ops.ctx, type == PS_H4_CMD ? PS_MON_COMMAND : PS_MON_ACL_TX, p, len);
	h->ops.send(h->ops.ctx, b, len + 1);
}

/* Send queued commands while the controller grants credits (§4.4). */
static void pump_cmds(struct ps_host *h)
{
	while (h->ncmd > 0 && h->qlen > 0 && h->nsent < HOST_SENT) {
		struct host_cmd *c = &h->q[h->qhead];
		h->qhead = (h->qhead + 1) % HOST_CMDQ;
		h->qlen--;
		h->ncmd--;
		h->sent[h->nsent++] = *c;
		uint8_t b[3 + 255];
		ps_put_le(b, c->op, 2);
		b[2] = c->len;
		memcpy(b + 3, c->p, c->len);
		host_send_raw(h, PS_H4_CMD, b, 3u + c->len);
	}
}

static int queue_raw(struct ps_host *h, uint16_t op, const uint8_t *p, uint8_t len, uint8_t tag, uint16_t arg)
{
	if (h->qlen == HOST_CMDQ)
		return -PS_ENOSPC;
	struct host_cmd *c = &h->q[(h->qhead + h->qlen) % HOST_CMDQ];
	c->op = op;
	c->tag = tag;
	c->arg = arg;
	c->len = len;
	memcpy(c->p, p, len);
	h->qlen++;
	pump_cmds(h);
	return 0;
}

/* Queue a command whose parameters are the struct `st` of its layout (NULL for none). */
int host_cmd(struct ps_host *h, uint16_t op, const void *st, uint8_t tag, uint16_t arg)
{
	const struct ps_layout *l = ps_hci_cmd_layout(op);
	uint8_t b[255];
	size_t n = 0;
	if (!l)
		return -PS_EINVAL;
	if (st && ps_layout_encode(l, st, b, sizeof b, &n) < 0)
		return -PS_EINVAL;
	return queue_raw(h, op, b, (uint8_t)n, tag, arg);
}

int ps_host_command(struct ps_host *h, uint16_t opcode, const uint8_t *params, uint8_t len)
{
	return queue_raw(h, opcode, params, len, TAG_USER, 0);
}

/* ---- init sequence ---- */

static const uint16_t init_seq[] = {
	0x0c03, /* Reset */
	0x1001, /* Read Local Version Information */
	0x1002, /* Read Local Supported Commands */
	0x1009, /* Read BD_ADDR */
	0x0c01, /* Set Event Mask */
	0x2001, /* LE Set Event Mask */
	0x2002, /* LE Read Buffer Size (Read Buffer Size 0x1005 when it reports 0) */
	0x2003, /* LE Read Local Supported Features */
	0x2005, /* LE Set Random Address, when configured */
};

/* §7.8.2: the smallest LE_ACL_Data_Packet_Length a controller may report (0x001B). */
#define HOST_MIN_LE_MTU 27

/* §7.3.1: Disconnection Complete (bit 4), Encryption Change (7), Read Remote Version Complete (11),
 * Hardware Error (15), Data Buffer Overflow (25), Encryption Key Refresh Complete (47), LE Meta (61). */
#define HOST_EVMASK (1ull << 4 | 1ull << 7 | 1ull << 11 | 1ull << 15 | 1ull << 25 | 1ull << 47 | 1ull << 61)
/* §7.8.1: Connection Complete, Advertising Report, Connection Update Complete, Read Remote Features
 * Complete, Long Term Key Request, Data Length Change. */
#define HOST_LE_EVMASK 0x5full

static void init_next(struct ps_host *h)
{
	for (;;) {
		h->init_step++;
		if (h->init_step >= (int)PS_ARRAY_SIZE(init_seq)) {
			h->ready = true;
			h->init_step = -1;
			h->le_credits = h->le_total;
			if (h->cb.ready)
				h->cb.ready(h->cb.ctx, 0);
			return;
		}
		uint16_t op = init_seq[h->init_step];
		union {
			struct ps_hci_cmd_set_event_mask em;
			struct ps_hci_cmd_le_set_event_mask lem;
			struct ps_hci_cmd_le_set_random_address ra;
		} u;
		memset(&u, 0, sizeof u);
		const void *st = NULL;
		switch (op) {
		case 0x0c01:
			u.em.mask = HOST_EVMASK;
			st = &u;
			break;
		case 0x2001:
			if (h->cfg.skip_init_reads)
				continue;
			u.lem.mask = HOST_LE_EVMASK;
			st = &u;
			break;
		case 0x2002:
		case 0x2003:
			if (h->cfg.skip_init_reads)
				continue;
			break;
		case 0x2005:
			if (!h->cfg.has_random)
				continue;
			memcpy(u.ra.addr, h->cfg.random_addr, 6);
			st = &u;
			break;
		default:
			break;
		}
		host_cmd(h, op, st, TAG_INIT, 0);
		return;
	}
}

static void init_done_step(struct ps_host *h, uint16_t op, uint8_t status, const uint8_t *ret, size_t len)
{
	/* Read Local Supported Commands is optional for our purposes; anything else must succeed. */
	if (status && op != 0x1002 && op != 0x1005) {
		h->init_step = -1;
		if (h->cb.ready)
			h->cb.ready(h->cb.ctx, status);
		return;
	}
	union {
		uint64_t align;
		uint8_t b[128];
		struct ps_hci_rsp_read_bd_addr bd;
		struct ps_hci_rsp_read_local_commands cmds;
		struct ps_hci_rsp_le_read_buffer_size lb;
		struct ps_hci_rsp_read_buffer_size rb;
	} u;
	memset(&u, 0, sizeof u);
	const struct ps_layout *l = ps_hci_rsp_layout(op);
	bool ok = !status && l && l->size <= sizeof u && ps_layout_decode(l, ret, len, &u) == 0;
	switch (op) {
	case 0x1009:
		if (ok)
			memcpy(h->bd_addr, u.bd.addr, 6);
		break;
	case 0x1002:
		if (ok)
			memcpy(h->commands, u.cmds.commands, 64);
		break;
	case 0x2002:
		if (ok && u.lb.le_mtu && u.lb.le_max_pkt) {
			h->le_mtu = u.lb.le_mtu;
			h->le_total = u.lb.le_max_pkt;
		} else {
			/* §7.8.2: zero means the LE and BR/EDR buffers are shared */
			host_cmd(h, 0x1005, NULL, TAG_INIT, 0);
			return;
		}
		break;
	case 0x1005:
		if (ok) {
			h->le_mtu = u.rb.acl_mtu;
			h->le_total = u.rb.acl_max_pkt;
		}
		if (!h->le_mtu || !h->le_total) {
			h->init_step = -1;
			if (h->cb.ready)
				h->cb.ready(h->cb.ctx, 0xff);
			return;
		}
		break;
	default:
		break;
	}
	init_next(h);
}

int ps_host_start(struct ps_host *h)
{
	h->ready = false;
	h->init_step = -1;
	h->ncmd = 1;
	h->qlen = 0;
	h->nsent = 0;
	h->txlen = 0;
	memset(h->conn, 0, sizeof h->conn);
	if (h->cfg.skip_init_reads) {
		/* Half init (fault reproduction, see ps_host_config): the buffer sizes are never read, so
		 * assume the least a controller may have - §7.8.2: HC_LE_ACL_Data_Packet_Length is at least
		 * 27 octets and Total_Num_LE_ACL_Data_Packets at least 1. */
		h->le_mtu = HOST_MIN_LE_MTU;
		h->le_total = 1;
	}
	init_next(h);
	return 0;
}

/* ---- completions ---- */

static bool take_sent(struct ps_host *h, uint16_t op, struct host_cmd *out)
{
	for (unsigned i = 0; i < h->nsent; i++)
		if (h->sent[i].op == op) {
			*out = h->sent[i];
			memmove(&h->sent[i], &h->sent[i + 1], (h->nsent - i - 1) * sizeof h->sent[0]);
			h->nsent--;
			return true;
		}
	return false;
}

static void internal_failed(struct ps_host *h, const struct host_cmd *c, uint8_t status)
{
	switch (c->op) {
	case 0x200d: /* LE Create Connection */
		if (h->cb.connected) {
			struct ps_host_conn_info info = { 0 };
			info.peer.type = c->p[5];
			memcpy(info.peer.a, c->p + 6, 6);
			h->cb.connected(h->cb.ctx, status, &info);
		}
		break;
	case 0x2019: /* LE Enable Encryption */
		if (h->cb.enc_change)
			h->cb.enc_change(h->cb.ctx, c->arg, status, 0, false);
		break;
	case 0x2013: /* LE Connection Update */
		if (h->cb.conn_updated)
			h->cb.conn_updated(h->cb.ctx, c->arg, status, 0, 0, 0);
		break;
	default: {
		char msg[64];
		snprintf(msg, sizeof msg, "command 0x%04x failed: status 0x%02x", c->op, status);
		host_log(h, msg);
		break;
	}
	}
}

/* Command Complete (ret = all return parameters, status first) or Command Status (ret NULL). */
void host_completed(struct ps_host *h, uint16_t op, uint8_t ncmd, bool is_status, uint8_t status,
		    const uint8_t *ret, size_t len)
{
	h->ncmd = ncmd;
	struct host_cmd c;
	if (op && take_sent(h, op, &c)) {
		switch ((enum cmd_tag)c.tag) {
		case TAG_INIT:
			init_done_step(h, op, status, ret, len);
			break;
		case TAG_INTERNAL:
			if (status)
				internal_failed(h, &c, status);
			break;
		case TAG_USER:
			if (h->cb.cmd_done)
				h->cb.cmd_done(h->cb.ctx, op, status, is_status || !len ? NULL : ret + 1,
					       is_status || !len ? 0 : len - 1);
			break;
		}
	}
	pump_cmds(h);
}
