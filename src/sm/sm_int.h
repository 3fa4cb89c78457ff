/* SMP core internals shared by the src/sm files (Core Vol 3 Part H §2-3). Not installed. */
#ifndef PS_SM_INT_H
#define PS_SM_INT_H

#include "sm/sm.h"
#include "proto/smp.h"

/* What the local user still has to answer (struct ps_sm.user). */
enum sm_user {
	SM_USER_NONE,
	SM_USER_PASSKEY, /* type the passkey */
	SM_USER_NUMCMP,  /* compare the six digits */
};

/* Every PDU struct the core receives, decoded by the generic codec from smp.def. */
union sm_pdu {
	struct ps_smp_pairing_req req;
	struct ps_smp_pairing_rsp rsp;
	struct ps_smp_pairing_confirm confirm;
	struct ps_smp_pairing_random random;
	struct ps_smp_pairing_failed failed;
	struct ps_smp_encrypt_info enc_info;
	struct ps_smp_central_ident central_ident;
	struct ps_smp_ident_info ident_info;
	struct ps_smp_ident_addr_info ident_addr;
	struct ps_smp_signing_info signing_info;
	struct ps_smp_security_req sec_req;
	struct ps_smp_public_key public_key;
	struct ps_smp_dhkey_check dhkey_check;
	struct ps_smp_keypress keypress;
};

/* Outbox helpers (sm_core.c). sm_push returns NULL and sets sm->err when the outbox is full. */
struct ps_sm_action *sm_push(struct ps_sm *sm, struct ps_sm_outbox *out, enum ps_sm_act type);
/* Encode the PDU struct st for code and queue it; restarts the SMP timer while pairing. */
void sm_send(struct ps_sm *sm, struct ps_sm_outbox *out, uint8_t code, const void *st);
/* Record a library error (first one wins) and return the SMP reason to fail with. */
uint8_t sm_lib_err(struct ps_sm *sm, int rc);
/* Fill buf from the CSPRNG. */
uint8_t sm_random(struct ps_sm *sm, uint8_t *buf, size_t len);
/* End the pairing with a failure we detected: send Pairing Failed(reason), emit the result. */
void sm_fail(struct ps_sm *sm, struct ps_sm_outbox *out, uint8_t reason);
/* End the pairing: status 0 success; otherwise failure details in res. Emits STORE and RESULT. */
void sm_end(struct ps_sm *sm, struct ps_sm_outbox *out, int status, uint8_t reason, bool by_peer);
void sm_timer_start(struct ps_sm *sm);
/* Mask a key to the negotiated size: §3.5.1, the most significant octets become zero. */
void sm_mask_key(const struct ps_sm *sm, uint8_t key[16]);
bool sm_is_zero(const uint8_t *p, size_t n);
/* Constant-time comparison of two secrets or confirm values. */
static inline bool sm_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= (uint8_t)(a[i] ^ b[i]);
	return acc == 0;
}

/* Phase 1 (sm_phase1.c). */
uint8_t sm_rx_pairing_req(struct ps_sm *sm, const union sm_pdu *p, struct ps_sm_outbox *out);
uint8_t sm_rx_pairing_rsp(struct ps_sm *sm, const union sm_pdu *p, struct ps_sm_outbox *out);
uint8_t sm_rx_security_req(struct ps_sm *sm, const union sm_pdu *p, struct ps_sm_outbox *out);
uint8_t sm_rx_pairing_failed(struct ps_sm *sm, const union sm_pdu *p, struct ps_sm_outbox *out);
uint8_t sm_rx_keypress(struct ps_sm *sm, const union sm_pdu *p, struct ps_sm_outbox *out);
/* True (and a Repeated Attempts answer is due) while the §2.3.6 waiting interval runs. */
bool sm_backoff_active(const struct ps_sm *sm);
void sm_backoff_record(struct ps_sm *sm, bool success);
/* Passkey Entry (§2.3.5.3): generate and display the passkey when we are the displaying side,
 * otherwise ask the user to type it (sm->user = SM_USER_PASSKEY). */
uint8_t sm_passkey_begin(struct ps_sm *sm, struct ps_sm_outbox *out);
/* The 7-octet address of the initiator / responder as f5/f6 and c1 take it. */
const struct ps_addr *sm_initiator(const struct ps_sm *sm);
const struct ps_addr *sm_responder(const struct ps_sm *sm);

/* Phase 2, legacy (sm_legacy.c). */
uint8_t sm_legacy_start(struct ps_sm *sm, struct ps_sm_outbox *out);
uint8_t sm_legacy_rx_confirm(struct ps_sm *sm, const uint8_t v[16], struct ps_sm_outbox *out);
uint8_t sm_legacy_rx_random(struct ps_sm *sm, const uint8_t v[16], struct ps_sm_outbox *out);
/* The TK became known (user typed it): continue where the pairing waited. */
uint8_t sm_legacy_tk_ready(struct ps_sm *sm, struct ps_sm_outbox *out);

/* Phase 2, Secure Connections (sm_sc.c). */
uint8_t sm_sc_start(struct ps_sm *sm, struct ps_sm_outbox *out);
uint8_t sm_sc_rx_public_key(struct ps_sm *sm, const union sm_pdu *p, struct ps_sm_outbox *out);
uint8_t sm_sc_rx_confirm(struct ps_sm *sm, const uint8_t v[16], struct ps_sm_outbox *out);
uint8_t sm_sc_rx_random(struct ps_sm *sm, const uint8_t v[16], struct ps_sm_outbox *out);
uint8_t sm_sc_rx_dhkey_check(struct ps_sm *sm, const union sm_pdu *p, struct ps_sm_outbox *out);
uint8_t sm_sc_passkey_ready(struct ps_sm *sm, struct ps_sm_outbox *out);
uint8_t sm_sc_numcmp_ok(struct ps_sm *sm, struct ps_sm_outbox *out);

/* Phase 3 (sm_keys.c). */
uint8_t sm_rx_key(struct ps_sm *sm, uint8_t code, const union sm_pdu *p, struct ps_sm_outbox *out);
/* The link is encrypted with the pairing's key: start §3.6.1 distribution. */
uint8_t sm_keys_start(struct ps_sm *sm, struct ps_sm_outbox *out);
/* Compute the negotiated distribution (both roles) once the Pairing Response is known. */
void sm_keys_negotiate(struct ps_sm *sm);

#endif
