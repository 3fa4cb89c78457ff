/* LL control procedures between the virtual controllers: encryption start and pause/refresh (Core
 * Vol 6 Part B §5.1.3.1-2, session key and IV per Vol 6 Part E §1), connection update (§5.1.1) and
 * termination (§5.1.2), with what each raises at the HCI (Vol 4 Part E §7.7.8 Encryption Change,
 * §7.7.39 Key Refresh Complete, §7.7.65.5 LE Long Term Key Request). */
#include "vctl/vctl_int.h"
#include "base/bytes.h"
#include <string.h>

/* Encryption Change (or Key Refresh Complete after a refresh) to one side's host, held back by the
 * enc_change_delay fault when set. */
static void enc_event(struct ps_vctl_link *l, struct air_conn *cn, int side, uint8_t status, uint8_t enabled)
{
	struct ps_vctl *c = vctl_get(l, cn->e[side].ctl);
	if (!c || !cn->e[side].alive)
		return;
	uint8_t code;
	uint8_t params[8];
	size_t n = 0;
	if (cn->refresh && !status) {
		code = ps_hci_evt_encrypt_key_refresh_complete_code;
		struct ps_hci_evt_encrypt_key_refresh_complete e = { .status = 0, .handle = cn->e[side].handle };
		ps_layout_encode(ps_hci_evt_layout(code), &e, params, sizeof params, &n);
	} else if (vctl_evt_enabled(c, ps_hci_evt_encrypt_change_v2_code)) {
		/* Vol 4 Part E §7.7.8: a host that unmasked Encryption Change [v2] (page 2 bit 25, §7.3.69)
		 * gets it instead of [v1], with the key size (always 16 octets here: no key size
		 * negotiation on this link). */
		code = ps_hci_evt_encrypt_change_v2_code;
		struct ps_hci_evt_encrypt_change_v2 e = { .status = status, .handle = cn->e[side].handle,
							  .encr_mode = enabled, .key_size = enabled ? 16 : 0 };
		ps_layout_encode(ps_hci_evt_layout(code), &e, params, sizeof params, &n);
	} else {
		code = ps_hci_evt_encrypt_change_code;
		struct ps_hci_evt_encrypt_change e = { .status = status, .handle = cn->e[side].handle,
						       .encr_mode = enabled };
		ps_layout_encode(ps_hci_evt_layout(code), &e, params, sizeof params, &n);
	}
	if (!vctl_evt_enabled(c, code))
		return;
	uint8_t pkt[2 + sizeof params] = { code, (uint8_t)n };
	memcpy(pkt + 2, params, n);
	if (!c->f.enc_change_delay_us) {
		vctl_out(c, PS_H4_EVT, pkt, n + 2);
		return;
	}
	struct air_ev *ev = vctl_sched(l, l->now + c->f.enc_change_delay_us, EV_HOST_EVT);
	ev->ctl = c->index;
	ev->conn = 0xffff;
	ev->len = (uint16_t)(n + 2);
	memcpy(ev->data, pkt, n + 2);
}

/* A new SK (start or refresh, IV complete by now): the CCM session every data PDU of this end is
 * sealed and opened with until the next key, so the key schedule is made once per key, not per PDU. */
static int new_session(struct ps_vctl_link *l, struct air_conn *cn, struct air_end *e)
{
	ps_crypto_ll_session_free(e->ses);
	e->ses = NULL;
	return ps_crypto_ll_session_new(l->o.crypto, e->sk, cn->iv, &e->ses);
}

static void send_enc_req(struct ps_vctl_link *l, struct air_conn *cn)
{
	struct ps_llctrl_enc_req r = { .rand = cn->rand, .ediv = cn->ediv };
	vctl_rand(l, cn->skd_c, 8);
	vctl_rand(l, cn->iv, 4);
	memcpy(r.skd_c, cn->skd_c, 8);
	r.iv_c = (uint32_t)ps_get_le(cn->iv, 4);
	cn->enc_c = ENC_W4_ENC_RSP;
	cn->e[0].paused = true;
	vctl_send_ctrl(l, cn, 0, ps_llctrl_enc_req_code, &r);
}

/* Central host issued LE Enable Encryption: start, or pause first when already encrypted (refresh). */
void vctl_enc_start(struct ps_vctl *c, struct air_conn *cn, uint64_t rand, uint16_t ediv, const uint8_t ltk[16])
{
	struct ps_vctl_link *l = c->link;
	memcpy(cn->ltk_c, ltk, 16);
	cn->rand = rand;
	cn->ediv = ediv;
	cn->refresh = cn->e[0].tx_enc;
	if (cn->refresh) {
		cn->enc_c = ENC_W4_PAUSE_RSP;
		cn->e[0].paused = true;
		vctl_send_ctrl(l, cn, 0, ps_llctrl_pause_enc_req_code, &(struct ps_llctrl_pause_enc_req){ 0 });
		return;
	}
	send_enc_req(l, cn);
}

static void reject_enc(struct ps_vctl_link *l, struct air_conn *cn, uint8_t error)
{
	struct ps_llctrl_reject_ext_ind r = { .reject_opcode = ps_llctrl_enc_req_code, .error = error };
	cn->enc_p = ENC_IDLE;
	vctl_send_ctrl(l, cn, 1, ps_llctrl_reject_ext_ind_code, &r);
	vctl_resume(l, cn, 1);
}

/* Peripheral host answered the LTK request (ltk NULL: negative reply). */
void vctl_enc_ltk_reply(struct ps_vctl *c, struct air_conn *cn, const uint8_t *ltk)
{
	struct ps_vctl_link *l = c->link;
	if (!ltk) {
		/* §5.1.3.1: the peripheral rejects with PIN or Key Missing. */
		reject_enc(l, cn, ST_PIN_MISSING);
		return;
	}
	struct air_end *p = &cn->e[1];
	if (ps_crypto_session_key(l->o.crypto, ltk, cn->skd_c, cn->skd_p, p->sk) < 0 || new_session(l, cn, p) < 0) {
		reject_enc(l, cn, ST_UNSPECIFIED);
		return;
	}
	p->rx_enc = true;
	p->rx_ctr = 0;
	cn->enc_p = ENC_W4_START_RSP;
	vctl_send_ctrl(l, cn, 1, ps_llctrl_start_enc_req_code, &(struct ps_llctrl_start_enc_req){ 0 });
}

static void rx_enc_req(struct ps_vctl_link *l, struct air_conn *cn, const struct ps_llctrl_enc_req *r)
{
	struct ps_vctl *c = vctl_get(l, cn->e[1].ctl);
	cn->rand = r->rand;
	cn->ediv = r->ediv;
	memcpy(cn->skd_c, r->skd_c, 8);
	ps_put_le(cn->iv, r->iv_c, 4);
	vctl_rand(l, cn->skd_p, 8);
	vctl_rand(l, cn->iv + 4, 4);
	cn->e[1].paused = true;
	struct ps_llctrl_enc_rsp rsp = { .iv_p = (uint32_t)ps_get_le(cn->iv + 4, 4) };
	memcpy(rsp.skd_p, cn->skd_p, 8);
	vctl_send_ctrl(l, cn, 1, ps_llctrl_enc_rsp_code, &rsp);
	cn->enc_p = ENC_W4_LTK;
	struct ps_le_evt_ltk_request e = { .handle = cn->e[1].handle, .rand = r->rand, .ediv = r->ediv };
	if (!c || !vctl_le_evt(c, ps_le_evt_ltk_request_code, &e))
		reject_enc(l, cn, ST_PIN_MISSING); /* masked: no host to ask */
}

static void rx_start_enc_rsp(struct ps_vctl_link *l, struct air_conn *cn, int side)
{
	if (side == 1) {
		/* the central's response decrypted fine: answer encrypted, tell our host, resume data */
		struct air_end *p = &cn->e[1];
		p->tx_enc = true;
		p->tx_ctr = 0;
		cn->enc_p = ENC_IDLE;
		vctl_send_ctrl(l, cn, 1, ps_llctrl_start_enc_rsp_code, &(struct ps_llctrl_start_enc_rsp){ 0 });
		enc_event(l, cn, 1, 0, 1);
		vctl_resume(l, cn, 1);
		return;
	}
	cn->enc_c = ENC_IDLE;
	enc_event(l, cn, 0, 0, 1);
	cn->refresh = false;
	vctl_resume(l, cn, 0);
}

static void rx_reject(struct ps_vctl_link *l, struct air_conn *cn, int side, uint8_t error)
{
	if (side != 0 || cn->enc_c == ENC_IDLE)
		return;
	cn->enc_c = ENC_IDLE;
	bool refresh = cn->refresh;
	cn->refresh = false;
	enc_event(l, cn, 0, error, 0);
	if (refresh) {
		/* §5.1.3.2: a refresh the peripheral cannot complete leaves no usable key: end the link */
		struct ps_llctrl_terminate_ind t = { .error = error };
		vctl_send_ctrl(l, cn, 0, ps_llctrl_terminate_ind_code, &t);
		return;
	}
	vctl_resume(l, cn, 0);
}

void vctl_ll_ctrl(struct ps_vctl_link *l, struct air_conn *cn, int side, const uint8_t *p, size_t len)
{
	if (!len)
		return;
	const struct ps_layout *lay = ps_llctrl_layout(p[0]);
	union {
		uint64_t align;
		uint8_t b[128];
		struct ps_llctrl_connection_update_ind upd;
		struct ps_llctrl_terminate_ind term;
		struct ps_llctrl_enc_req enc_req;
		struct ps_llctrl_enc_rsp enc_rsp;
		struct ps_llctrl_reject_ind rej;
		struct ps_llctrl_reject_ext_ind rej_ext;
		struct ps_llctrl_connection_param_req cpr;
	} u;
	memset(&u, 0, sizeof u);
	if (!lay || lay->size > sizeof u || ps_layout_decode(lay, p + 1, len - 1, &u) < 0)
		return;
	struct air_end *me = &cn->e[side];
	switch (p[0]) {
	case ps_llctrl_connection_update_ind_code:
		if (side == 1)
			vctl_update_received(l, cn, &u.upd);
		break;
	case ps_llctrl_terminate_ind_code:
		vctl_terminated(l, cn, side, u.term.error);
		break;
	case ps_llctrl_enc_req_code:
		if (side == 1)
			rx_enc_req(l, cn, &u.enc_req);
		break;
	case ps_llctrl_enc_rsp_code:
		if (side != 0 || cn->enc_c != ENC_W4_ENC_RSP)
			break;
		memcpy(cn->skd_p, u.enc_rsp.skd_p, 8);
		ps_put_le(cn->iv + 4, u.enc_rsp.iv_p, 4);
		/* a failure leaves no session: the first encrypted PDU then fails its MIC and ends the link */
		if (ps_crypto_session_key(l->o.crypto, cn->ltk_c, cn->skd_c, cn->skd_p, me->sk) < 0 ||
		    new_session(l, cn, me) < 0)
			memset(me->sk, 0, sizeof me->sk);
		cn->enc_c = ENC_W4_START_REQ;
		break;
	case ps_llctrl_start_enc_req_code:
		if (side != 0 || cn->enc_c != ENC_W4_START_REQ)
			break;
		me->tx_enc = me->rx_enc = true;
		me->tx_ctr = me->rx_ctr = 0;
		cn->enc_c = ENC_W4_START_RSP;
		vctl_send_ctrl(l, cn, 0, ps_llctrl_start_enc_rsp_code, &(struct ps_llctrl_start_enc_rsp){ 0 });
		break;
	case ps_llctrl_start_enc_rsp_code:
		rx_start_enc_rsp(l, cn, side);
		break;
	case ps_llctrl_pause_enc_req_code:
		if (side != 1)
			break;
		me->paused = true;
		vctl_send_ctrl(l, cn, 1, ps_llctrl_pause_enc_rsp_code, &(struct ps_llctrl_pause_enc_rsp){ 0 });
		me->tx_enc = me->rx_enc = false;
		break;
	case ps_llctrl_pause_enc_rsp_code:
		if (side != 0 || cn->enc_c != ENC_W4_PAUSE_RSP)
			break;
		me->tx_enc = me->rx_enc = false;
		send_enc_req(l, cn);
		break;
	case ps_llctrl_reject_ind_code:
		rx_reject(l, cn, side, u.rej.error);
		break;
	case ps_llctrl_reject_ext_ind_code:
		if (u.rej_ext.reject_opcode == ps_llctrl_connection_param_req_code) {
			if (side == 1)
				vctl_cpr_rx_reject(l, cn, u.rej_ext.error);
			break;
		}
		rx_reject(l, cn, side, u.rej_ext.error);
		break;
	case ps_llctrl_connection_param_req_code:
		if (side == 0)
			vctl_cpr_rx_req(l, cn, &u.cpr);
		break;
	default:
		break;
	}
}
