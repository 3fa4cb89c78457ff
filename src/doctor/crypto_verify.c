/* Crypto verification of LE legacy pairing (Core Vol 3 Part H 2.2.3 c1, 2.2.4 s1, 2.3.5.5): find the
 * TK (0 for Just Works; Passkey Entry: search the 1,000,000 passkeys against a confirm value), verify
 * both confirm values, and check that the key handed to the controller is STK = s1(TK, Srand, Mrand). */
#include "doctor/doctor_int.h"
#include <pairscope/crypto.h>
#include <stdio.h>
#include <string.h>

#define DR_SEARCH_BUDGET 4 /* passkey searches per capture outside Passkey Entry (method checks) */

int32_t dr_passkey_search(const struct ps_crypto *c, const uint8_t confirm[16], const uint8_t rand[16],
			  const uint8_t preq[7], const uint8_t pres[7], uint8_t iat, const uint8_t ia[6], uint8_t rat,
			  const uint8_t ra[6])
{
	struct ps_crypto_c1_search *s;
	uint32_t tk;
	if (!c || ps_crypto_c1_search_new(c, rand, preq, pres, iat, ia, rat, ra, confirm, &s) < 0)
		return -1;
	/* §2.3.5.3: the passkey is a 6-digit decimal 000000..999999, TK = passkey as a 128-bit integer. */
	int rc = ps_crypto_c1_search_range(s, 0, 1000000, &tk);
	ps_crypto_c1_search_free(s);
	return rc == 0 ? (int32_t)tk : -1;
}

static int c1_check(const struct ps_crypto *c, const struct dr_pairing *p, const uint8_t tk[16],
		    const struct dr_pdu *conf, const struct dr_pdu *rnd)
{
	uint8_t out[16];
	if (ps_crypto_c1(c, tk, rnd->b, p->preq, p->pres, p->init.type, p->init.a, p->resp.type, p->resp.a, out) < 0)
		return -1;
	return memcmp(out, conf->b, 16) == 0;
}

static void tk_from(uint8_t tk[16], uint32_t v)
{
	memset(tk, 0, 16);
	tk[0] = (uint8_t)v;
	tk[1] = (uint8_t)(v >> 8);
	tk[2] = (uint8_t)(v >> 16);
	tk[3] = (uint8_t)(v >> 24);
}

void dr_crypto_finish(struct ps_doctor *d, struct dr_pairing *p)
{
	const struct ps_crypto *c = d->o.crypto;
	int32_t pi = dr_pidx(d, p);
	if (!p->have_rsp) {
		snprintf(p->crypto_note, sizeof p->crypto_note, "no Pairing Request/Response in the capture");
		return;
	}
	const struct dr_pdu *ci = dr_find_pdu(p, 0x03, 1, 0), *cr = dr_find_pdu(p, 0x03, 0, 0);
	const struct dr_pdu *ri = dr_find_pdu(p, 0x04, 1, 0), *rr = dr_find_pdu(p, 0x04, 0, 0);
	if (ci && cr && ci->valid && cr->valid && !memcmp(ci->b, cr->b, 16) && !p->sc) {
		uint64_t fr[2] = { ci->frame, cr->frame };
		dr_add(d, DR_SMP_CONFIRM_REFLECTED, pi, fr, 2,
		       "the responder's confirm value equals the initiator's: a reflection, not a computed value");
	}
	if (p->sc && dr_sc_verify(d, p))
		return;
	if (p->sc) {
		snprintf(p->crypto_note, sizeof p->crypto_note,
			 "Secure Connections: confirm values and LTK depend on the ECDH secret, not in the capture");
		return;
	}
	if (p->assoc.method == DR_M_OOB) {
		snprintf(p->crypto_note, sizeof p->crypto_note, "OOB: the TK came out of band");
		return;
	}
	if (!c) {
		snprintf(p->crypto_note, sizeof p->crypto_note, "no crypto backend");
		return;
	}
	if (!p->init.known || !p->resp.known) {
		snprintf(p->crypto_note, sizeof p->crypto_note, "the %s address is not in the capture",
			 p->init.known ? "responder's" : "initiator's");
		return;
	}
	if (!ci || !ri || !cr || !rr || !ci->valid || !ri->valid || !cr->valid || !rr->valid) {
		snprintf(p->crypto_note, sizeof p->crypto_note, "the capture lacks a confirm or random value");
		return;
	}
	uint8_t tk[16];
	memset(tk, 0, 16);
	int vi = -1, vr = -1;
	bool search = !d->o.no_passkey_search;
	if (p->assoc.method == DR_M_JW) {
		vi = c1_check(c, p, tk, ci, ri);
		vr = c1_check(c, p, tk, cr, rr);
		if (vi == 0 && vr == 0 && search && d->searches < DR_SEARCH_BUDGET) {
			/* Neither matches TK = 0: did the devices run Passkey Entry against Table 2.8? */
			d->searches++;
			int32_t pk = dr_passkey_search(c, ci->b, ri->b, p->preq, p->pres, p->init.type, p->init.a,
						       p->resp.type, p->resp.a);
			if (pk > 0) {
				tk_from(tk, (uint32_t)pk);
				vi = 1;
				vr = c1_check(c, p, tk, cr, rr);
				p->passkey = pk;
				uint64_t fr[3] = { p->req_frame, p->rsp_frame, ci->frame };
				dr_add(d, DR_NEG_METHOD_MISMATCH, pi, fr, 3,
				       "Table 2.8 selects Just Works, yet the confirm values were made with passkey %06d",
				       pk);
			}
		}
	} else if (search) {
		int32_t pk = dr_passkey_search(c, ci->b, ri->b, p->preq, p->pres, p->init.type, p->init.a,
					       p->resp.type, p->resp.a);
		if (pk >= 0) {
			tk_from(tk, (uint32_t)pk);
			vi = 1;
			vr = c1_check(c, p, tk, cr, rr);
		} else {
			vi = 0;
			pk = dr_passkey_search(c, cr->b, rr->b, p->preq, p->pres, p->init.type, p->init.a, p->resp.type,
					       p->resp.a);
			if (pk >= 0) {
				tk_from(tk, (uint32_t)pk);
				vr = 1;
			} else {
				vr = 0;
			}
		}
		if (pk >= 0) {
			p->passkey = pk;
			dr_add1(d, DR_CRYPTO_PASSKEY_RECOVERED, pi, ci->frame,
				"passkey %06d recovered from the confirm values by trying all 1,000,000", pk);
		}
	} else {
		snprintf(p->crypto_note, sizeof p->crypto_note, "passkey search disabled");
		return;
	}
	if (vi < 0 || vr < 0) {
		snprintf(p->crypto_note, sizeof p->crypto_note, "crypto backend error");
		return;
	}
	if (!vi && !vr && p->fail_reason != 0x04) {
		/* Both wrong and nobody complained: more likely the air addresses differ from those the HCI
		 * shows (privacy, a missed Set Random Address) than two broken devices. */
		snprintf(p->crypto_note, sizeof p->crypto_note,
			 "neither confirm value matches with the addresses seen (%s); the addresses used on air may differ",
			 p->assoc.method == DR_M_JW ? "TK 0" : "any passkey");
		return;
	}
	p->tk_known = vi || vr;
	memcpy(p->tk, tk, 16);
	p->c_confirm_i = vi ? DR_C_VERIFIED : DR_C_MISMATCH;
	p->c_confirm_r = vr ? DR_C_VERIFIED : DR_C_MISMATCH;
	for (int side = 1; side >= 0; side--) {
		if (side ? vi : vr)
			continue;
		const struct dr_pdu *cf = side ? ci : cr, *rn = side ? ri : rr;
		uint64_t fr[2] = { cf->frame, rn->frame };
		dr_add(d, DR_CRYPTO_CONFIRM_MISMATCH, pi, fr, 2,
		       "the %s's confirm value (#%llu) is not c1 of its Pairing Random (#%llu)%s", dr_who(side),
		       (unsigned long long)cf->frame, (unsigned long long)rn->frame,
		       p->tk_known ? " with the TK that verifies the other side" : "");
	}
	if (!p->tk_known) {
		snprintf(p->crypto_note, sizeof p->crypto_note, "no TK verifies either confirm value");
		return;
	}
	if (p->enc_key_unknown) {
		/* Sniffer capture: the STK is right when the first encrypted PDU (LL_START_ENC_RSP, counter 0,
		 * from the central) decrypts under SK = e(STK, SKDp || SKDc) with a valid MIC (Vol 6 Part E). */
		const struct dr_conn *cn = p->conn >= 0 ? &d->conns[p->conn] : NULL;
		uint8_t stk[16], sk[16], out[1];
		if (cn && (cn->ll_have & 7) == 7 && ps_crypto_s1(c, tk, rr->b, ri->b, stk) == 0) {
			if (p->key_size >= 7 && p->key_size < 16)
				memset(stk + p->key_size, 0, 16u - p->key_size);
			if (ps_crypto_session_key(c, stk, cn->skd_c, cn->skd_p, sk) == 0 &&
			    ps_crypto_ll_decrypt(c, sk, cn->iv, 0, 1, cn->ll_hdr0, cn->ll_pdu, 1, cn->ll_pdu + 1, out) == 0 &&
			    out[0] == 0x06) {
				p->c_stk = DR_C_VERIFIED;
				snprintf(p->crypto_note, sizeof p->crypto_note,
					 "STK verified: LL_START_ENC_RSP decrypts with it and its MIC holds");
				return;
			}
		}
		snprintf(p->crypto_note, sizeof p->crypto_note,
			 "the key the central encrypted with never crosses the air (sniffer capture)");
		return;
	}
	if (!p->enc_started) {
		snprintf(p->crypto_note, sizeof p->crypto_note, "encryption was not started in the capture");
		return;
	}
	uint8_t stk[16];
	if (ps_crypto_s1(c, tk, rr->b, ri->b, stk) < 0)
		return;
	/* §2.3.4: a key shorter than 16 octets has its most significant octets masked to zero. */
	if (p->key_size >= 7 && p->key_size < 16)
		memset(stk + p->key_size, 0, 16u - p->key_size);
	p->c_stk = memcmp(stk, p->enc_ltk, 16) ? DR_C_MISMATCH : DR_C_VERIFIED;
	if (p->c_stk == DR_C_MISMATCH) {
		char a[40], b[40];
		dr_add1(d, DR_CRYPTO_STK_MISMATCH, pi, p->enc_frame,
			"the key given to the controller is %s, but s1(TK, Srand, Mrand) = %s",
			ps_hex_encode(p->enc_ltk, 16, a), ps_hex_encode(stk, 16, b));
	}
}
