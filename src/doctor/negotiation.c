/* Pairing feature exchange (Core Vol 3 Part H 2.3, 3.5.1-3.5.2): the negotiated values (legacy or
 * Secure Connections, association model by Tables 2.6-2.8, MITM, bonding, key size, key distribution
 * as the AND of both sides) and the checks on them. */
#include "doctor/doctor_int.h"
#include "proto/smp.h"
#include <string.h>

void dr_negotiate(struct ps_doctor *d, struct dr_pairing *p)
{
	const uint8_t *rq = p->preq + 1, *rs = p->pres + 1;
	int32_t pi = dr_pidx(d, p);
	uint64_t fr[2] = { p->req_frame, p->rsp_frame };
	/* §2.3.5.1: "If both devices support LE Secure Connections, LE Secure Connections shall be used". */
	p->sc = (rq[2] & rs[2] & PS_SMP_AUTH_SC) != 0;
	p->assoc = dr_select_method(p->sc, rq[0], rq[1], rq[2], rs[0], rs[1], rs[2]);
	p->key_size = rq[3] < rs[3] ? rq[3] : rs[3];
	/* §3.6.1: the response's fields "define the keys that shall be distributed"; implementations AND the
	 * two so that a responder cannot add keys. */
	p->idist = rq[4] & rs[4] & 0x0f;
	p->rdist = rq[5] & rs[5] & 0x0f;
	p->bond = (rq[2] & 3) == 1 && (rs[2] & 3) == 1;

	for (int i = 0; i < 2; i++) {
		uint8_t k = i ? rs[3] : rq[3];
		if (k < 7 || k > 16)
			dr_add1(d, DR_NEG_KEY_SIZE_RANGE, pi, fr[i], "%s announces Maximum Encryption Key Size %u (7..16)",
				i ? "Pairing Response" : "Pairing Request", k);
	}
	if (p->key_size >= 7 && p->key_size < 16)
		dr_add(d, DR_NEG_KEY_SIZE_SHORT, pi, fr, 2, "the encryption key is %u octets (%u bits), not 16",
		       p->key_size, p->key_size * 8);
	uint8_t extra_i = rs[4] & ~rq[4] & 0x0f, extra_r = rs[5] & ~rq[5] & 0x0f;
	if (extra_i || extra_r) {
		char a[40], b[40];
		dr_keydist_str(extra_i, a, sizeof a);
		dr_keydist_str(extra_r, b, sizeof b);
		dr_add(d, DR_NEG_DIST_SUPERSET, pi, fr, 2,
		       "the Pairing Response sets key distribution bits the Pairing Request left 0 (initiator: %s, "
		       "responder: %s)", a, b);
	}
	bool mitm = ((rq[2] | rs[2]) & PS_SMP_AUTH_MITM) != 0;
	if (mitm && !p->assoc.auth_v61) {
		char who[40];
		snprintf(who, sizeof who, "%s%s%s", rq[2] & PS_SMP_AUTH_MITM ? "initiator" : "",
			 (rq[2] & rs[2] & PS_SMP_AUTH_MITM) ? " and " : "", rs[2] & PS_SMP_AUTH_MITM ? "responder" : "");
		dr_add(d, DR_NEG_MITM_UNATTAINABLE, pi, fr, 2,
		       "the %s asked for MITM protection, but IO capabilities %s (initiator) and %s (responder) give "
		       "%s: the key is unauthenticated",
		       who, ps_name_of(ps_names_smp_io_cap, rq[0]) ? ps_name_of(ps_names_smp_io_cap, rq[0]) : "reserved",
		       ps_name_of(ps_names_smp_io_cap, rs[0]) ? ps_name_of(ps_names_smp_io_cap, rs[0]) : "reserved",
		       dr_method_name(p->assoc.method));
	}
	if (!p->sc && p->assoc.method != DR_M_OOB)
		dr_add(d, DR_NEG_LEGACY, pi, fr, 2, "LE legacy pairing (%s): %s%s", dr_method_name(p->assoc.method),
		       (rq[2] & PS_SMP_AUTH_SC) ? "the responder" : (rs[2] & PS_SMP_AUTH_SC) ? "the initiator" : "neither device",
		       ((rq[2] | rs[2]) & PS_SMP_AUTH_SC) ? " does not support Secure Connections" :
							    " supports Secure Connections");
	if (!p->sc && rq[1] <= 1 && rs[1] <= 1 && rq[1] != rs[1])
		dr_add(d, DR_NEG_OOB_ONE_SIDED, pi, fr, 2, "only the %s has OOB data: legacy OOB needs both",
		       rq[1] ? "initiator" : "responder");
	if (((rq[2] ^ rs[2]) & 3) == 1 && (rq[2] & 3) < 2 && (rs[2] & 3) < 2)
		dr_add(d, DR_NEG_NO_BONDING, pi, fr, 2, "only the %s asked for bonding",
		       (rq[2] & 3) == 1 ? "initiator" : "responder");
}

void dr_negotiation_finish(struct ps_doctor *d, struct dr_pairing *p)
{
	int32_t pi = dr_pidx(d, p);
	/* §2.3.4: the responder knows both maxima from the Pairing Request and may refuse at once,
	 * without a Pairing Response. */
	if (!p->have_rsp && p->have_req && p->outcome == DR_O_FAILED && p->fail_reason == PS_SMP_ENC_KEY_SIZE &&
	    !p->fail_by_init)
		dr_add1(d, DR_NEG_KEY_SIZE_REJECTED, pi, p->fail_frame,
			"the responder refused the Pairing Request's maximum key size of %u octets (Pairing Failed: "
			"Encryption Key Size)",
			p->preq[4]);
	if (!p->have_rsp)
		return;
	if (p->outcome == DR_O_FAILED && p->fail_reason == PS_SMP_ENC_KEY_SIZE)
		dr_add1(d, DR_NEG_KEY_SIZE_REJECTED, pi, p->fail_frame,
			"the %s refused the negotiated key size of %u octets (Pairing Failed: Encryption Key Size)",
			dr_who(p->fail_by_init), p->key_size);
}
