/* SMP phase 2, LE Secure Connections (Core Vol 3 Part H §2.3.5.6): public key exchange with peer key
 * validation and reflected-key refusal, authentication stage 1 (Just Works / Numeric Comparison with
 * f4 + g2, Passkey Entry in exactly 20 rounds, OOB), stage 2 (f5, f6 DHKey checks), the LTK. */
#include "sm/sm_int.h"
#include <string.h>

#define PASSKEY_ROUNDS 20 /* §2.3.5.6.3: one round per passkey bit, 20 bits */

static const struct ps_crypto *cr(const struct ps_sm *sm) { return sm->ops.crypto; }
static const uint8_t *pkx(const struct ps_sm *sm) { return sm->pub; }
static const uint8_t *peer_pkx(const struct ps_sm *sm) { return sm->peer_pub; }

static uint8_t ensure_keypair(struct ps_sm *sm)
{
	if (sm->have_keypair)
		return PS_SMP_OK;
	int rc;
	if (sm->cfg.use_debug_keys) {
		memcpy(sm->priv, ps_crypto_debug_private, 32);
		memcpy(sm->pub, ps_crypto_debug_public, 64);
		rc = 0;
	} else {
		rc = cr(sm)->p256_keygen(cr(sm)->ctx, sm->priv, sm->pub);
	}
	if (rc < 0)
		return sm_lib_err(sm, rc);
	sm->have_keypair = true;
	return PS_SMP_OK;
}

int ps_sm_oob_local(struct ps_sm *sm, uint8_t r[16], uint8_t c[16])
{
	sm->err = 0;
	if (ensure_keypair(sm) || sm_random(sm, sm->local_oob_r, 16))
		return sm->err ? sm->err : -PS_ECRYPTO;
	/* §2.3.5.6.4: C = f4(PKx, PKx, r, 0). */
	int rc = ps_crypto_f4(cr(sm), pkx(sm), pkx(sm), sm->local_oob_r, 0, c);
	if (rc < 0)
		return rc;
	memcpy(r, sm->local_oob_r, 16);
	sm->have_local_oob = true;
	return 0;
}

static void send_public_key(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	struct ps_smp_public_key k;
	memcpy(k.x, sm->pub, 32);
	memcpy(k.y, sm->pub + 32, 32);
	sm_send(sm, out, ps_smp_public_key_code, &k);
}

static void send_value(struct ps_sm *sm, struct ps_sm_outbox *out, uint8_t code, const uint8_t v[16])
{
	struct ps_smp_pairing_confirm c; /* Confirm and Random share the one 16-octet layout shape */
	struct ps_smp_pairing_random r;
	if (code == ps_smp_pairing_confirm_code) {
		memcpy(c.value, v, 16);
		sm_send(sm, out, code, &c);
	} else {
		memcpy(r.value, v, 16);
		sm_send(sm, out, code, &r);
	}
}

/* Passkey round i: z = 0x80 | bit i of the passkey (§2.3.5.6.3). */
static uint8_t round_z(const struct ps_sm *sm)
{
	return (uint8_t)(0x80 | ((sm->passkey >> sm->round) & 1));
}

/* Confirm of a side: f4(PK own, PK other, N, z). */
static uint8_t f4_of(struct ps_sm *sm, bool ours, const uint8_t n[16], uint8_t z, uint8_t out[16])
{
	int rc = ours ? ps_crypto_f4(cr(sm), pkx(sm), peer_pkx(sm), n, z, out)
		      : ps_crypto_f4(cr(sm), peer_pkx(sm), pkx(sm), n, z, out);
	return rc < 0 ? sm_lib_err(sm, rc) : PS_SMP_OK;
}

static uint8_t new_confirm(struct ps_sm *sm, uint8_t z, struct ps_sm_outbox *out)
{
	uint8_t reason = sm_random(sm, sm->rand_local, 16);
	if (!reason)
		reason = f4_of(sm, true, sm->rand_local, z, sm->confirm_local);
	if (!reason)
		send_value(sm, out, ps_smp_pairing_confirm_code, sm->confirm_local);
	return reason;
}

static void addr7(const struct ps_addr *a, uint8_t out[7])
{
	out[0] = a->type;
	memcpy(out + 1, a->a, 6);
}

static const uint8_t *na(const struct ps_sm *sm)
{
	return sm->role == PS_SM_CENTRAL ? sm->rand_local : sm->rand_peer;
}
static const uint8_t *nb(const struct ps_sm *sm)
{
	return sm->role == PS_SM_CENTRAL ? sm->rand_peer : sm->rand_local;
}

/* The r of f6 (§2.3.5.6.5): 0 for JW/NC, the passkey for PE, and for OOB the r the other side got
 * out of band. `ours` = for the check value we send (it carries the peer's r as we received it);
 * otherwise for the one we verify (it carries our r, if the peer said it has our OOB data). */
static void f6_r(const struct ps_sm *sm, bool ours, uint8_t r[16])
{
	memset(r, 0, 16);
	if (sm->method == PS_SM_METHOD_PASSKEY) {
		memcpy(r, sm->tk, 16);
	} else if (sm->method == PS_SM_METHOD_OOB) {
		const uint8_t *peer_req = sm->role == PS_SM_CENTRAL ? sm->pres : sm->preq;
		if (ours && sm->cfg.oob_sc_present)
			memcpy(r, sm->cfg.oob_sc_r, 16);
		else if (!ours && peer_req[2] && sm->have_local_oob)
			memcpy(r, sm->local_oob_r, 16);
	}
}

/* E of one side: f6(MacKey, N own, N other, r, IOcap own, A own, A other). */
static uint8_t check_value(struct ps_sm *sm, bool ours, uint8_t e[16])
{
	uint8_t a_local[7], a_peer[7], r[16], iocap[3];
	addr7(&sm->local_addr, a_local);
	addr7(&sm->peer_addr, a_peer);
	f6_r(sm, ours, r);
	const uint8_t *p = (sm->role == PS_SM_CENTRAL) == ours ? sm->preq : sm->pres;
	iocap[0] = p[1];
	iocap[1] = p[2];
	iocap[2] = p[3];
	int rc = ours ? ps_crypto_f6(cr(sm), sm->mackey, sm->rand_local, sm->rand_peer, r, iocap, a_local,
				     a_peer, e)
		      : ps_crypto_f6(cr(sm), sm->mackey, sm->rand_peer, sm->rand_local, r, iocap, a_peer,
				     a_local, e);
	return rc < 0 ? sm_lib_err(sm, rc) : PS_SMP_OK;
}

/* §2.3.5.6.5: MacKey || LTK = f5(DHKey, Na, Nb, A, B). */
static uint8_t derive_keys(struct ps_sm *sm)
{
	uint8_t a[7], b[7];
	addr7(sm_initiator(sm), a);
	addr7(sm_responder(sm), b);
	int rc = ps_crypto_f5(cr(sm), sm->dhkey, na(sm), nb(sm), a, b, sm->mackey, sm->ltk);
	if (rc < 0)
		return sm_lib_err(sm, rc);
	sm_mask_key(sm, sm->ltk);
	memcpy(sm->res.enc_key, sm->ltk, 16);
	return PS_SMP_OK;
}

static uint8_t send_dhkey_check(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	struct ps_smp_dhkey_check d;
	uint8_t reason = derive_keys(sm);
	if (!reason)
		reason = check_value(sm, true, d.e);
	if (reason)
		return reason;
	sm_send(sm, out, ps_smp_dhkey_check_code, &d);
	sm->state = PS_SM_PH2_W4_DHKEY_CHECK;
	return PS_SMP_OK;
}

uint8_t sm_sc_start(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	uint8_t reason = ensure_keypair(sm);
	if (reason)
		return reason;
	if (sm->method == PS_SM_METHOD_PASSKEY && (reason = sm_passkey_begin(sm, out)))
		return reason;
	if (sm->role == PS_SM_CENTRAL)
		send_public_key(sm, out);
	sm->state = PS_SM_PH2_W4_PUBKEY;
	return PS_SMP_OK;
}

/* After the keys are exchanged, stage 1 begins (§2.3.5.6.2-4). */
static uint8_t stage1_begin(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	bool central = sm->role == PS_SM_CENTRAL;
	switch (sm->method) {
	case PS_SM_METHOD_NONE:
		return PS_SMP_UNSPECIFIED;
	case PS_SM_METHOD_JUST_WORKS:
	case PS_SM_METHOD_NUMCMP:
		if (central) {
			sm->state = PS_SM_PH2_W4_CONFIRM;
			return PS_SMP_OK;
		}
		sm->state = PS_SM_PH2_W4_RANDOM;
		return new_confirm(sm, 0, out); /* Cb = f4(PKb, PKa, Nb, 0) */
	case PS_SM_METHOD_PASSKEY:
		if (central && !sm->have_tk) {
			sm->state = PS_SM_PH2_W4_USER;
			return PS_SMP_OK;
		}
		sm->state = PS_SM_PH2_W4_CONFIRM;
		return central ? new_confirm(sm, round_z(sm), out) : PS_SMP_OK;
	case PS_SM_METHOD_OOB:
		/* If we hold the peer's OOB data, its confirm must match its public key. */
		if (sm->cfg.oob_sc_present) {
			uint8_t c[16];
			int rc = ps_crypto_f4(cr(sm), peer_pkx(sm), peer_pkx(sm), sm->cfg.oob_sc_r, 0, c);
			if (rc < 0)
				return sm_lib_err(sm, rc);
			if (!sm_equal(c, sm->cfg.oob_sc_c, 16))
				return PS_SMP_CONFIRM_VALUE_FAILED;
		}
		sm->state = PS_SM_PH2_W4_RANDOM;
		if (!central)
			return PS_SMP_OK;
		uint8_t reason = sm_random(sm, sm->rand_local, 16);
		if (!reason)
			send_value(sm, out, ps_smp_pairing_random_code, sm->rand_local);
		return reason;
	}
	return PS_SMP_UNSPECIFIED;
}

uint8_t sm_sc_rx_public_key(struct ps_sm *sm, const union sm_pdu *p, struct ps_sm_outbox *out)
{
	memcpy(sm->peer_pub, p->public_key.x, 32);
	memcpy(sm->peer_pub + 32, p->public_key.y, 32);
	/* A point off the curve (invalid-curve attack, SM/xxx/KDU/BI-04-C) or our own key reflected
	 * back (CVE-2020-26558) ends the pairing: DHKey Check Failed, as Core v6.0 asks. */
	if (cr(sm)->p256_check(cr(sm)->ctx, sm->peer_pub) < 0)
		return PS_SMP_DHKEY_CHECK_FAILED;
	if (sm_equal(sm->peer_pub, sm->pub, 32))
		return PS_SMP_DHKEY_CHECK_FAILED;
	if (ps_crypto_is_debug_key(sm->peer_pub)) {
		if (!sm->cfg.allow_debug_keys)
			return PS_SMP_AUTH_REQUIREMENTS;
		sm->debug_peer = true;
	}
	int rc = cr(sm)->p256_ecdh(cr(sm)->ctx, sm->priv, sm->peer_pub, sm->dhkey);
	if (rc == -PS_EINVAL)
		return PS_SMP_DHKEY_CHECK_FAILED;
	if (rc < 0)
		return sm_lib_err(sm, rc);
	if (sm->role == PS_SM_PERIPHERAL)
		send_public_key(sm, out);
	return stage1_begin(sm, out);
}

/* Peripheral, Passkey Entry: answer Cai with Cbi (the passkey is known). */
static uint8_t pk_answer_confirm(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	uint8_t reason = sm_random(sm, sm->rand_local, 16);
	if (!reason)
		reason = f4_of(sm, true, sm->rand_local, round_z(sm), sm->confirm_local);
	if (reason)
		return reason;
	if (sm_equal(sm->confirm_local, sm->confirm_peer, 16))
		return PS_SMP_CONFIRM_VALUE_FAILED; /* reflection (ES-24491) */
	send_value(sm, out, ps_smp_pairing_confirm_code, sm->confirm_local);
	sm->state = PS_SM_PH2_W4_RANDOM;
	return PS_SMP_OK;
}

uint8_t sm_sc_rx_confirm(struct ps_sm *sm, const uint8_t v[16], struct ps_sm_outbox *out)
{
	memcpy(sm->confirm_peer, v, 16);
	switch (sm->method) {
	case PS_SM_METHOD_NONE:
	case PS_SM_METHOD_OOB: /* OOB has no Pairing Confirm */
		return PS_SMP_UNSPECIFIED;
	case PS_SM_METHOD_JUST_WORKS:
	case PS_SM_METHOD_NUMCMP: {
		/* Only the central receives Cb; it answers with Na. */
		if (sm->role != PS_SM_CENTRAL)
			return PS_SMP_UNSPECIFIED;
		uint8_t reason = sm_random(sm, sm->rand_local, 16);
		if (reason)
			return reason;
		send_value(sm, out, ps_smp_pairing_random_code, sm->rand_local);
		sm->state = PS_SM_PH2_W4_RANDOM;
		return PS_SMP_OK;
	}
	case PS_SM_METHOD_PASSKEY:
		if (sm->role == PS_SM_PERIPHERAL) {
			if (!sm->have_tk) {
				sm->have_pending = true;
				sm->state = PS_SM_PH2_W4_USER;
				return PS_SMP_OK;
			}
			return pk_answer_confirm(sm, out);
		}
		if (sm_equal(v, sm->confirm_local, 16))
			return PS_SMP_CONFIRM_VALUE_FAILED; /* reflection (ES-24491) */
		send_value(sm, out, ps_smp_pairing_random_code, sm->rand_local);
		sm->state = PS_SM_PH2_W4_RANDOM;
		return PS_SMP_OK;
	}
	return PS_SMP_UNSPECIFIED;
}

/* Numeric Comparison: show g2(PKax, PKbx, Na, Nb) mod 10^6 and wait for the user. */
static uint8_t numcmp_show(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	uint32_t v;
	const uint8_t *pka = sm->role == PS_SM_CENTRAL ? pkx(sm) : peer_pkx(sm);
	const uint8_t *pkb = sm->role == PS_SM_CENTRAL ? peer_pkx(sm) : pkx(sm);
	int rc = ps_crypto_g2(cr(sm), pka, pkb, na(sm), nb(sm), &v);
	if (rc < 0)
		return sm_lib_err(sm, rc);
	sm->user = SM_USER_NUMCMP;
	struct ps_sm_action *a = sm_push(sm, out, PS_SM_ACT_NUMCMP);
	if (a)
		a->value = v % 1000000;
	return PS_SMP_OK;
}

static uint8_t rx_random_central(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	uint8_t check[16], reason;
	switch (sm->method) {
	case PS_SM_METHOD_NONE:
		return PS_SMP_UNSPECIFIED;
	case PS_SM_METHOD_JUST_WORKS:
	case PS_SM_METHOD_NUMCMP:
		if ((reason = f4_of(sm, false, sm->rand_peer, 0, check)))
			return reason;
		if (!sm_equal(check, sm->confirm_peer, 16))
			return PS_SMP_CONFIRM_VALUE_FAILED;
		if (sm->method == PS_SM_METHOD_NUMCMP) {
			sm->state = PS_SM_PH2_W4_USER;
			return numcmp_show(sm, out);
		}
		return send_dhkey_check(sm, out);
	case PS_SM_METHOD_PASSKEY:
		if ((reason = f4_of(sm, false, sm->rand_peer, round_z(sm), check)))
			return reason;
		if (!sm_equal(check, sm->confirm_peer, 16))
			return PS_SMP_CONFIRM_VALUE_FAILED;
		if (++sm->round >= PASSKEY_ROUNDS)
			return send_dhkey_check(sm, out);
		sm->state = PS_SM_PH2_W4_CONFIRM;
		return new_confirm(sm, round_z(sm), out);
	case PS_SM_METHOD_OOB:
		return send_dhkey_check(sm, out);
	}
	return PS_SMP_UNSPECIFIED;
}

static uint8_t rx_random_peripheral(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	uint8_t check[16], reason;
	switch (sm->method) {
	case PS_SM_METHOD_NONE:
		return PS_SMP_UNSPECIFIED;
	case PS_SM_METHOD_JUST_WORKS:
	case PS_SM_METHOD_NUMCMP:
		send_value(sm, out, ps_smp_pairing_random_code, sm->rand_local);
		sm->state = PS_SM_PH2_W4_DHKEY_CHECK;
		return sm->method == PS_SM_METHOD_NUMCMP ? numcmp_show(sm, out) : PS_SMP_OK;
	case PS_SM_METHOD_PASSKEY:
		if ((reason = f4_of(sm, false, sm->rand_peer, round_z(sm), check)))
			return reason;
		if (!sm_equal(check, sm->confirm_peer, 16))
			return PS_SMP_CONFIRM_VALUE_FAILED;
		send_value(sm, out, ps_smp_pairing_random_code, sm->rand_local);
		sm->state = ++sm->round >= PASSKEY_ROUNDS ? PS_SM_PH2_W4_DHKEY_CHECK : PS_SM_PH2_W4_CONFIRM;
		return PS_SMP_OK;
	case PS_SM_METHOD_OOB:
		if ((reason = sm_random(sm, sm->rand_local, 16)))
			return reason;
		send_value(sm, out, ps_smp_pairing_random_code, sm->rand_local);
		sm->state = PS_SM_PH2_W4_DHKEY_CHECK;
		return PS_SMP_OK;
	}
	return PS_SMP_UNSPECIFIED;
}

uint8_t sm_sc_rx_random(struct ps_sm *sm, const uint8_t v[16], struct ps_sm_outbox *out)
{
	memcpy(sm->rand_peer, v, 16);
	return sm->role == PS_SM_CENTRAL ? rx_random_central(sm, out) : rx_random_peripheral(sm, out);
}

/* Peripheral: verify Ea, answer Eb; the LTK is ready for the LTK request. */
static uint8_t peripheral_check(struct ps_sm *sm, const uint8_t ea[16], struct ps_sm_outbox *out)
{
	uint8_t expect[16];
	uint8_t reason = derive_keys(sm);
	if (!reason)
		reason = check_value(sm, false, expect);
	if (reason)
		return reason;
	if (!sm_equal(expect, ea, 16))
		return PS_SMP_DHKEY_CHECK_FAILED;
	struct ps_smp_dhkey_check d;
	if ((reason = check_value(sm, true, d.e)))
		return reason;
	sm_send(sm, out, ps_smp_dhkey_check_code, &d);
	sm->state = PS_SM_PH2_W4_ENC;
	return PS_SMP_OK;
}

uint8_t sm_sc_rx_dhkey_check(struct ps_sm *sm, const union sm_pdu *p, struct ps_sm_outbox *out)
{
	if (sm->role == PS_SM_PERIPHERAL) {
		if (sm->user == SM_USER_NUMCMP) {
			/* Our user has not confirmed yet: Eb waits for the answer. */
			memcpy(sm->pending, p->dhkey_check.e, 16);
			sm->have_pending = true;
			sm->state = PS_SM_PH2_W4_USER;
			return PS_SMP_OK;
		}
		return peripheral_check(sm, p->dhkey_check.e, out);
	}
	uint8_t expect[16];
	uint8_t reason = check_value(sm, false, expect);
	if (reason)
		return reason;
	if (!sm_equal(expect, p->dhkey_check.e, 16))
		return PS_SMP_DHKEY_CHECK_FAILED;
	sm->state = PS_SM_PH2_W4_ENC;
	struct ps_sm_action *a = sm_push(sm, out, PS_SM_ACT_START_ENC);
	if (a)
		memcpy(a->key, sm->ltk, 16); /* EDIV and Rand are zero in SC (§2.4.4.1) */
	return PS_SMP_OK;
}

uint8_t sm_sc_passkey_ready(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	if (sm->role == PS_SM_CENTRAL) {
		if (sm->state != PS_SM_PH2_W4_USER)
			return PS_SMP_OK; /* the peer's public key is still to come */
		sm->state = PS_SM_PH2_W4_CONFIRM;
		return new_confirm(sm, round_z(sm), out);
	}
	if (!sm->have_pending)
		return PS_SMP_OK;
	sm->have_pending = false;
	return pk_answer_confirm(sm, out);
}

uint8_t sm_sc_numcmp_ok(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	if (sm->role == PS_SM_CENTRAL)
		return send_dhkey_check(sm, out);
	if (!sm->have_pending)
		return PS_SMP_OK; /* Ea still to come; state stays PH2_W4_DHKEY_CHECK */
	sm->have_pending = false;
	return peripheral_check(sm, sm->pending, out);
}
