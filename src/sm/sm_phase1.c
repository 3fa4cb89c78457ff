/* SMP phase 1 (Core Vol 3 Part H §2.3, §3.5.1-3.5.2, §3.6.7): Pairing Request/Response, Security
 * Request, the association model of §2.3.5.1 (Table 2.8), key size, the repeated-attempts back-off
 * of §2.3.6, user answers and keypress notifications (§3.5.8). */
#include "sm/sm_int.h"
#include <stddef.h>
#include <string.h>

/* Table 2.8 cells, named for who displays and who types the passkey. */
enum assoc {
	JW,    /* Just Works */
	PK_RI, /* responder displays, initiator inputs */
	PK_ID, /* initiator displays, responder inputs */
	PK_II, /* initiator and responder input */
	NC,    /* Numeric Comparison (Secure Connections only) */
};

/* Core v6.2 Vol 3 Part H Table 2.8, [initiator IO][responder IO]: legacy, then Secure Connections.
 * IO order: DisplayOnly, DisplayYesNo, KeyboardOnly, NoInputNoOutput, KeyboardDisplay. */
static const uint8_t table_legacy[5][5] = {
	{ JW, JW, PK_ID, JW, PK_ID },
	{ JW, JW, PK_ID, JW, PK_ID },
	{ PK_RI, PK_RI, PK_II, JW, PK_RI },
	{ JW, JW, JW, JW, JW },
	{ PK_RI, PK_RI, PK_ID, JW, PK_ID },
};
static const uint8_t table_sc[5][5] = {
	{ JW, JW, PK_ID, JW, PK_ID },
	{ JW, NC, PK_ID, JW, NC },
	{ PK_RI, PK_RI, PK_II, JW, PK_RI },
	{ JW, JW, JW, JW, JW },
	{ PK_RI, NC, PK_ID, JW, NC },
};

/* §2.3.5.1. Returns the Table 2.8 cell, or -1 for OOB. */
static int assoc_of(const uint8_t preq[7], const uint8_t pres[7], bool *sc)
{
	*sc = (preq[3] & pres[3] & PS_SMP_AUTH_SC) != 0;
	/* Legacy (Table 2.6): OOB when both have OOB data; SC (Table 2.7): when at least one has. */
	bool oob = *sc ? (preq[2] || pres[2]) : (preq[2] && pres[2]);
	if (oob)
		return -1;
	if (!((preq[3] | pres[3]) & PS_SMP_AUTH_MITM))
		return JW;
	uint8_t i = preq[1], r = pres[1];
	if (i > 4 || r > 4)
		return JW;
	return *sc ? table_sc[i][r] : table_legacy[i][r];
}

enum ps_sm_method ps_sm_select_method(const uint8_t preq[7], const uint8_t pres[7], bool *sc,
				      bool *authenticated)
{
	int a = assoc_of(preq, pres, sc);
	if (a < 0) {
		*authenticated = true;
		return PS_SM_METHOD_OOB;
	}
	switch ((enum assoc)a) {
	case JW:
		*authenticated = false;
		return PS_SM_METHOD_JUST_WORKS;
	case PK_RI:
	case PK_ID:
	case PK_II:
		/* Core v6.2 §2.3.5.3: legacy Passkey Entry "does not provide protection against active
		 * MITM attacks", so its keys are unauthenticated; SC Passkey Entry stays authenticated. */
		*authenticated = *sc;
		return PS_SM_METHOD_PASSKEY;
	case NC:
		*authenticated = true;
		return PS_SM_METHOD_NUMCMP;
	}
	*authenticated = false;
	return PS_SM_METHOD_JUST_WORKS;
}

bool sm_backoff_active(const struct ps_sm *sm)
{
	if (!sm->attempts || !sm->cfg.backoff_base_ms || !sm->ops.now_ms)
		return false;
	return sm->ops.now_ms(sm->ops.ctx) < sm->attempts->not_before_ms;
}

void sm_backoff_record(struct ps_sm *sm, bool success)
{
	struct ps_sm_attempts *a = sm->attempts;
	if (!a || !sm->cfg.backoff_base_ms)
		return;
	if (success) {
		a->failures = 0;
		a->not_before_ms = 0;
		return;
	}
	/* §2.3.6: "the waiting interval shall increase exponentially" with each failed attempt. */
	a->failures++;
	uint64_t wait = sm->cfg.backoff_base_ms;
	for (uint32_t i = 1; i < a->failures && wait < sm->cfg.backoff_max_ms; i++)
		wait *= 2;
	if (wait > sm->cfg.backoff_max_ms)
		wait = sm->cfg.backoff_max_ms;
	a->not_before_ms = (sm->ops.now_ms ? sm->ops.now_ms(sm->ops.ctx) : 0) + wait;
}

static uint8_t our_auth(const struct ps_sm *sm)
{
	return (uint8_t)((sm->cfg.bond ? PS_SMP_AUTH_BOND : 0) | (sm->cfg.mitm ? PS_SMP_AUTH_MITM : 0) |
			 (sm->cfg.sc ? PS_SMP_AUTH_SC : 0) | (sm->cfg.keypress ? PS_SMP_AUTH_KEYPRESS : 0) |
			 (sm->cfg.ct2 ? PS_SMP_AUTH_CT2 : 0));
}

static uint8_t our_oob_flag(const struct ps_sm *sm)
{
	return sm->cfg.sc ? sm->cfg.oob_sc_present : sm->cfg.oob_tk_present;
}

/* Forget the previous pairing on this link; SC OOB data prepared for this pairing survives. */
static void reset_session(struct ps_sm *sm)
{
	bool keep = sm->have_local_oob;
	uint8_t priv[32], pub[64], r[16];
	memcpy(priv, sm->priv, 32);
	memcpy(pub, sm->pub, 64);
	memcpy(r, sm->local_oob_r, 16);
	unsigned inflight = sm->tx_inflight; /* PDUs of an earlier exchange may still be queued */
	size_t from = offsetof(struct ps_sm, preq);
	memset((uint8_t *)sm + from, 0, sizeof *sm - from);
	sm->tx_inflight = inflight;
	if (keep) {
		memcpy(sm->priv, priv, 32);
		memcpy(sm->pub, pub, 64);
		memcpy(sm->local_oob_r, r, 16);
		sm->have_keypair = sm->have_local_oob = true;
	}
	memset(priv, 0, sizeof priv);
}

int ps_sm_pair(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	if (!sm || !out)
		return -PS_EINVAL;
	sm->err = 0;
	if (sm->state != PS_SM_IDLE && sm->state != PS_SM_DONE && sm->state != PS_SM_FAILED)
		return -PS_ESTATE;
	if (sm_backoff_active(sm))
		return -PS_EAGAIN;
	if (sm->role == PS_SM_PERIPHERAL) {
		struct ps_smp_security_req s = { .auth_req = our_auth(sm) };
		sm_send(sm, out, ps_smp_security_req_code, &s);
		return sm->err;
	}
	reset_session(sm);
	struct ps_smp_pairing_req r = {
		.io_cap = sm->cfg.io_cap,
		.oob = our_oob_flag(sm),
		.auth_req = our_auth(sm),
		.max_key_size = sm->cfg.max_key_size,
		.init_key_dist = sm->cfg.dist_init,
		.resp_key_dist = sm->cfg.dist_resp,
	};
	size_t n;
	sm->preq[0] = ps_smp_pairing_req_code;
	int rc = ps_layout_encode(ps_smp_layout(ps_smp_pairing_req_code), &r, sm->preq + 1, 6, &n);
	if (rc < 0)
		return rc;
	sm->state = PS_SM_PH1_W4_RSP;
	sm_timer_start(sm);
	sm_send(sm, out, ps_smp_pairing_req_code, &r);
	return sm->err;
}

/* §3.5.1 parameter ranges shared by Pairing Request and Response. */
static bool params_valid(const uint8_t p[7])
{
	return p[1] <= 4 && p[2] <= 1 && p[4] >= 7 && p[4] <= 16;
}

/* The security level a pairing with this method and key size reaches (LE security mode 1). */
static uint8_t level_for(bool sc, bool auth, uint8_t key_size)
{
	return !auth ? 2 : sc && key_size == 16 ? 4 : 3;
}

/* The host's re-pairing policy for a peer it holds a bond for (cfg.bond_level, cfg.repair). */
static bool repair_refused(const struct ps_sm *sm, bool sc, bool auth, uint8_t key_size)
{
	if (!sm->cfg.bond_level)
		return false;
	switch ((enum ps_sm_repair)sm->cfg.repair) {
	case PS_SM_REPAIR_ALLOW:
		return false;
	case PS_SM_REPAIR_DENY:
		return true;
	case PS_SM_REPAIR_NO_DOWNGRADE:
		return level_for(sc, auth, key_size) < sm->cfg.bond_level;
	}
	return true;
}

/* Both roles, once preq and pres are known: method, key size, security checks, then phase 2. */
static uint8_t phase1_done(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	bool sc, auth;
	sm->method = ps_sm_select_method(sm->preq, sm->pres, &sc, &auth);
	sm->sc = sc;
	sm->authenticated = auth;
	sm->keypress = sm->method == PS_SM_METHOD_PASSKEY &&
		       (sm->preq[3] & sm->pres[3] & PS_SMP_AUTH_KEYPRESS);
	sm->ct2 = sc && (sm->preq[3] & sm->pres[3] & PS_SMP_AUTH_CT2);
	sm->key_size = sm->preq[4] < sm->pres[4] ? sm->preq[4] : sm->pres[4];
	sm_keys_negotiate(sm);
	if (sm->key_size < sm->cfg.min_key_size)
		return PS_SMP_ENC_KEY_SIZE;
	if (sm->cfg.require_mitm && !auth)
		return PS_SMP_AUTH_REQUIREMENTS;
	if (repair_refused(sm, sc, auth, sm->key_size))
		return PS_SMP_AUTH_REQUIREMENTS;
	if (sm->method == PS_SM_METHOD_OOB && !sc && !sm->cfg.oob_tk_present)
		return PS_SMP_OOB_NOT_AVAILABLE;
	return sc ? sm_sc_start(sm, out) : sm_legacy_start(sm, out);
}

uint8_t sm_rx_pairing_req(struct ps_sm *sm, const union sm_pdu *p, struct ps_sm_outbox *out)
{
	reset_session(sm);
	sm_timer_start(sm);
	sm->state = PS_SM_PH2_W4_USER; /* a pairing runs from here: failures are reported */
	if (sm_backoff_active(sm)) {
		sm_fail(sm, out, PS_SMP_REPEATED_ATTEMPTS);
		return PS_SMP_OK;
	}
	size_t n;
	sm->preq[0] = ps_smp_pairing_req_code;
	int rc = ps_layout_encode(ps_smp_layout(ps_smp_pairing_req_code), &p->req, sm->preq + 1, 6, &n);
	if (rc < 0)
		return sm_lib_err(sm, rc);
	if (!params_valid(sm->preq))
		return PS_SMP_INVALID_PARAMS;
	/* §3.6.1: the response holds a subset of what the central asked for. */
	struct ps_smp_pairing_rsp r = {
		.io_cap = sm->cfg.io_cap,
		.oob = our_oob_flag(sm),
		.auth_req = our_auth(sm),
		.max_key_size = sm->cfg.max_key_size,
		.init_key_dist = p->req.init_key_dist & sm->cfg.dist_init,
		.resp_key_dist = p->req.resp_key_dist & sm->cfg.dist_resp,
	};
	/* LinkKey is only meaningful with SC (§3.6.1); a device that does not do SC sets it to 0. */
	if (!(p->req.auth_req & r.auth_req & PS_SMP_AUTH_SC)) {
		r.init_key_dist &= (uint8_t)~PS_SMP_DIST_LINK;
		r.resp_key_dist &= (uint8_t)~PS_SMP_DIST_LINK;
	}
	sm->pres[0] = ps_smp_pairing_rsp_code;
	rc = ps_layout_encode(ps_smp_layout(ps_smp_pairing_rsp_code), &r, sm->pres + 1, 6, &n);
	if (rc < 0)
		return sm_lib_err(sm, rc);
	/* Check what can be checked before answering, so a refused pairing sends no response. */
	bool sc, auth;
	ps_sm_select_method(sm->preq, sm->pres, &sc, &auth);
	uint8_t ks = sm->preq[4] < sm->pres[4] ? sm->preq[4] : sm->pres[4];
	if (ks < sm->cfg.min_key_size)
		return PS_SMP_ENC_KEY_SIZE;
	if (sm->cfg.require_mitm && !auth)
		return PS_SMP_AUTH_REQUIREMENTS;
	if (repair_refused(sm, sc, auth, ks))
		return PS_SMP_AUTH_REQUIREMENTS;
	sm_send(sm, out, ps_smp_pairing_rsp_code, &r);
	return phase1_done(sm, out);
}

uint8_t sm_rx_pairing_rsp(struct ps_sm *sm, const union sm_pdu *p, struct ps_sm_outbox *out)
{
	size_t n;
	sm->pres[0] = ps_smp_pairing_rsp_code;
	int rc = ps_layout_encode(ps_smp_layout(ps_smp_pairing_rsp_code), &p->rsp, sm->pres + 1, 6, &n);
	if (rc < 0)
		return sm_lib_err(sm, rc);
	if (!params_valid(sm->pres))
		return PS_SMP_INVALID_PARAMS;
	return phase1_done(sm, out);
}

uint8_t sm_rx_security_req(struct ps_sm *sm, const union sm_pdu *p, struct ps_sm_outbox *out)
{
	/* §2.3.6: a Security Request too soon after a failed attempt is refused. */
	if (sm_backoff_active(sm))
		return PS_SMP_REPEATED_ATTEMPTS;
	/* The host decides: re-encrypt with a bond good enough for auth_req, or pair (ps_sm_pair). */
	struct ps_sm_action *a = sm_push(sm, out, PS_SM_ACT_SEC_REQ);
	if (a)
		a->value = p->sec_req.auth_req;
	return PS_SMP_OK;
}

uint8_t sm_rx_pairing_failed(struct ps_sm *sm, const union sm_pdu *p, struct ps_sm_outbox *out)
{
	sm_end(sm, out, -PS_EPROTO, p->failed.reason, true);
	return PS_SMP_OK;
}

uint8_t sm_rx_keypress(struct ps_sm *sm, const union sm_pdu *p, struct ps_sm_outbox *out)
{
	/* §3.5.8: only during Passkey Entry, and only when both sides set the Keypress bit. */
	if (!sm->keypress)
		return PS_SMP_UNSPECIFIED;
	if (p->keypress.type > 4)
		return PS_SMP_INVALID_PARAMS;
	struct ps_sm_action *a = sm_push(sm, out, PS_SM_ACT_KEYPRESS);
	if (a)
		a->value = p->keypress.type;
	return PS_SMP_OK;
}

int ps_sm_passkey(struct ps_sm *sm, uint32_t passkey, struct ps_sm_outbox *out)
{
	if (!sm || !out)
		return -PS_EINVAL;
	sm->err = 0;
	if (sm->user != SM_USER_PASSKEY)
		return -PS_ESTATE;
	if (passkey > 999999)
		return -PS_EINVAL;
	sm->user = SM_USER_NONE;
	sm->passkey = passkey;
	memset(sm->tk, 0, 16);
	sm->tk[0] = (uint8_t)passkey;
	sm->tk[1] = (uint8_t)(passkey >> 8);
	sm->tk[2] = (uint8_t)(passkey >> 16);
	sm->have_tk = true;
	uint8_t reason = sm->sc ? sm_sc_passkey_ready(sm, out) : sm_legacy_tk_ready(sm, out);
	if (reason != PS_SMP_OK)
		sm_fail(sm, out, reason);
	return sm->err;
}

int ps_sm_confirm(struct ps_sm *sm, bool yes, struct ps_sm_outbox *out)
{
	if (!sm || !out)
		return -PS_EINVAL;
	sm->err = 0;
	if (sm->user != SM_USER_NUMCMP)
		return -PS_ESTATE;
	sm->user = SM_USER_NONE;
	uint8_t reason = yes ? sm_sc_numcmp_ok(sm, out) : PS_SMP_NUMCMP_FAILED;
	if (reason != PS_SMP_OK)
		sm_fail(sm, out, reason);
	return sm->err;
}

int ps_sm_cancel(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	if (!sm || !out)
		return -PS_EINVAL;
	sm->err = 0;
	switch ((enum sm_user)sm->user) {
	case SM_USER_NONE:
		return -PS_ESTATE;
	case SM_USER_PASSKEY:
		sm_fail(sm, out, PS_SMP_PASSKEY_ENTRY_FAILED);
		break;
	case SM_USER_NUMCMP:
		sm_fail(sm, out, PS_SMP_NUMCMP_FAILED);
		break;
	}
	return sm->err;
}

int ps_sm_keypress(struct ps_sm *sm, uint8_t type, struct ps_sm_outbox *out)
{
	if (!sm || !out || type > 4)
		return -PS_EINVAL;
	sm->err = 0;
	if (!sm->keypress || sm->user != SM_USER_PASSKEY)
		return -PS_ESTATE;
	struct ps_smp_keypress k = { .type = type };
	sm_send(sm, out, ps_smp_keypress_code, &k);
	return sm->err;
}

const struct ps_addr *sm_initiator(const struct ps_sm *sm)
{
	return sm->role == PS_SM_CENTRAL ? &sm->local_addr : &sm->peer_addr;
}

const struct ps_addr *sm_responder(const struct ps_sm *sm)
{
	return sm->role == PS_SM_CENTRAL ? &sm->peer_addr : &sm->local_addr;
}

uint8_t sm_passkey_begin(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	bool sc;
	int a = assoc_of(sm->preq, sm->pres, &sc);
	bool init = sm->role == PS_SM_CENTRAL;
	bool display = (a == PK_ID && init) || (a == PK_RI && !init);
	if (!display) {
		sm->user = SM_USER_PASSKEY;
		sm_push(sm, out, PS_SM_ACT_PASSKEY_INPUT);
		return PS_SMP_OK;
	}
	/* A fresh random passkey for every pairing (SM/CEN/PKE/BV-05-C), uniform in 0..999999. */
	uint32_t v;
	do {
		uint8_t b[4];
		uint8_t reason = sm_random(sm, b, sizeof b);
		if (reason)
			return reason;
		v = ((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24) &
		    0xfffff;
	} while (v > 999999);
	sm->passkey = v;
	memset(sm->tk, 0, 16);
	sm->tk[0] = (uint8_t)v;
	sm->tk[1] = (uint8_t)(v >> 8);
	sm->tk[2] = (uint8_t)(v >> 16);
	sm->have_tk = true;
	struct ps_sm_action *act = sm_push(sm, out, PS_SM_ACT_PASSKEY_DISPLAY);
	if (act)
		act->value = v;
	return PS_SMP_OK;
}
