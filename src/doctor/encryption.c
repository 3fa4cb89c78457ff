/* Encryption during and after pairing (Core Vol 3 Part H 2.4.4; Vol 4 Part E 7.7.8, 7.7.39, 7.8.24-26):
 * the key handed to the controller after phase 2 (STK or SC LTK, with EDIV = Rand = 0), the result,
 * the start of phase 3, and later re-encryptions with a distributed key. */
#include "doctor/doctor_int.h"
#include "proto/hci.h"
#include <string.h>

void dr_enc_key_given(struct ps_doctor *d, struct dr_conn *c, const uint8_t ltk[16], uint16_t ediv, uint64_t rand,
		      bool by_central)
{
	struct dr_pairing *p = c->pairing >= 0 ? &d->pairings[c->pairing] : NULL;
	static const uint8_t none[16];
	c->key_pending = true;
	memcpy(c->key_ltk, ltk ? ltk : none, 16);
	c->key_ediv = ediv;
	c->key_rand = rand;
	c->key_frame = d->cur_frame;
	if (p && !p->ended && p->have_rsp && !p->enc_started &&
	    (p->phase >= DR_PH_ENC || dr_find_pdu(p, 0x04, 0, 0))) {
		p->enc_started = true;
		p->enc_frame = d->cur_frame;
		p->enc_ts = d->cur_ts;
		memcpy(p->enc_ltk, ltk ? ltk : none, 16);
		p->enc_key_unknown = !ltk;
		p->enc_ediv = ediv;
		p->enc_rand = rand;
		/* §2.4.4.1 (legacy, STK) and 2.4.4.2 (SC, LTK): the central starts encryption with EDIV and Rand
		 * set to zero; the peripheral sees them in the LTK Request. */
		if (ediv || rand) {
			uint64_t fr[2] = { by_central ? 0 : c->ltkreq_frame, d->cur_frame };
			dr_add(d, DR_ENC_STK_EDIV_RAND, dr_pidx(d, p), fr, 2,
			       "encryption with the %s used EDIV 0x%04x and Rand 0x%016llx; both must be 0",
			       p->sc ? "Secure Connections LTK" : "STK", ediv, (unsigned long long)rand);
		}
		return;
	}
	/* A later encryption: with a key some earlier pairing distributed (re-encryption of a bond)? */
	for (size_t i = 0; ltk && i < d->npairings; i++) {
		struct dr_pairing *q = &d->pairings[i];
		if (q == p && !p->ended && p->enc_started)
			continue;
		for (uint32_t k = 0; k < q->npdus; k++)
			if (q->pdus[k].code == 0x06 && !memcmp(q->pdus[k].b, ltk, 16)) {
				if (!q->reenc++)
					q->reenc_frame = d->cur_frame;
				return;
			}
	}
}

void dr_enc_change(struct ps_doctor *d, struct dr_conn *c, uint8_t status, bool on, bool refresh)
{
	struct dr_pairing *p = c->pairing >= 0 ? &d->pairings[c->pairing] : NULL;
	bool ours = p && p->enc_started && !p->enc_on && (!p->ended || p->outcome != DR_O_FAILED);
	if (status) {
		const char *s = ps_name_of(ps_names_hci_error, status);
		uint64_t fr[2] = { c->key_frame, d->cur_frame };
		dr_add(d, DR_ENC_FAILED, ours ? dr_pidx(d, p) : -1, fr, 2,
		       "hci%u handle %u: %s failed: %s (0x%02x)%s", c->index, c->handle,
		       refresh ? "encryption key refresh" : "encryption", s ? s : "unknown error", status,
		       status == 0x06 ? ": the peripheral has no key for this EDIV/Rand" :
		       status == 0x3d ? ": the two sides used different keys" : "");
		if (ours) {
			p->enc_status = status;
			p->enc_status_frame = d->cur_frame;
			p->enc_status_ts = d->cur_ts;
		}
		return;
	}
	c->encrypted = on;
	if (refresh && !ours)
		dr_add1(d, DR_ENC_KEY_REFRESH, -1, d->cur_frame, "hci%u handle %u: encryption key refreshed", c->index,
			c->handle);
	if (ours && on) {
		p->enc_on = true;
		p->enc_status = 0;
		p->enc_on_frame = p->enc_status_frame = d->cur_frame;
		p->enc_status_ts = d->cur_ts;
		p->phase = DR_PH3;
		if (!p->complete && dr_keydist_complete(p)) {
			p->complete = true;
			p->complete_frame = d->cur_frame;
		}
	}
}

void dr_enc_finish(struct ps_doctor *d, struct dr_pairing *p)
{
	if (!p->have_rsp || p->enc_started || p->enc_refused || p->phase < DR_PH_ENC || p->outcome == DR_O_FAILED)
		return;
	bool over = p->ended || d->last_ts > p->last_ts + 30000000ull;
	if (over && p->npdus)
		dr_add1(d, DR_ENC_NOT_STARTED, dr_pidx(d, p), p->pdus[p->npdus - 1].frame,
			"phase 2 ended (#%llu) but the central never started encryption%s",
			(unsigned long long)p->pdus[p->npdus - 1].frame,
			p->ended ? " before the link went down" : " within the 30 s SMP timeout");
}
