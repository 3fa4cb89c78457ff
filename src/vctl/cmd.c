/* HCI command dispatch of the virtual controller (Core Vol 4 Part E §4.4 flow control, §7.1-7.8):
 * one table keyed by opcode with its Supported Commands bit (§6.27) and whether it answers with Command
 * Status; parameters are checked against the command's layout (hci_cmd.def) before any handler runs:
 * a wrong length is Invalid HCI Command Parameters (0x12), an opcode not in the table Unknown HCI
 * Command (0x01). Handlers for controller information, masks, advertising, scanning and the filter
 * accept list live here; connection, encryption and data length handlers in cmd_conn.c. */
#include "vctl/cmd_int.h"
#include <string.h>

/* Controller identity: HCI/LMP version 5.3 (0x0c, the newest btmon 5.66 names); manufacturer 0xffff
 * (reserved for internal use: no host loads vendor init for it, BTstack included). */
enum { VCTL_VERSION = 0x0c, VCTL_MANUFACTURER = 0xffff, VCTL_REVISION = 0x0001 };

void vctl_reset_state(struct ps_vctl *c)
{
	c->evmask = 0x00001fffffffffffull; /* §7.3.1 default */
	c->evmask2 = 0;
	c->le_evmask = 0x1f;               /* §7.8.1 default */
	c->has_rand = false;
	memset(&c->adv, 0, sizeof c->adv);
	c->adv.p.min_interval = c->adv.p.max_interval = 0x0800;
	c->adv.p.channel_map = 0x07;
	memset(&c->scan, 0, sizeof c->scan);
	c->scan.p.interval = c->scan.p.window = 0x0010;
	memset(&c->init, 0, sizeof c->init);
	c->naccept = 0;
	c->sugg_tx = VCTL_LL_MIN;
	vctl_priv_reset(c);
}

static void h_reset(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	vctl_drop_ctl(c); /* connections end: peers time out (§7.3.2: the controller forgets them) */
	uint32_t g = c->adv.gen, ig = c->init.gen;
	vctl_reset_state(c);
	c->adv.gen = g + 1;
	c->init.gen = ig + 1;
	vctl_cmd_complete_status(c, op, ST_OK);
}

static void h_set_event_mask(struct ps_vctl *c, uint16_t op, const void *p)
{
	c->evmask = ((const struct ps_hci_cmd_set_event_mask *)p)->mask;
	vctl_cmd_complete_status(c, op, ST_OK);
}

static void h_set_event_mask2(struct ps_vctl *c, uint16_t op, const void *p)
{
	c->evmask2 = ((const struct ps_hci_cmd_set_event_mask_page2 *)p)->mask;
	vctl_cmd_complete_status(c, op, ST_OK);
}

static void h_le_set_event_mask(struct ps_vctl *c, uint16_t op, const void *p)
{
	c->le_evmask = ((const struct ps_hci_cmd_le_set_event_mask *)p)->mask;
	vctl_cmd_complete_status(c, op, ST_OK);
}

static void h_ok(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	vctl_cmd_complete_status(c, op, ST_OK);
}

static void h_read_local_version(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	struct ps_hci_rsp_read_local_version r = { .status = 0, .hci_ver = VCTL_VERSION, .hci_rev = VCTL_REVISION,
						    .lmp_ver = VCTL_VERSION, .manufacturer = VCTL_MANUFACTURER,
						    .lmp_subver = VCTL_REVISION };
	vctl_cmd_complete(c, op, &r);
}

static void h_read_local_commands(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	struct ps_hci_rsp_read_local_commands r = { 0 };
	vctl_supported_commands(r.commands);
	vctl_cmd_complete(c, op, &r);
}

static void h_read_local_features(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	/* Vol 2 Part C §3.3: octet 4 bit 5 BR/EDR Not Supported, bit 6 LE Supported (Controller). */
	struct ps_hci_rsp_read_local_features r = { .features = { [4] = 0x60 } };
	vctl_cmd_complete(c, op, &r);
}

static void h_read_buffer_size(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	/* LE-only: no BR/EDR buffers; hosts use LE Read Buffer Size. */
	struct ps_hci_rsp_read_buffer_size r = { 0 };
	vctl_cmd_complete(c, op, &r);
}

static void h_read_bd_addr(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	struct ps_hci_rsp_read_bd_addr r = { 0 };
	memcpy(r.addr, c->bd_addr, 6);
	vctl_cmd_complete(c, op, &r);
}

static void h_le_read_buffer_size(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	struct ps_hci_rsp_le_read_buffer_size r = { .le_mtu = c->o.acl_len, .le_max_pkt = c->o.acl_num };
	vctl_cmd_complete(c, op, &r);
}

static void h_le_read_local_features(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	/* Vol 6 Part B §4.6: see VCTL_LE_FEATURES. Nothing we do not do. */
	struct ps_hci_rsp_le_read_local_features r = { .features = { VCTL_LE_FEATURES } };
	vctl_cmd_complete(c, op, &r);
}

static void h_le_read_supported_states(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	/* §7.8.27: states 0..41 (legacy advertising, scanning, initiating, both roles, combinations). */
	struct ps_hci_rsp_le_read_supported_states r = { .states = 0x3ffffffffffull };
	vctl_cmd_complete(c, op, &r);
}

static void h_le_set_random_address(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_set_random_address *a = p;
	/* §7.8.4: disallowed while advertising, scanning or initiating use it. */
	if (c->adv.on || c->scan.on || c->init.on) {
		vctl_cmd_complete_status(c, op, ST_CMD_DISALLOWED);
		return;
	}
	memcpy(c->rand_addr, a->addr, 6);
	c->has_rand = true;
	vctl_cmd_complete_status(c, op, ST_OK);
}

static void h_le_set_adv_params(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_set_adv_params *a = p;
	if (c->adv.on) {
		vctl_cmd_complete_status(c, op, ST_CMD_DISALLOWED);
		return;
	}
	/* §7.8.5: interval 0x0020..0x4000 and min <= max (ignored for high duty cycle directed), type 0..4,
	 * own type 0..3, channel map 1..7, filter policy 0..3. */
	bool directed_hd = a->type == 0x01;
	if (a->type > 4 || a->own_addr_type > 3 || a->direct_addr_type > 1 || !a->channel_map ||
	    a->channel_map > 7 || a->filter_policy > 3 ||
	    (!directed_hd && (a->min_interval < 0x20 || a->max_interval > 0x4000 || a->min_interval > a->max_interval))) {
		vctl_cmd_complete_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	c->adv.p = *a;
	vctl_cmd_complete_status(c, op, ST_OK);
}

static void h_le_read_adv_tx_power(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	struct ps_hci_rsp_le_read_adv_tx_power r = { .level = 0 };
	vctl_cmd_complete(c, op, &r);
}

static void h_le_set_adv_data(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_set_adv_data *a = p;
	if (a->len > 31) {
		vctl_cmd_complete_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	memcpy(c->adv.data, a->data, a->len);
	c->adv.data_len = a->len;
	vctl_cmd_complete_status(c, op, ST_OK);
}

static void h_le_set_scan_rsp_data(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_set_scan_rsp_data *a = p;
	if (a->len > 31) {
		vctl_cmd_complete_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	memcpy(c->adv.sr, a->data, a->len);
	c->adv.sr_len = a->len;
	vctl_cmd_complete_status(c, op, ST_OK);
}

static void h_le_set_adv_enable(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_set_adv_enable *a = p;
	if (a->enable > 1) {
		vctl_cmd_complete_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	/* §7.8.9: own address type random needs a random address; 0x03 only when the resolving list has
	 * no local IRK for the Peer_Address (privacy.c). */
	struct vctl_addr peer = { .type = c->adv.p.direct_addr_type & 1 };
	memcpy(peer.a, c->adv.p.direct_addr, 6);
	if (a->enable && (c->adv.p.own_addr_type & 1) && !c->has_rand &&
	    !(c->adv.p.own_addr_type == 3 && vctl_priv_has_local(c, &peer))) {
		vctl_cmd_complete_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	bool was = c->adv.on;
	c->adv.on = a->enable;
	vctl_cmd_complete_status(c, op, ST_OK);
	if (c->adv.on && !was) {
		c->adv.gen++;
		vctl_adv_changed(c);
	} else if (!c->adv.on) {
		c->adv.gen++;
	}
}

static void h_le_set_scan_params(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_set_scan_params *a = p;
	if (c->scan.on) {
		vctl_cmd_complete_status(c, op, ST_CMD_DISALLOWED);
		return;
	}
	/* §7.8.10: type 0/1, interval/window 0x0004..0x4000, window <= interval, own type 0..3, policy 0..3. */
	if (a->type > 1 || a->interval < 4 || a->interval > 0x4000 || a->window < 4 || a->window > a->interval ||
	    a->own_addr_type > 3 || a->filter_policy > 3) {
		vctl_cmd_complete_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	c->scan.p = *a;
	vctl_cmd_complete_status(c, op, ST_OK);
}

static void h_le_set_scan_enable(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_set_scan_enable *a = p;
	if (a->enable > 1 || a->filter_dup > 1) {
		vctl_cmd_complete_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	bool was = c->scan.on;
	c->scan.on = a->enable;
	c->scan.filter_dup = a->filter_dup;
	vctl_cmd_complete_status(c, op, ST_OK);
	if (c->scan.on && !was) {
		c->scan.nseen = 0;
		vctl_scan_started(c);
	}
}

static void h_le_read_accept_list_size(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	struct ps_hci_rsp_le_read_accept_list_size r = { .size = VCTL_MAX_ACCEPT };
	vctl_cmd_complete(c, op, &r);
}

/* §7.8.15-17: the accept list may not change while in use by advertising, scanning or initiating. */
static bool accept_list_busy(const struct ps_vctl *c)
{
	return (c->adv.on && c->adv.p.filter_policy) || (c->scan.on && (c->scan.p.filter_policy & 1)) ||
	       (c->init.on && c->init.p.filter_policy);
}

static void h_le_clear_accept_list(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	if (accept_list_busy(c)) {
		vctl_cmd_complete_status(c, op, ST_CMD_DISALLOWED);
		return;
	}
	c->naccept = 0;
	vctl_cmd_complete_status(c, op, ST_OK);
}

static int accept_find(const struct ps_vctl *c, uint8_t type, const uint8_t a[6])
{
	for (int i = 0; i < c->naccept; i++)
		if (c->accept[i].type == type && !memcmp(c->accept[i].a, a, 6))
			return i;
	return -1;
}

static void h_le_add_to_accept_list(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_add_to_accept_list *a = p;
	if (a->addr_type > 1 && a->addr_type != 0xff) {
		vctl_cmd_complete_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	if (accept_list_busy(c)) {
		vctl_cmd_complete_status(c, op, ST_CMD_DISALLOWED);
		return;
	}
	if (accept_find(c, a->addr_type, a->addr) < 0) {
		if (c->naccept == VCTL_MAX_ACCEPT) {
			vctl_cmd_complete_status(c, op, 0x07); /* Memory Capacity Exceeded */
			return;
		}
		c->accept[c->naccept].type = a->addr_type;
		memcpy(c->accept[c->naccept].a, a->addr, 6);
		c->naccept++;
	}
	vctl_cmd_complete_status(c, op, ST_OK);
}

static void h_le_remove_from_accept_list(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_remove_from_accept_list *a = p;
	if (accept_list_busy(c)) {
		vctl_cmd_complete_status(c, op, ST_CMD_DISALLOWED);
		return;
	}
	int i = accept_find(c, a->addr_type, a->addr);
	if (i >= 0)
		c->accept[i] = c->accept[--c->naccept];
	vctl_cmd_complete_status(c, op, ST_OK);
}

bool vctl_accept_has(const struct ps_vctl *c, uint8_t type, const uint8_t a[6])
{
	return accept_find(c, type, a) >= 0;
}

static void h_le_rand(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	struct ps_hci_rsp_le_rand r = { .number = vctl_rand64(c->link) };
	vctl_cmd_complete(c, op, &r);
}

static void h_le_encrypt(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_encrypt *a = p;
	struct ps_hci_rsp_le_encrypt r = { 0 };
	/* §7.8.22: key and plaintext as HCI carries them (LSO first), the toolbox's wire order. */
	if (ps_crypto_e(c->link->o.crypto, a->key, a->plaintext, r.data) < 0)
		r.status = ST_UNSPECIFIED;
	vctl_cmd_complete(c, op, &r);
}

/* The table. Supported Commands octet/bit per §6.27; CS = answered with Command Status. */
#define CS true
#define CC false
static const struct vctl_cmd cmds[] = {
	{ 0x0406, 0, 5, CS, vctl_h_disconnect },
	{ 0x041d, 2, 7, CS, vctl_h_read_remote_version },
	{ 0x0c01, 5, 6, CC, h_set_event_mask },
	{ 0x0c03, 5, 7, CC, h_reset },
	{ 0x0c63, 22, 2, CC, h_set_event_mask2 },
	{ 0x0c6d, 24, 6, CC, h_ok },
	{ 0x1001, 14, 3, CC, h_read_local_version },
	{ 0x1002, 0xff, 0, CC, h_read_local_commands },
	{ 0x1003, 14, 5, CC, h_read_local_features },
	{ 0x1005, 14, 7, CC, h_read_buffer_size },
	{ 0x1009, 15, 1, CC, h_read_bd_addr },
	{ 0x1405, 15, 5, CC, vctl_h_read_rssi },
	{ 0x2001, 25, 0, CC, h_le_set_event_mask },
	{ 0x2002, 25, 1, CC, h_le_read_buffer_size },
	{ 0x2003, 25, 2, CC, h_le_read_local_features },
	{ 0x2005, 25, 4, CC, h_le_set_random_address },
	{ 0x2006, 25, 5, CC, h_le_set_adv_params },
	{ 0x2007, 25, 6, CC, h_le_read_adv_tx_power },
	{ 0x2008, 25, 7, CC, h_le_set_adv_data },
	{ 0x2009, 26, 0, CC, h_le_set_scan_rsp_data },
	{ 0x200a, 26, 1, CC, h_le_set_adv_enable },
	{ 0x200b, 26, 2, CC, h_le_set_scan_params },
	{ 0x200c, 26, 3, CC, h_le_set_scan_enable },
	{ 0x200d, 26, 4, CS, vctl_h_create_conn },
	{ 0x200e, 26, 5, CC, vctl_h_create_conn_cancel },
	{ 0x200f, 26, 6, CC, h_le_read_accept_list_size },
	{ 0x2010, 26, 7, CC, h_le_clear_accept_list },
	{ 0x2011, 27, 0, CC, h_le_add_to_accept_list },
	{ 0x2012, 27, 1, CC, h_le_remove_from_accept_list },
	{ 0x2013, 27, 2, CS, vctl_h_conn_update },
	{ 0x2016, 27, 5, CS, vctl_h_read_remote_features },
	{ 0x2017, 27, 6, CC, h_le_encrypt },
	{ 0x2018, 27, 7, CC, h_le_rand },
	{ 0x2019, 28, 0, CS, vctl_h_start_encryption },
	{ 0x201a, 28, 1, CC, vctl_h_ltk_reply },
	{ 0x201b, 28, 2, CC, vctl_h_ltk_neg_reply },
	{ 0x201c, 28, 3, CC, h_le_read_supported_states },
	{ 0x2020, 33, 4, CC, vctl_h_cpr_reply },
	{ 0x2021, 33, 5, CC, vctl_h_cpr_neg_reply },
	{ 0x2022, 33, 6, CC, vctl_h_set_data_length },
	{ 0x2023, 33, 7, CC, vctl_h_read_default_data_length },
	{ 0x2024, 34, 0, CC, vctl_h_write_default_data_length },
	{ 0x2025, 34, 1, CS, vctl_h_read_local_p256 },
	{ 0x2026, 34, 2, CS, vctl_h_generate_dhkey },
	{ 0x2027, 34, 3, CC, vctl_h_add_resolv },
	{ 0x2028, 34, 4, CC, vctl_h_remove_resolv },
	{ 0x2029, 34, 5, CC, vctl_h_clear_resolv },
	{ 0x202a, 34, 6, CC, vctl_h_read_resolv_size },
	{ 0x202b, 34, 7, CC, vctl_h_read_peer_rpa },
	{ 0x202c, 35, 0, CC, vctl_h_read_local_rpa },
	{ 0x202d, 35, 1, CC, vctl_h_set_resolv_enable },
	{ 0x202e, 35, 2, CC, vctl_h_set_resolv_timeout },
	{ 0x202f, 35, 3, CC, vctl_h_read_max_data_length },
	{ 0x204e, 39, 2, CC, vctl_h_set_priv_mode },
};

void vctl_supported_commands(uint8_t bits[64])
{
	memset(bits, 0, 64);
	for (size_t i = 0; i < PS_ARRAY_SIZE(cmds); i++)
		if (cmds[i].octet < 64)
			bits[cmds[i].octet] |= (uint8_t)(1u << cmds[i].bit);
}

static const struct vctl_cmd *find(uint16_t op)
{
	size_t lo = 0, hi = PS_ARRAY_SIZE(cmds);
	while (lo < hi) {
		size_t m = (lo + hi) / 2;
		if (cmds[m].opcode == op)
			return &cmds[m];
		if (cmds[m].opcode < op)
			lo = m + 1;
		else
			hi = m;
	}
	return NULL;
}

/* p = opcode(2) plen(1) params: a complete command packet without the H4 type. */
void vctl_command(struct ps_vctl *c, const uint8_t *p, size_t len)
{
	uint16_t op = (uint16_t)(p[0] | p[1] << 8);
	const uint8_t *params = p + 3;
	size_t plen = len - 3;
	const struct vctl_cmd *cmd = find(op);
	if (!cmd) {
		/* §4.5: an unknown command gets Command Complete (or Status) with Unknown HCI Command. */
		c->st.unknown_cmds++;
		vctl_cmd_complete_status(c, op, ST_UNKNOWN_CMD);
		return;
	}
	union {
		uint64_t align;
		uint8_t b[512];
	} st;
	memset(&st, 0, sizeof st);
	const struct ps_layout *l = ps_hci_cmd_layout(op);
	if (!l || l->size > sizeof st || ps_layout_decode(l, params, plen, &st) < 0) {
		c->st.bad_params++;
		if (cmd->status)
			vctl_cmd_status(c, op, ST_INVALID_PARAMS);
		else
			vctl_cmd_complete_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	cmd->fn(c, op, &st);
}
