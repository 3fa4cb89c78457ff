/* Secure Connections crypto a capture can check (Core Vol 3 Part H 2.3.5.6, 2.2.6-2.2.8): only when one
 * side uses the debug key pair (§2.3.5.6.1), whose private key is public, so the DHKey is known. Then the
 * confirm values (f4: Cb for Just Works / Numeric Comparison, Cai/Cbi for the 20 Passkey Entry rounds,
 * which also yields the passkey bit by bit), both DHKey checks (f6 with MacKey from f5) and the LTK given
 * to the controller (f5) are verified. */
#include "doctor/doctor_int.h"
#include <pairscope/crypto.h>
#include <stdio.h>
#include <string.h>

static void addr7(uint8_t out[7], const struct dr_party *a)
{
	out[0] = a->type;
	memcpy(out + 1, a->a, 6);
}

/* Returns true when it could judge (debug key in use and everything needed captured). */
bool dr_sc_verify(struct ps_doctor *d, struct dr_pairing *p)
{
	const struct ps_crypto *c = d->o.crypto;
	const struct dr_pdu *pka = dr_find_pdu(p, 0x0c, 1, 0), *pkb = dr_find_pdu(p, 0x0c, 0, 0);
	if (!c || !c->p256_ecdh || !pka || !pkb || !pka->valid || !pkb->valid || !p->init.known || !p->resp.known ||
	    p->assoc.method == DR_M_OOB)
		return false;
	bool a_dbg = ps_crypto_is_debug_key(pka->b), b_dbg = ps_crypto_is_debug_key(pkb->b);
	if (!a_dbg && !b_dbg)
		return false;
	uint8_t dh[32];
	if (c->p256_ecdh(c->ctx, ps_crypto_debug_private, a_dbg ? pkb->b : pka->b, dh) < 0)
		return false;
	int32_t pi = dr_pidx(d, p);
	uint8_t r[16] = { 0 }, na[16], nb[16], cf[16];
	const struct dr_pdu *u;
	bool ok_a = true, ok_b = true;
	if (p->assoc.method == DR_M_PK) {
		/* §2.3.5.6.3: round i commits to bit i of the passkey: Cai = f4(PKax, PKbx, Nai, 0x80 | bit). */
		uint32_t pk = 0;
		unsigned round = 0;
		for (uint32_t i = 0; i + 3 < p->npdus && round < 20; i++) {
			const struct dr_pdu *ca = &p->pdus[i];
			if (ca->code != 0x03 || !ca->by_init)
				continue;
			const struct dr_pdu *cb = dr_find_pdu(p, 0x03, 0, i + 1), *ra = dr_find_pdu(p, 0x04, 1, i + 1),
					    *rb = dr_find_pdu(p, 0x04, 0, i + 1);
			if (!cb || !ra || !rb)
				return false;
			int bit = -1;
			for (int z = 0; z < 2 && bit < 0; z++)
				if (ps_crypto_f4(c, pka->b, pkb->b, ra->b, (uint8_t)(0x80 | z), cf) == 0 && !memcmp(cf, ca->b, 16))
					bit = z;
			if (bit < 0) {
				ok_a = false;
				break;
			}
			pk |= (uint32_t)bit << round;
			if (ps_crypto_f4(c, pkb->b, pka->b, rb->b, (uint8_t)(0x80 | bit), cf) < 0 || memcmp(cf, cb->b, 16))
				ok_b = false;
			round++;
		}
		if (round != 20 && ok_a)
			return false;
		p->passkey = (int32_t)pk;
		r[0] = (uint8_t)pk;
		r[1] = (uint8_t)(pk >> 8);
		r[2] = (uint8_t)(pk >> 16);
		p->c_confirm_i = ok_a ? DR_C_VERIFIED : DR_C_MISMATCH;
		p->c_confirm_r = ok_b ? DR_C_VERIFIED : DR_C_MISMATCH;
	} else {
		/* §2.3.5.6.2: only the responder commits: Cb = f4(PKbx, PKax, Nb, 0). */
		const struct dr_pdu *cb = dr_find_pdu(p, 0x03, 0, 0), *rb = dr_find_pdu(p, 0x04, 0, 0);
		if (!cb || !rb || ps_crypto_f4(c, pkb->b, pka->b, rb->b, 0, cf) < 0)
			return false;
		p->c_confirm_r = memcmp(cf, cb->b, 16) ? DR_C_MISMATCH : DR_C_VERIFIED;
	}
	/* Last nonces of phase 2 (the 20th round for Passkey Entry). */
	const struct dr_pdu *lna = NULL, *lnb = NULL;
	for (uint32_t i = 0; i < p->npdus; i++) {
		u = &p->pdus[i];
		if (u->code == 0x04)
			*(u->by_init ? &lna : &lnb) = u;
	}
	if (!lna || !lnb)
		return true;
	memcpy(na, lna->b, 16);
	memcpy(nb, lnb->b, 16);
	uint8_t a1[7], a2[7], mac[16], ltk[16], e[16];
	addr7(a1, &p->init);
	addr7(a2, &p->resp);
	if (ps_crypto_f5(c, dh, na, nb, a1, a2, mac, ltk) < 0)
		return true;
	const uint8_t ioa[3] = { p->preq[1], p->preq[2], p->preq[3] }, iob[3] = { p->pres[1], p->pres[2], p->pres[3] };
	const struct dr_pdu *ea = dr_find_pdu(p, 0x0d, 1, 0), *eb = dr_find_pdu(p, 0x0d, 0, 0);
	/* §2.3.5.6.5: Ea = f6(MacKey, Na, Nb, rb, IOcapA, A, B), Eb = f6(MacKey, Nb, Na, ra, IOcapB, B, A). */
	if (ea && ps_crypto_f6(c, mac, na, nb, r, ioa, a1, a2, e) == 0 && memcmp(e, ea->b, 16))
		dr_add1(d, DR_SC_DHKEY_CHECK, pi, ea->frame,
			"the initiator's DHKey check is not f6(MacKey, Na, Nb, rb, IOcapA, A, B) (computed with the debug key)");
	if (eb && ps_crypto_f6(c, mac, nb, na, r, iob, a2, a1, e) == 0 && memcmp(e, eb->b, 16))
		dr_add1(d, DR_SC_DHKEY_CHECK, pi, eb->frame,
			"the responder's DHKey check is not f6(MacKey, Nb, Na, ra, IOcapB, B, A) (computed with the debug key)");
	if (p->enc_started && !p->enc_key_unknown) {
		if (p->key_size >= 7 && p->key_size < 16)
			memset(ltk + p->key_size, 0, 16u - p->key_size);
		p->c_stk = memcmp(ltk, p->enc_ltk, 16) ? DR_C_MISMATCH : DR_C_VERIFIED;
		if (p->c_stk == DR_C_MISMATCH)
			dr_add1(d, DR_CRYPTO_STK_MISMATCH, pi, p->enc_frame,
				"the key given to the controller is not the LTK f5(DHKey, Na, Nb, A, B) (computed with the debug key)");
	}
	snprintf(p->crypto_note, sizeof p->crypto_note, "Secure Connections with the debug key: DHKey known, %s",
		 p->assoc.method == DR_M_PK ? "passkey read from the 20 commitments" :
					      "the initiator sends no confirm in Just Works / Numeric Comparison");
	return true;
}
