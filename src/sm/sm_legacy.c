/* SMP phase 2, LE legacy pairing (Core Vol 3 Part H §2.3.5.2-2.3.5.5): TK from Just Works, Passkey
 * Entry or OOB; Mconfirm/Sconfirm with c1, Mrand/Srand, STK with s1, encryption with the STK.
 * Reflected confirm values are refused (errata ES-24491, SM/CEN/JW/BI-06-C). */
#include "sm/sm_int.h"
#include <string.h>

static uint8_t confirm_of(struct ps_sm *sm, const uint8_t r[16], uint8_t out[16])
{
	const struct ps_addr *i = sm_initiator(sm), *rs = sm_responder(sm);
	int rc = ps_crypto_c1(sm->ops.crypto, sm->tk, r, sm->preq, sm->pres, i->type, i->a, rs->type,
			      rs->a, out);
	return rc < 0 ? sm_lib_err(sm, rc) : PS_SMP_OK;
}

static uint8_t send_confirm(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	uint8_t reason = sm_random(sm, sm->rand_local, 16);
	if (!reason)
		reason = confirm_of(sm, sm->rand_local, sm->confirm_local);
	if (reason)
		return reason;
	struct ps_smp_pairing_confirm c;
	memcpy(c.value, sm->confirm_local, 16);
	sm_send(sm, out, ps_smp_pairing_confirm_code, &c);
	return PS_SMP_OK;
}

/* Peripheral: answer the central's confirm with ours (the TK is known). */
static uint8_t answer_confirm(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	uint8_t reason = sm_random(sm, sm->rand_local, 16);
	if (!reason)
		reason = confirm_of(sm, sm->rand_local, sm->confirm_local);
	if (reason)
		return reason;
	/* ES-24491: a peer that reflects our own confirm value must not pass. */
	if (sm_equal(sm->confirm_local, sm->confirm_peer, 16))
		return PS_SMP_CONFIRM_VALUE_FAILED;
	struct ps_smp_pairing_confirm c;
	memcpy(c.value, sm->confirm_local, 16);
	sm_send(sm, out, ps_smp_pairing_confirm_code, &c);
	sm->state = PS_SM_PH2_W4_RANDOM;
	return PS_SMP_OK;
}

uint8_t sm_legacy_start(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	uint8_t reason = PS_SMP_OK;
	memset(sm->tk, 0, 16);
	switch (sm->method) {
	case PS_SM_METHOD_NONE:
	case PS_SM_METHOD_NUMCMP: /* not a legacy model */
		return PS_SMP_UNSPECIFIED;
	case PS_SM_METHOD_JUST_WORKS:
		sm->have_tk = true; /* TK = 0 */
		break;
	case PS_SM_METHOD_OOB:
		memcpy(sm->tk, sm->cfg.oob_tk, 16);
		sm->have_tk = true;
		break;
	case PS_SM_METHOD_PASSKEY:
		reason = sm_passkey_begin(sm, out);
		break;
	}
	if (reason)
		return reason;
	if (sm->role == PS_SM_PERIPHERAL) {
		sm->state = PS_SM_PH2_W4_CONFIRM;
		return PS_SMP_OK;
	}
	if (!sm->have_tk) {
		sm->state = PS_SM_PH2_W4_USER;
		return PS_SMP_OK;
	}
	sm->state = PS_SM_PH2_W4_CONFIRM;
	return send_confirm(sm, out);
}

uint8_t sm_legacy_tk_ready(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	if (sm->role == PS_SM_CENTRAL) {
		sm->state = PS_SM_PH2_W4_CONFIRM;
		return send_confirm(sm, out);
	}
	if (!sm->have_pending)
		return PS_SMP_OK; /* the central's confirm has not come yet */
	sm->have_pending = false;
	return answer_confirm(sm, out);
}

uint8_t sm_legacy_rx_confirm(struct ps_sm *sm, const uint8_t v[16], struct ps_sm_outbox *out)
{
	memcpy(sm->confirm_peer, v, 16);
	if (sm->role == PS_SM_PERIPHERAL) {
		if (!sm->have_tk) {
			/* The user is still typing: keep Mconfirm until the TK is known. */
			sm->have_pending = true;
			sm->state = PS_SM_PH2_W4_USER;
			return PS_SMP_OK;
		}
		return answer_confirm(sm, out);
	}
	/* ES-24491 (SM/CEN/JW/BI-06-C, SM/CEN/PKE/BI-03-C): Sconfirm equal to Mconfirm is a reflection. */
	if (sm_equal(v, sm->confirm_local, 16))
		return PS_SMP_CONFIRM_VALUE_FAILED;
	struct ps_smp_pairing_random r;
	memcpy(r.value, sm->rand_local, 16);
	sm_send(sm, out, ps_smp_pairing_random_code, &r);
	sm->state = PS_SM_PH2_W4_RANDOM;
	return PS_SMP_OK;
}

uint8_t sm_legacy_rx_random(struct ps_sm *sm, const uint8_t v[16], struct ps_sm_outbox *out)
{
	uint8_t check[16];
	uint8_t reason = confirm_of(sm, v, check);
	if (reason)
		return reason;
	if (!sm_equal(check, sm->confirm_peer, 16))
		return PS_SMP_CONFIRM_VALUE_FAILED;
	memcpy(sm->rand_peer, v, 16);
	/* §2.2.4: STK = s1(TK, Srand, Mrand). */
	const uint8_t *srand = sm->role == PS_SM_PERIPHERAL ? sm->rand_local : sm->rand_peer;
	const uint8_t *mrand = sm->role == PS_SM_PERIPHERAL ? sm->rand_peer : sm->rand_local;
	int rc = ps_crypto_s1(sm->ops.crypto, sm->tk, srand, mrand, sm->ltk);
	if (rc < 0)
		return sm_lib_err(sm, rc);
	sm_mask_key(sm, sm->ltk);
	memcpy(sm->res.enc_key, sm->ltk, 16);
	sm->state = PS_SM_PH2_W4_ENC;
	if (sm->role == PS_SM_PERIPHERAL) {
		struct ps_smp_pairing_random r;
		memcpy(r.value, sm->rand_local, 16);
		sm_send(sm, out, ps_smp_pairing_random_code, &r);
		return PS_SMP_OK;
	}
	/* The central encrypts with the STK: EDIV and Rand are zero (§2.4.4.1). */
	struct ps_sm_action *a = sm_push(sm, out, PS_SM_ACT_START_ENC);
	if (a)
		memcpy(a->key, sm->ltk, 16);
	return PS_SMP_OK;
}
