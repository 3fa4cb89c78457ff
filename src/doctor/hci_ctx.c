/* HCI context of the pairings (Core Vol 4 Part E): controller bring-up after Reset (§4.1 flow control:
 * the host must learn the controller's buffers before it sends data), connections and roles from LE
 * (Enhanced) Connection Complete, own addresses, keys handed to the controller, encryption events,
 * disconnections with their reasons, and failed commands that matter to a pairing. */
#include "doctor/doctor_int.h"
#include "base/bytes.h"
#include "proto/acl.h"
#include "proto/hci.h"
#include "proto/smp.h"
#include <string.h>

/* Opcodes without a parameter layout we need (Vol 4 Part E 7.8.2, 7.8.93). */
enum { OP_LE_READ_BUFFER_SIZE_V2 = 0x2060 };
/* Events without a layout we need: Link Key Notification (Vol 4 Part E 7.7.24). */
enum { EVT_LINK_KEY_NOTIFICATION = 0x18 };

static const char *err_name(uint8_t status)
{
	const char *s = ps_name_of(ps_names_hci_error, status);
	return s ? s : "Unknown error";
}

static const char *cmd_name(uint16_t opcode)
{
	const struct ps_layout *l = ps_hci_cmd_layout(opcode);
	return l ? l->label : "Unknown command";
}

/* Decode parameters into a generated struct; trailing octets are tolerated (newer spec versions). */
static bool dec(const struct ps_layout *l, const uint8_t *p, size_t len, void *out)
{
	size_t used;
	return l && ps_layout_decode_prefix(l, p, len, out, &used) == 0;
}

static struct dr_pairing *active_pairing(struct ps_doctor *d, struct dr_conn *c)
{
	if (!c || c->pairing < 0)
		return NULL;
	struct dr_pairing *p = &d->pairings[c->pairing];
	return p->ended ? NULL : p;
}

static void close_conn(struct ps_doctor *d, struct dr_conn *c)
{
	c->open = false;
	ps_acl_drop(d->acl, c->index, c->handle);
}

static void emit_init(struct ps_doctor *d, struct dr_ctrl *ctl)
{
	if (!ctl->acl_frame || ctl->init_reported)
		return;
	ctl->init_reported = true;
	char also[300] = "";
	size_t o = 0;
	if (!ctl->le_evmask)
		o += (size_t)snprintf(also + o, sizeof also - o, "; it never set the LE event mask");
	if (!ctl->local_feat && o < sizeof also)
		o += (size_t)snprintf(also + o, sizeof also - o, "%s read the local supported features",
				      o ? ", never" : "; it never");
	if (o < sizeof also) {
		if (!ctl->bdaddr_read)
			snprintf(also + o, sizeof also - o, "%s read its own address (Read BD ADDR)",
				 o ? ", never" : "; it never");
		else if (ctl->connected_before_bdaddr)
			snprintf(also + o, sizeof also - o, "%s read its own address only after connecting (#%llu)",
				 o ? " and" : "; it", (unsigned long long)ctl->bdaddr_frame);
	}
	uint64_t fr[3] = { ctl->reset_frame, ctl->acl_frame, ctl->bdaddr_frame };
	dr_add(d, DR_HCI_INIT_INCOMPLETE, -1, fr, 3,
	       "hci%u: after HCI Reset (#%llu) the host sent ACL data (#%llu) without reading the controller's "
	       "buffer sizes (no Read Buffer Size, no LE Read Buffer Size), which HCI flow control requires "
	       "(Vol 4 Part E 4.1)%s: the adapter was not fully brought up",
	       ctl->index, (unsigned long long)ctl->reset_frame, (unsigned long long)ctl->acl_frame, also);
}

void dr_hci_acl_sent(struct ps_doctor *d, struct dr_ctrl *ctl, const struct dr_conn *c, uint64_t frame)
{
	(void)d;
	/* §4.1: "the Host shall not send more ... data packets than the Controller has buffers" and learns
	 * the number and size with Read Buffer Size / LE Read Buffer Size: data before that is blind.
	 * Judged only on a link the capture saw being made after the Reset (a consistent capture). */
	if (ctl->reset && !ctl->rd_buf && !ctl->le_rd_buf && !ctl->acl_frame && c->role != 0xff &&
	    c->open_frame > ctl->reset_frame)
		ctl->acl_frame = frame;
}

void dr_hci_command(struct ps_doctor *d, uint16_t index, const uint8_t *p, size_t len)
{
	struct ps_rd rd;
	uint16_t opcode;
	uint8_t plen;
	ps_rd_init(&rd, p, len);
	if (ps_rd_le16(&rd, &opcode) < 0 || ps_rd_u8(&rd, &plen) < 0)
		return;
	const uint8_t *q = ps_rd_ptr(&rd);
	size_t n = ps_rd_left(&rd) < plen ? ps_rd_left(&rd) : plen;
	struct dr_ctrl *ctl = dr_ctrl_get(d, index);
	if (!ctl)
		return;
	switch (opcode) {
	case ps_hci_cmd_reset_code:
		emit_init(d, ctl);
		ctl->reset = true;
		ctl->reset_frame = d->cur_frame;
		ctl->rd_buf = ctl->le_rd_buf = ctl->le_evmask = ctl->local_feat = ctl->bdaddr_read = false;
		ctl->init_reported = ctl->connected_before_bdaddr = false;
		ctl->acl_frame = ctl->bdaddr_frame = ctl->conn_frame = 0;
		for (size_t i = 0; i < d->nconns; i++)
			if (d->conns[i].open && d->conns[i].index == index)
				close_conn(d, &d->conns[i]);
		break;
	case ps_hci_cmd_read_buffer_size_code:
		ctl->rd_buf = true;
		break;
	case ps_hci_cmd_le_read_buffer_size_code:
	case OP_LE_READ_BUFFER_SIZE_V2:
		ctl->le_rd_buf = true;
		break;
	case ps_hci_cmd_le_set_event_mask_code:
		ctl->le_evmask = true;
		break;
	case ps_hci_cmd_read_local_features_code:
	case ps_hci_cmd_le_read_local_features_code:
		ctl->local_feat = true;
		break;
	case ps_hci_cmd_le_set_random_address_code: {
		struct ps_hci_cmd_le_set_random_address c;
		if (dec(ps_hci_cmd_layout(opcode), q, n, &c)) {
			memcpy(ctl->rand_addr, c.addr, 6);
			ctl->rand_known = true;
		}
		break;
	}
	case ps_hci_cmd_le_set_adv_params_code: {
		struct ps_hci_cmd_le_set_adv_params c;
		if (dec(ps_hci_cmd_layout(opcode), q, n, &c))
			ctl->own_type = c.own_addr_type, ctl->own_type_known = true;
		break;
	}
	case ps_hci_cmd_le_create_conn_code: {
		struct ps_hci_cmd_le_create_conn c;
		if (dec(ps_hci_cmd_layout(opcode), q, n, &c))
			ctl->own_type = c.own_addr_type, ctl->own_type_known = true;
		break;
	}
	case ps_hci_cmd_le_ext_create_conn_code: {
		struct ps_hci_cmd_le_ext_create_conn c;
		if (dec(ps_hci_cmd_layout(opcode), q, n, &c))
			ctl->own_type = c.own_addr_type, ctl->own_type_known = true;
		break;
	}
	case ps_hci_cmd_le_start_encrypt_code: {
		struct ps_hci_cmd_le_start_encrypt c;
		struct dr_conn *cn;
		if (dec(ps_hci_cmd_layout(opcode), q, n, &c) && (cn = dr_conn_find(d, index, c.handle)))
			dr_enc_key_given(d, cn, c.ltk, c.ediv, c.rand, true);
		break;
	}
	case ps_hci_cmd_le_ltk_req_reply_code: {
		struct ps_hci_cmd_le_ltk_req_reply c;
		struct dr_conn *cn;
		if (dec(ps_hci_cmd_layout(opcode), q, n, &c) && (cn = dr_conn_find(d, index, c.handle)))
			dr_enc_key_given(d, cn, c.ltk, cn->ltkreq_ediv, cn->ltkreq_rand, false);
		break;
	}
	case ps_hci_cmd_le_ltk_req_neg_reply_code: {
		struct ps_hci_cmd_le_ltk_req_neg_reply c;
		struct dr_conn *cn;
		if (dec(ps_hci_cmd_layout(opcode), q, n, &c) && (cn = dr_conn_find(d, index, c.handle)))
			dr_enc_key_refused(d, cn);
		break;
	}
	default:
		break;
	}
}

/* Commands whose failure matters to connections and pairing. */
static bool relevant(uint16_t opcode)
{
	switch (opcode) {
	case ps_hci_cmd_le_create_conn_code:
	case ps_hci_cmd_le_ext_create_conn_code:
	case ps_hci_cmd_le_start_encrypt_code:
	case ps_hci_cmd_le_ltk_req_reply_code:
	case ps_hci_cmd_le_ltk_req_neg_reply_code:
	case ps_hci_cmd_le_conn_update_code:
	case ps_hci_cmd_reset_code:
	case ps_hci_cmd_read_bd_addr_code:
	case ps_hci_cmd_read_buffer_size_code:
	case ps_hci_cmd_le_read_buffer_size_code:
		return true;
	default:
		return false;
	}
}

static void cmd_failed(struct ps_doctor *d, uint16_t index, uint16_t opcode, uint8_t status)
{
	if (!status || !relevant(opcode))
		return;
	/* Attach to the pairing running on the only open link of this controller, if there is one. */
	struct dr_pairing *pp = NULL;
	for (size_t i = 0; i < d->nconns; i++)
		if (d->conns[i].open && d->conns[i].index == index && (pp = active_pairing(d, &d->conns[i])))
			break;
	dr_add1(d, DR_HCI_COMMAND_FAILED, dr_pidx(d, pp), d->cur_frame, "hci%u: %s failed: %s (0x%02x)", index,
		cmd_name(opcode), err_name(status), status);
}

static void own_address(struct ps_doctor *d, struct dr_ctrl *ctl, struct dr_conn *c, const uint8_t *local_rpa)
{
	static const uint8_t zero[6];
	(void)d;
	c->local.local = true;
	if (local_rpa && memcmp(local_rpa, zero, 6)) {
		memcpy(c->local.a, local_rpa, 6);
		c->local.type = 1;
		c->local.known = true;
	} else if (ctl->own_type == 1 || ctl->own_type == 3 || (!ctl->own_type_known && ctl->rand_known)) {
		/* Random own address (or none announced, but a random address was set: it is the one used). */
		if (ctl->rand_known) {
			memcpy(c->local.a, ctl->rand_addr, 6);
			c->local.type = 1;
			c->local.known = true;
		}
	} else if (ctl->addr_known) {
		memcpy(c->local.a, ctl->addr, 6);
		c->local.type = 0;
		c->local.known = true;
	}
}

static void conn_complete(struct ps_doctor *d, struct dr_ctrl *ctl, uint8_t status, uint16_t handle, uint8_t role,
			  uint8_t peer_type, const uint8_t *peer, const uint8_t *local_rpa, const uint8_t *peer_rpa)
{
	static const uint8_t zero[6];
	if (status) {
		/* 0x02 follows LE Create Connection Cancel, 0x3c ends directed advertising: both normal. */
		if (status != 0x02 && status != 0x3c)
			dr_add1(d, DR_HCI_CONNECT_FAILED, -1, d->cur_frame, "hci%u: LE connection failed: %s (0x%02x)",
				ctl->index, err_name(status), status);
		return;
	}
	struct dr_conn *c = dr_conn_open(d, ctl->index, handle);
	if (!c)
		return;
	c->role = role == PS_HCI_ROLE_CENTRAL ? 0 : 1;
	c->peer.known = true;
	/* Peer address types 2/3 are identities resolved by the controller; the air used the RPA. */
	if (peer_rpa && memcmp(peer_rpa, zero, 6)) {
		memcpy(c->peer.a, peer_rpa, 6);
		c->peer.type = 1;
	} else {
		memcpy(c->peer.a, peer, 6);
		c->peer.type = peer_type & 1;
	}
	if (peer_type & 2) { /* the identity the controller resolved: how bonds are found again */
		memcpy(c->peer_id, peer, 6);
		c->peer_id_known = true;
	}
	own_address(d, ctl, c, local_rpa);
	if (ctl->reset && !ctl->conn_frame) {
		ctl->conn_frame = d->cur_frame;
		if (!ctl->bdaddr_read)
			ctl->connected_before_bdaddr = true;
	}
}

static void le_meta(struct ps_doctor *d, struct dr_ctrl *ctl, const uint8_t *p, size_t len)
{
	if (len < 1)
		return;
	uint8_t sub = p[0];
	const struct ps_layout *l = ps_le_evt_layout(sub);
	p++;
	len--;
	switch (sub) {
	case ps_le_evt_conn_complete_code: {
		struct ps_le_evt_conn_complete e;
		if (dec(l, p, len, &e))
			conn_complete(d, ctl, e.status, e.handle, e.role, e.peer_addr_type, e.peer_addr, NULL, NULL);
		break;
	}
	case ps_le_evt_enhanced_conn_complete_code:
	case ps_le_evt_enhanced_conn_complete_v2_code: {
		/* v2 adds fields at the end; the common prefix is the v1 layout. */
		struct ps_le_evt_enhanced_conn_complete e;
		if (dec(ps_le_evt_layout(ps_le_evt_enhanced_conn_complete_code), p, len, &e))
			conn_complete(d, ctl, e.status, e.handle, e.role, e.peer_addr_type, e.peer_addr, e.local_rpa,
				      e.peer_rpa);
		break;
	}
	case ps_le_evt_ltk_request_code: {
		struct ps_le_evt_ltk_request e;
		struct dr_conn *c;
		if (dec(l, p, len, &e) && (c = dr_conn_find(d, ctl->index, e.handle))) {
			c->ltkreq = true;
			c->ltkreq_ediv = e.ediv;
			c->ltkreq_rand = e.rand;
			c->ltkreq_frame = d->cur_frame;
		}
		break;
	}
	default:
		break;
	}
}

void dr_hci_disconnected(struct ps_doctor *d, uint16_t index, uint16_t handle, uint8_t reason)
{
	struct dr_ctrl *ctl = dr_ctrl_get(d, index);
	if (!ctl)
		return;
	struct dr_conn *c = dr_conn_find(d, ctl->index, handle);
	struct dr_pairing *pp = c && c->pairing >= 0 ? &d->pairings[c->pairing] : NULL;
	/* Reasons of Vol 1 Part F that mean the two sides' keys disagree. */
	bool security = reason == 0x05 || reason == 0x06 || reason == 0x3d;
	/* A normal disconnect after a finished pairing is not about it. */
	int32_t pi = pp && (!pp->complete || security) ? dr_pidx(d, pp) : -1;
	dr_add1(d, security ? DR_HCI_DISCONNECT_SECURITY : DR_HCI_DISCONNECT, pi, d->cur_frame,
		"hci%u handle %u disconnected: %s (0x%02x)%s", ctl->index, handle, err_name(reason), reason,
		reason == 0x3d ? ": the two sides encrypted with different keys" :
		reason == 0x06 ? ": a key was missing on one side" :
		reason == 0x05 ? ": authentication failed (often sent after Pairing Failed)" :
		reason == 0x08 ? ": supervision timeout (radio link lost)" :
		reason == 0x13 ? ": the peer closed the link" :
		reason == 0x16 ? ": this host closed the link" : "");
	if (pp && !pp->ended && !pp->complete) {
		pp->disc_reason = reason;
		dr_pairing_end(d, pp, DR_O_DISCONNECTED, d->cur_frame);
	}
	if (c)
		close_conn(d, c);
}

void dr_hci_event(struct ps_doctor *d, uint16_t index, const uint8_t *p, size_t len)
{
	if (len < PS_HCI_EVT_HDR)
		return;
	uint8_t code = p[0];
	size_t n = len - PS_HCI_EVT_HDR < p[1] ? len - PS_HCI_EVT_HDR : p[1];
	const uint8_t *q = p + PS_HCI_EVT_HDR;
	const struct ps_layout *l = ps_hci_evt_layout(code);
	struct dr_ctrl *ctl = dr_ctrl_get(d, index);
	if (!ctl)
		return;
	switch (code) {
	case ps_hci_evt_cmd_complete_code: {
		struct ps_hci_evt_cmd_complete e;
		if (!dec(l, q, n, &e) || e.params.len < 1)
			break;
		cmd_failed(d, index, e.opcode, e.params.p[0]);
		if (e.opcode == ps_hci_cmd_read_bd_addr_code && e.params.p[0] == 0) {
			struct ps_hci_rsp_read_bd_addr r;
			if (dec(ps_hci_rsp_layout(e.opcode), e.params.p, e.params.len, &r)) {
				memcpy(ctl->addr, r.addr, 6);
				ctl->addr_known = true;
				ctl->bdaddr_read = true;
				ctl->bdaddr_frame = d->cur_frame;
			}
		}
		break;
	}
	case ps_hci_evt_cmd_status_code: {
		struct ps_hci_evt_cmd_status e;
		if (dec(l, q, n, &e))
			cmd_failed(d, index, e.opcode, e.status);
		break;
	}
	case ps_hci_evt_disconn_complete_code: {
		struct ps_hci_evt_disconn_complete e;
		if (dec(l, q, n, &e) && e.status == 0)
			dr_hci_disconnected(d, index, e.handle, e.reason);
		break;
	}
	case ps_hci_evt_encrypt_change_code:
	case ps_hci_evt_encrypt_change_v2_code: {
		struct ps_hci_evt_encrypt_change e; /* v2 appends the key size */
		struct dr_conn *c;
		if (dec(ps_hci_evt_layout(ps_hci_evt_encrypt_change_code), q, n, &e) &&
		    (c = dr_conn_find(d, index, e.handle)))
			dr_enc_change(d, c, e.status, e.encr_mode != 0, false);
		break;
	}
	case ps_hci_evt_encrypt_key_refresh_complete_code: {
		struct ps_hci_evt_encrypt_key_refresh_complete e;
		struct dr_conn *c;
		if (dec(l, q, n, &e) && (c = dr_conn_find(d, index, e.handle)))
			dr_enc_change(d, c, e.status, true, true);
		break;
	}
	case ps_hci_evt_le_meta_code:
		le_meta(d, ctl, q, n);
		break;
	case EVT_LINK_KEY_NOTIFICATION:
		ctl->link_key_frame = d->cur_frame;
		break;
	default:
		break;
	}
}

void dr_hci_finish(struct ps_doctor *d)
{
	for (size_t i = 0; i < d->nctrls; i++)
		emit_init(d, &d->ctrls[i]);
}
