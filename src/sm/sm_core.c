/* SMP core dispatch (Core Vol 3 Part H §3.3-3.4): one opcode table with expected length, allowed
 * roles and allowed phases, checked before any handler runs; outbox helpers; the 30 s SMP timeout. */
#include "sm/sm_int.h"
#include <string.h>

#define S(st) (1u << (st))
#define R_C (1u << PS_SM_CENTRAL)
#define R_P (1u << PS_SM_PERIPHERAL)
/* A pairing runs in these phases; Pairing Failed and the timeout apply to all of them. */
#define S_ACTIVE                                                                                   \
	(S(PS_SM_PH1_W4_RSP) | S(PS_SM_PH2_W4_USER) | S(PS_SM_PH2_W4_PUBKEY) |                     \
	 S(PS_SM_PH2_W4_CONFIRM) | S(PS_SM_PH2_W4_RANDOM) | S(PS_SM_PH2_W4_DHKEY_CHECK) |          \
	 S(PS_SM_PH2_W4_ENC) | S(PS_SM_PH3_KEYS) | S(PS_SM_PH3_W4_TX))
/* No pairing in progress: a new one may start. */
#define S_REST (S(PS_SM_IDLE) | S(PS_SM_DONE) | S(PS_SM_FAILED))

static uint8_t rx_confirm(struct ps_sm *sm, uint8_t code, const union sm_pdu *p, struct ps_sm_outbox *out)
{
	(void)code;
	return sm->sc ? sm_sc_rx_confirm(sm, p->confirm.value, out)
		      : sm_legacy_rx_confirm(sm, p->confirm.value, out);
}

static uint8_t rx_random(struct ps_sm *sm, uint8_t code, const union sm_pdu *p, struct ps_sm_outbox *out)
{
	(void)code;
	return sm->sc ? sm_sc_rx_random(sm, p->random.value, out)
		      : sm_legacy_rx_random(sm, p->random.value, out);
}

#define WRAP(name, fn)                                                                             \
	static uint8_t name(struct ps_sm *sm, uint8_t code, const union sm_pdu *p,                 \
			    struct ps_sm_outbox *out)                                              \
	{                                                                                          \
		(void)code;                                                                        \
		return fn(sm, p, out);                                                             \
	}
WRAP(rx_req, sm_rx_pairing_req)
WRAP(rx_rsp, sm_rx_pairing_rsp)
WRAP(rx_failed, sm_rx_pairing_failed)
WRAP(rx_sec_req, sm_rx_security_req)
WRAP(rx_pubkey, sm_sc_rx_public_key)
WRAP(rx_dhcheck, sm_sc_rx_dhkey_check)
WRAP(rx_keypress, sm_rx_keypress)

/* The one opcode table (Table 3.3): handler, PDU length including the code octet, roles that may
 * receive it, phases in which it is expected. */
struct opcode {
	uint8_t (*rx)(struct ps_sm *sm, uint8_t code, const union sm_pdu *p, struct ps_sm_outbox *out);
	uint8_t len;
	uint8_t roles;
	uint32_t states;
};

static const struct opcode opcodes[] = {
	[0x01] = { rx_req, 7, R_P, S_REST },
	[0x02] = { rx_rsp, 7, R_C, S(PS_SM_PH1_W4_RSP) },
	[0x03] = { rx_confirm, 17, R_C | R_P, S(PS_SM_PH2_W4_CONFIRM) },
	[0x04] = { rx_random, 17, R_C | R_P, S(PS_SM_PH2_W4_RANDOM) },
	/* DONE too: a peer that fails after our last key left revokes the bond (the seed's case). */
	[0x05] = { rx_failed, 2, R_C | R_P, S_ACTIVE | S(PS_SM_DONE) },
	[0x06] = { sm_rx_key, 17, R_C | R_P, S(PS_SM_PH3_KEYS) },
	[0x07] = { sm_rx_key, 11, R_C | R_P, S(PS_SM_PH3_KEYS) },
	[0x08] = { sm_rx_key, 17, R_C | R_P, S(PS_SM_PH3_KEYS) },
	[0x09] = { sm_rx_key, 8, R_C | R_P, S(PS_SM_PH3_KEYS) },
	[0x0a] = { sm_rx_key, 17, R_C | R_P, S(PS_SM_PH3_KEYS) },
	[0x0b] = { rx_sec_req, 2, R_C, S_REST },
	[0x0c] = { rx_pubkey, 65, R_C | R_P, S(PS_SM_PH2_W4_PUBKEY) },
	[0x0d] = { rx_dhcheck, 17, R_C | R_P, S(PS_SM_PH2_W4_DHKEY_CHECK) },
	[0x0e] = { rx_keypress, 2, R_C | R_P,
		   S(PS_SM_PH2_W4_USER) | S(PS_SM_PH2_W4_PUBKEY) | S(PS_SM_PH2_W4_CONFIRM) |
			   S(PS_SM_PH2_W4_RANDOM) },
};

void ps_sm_config_default(struct ps_sm_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->io_cap = 0x03;
	cfg->bond = true;
	cfg->sc = true;
	cfg->ct2 = true;
	cfg->dist_init = PS_SMP_DIST_ENC | PS_SMP_DIST_ID | PS_SMP_DIST_SIGN;
	cfg->dist_resp = PS_SMP_DIST_ENC | PS_SMP_DIST_ID | PS_SMP_DIST_SIGN;
	cfg->max_key_size = 16;
	cfg->min_key_size = 7;
	cfg->timeout_ms = 30000;
	cfg->backoff_base_ms = 2000;
	cfg->backoff_max_ms = 60000;
}

bool sm_is_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

int ps_sm_init(struct ps_sm *sm, const struct ps_sm_config *cfg, const struct ps_sm_ops *ops,
	       enum ps_sm_role role, const struct ps_addr *local, const struct ps_addr *peer,
	       struct ps_sm_attempts *attempts)
{
	if (!sm || !cfg || !ops || !ops->crypto || !local || !peer)
		return -PS_EINVAL;
	if (cfg->io_cap > 4 || cfg->max_key_size < 7 || cfg->max_key_size > 16 || cfg->min_key_size < 7 ||
	    cfg->min_key_size > cfg->max_key_size || local->type > 1 || peer->type > 1 ||
	    cfg->repair > PS_SM_REPAIR_NO_DOWNGRADE || cfg->bond_level > 4)
		return -PS_EINVAL;
	memset(sm, 0, sizeof *sm);
	sm->cfg = *cfg;
	sm->ops = *ops;
	sm->attempts = attempts;
	sm->role = role;
	sm->state = PS_SM_IDLE;
	sm->local_addr = *local;
	sm->peer_addr = *peer;
	/* Stacks that send an all-zero IRK break privacy for every device (STACKS.md #6): offer IdKey
	 * only with a real per-device IRK and identity address. */
	if (sm_is_zero(cfg->irk, 16) || sm_is_zero(cfg->identity.a, 6)) {
		sm->cfg.dist_init &= (uint8_t)~PS_SMP_DIST_ID;
		sm->cfg.dist_resp &= (uint8_t)~PS_SMP_DIST_ID;
	}
	if (!sm->cfg.timeout_ms)
		sm->cfg.timeout_ms = 30000;
	return 0;
}

struct ps_sm_action *sm_push(struct ps_sm *sm, struct ps_sm_outbox *out, enum ps_sm_act type)
{
	if (out->n >= PS_SM_OUTBOX_CAP) {
		if (!sm->err)
			sm->err = -PS_ENOSPC;
		return NULL;
	}
	struct ps_sm_action *a = &out->a[out->n++];
	memset(a, 0, sizeof *a);
	a->type = type;
	a->result = &sm->res;
	return a;
}

static uint64_t now(const struct ps_sm *sm)
{
	return sm->ops.now_ms ? sm->ops.now_ms(sm->ops.ctx) : 0;
}

void sm_timer_start(struct ps_sm *sm)
{
	sm->timer_on = true;
	sm->deadline_ms = now(sm) + sm->cfg.timeout_ms;
}

void sm_send(struct ps_sm *sm, struct ps_sm_outbox *out, uint8_t code, const void *st)
{
	if (sm->state == PS_SM_TIMED_OUT)
		return; /* §3.4: no further SMP commands on this link */
	struct ps_sm_action *a = sm_push(sm, out, PS_SM_ACT_SEND);
	if (!a)
		return;
	size_t n = 0;
	int rc = ps_layout_encode(ps_smp_layout(code), st, a->pdu + 1, sizeof a->pdu - 1, &n);
	if (rc < 0) {
		out->n--;
		sm_lib_err(sm, rc);
		return;
	}
	a->pdu[0] = code;
	a->len = (uint8_t)(n + 1);
	sm->tx_inflight++;
	/* §3.4: the Security Manager Timer is reset when an SMP command is queued for transmission. */
	if (sm->timer_on)
		sm_timer_start(sm);
}

uint8_t sm_lib_err(struct ps_sm *sm, int rc)
{
	if (!sm->err && rc < 0)
		sm->err = rc;
	return PS_SMP_UNSPECIFIED;
}

uint8_t sm_random(struct ps_sm *sm, uint8_t *buf, size_t len)
{
	const struct ps_crypto *c = sm->ops.crypto;
	int rc = c->rand(c->ctx, buf, len);
	return rc < 0 ? sm_lib_err(sm, rc) : 0;
}

void sm_mask_key(const struct ps_sm *sm, uint8_t key[16])
{
	if (sm->key_size >= 7 && sm->key_size < 16)
		memset(key + sm->key_size, 0, 16u - sm->key_size);
}

static uint8_t level_of(const struct ps_sm_result *r)
{
	if (!r->authenticated)
		return 2;
	return r->sc && r->key_size == 16 ? 4 : 3;
}

void sm_end(struct ps_sm *sm, struct ps_sm_outbox *out, int status, uint8_t reason, bool by_peer)
{
	struct ps_sm_result *r = &sm->res;
	r->status = status;
	r->reason = reason;
	r->by_peer = by_peer;
	r->method = sm->method;
	r->sc = sm->sc;
	r->authenticated = status == 0 && sm->authenticated;
	r->key_size = sm->key_size;
	r->level = status == 0 ? level_of(r) : 1;
	r->peer_addr = sm->peer_addr;
	r->debug_key = sm->debug_peer || (sm->sc && sm->cfg.use_debug_keys);
	r->bonded = status == 0 && (sm->preq[3] & sm->pres[3] & PS_SMP_AUTH_BOND) && !r->debug_key;
	sm->timer_on = false;
	sm->user = SM_USER_NONE;
	sm->have_pending = false;
	if (sm->state != PS_SM_TIMED_OUT)
		sm->state = status == 0 ? PS_SM_DONE : PS_SM_FAILED;
	/* Key material of the session is no longer needed. */
	memset(sm->priv, 0, sizeof sm->priv);
	memset(sm->dhkey, 0, sizeof sm->dhkey);
	memset(sm->tk, 0, sizeof sm->tk);
	sm->have_keypair = false;
	sm->have_local_oob = false;
	if (status == 0 && r->bonded)
		sm_push(sm, out, PS_SM_ACT_STORE);
	sm_push(sm, out, PS_SM_ACT_RESULT);
}

void sm_fail(struct ps_sm *sm, struct ps_sm_outbox *out, uint8_t reason)
{
	struct ps_smp_pairing_failed f = { .reason = reason };
	sm_send(sm, out, ps_smp_pairing_failed_code, &f);
	/* §2.3.6: authentication failures make the next attempt wait. */
	if (reason == PS_SMP_CONFIRM_VALUE_FAILED || reason == PS_SMP_DHKEY_CHECK_FAILED ||
	    reason == PS_SMP_NUMCMP_FAILED)
		sm_backoff_record(sm, false);
	sm_end(sm, out, -PS_EPROTO, reason, false);
}

/* A PDU that is wrong for the current phase: fail a running pairing, answer a stray one. */
static void reject(struct ps_sm *sm, struct ps_sm_outbox *out, uint8_t reason)
{
	if (S_ACTIVE & S(sm->state)) {
		sm_fail(sm, out, reason);
	} else {
		struct ps_smp_pairing_failed f = { .reason = reason };
		sm_send(sm, out, ps_smp_pairing_failed_code, &f);
	}
}

int ps_sm_rx(struct ps_sm *sm, const uint8_t *pdu, size_t len, struct ps_sm_outbox *out)
{
	if (!sm || !out || (!pdu && len))
		return -PS_EINVAL;
	sm->err = 0;
	if (sm->state == PS_SM_TIMED_OUT || len == 0)
		return 0; /* §3.4: after a timeout the channel is silent until a new link */
	uint8_t code = pdu[0];
	const struct opcode *op = code < PS_ARRAY_SIZE(opcodes) ? &opcodes[code] : NULL;
	if (!op || !op->rx) {
		reject(sm, out, PS_SMP_CMD_NOT_SUPPORTED);
		return sm->err;
	}
	if (len != op->len) {
		reject(sm, out, PS_SMP_INVALID_PARAMS);
		return sm->err;
	}
	if (!(op->roles & (1u << sm->role))) {
		reject(sm, out, PS_SMP_CMD_NOT_SUPPORTED);
		return sm->err;
	}
	if (!(op->states & S(sm->state))) {
		/* Outside a pairing, stray PDUs (late keys after a failure, a Pairing Failed answering
		 * ours) are dropped; a Security Request while pairing is ignored (§3.6.7). */
		if ((S_ACTIVE & S(sm->state)) && code != ps_smp_security_req_code)
			sm_fail(sm, out, PS_SMP_UNSPECIFIED);
		return sm->err;
	}
	union sm_pdu u;
	int rc = ps_layout_decode(ps_smp_layout(code), pdu + 1, len - 1, &u);
	if (rc < 0) {
		reject(sm, out, PS_SMP_INVALID_PARAMS);
		return sm->err;
	}
	uint8_t reason = op->rx(sm, code, &u, out);
	if (reason != PS_SMP_OK)
		reject(sm, out, reason);
	return sm->err;
}

int ps_sm_tick(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	sm->err = 0;
	if (!sm->timer_on || now(sm) < sm->deadline_ms)
		return 0;
	/* §3.4: the pairing fails, and no SMP command is sent on this link any more. */
	sm->state = PS_SM_TIMED_OUT;
	sm_end(sm, out, -PS_ETIMEOUT, 0, false);
	return sm->err;
}

uint64_t ps_sm_deadline(const struct ps_sm *sm)
{
	return sm->timer_on ? sm->deadline_ms : 0;
}

enum ps_sm_state ps_sm_state(const struct ps_sm *sm) { return sm->state; }
const struct ps_sm_result *ps_sm_result(const struct ps_sm *sm) { return &sm->res; }
bool ps_sm_local_keys_sent(const struct ps_sm *sm) { return sm->local_sent; }

const char *ps_sm_state_name(enum ps_sm_state s)
{
	switch (s) {
	case PS_SM_IDLE: return "IDLE";
	case PS_SM_PH1_W4_RSP: return "PH1_W4_RSP";
	case PS_SM_PH2_W4_USER: return "PH2_W4_USER";
	case PS_SM_PH2_W4_PUBKEY: return "PH2_W4_PUBKEY";
	case PS_SM_PH2_W4_CONFIRM: return "PH2_W4_CONFIRM";
	case PS_SM_PH2_W4_RANDOM: return "PH2_W4_RANDOM";
	case PS_SM_PH2_W4_DHKEY_CHECK: return "PH2_W4_DHKEY_CHECK";
	case PS_SM_PH2_W4_ENC: return "PH2_W4_ENC";
	case PS_SM_PH3_KEYS: return "PH3_KEYS";
	case PS_SM_PH3_W4_TX: return "PH3_W4_TX";
	case PS_SM_DONE: return "DONE";
	case PS_SM_FAILED: return "FAILED";
	case PS_SM_TIMED_OUT: return "TIMED_OUT";
	}
	return "?";
}

const char *ps_sm_method_name(enum ps_sm_method m)
{
	switch (m) {
	case PS_SM_METHOD_NONE: return "none";
	case PS_SM_METHOD_JUST_WORKS: return "just-works";
	case PS_SM_METHOD_PASSKEY: return "passkey-entry";
	case PS_SM_METHOD_NUMCMP: return "numeric-comparison";
	case PS_SM_METHOD_OOB: return "oob";
	}
	return "?";
}

static const char *const io_names[] = { "display-only", "display-yes-no", "keyboard-only",
					"no-input-no-output", "keyboard-display" };

const char *ps_sm_io_name(uint8_t io_cap)
{
	return io_cap < PS_ARRAY_SIZE(io_names) ? io_names[io_cap] : "?";
}

int ps_sm_io_parse(const char *s, uint8_t *io_cap)
{
	for (size_t i = 0; i < PS_ARRAY_SIZE(io_names); i++)
		if (!strcmp(s, io_names[i])) {
			*io_cap = (uint8_t)i;
			return 0;
		}
	return -PS_EINVAL;
}
