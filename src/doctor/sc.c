/* LE Secure Connections checks (Core Vol 3 Part H 2.3.5.6): debug keys in use (§2.3.5.6.1), public
 * keys that are not P-256 points or that reflect the peer's own (CVE-2020-26558), Passkey Entry's 20
 * rounds (§2.3.5.6.3) and DHKey check failures (§2.3.5.6.5). */
#include "doctor/doctor_int.h"
#include "proto/smp.h"
#include <pairscope/crypto.h>
#include <string.h>

void dr_sc_finish(struct ps_doctor *d, struct dr_pairing *p)
{
	int32_t pi = dr_pidx(d, p);
	const struct dr_pdu *pk[2] = { dr_find_pdu(p, 0x0c, 0, 0), dr_find_pdu(p, 0x0c, 1, 0) };
	const struct ps_crypto *c = d->o.crypto;
	for (int side = 1; side >= 0; side--) {
		const struct dr_pdu *u = pk[side];
		if (!u || !u->valid)
			continue;
		if (ps_crypto_is_debug_key(u->b))
			dr_add1(d, DR_SC_DEBUG_KEY, pi, u->frame,
				"the %s uses the Secure Connections debug public key: anyone can decrypt this link",
				dr_who(side));
		else if (c && c->p256_check && c->p256_check(c->ctx, u->b) != 0)
			dr_add1(d, DR_SC_BAD_PUBLIC_KEY, pi, u->frame,
				"the %s's public key is not a point on P-256 (invalid-curve attack or a broken key)",
				dr_who(side));
	}
	if (pk[0] && pk[1] && pk[0]->valid && pk[1]->valid && !memcmp(pk[0]->b, pk[1]->b, 32)) {
		uint64_t fr[2] = { pk[1]->frame, pk[0]->frame };
		dr_add(d, DR_SC_REFLECTED_KEY, pi, fr, 2,
		       "the responder's public key has the same X as the initiator's: a reflected key");
	}
	if (p->sc && p->have_rsp && p->assoc.method == DR_M_PK) {
		unsigned rounds = 0;
		for (uint32_t i = 0; i < p->npdus; i++)
			rounds += p->pdus[i].code == 0x03 && p->pdus[i].by_init;
		const struct dr_pdu *dh = dr_find_pdu(p, 0x0d, -1, 0);
		if (rounds > 20 || (dh && rounds < 20))
			dr_add1(d, DR_SC_PASSKEY_ROUNDS, pi, dh ? dh->frame : p->pdus[p->npdus - 1].frame,
				"Secure Connections Passkey Entry ran %u confirm rounds, not 20", rounds);
	}
	if (p->outcome == DR_O_FAILED && p->fail_reason == PS_SMP_DHKEY_CHECK_FAILED) {
		/* Without a DHKey check from the peer, 0x0B answered its public key (§2.3.5.6.1). */
		const struct dr_pdu *dh = dr_find_pdu(p, 0x0d, !p->fail_by_init, 0);
		uint64_t fr[2] = { dh ? dh->frame : 0, p->fail_frame };
		if (dh)
			dr_add(d, DR_SC_DHKEY_CHECK, pi, fr, 2,
			       "the %s rejected the %s's DHKey check: the two sides computed different f5/f6 inputs "
			       "(DHKey, nonces, IO capabilities or addresses)",
			       dr_who(p->fail_by_init), dr_who(!p->fail_by_init));
	}
}
