/* One virtual controller's HCI boundary (Core Vol 4 Part A §2 H4, Vol 4 Part E §5.4 packets, §7.3.1
 * / §7.8.1 event masks): H4 in, queued events and ACL out, the btsnoop trace hook. */
#include "vctl/vctl_int.h"
#include "base/bytes.h"
#include <pairscope/frame.h>
#include <stdlib.h>
#include <string.h>

void vctl_trace(struct ps_vctl *c, uint16_t op, const uint8_t *p, size_t len)
{
	if (c->o.trace)
		c->o.trace(c->o.trace_ctx, c->index, op, c->link->now, p, len);
}

/* Queue one H4 packet for the host (sent by ps_vctl_link_run). */
void vctl_out(struct ps_vctl *c, uint8_t type, const uint8_t *p, size_t len)
{
	if (c->out_cap - c->out_len < len + 1) {
		size_t cap = c->out_cap ? c->out_cap : 1024;
		while (cap - c->out_len < len + 1)
			cap *= 2;
		uint8_t *n = realloc(c->out, cap);
		if (!n)
			return;
		c->out = n;
		c->out_cap = cap;
	}
	c->out[c->out_len] = type;
	memcpy(c->out + c->out_len + 1, p, len);
	c->out_len += len + 1;
	if (type == PS_H4_EVT) {
		c->st.events++;
		vctl_trace(c, PS_MON_EVENT, p, len);
	} else if (type == PS_H4_ACL) {
		c->st.acl_out++;
		vctl_trace(c, PS_MON_ACL_RX, p, len);
	}
}

/* Event mask bits (§7.3.1, §7.3.69), the LE Meta event being bit 61 of page 1. Command
 * Complete/Status and Number of Completed Packets are not maskable. */
bool vctl_evt_enabled(const struct ps_vctl *c, uint8_t code)
{
	switch (code) {
	case ps_hci_evt_cmd_complete_code:
	case ps_hci_evt_cmd_status_code:
	case ps_hci_evt_num_completed_packets_code:
		return true;
	case ps_hci_evt_le_meta_code:
		return c->evmask >> 61 & 1;
	default:
		/* Page 1 (§7.3.1): bit n-1 for event code n, codes 0x01..0x3f. Page 2 (§7.3.69): bit n for code
		 * 0x40 + n (bit 0 Physical Link Complete 0x40, bit 23 Authenticated Payload Timeout Expired 0x57,
		 * bit 25 Encryption Change [v2] 0x59). */
		if (code >= 1 && code < 0x40)
			return c->evmask >> (code - 1) & 1;
		if (code >= 0x40 && code < 0x80)
			return c->evmask2 >> (code - 0x40) & 1;
		return true;
	}
}

/* LE event mask (§7.8.1): bit n-1 for subevent n, and the LE Meta bit must be on too. */
bool vctl_le_enabled(const struct ps_vctl *c, uint8_t sub)
{
	return vctl_evt_enabled(c, ps_hci_evt_le_meta_code) && sub >= 1 && sub <= 64 &&
	       (c->le_evmask >> (sub - 1) & 1);
}

static void send_evt_raw(struct ps_vctl *c, uint8_t code, const uint8_t *params, size_t len)
{
	uint8_t b[2 + 255];
	if (len > 255)
		return;
	b[0] = code;
	b[1] = (uint8_t)len;
	memcpy(b + 2, params, len);
	vctl_out(c, PS_H4_EVT, b, len + 2);
}

bool vctl_evt(struct ps_vctl *c, uint8_t code, const void *st)
{
	if (!vctl_evt_enabled(c, code))
		return false;
	const struct ps_layout *l = ps_hci_evt_layout(code);
	uint8_t b[255];
	size_t n = 0;
	if (!l || ps_layout_encode(l, st, b, sizeof b, &n) < 0)
		return false;
	send_evt_raw(c, code, b, n);
	return true;
}

bool vctl_le_evt(struct ps_vctl *c, uint8_t sub, const void *st)
{
	if (!vctl_le_enabled(c, sub))
		return false;
	const struct ps_layout *l = ps_le_evt_layout(sub);
	uint8_t b[255];
	size_t n = 0;
	if (!l || ps_layout_encode(l, st, b, sizeof b, &n) < 0)
		return false;
	struct ps_hci_evt_le_meta m = { .subevent = sub, .params = { b, (uint16_t)n } };
	return vctl_evt(c, ps_hci_evt_le_meta_code, &m);
}

/* Num_HCI_Command_Packets: one command at a time, given back with each Complete/Status (§4.4). */
void vctl_cmd_status(struct ps_vctl *c, uint16_t opcode, uint8_t status)
{
	struct ps_hci_evt_cmd_status e = { .status = status, .ncmd = 1, .opcode = opcode };
	vctl_evt(c, ps_hci_evt_cmd_status_code, &e);
}

void vctl_cmd_complete(struct ps_vctl *c, uint16_t opcode, const void *rsp)
{
	uint8_t b[252];
	size_t n = 0;
	const struct ps_layout *l = ps_hci_rsp_layout(opcode);
	if (!l || ps_layout_encode(l, rsp, b, sizeof b, &n) < 0) {
		/* no return-parameter layout: the status octet alone (rsp starts with it) */
		b[0] = *(const uint8_t *)rsp;
		n = 1;
	}
	struct ps_hci_evt_cmd_complete e = { .ncmd = 1, .opcode = opcode, .params = { b, (uint16_t)n } };
	vctl_evt(c, ps_hci_evt_cmd_complete_code, &e);
}

void vctl_cmd_complete_status(struct ps_vctl *c, uint16_t opcode, uint8_t status)
{
	struct ps_hci_evt_cmd_complete e = { .ncmd = 1, .opcode = opcode, .params = { &status, 1 } };
	vctl_evt(c, ps_hci_evt_cmd_complete_code, &e);
}

static void on_packet(void *ctx, const uint8_t *p, size_t len)
{
	struct ps_vctl *c = ctx;
	c->garbage = false;
	switch (p[0]) {
	case PS_H4_CMD:
		c->st.cmds++;
		vctl_trace(c, PS_MON_COMMAND, p + 1, len - 1);
		vctl_command(c, p + 1, len - 1);
		break;
	case PS_H4_ACL:
		c->st.acl_in++;
		vctl_trace(c, PS_MON_ACL_TX, p + 1, len - 1);
		vctl_acl_from_host(c, p + 1, len - 1);
		break;
	default:
		/* SCO, ISO, or an event sent the wrong way: nothing an LE controller accepts */
		c->st.framing_errors++;
		break;
	}
}

/* Hardware Error (§7.7.16): the host's byte stream lost framing; code 0x01 is ours ("H4 sync lost"). */
static void on_error(void *ctx, int code, uint8_t type)
{
	struct ps_vctl *c = ctx;
	(void)type;
	c->st.framing_errors++;
	struct ps_hci_evt_hardware_error e = { .code = code == -PS_ERANGE ? 0x02 : 0x01 };
	/* report each burst of garbage once */
	if (c->garbage)
		return;
	c->garbage = true;
	vctl_evt(c, ps_hci_evt_hardware_error_code, &e);
}

int ps_vctl_receive_h4(struct ps_vctl *c, const uint8_t *p, size_t len)
{
	ps_h4_feed(&c->h4, p, len, on_packet, on_error, c);
	return 0;
}

int ps_vctl_new(struct ps_vctl **out, struct ps_vctl_link *l, const struct ps_vctl_opts *o)
{
	if (!out || !l || !o)
		return -PS_EINVAL;
	struct ps_vctl *c = calloc(1, sizeof *c);
	if (!c)
		return -PS_ENOMEM;
	size_t slot = l->nctl;
	for (size_t i = 0; i < l->nctl; i++)
		if (!l->ctl[i]) {
			slot = i;
			break;
		}
	if (slot == l->nctl) {
		struct ps_vctl **n = realloc(l->ctl, (l->nctl + 1) * sizeof *n);
		if (!n) {
			free(c);
			return -PS_ENOMEM;
		}
		l->ctl = n;
		l->nctl++;
	}
	l->ctl[slot] = c;
	c->link = l;
	c->index = (uint16_t)slot;
	c->o = *o;
	if (!c->o.acl_len)
		c->o.acl_len = 251;
	if (c->o.acl_len > PS_H4_MAX - 5)
		c->o.acl_len = PS_H4_MAX - 5;
	if (!c->o.acl_num)
		c->o.acl_num = 8;
	memcpy(c->bd_addr, o->bd_addr, 6);
	static const uint8_t zero[6];
	if (!memcmp(c->bd_addr, zero, 6)) {
		/* 02:50:53:00:xx:yy ("PS", locally administered: no vendor's OUI), distinct per index */
		const uint8_t a[6] = { (uint8_t)(slot + 1), (uint8_t)((slot + 1) >> 8), 0x00, 0x53, 0x50, 0x02 };
		memcpy(c->bd_addr, a, 6);
	}
	ps_h4_init(&c->h4);
	c->next_handle = 0x0040;
	vctl_reset_state(c);
	/* New Index (monitor opcode 0): type 0 primary, bus 0 virtual, address, name */
	uint8_t ni[16] = { 0x00, 0x00 };
	memcpy(ni + 2, c->bd_addr, 6);
	memcpy(ni + 8, "vctl", 4);
	vctl_trace(c, PS_MON_NEW_INDEX, ni, sizeof ni);
	*out = c;
	return 0;
}

void ps_vctl_free(struct ps_vctl *c)
{
	if (!c)
		return;
	struct ps_vctl_link *l = c->link;
	vctl_drop_ctl(c);
	uint8_t none = 0;
	vctl_trace(c, PS_MON_DEL_INDEX, &none, 0);
	l->ctl[c->index] = NULL;
	free(c->out);
	free(c);
}

uint16_t ps_vctl_index(const struct ps_vctl *c) { return c->index; }

void ps_vctl_set_faults(struct ps_vctl *c, const struct ps_vctl_faults *f) { c->f = *f; }

void ps_vctl_get_stats(const struct ps_vctl *c, struct ps_vctl_stats *s) { *s = c->st; }
