/* Encryption during and after pairing (Core Vol 3 Part H 2.4.4; Vol 4 Part E 7.7.8, 7.7.39, 7.8.24-26):
 * the key handed to the controller after phase 2 (STK or SC LTK, with EDIV = Rand = 0), the result,
 * the start of phase 3, and later re-encryptions checked against the bond the capture shows.
 *
 * Which key a reconnection must use (Vol 3 Part H 2.4.4.2, 3.6.2, 3.6.3): under legacy pairing each
 * device distributes its own LTK with the EDIV/Rand that identify it (Encryption Information, Central
 * Identification); a central encrypting later sends the EDIV/Rand the peripheral distributed and the
 * peripheral looks its LTK up by them. So the key of a later link is the one the device that is now the
 * peripheral distributed. Under Secure Connections both sides store the LTK of f5 and encrypt with
 * EDIV = Rand = 0, whatever the roles. */
#include "doctor/doctor_int.h"
#include "proto/hci.h"
#include "proto/smp.h"
#include <string.h>

static bool is_rpa(const uint8_t a[6]) { return (a[5] >> 6) == 1; } /* Vol 6 Part B 1.3.2.2: top bits 01 */

/* Does addr name the device that was the initiator (by_init) or responder of pairing q: its address on
 * that link, the identity it distributed, or a resolvable private address its IRK resolves (ah). */
static bool party_is(const struct ps_doctor *d, const struct dr_pairing *q, bool by_init, const uint8_t addr[6])
{
	const struct dr_party *pt = by_init ? &q->init : &q->resp;
	if (pt->known && !memcmp(pt->a, addr, 6))
		return true;
	for (uint32_t i = 0; i < q->npdus; i++) {
		const struct dr_pdu *u = &q->pdus[i];
		if (u->by_init != by_init || !u->valid)
			continue;
		if (u->code == 0x09 && !memcmp(u->b + 1, addr, 6))
			return true;
		uint8_t hash[3];
		if (u->code == 0x08 && is_rpa(addr) && d->o.crypto &&
		    ps_crypto_ah(d->o.crypto, u->b, addr + 3, hash) == 0 && !memcmp(hash, addr, 3))
			return true;
	}
	return false;
}

/* The bond between this link's two devices (same controller index, so the same local host's bond store):
 * the newest pairing between them that got as far as encryption decides. If it completed with bonding it
 * is the bond; if it was cut after encryption, the keys either side kept are unknown: NULL, judge nothing.
 * Pairings that failed or never encrypted change no stored key and are passed over. *peer_init says
 * whether the peer was the bond's initiator. */
static struct dr_pairing *find_bond(struct ps_doctor *d, const struct dr_conn *c, bool *peer_init)
{
	for (size_t i = d->npairings; i-- > 0;) {
		struct dr_pairing *q = &d->pairings[i];
		if (q->index != c->index || !q->have_rsp || !q->enc_on || q->outcome == DR_O_FAILED)
			continue;
		const struct dr_conn *qc = &d->conns[q->conn];
		bool pi;
		if (qc == c) {
			pi = c->role == 1;
		} else {
			if (qc->role == 0xff)
				continue;
			pi = qc->role == 1;
			if (!(c->peer.known && party_is(d, q, pi, c->peer.a)) &&
			    !(c->peer_id_known && party_is(d, q, pi, c->peer_id)))
				continue;
		}
		*peer_init = pi;
		/* A BR/EDR bonding after it may have replaced the LE keys through cross-transport key
		 * derivation (Vol 3 Part H 2.4.2.4), which the LE pairing cannot show: judge nothing. */
		for (size_t k = 0; k < d->nctrls; k++) /* a lookup that never allocates */
			if (d->ctrls[k].index == c->index && d->ctrls[k].link_key_frame > q->complete_frame)
				return NULL;
		return q->complete && q->bond ? q : NULL;
	}
	return NULL;
}

/* Encryption Information (0x06) and Central Identification (0x07) a side of q distributed: the last of
 * each (a repeated PDU replaces the first). */
static bool legacy_key(const struct dr_pairing *q, bool by_init, const uint8_t **ltk, uint16_t *ediv, uint64_t *rand,
		       uint64_t *frame)
{
	const struct dr_pdu *el = NULL, *ci = NULL;
	for (uint32_t i = 0; i < q->npdus; i++) {
		const struct dr_pdu *u = &q->pdus[i];
		if (u->by_init == by_init && u->valid && u->code == 0x06)
			el = u;
		if (u->by_init == by_init && u->valid && u->code == 0x07)
			ci = u;
	}
	struct ps_smp_central_ident id;
	if (!ci || ps_layout_decode(ps_smp_layout(0x07), ci->b, ci->len, &id) < 0)
		return false;
	*ltk = el ? el->b : NULL;
	*ediv = id.ediv;
	*rand = id.rand;
	*frame = el ? el->frame : ci->frame;
	return true;
}

static unsigned key_len(const struct dr_pairing *q) { return q->key_size >= 7 && q->key_size <= 16 ? q->key_size : 16; }

/* Check a later encryption (ltk NULL when the capture cannot show it) against bond q. The peripheral's
 * key is expected; by_init: the peripheral of this link was q's initiator. Returns true when it fits. */
static bool check_reenc(struct ps_doctor *d, struct dr_conn *c, struct dr_pairing *q, bool by_init,
			const uint8_t *ltk, uint16_t ediv, uint64_t rand)
{
	int32_t qi = dr_pidx(d, q);
	const char *who = dr_who(by_init);
	if (q->sc) {
		bool key_bad = ltk && !q->enc_key_unknown && memcmp(ltk, q->enc_ltk, key_len(q));
		if (!ediv && !rand && !key_bad)
			return true;
		uint64_t fr[2] = { q->enc_frame, d->cur_frame };
		dr_add(d, DR_ENC_UNKNOWN_KEY, qi, fr, 2,
		       "hci%u handle %u: re-encryption of the Secure Connections bond made at #%llu used %s%s "
		       "(EDIV 0x%04x, Rand 0x%016llx); it must use that pairing's LTK with EDIV = Rand = 0",
		       c->index, c->handle, (unsigned long long)q->enc_frame,
		       key_bad ? "another LTK" : ltk ? "the bond's LTK" : "an LTK",
		       (ediv || rand) ? " with a non-zero EDIV/Rand" : "",
		       ediv, (unsigned long long)rand);
		return false;
	}
	const uint8_t *kl;
	uint16_t kediv;
	uint64_t krand, kframe;
	if (!legacy_key(q, by_init, &kl, &kediv, &krand, &kframe)) {
		uint64_t fr[2] = { q->complete_frame, d->cur_frame };
		dr_add(d, DR_ENC_UNKNOWN_KEY, qi, fr, 2,
		       "hci%u handle %u: re-encryption (EDIV 0x%04x, Rand 0x%016llx) with the %s of the pairing at #%llu as "
		       "peripheral, which distributed no LTK and EDIV/Rand (EncKey): no key exists for these roles",
		       c->index, c->handle, ediv, (unsigned long long)rand, who, (unsigned long long)q->first_frame);
		return false;
	}
	bool id_bad = ediv != kediv || rand != krand, key_bad = ltk && kl && memcmp(ltk, kl, key_len(q));
	if (!id_bad && !key_bad)
		return true;
	/* Name the likely mix-up: the other side's LTK (distributed for the reverse roles). */
	const uint8_t *ol;
	uint16_t oediv;
	uint64_t orand, oframe;
	bool reverse = legacy_key(q, !by_init, &ol, &oediv, &orand, &oframe) && ediv == oediv && rand == orand &&
		       (!ltk || !ol || !memcmp(ltk, ol, key_len(q)));
	uint64_t fr[2] = { kframe, d->cur_frame };
	dr_add(d, DR_ENC_UNKNOWN_KEY, qi, fr, 2,
	       "hci%u handle %u: re-encryption with %s%s (EDIV 0x%04x, Rand 0x%016llx) but the %s, now the peripheral, "
	       "distributed EDIV 0x%04x, Rand 0x%016llx%s (#%llu)%s",
	       c->index, c->handle, id_bad ? "an EDIV/Rand" : "an LTK", id_bad && key_bad ? " and LTK" : "", ediv,
	       (unsigned long long)rand, who, kediv, (unsigned long long)krand, kl ? " and its LTK" : "",
	       (unsigned long long)kframe,
	       reverse ? ": the key used is the one the other device distributed, valid only with the roles reversed" :
	       id_bad ? ": a key this pairing never distributed (stale bond from an earlier pairing?)" :
			": the EDIV/Rand fit but the LTK differs, so the link will fail (MIC Failure 0x3D)");
	return false;
}

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
	/* A later encryption: check it against the bond the capture shows between these two devices. */
	bool peer_init;
	struct dr_pairing *q = c->role != 0xff ? find_bond(d, c, &peer_init) : NULL;
	if (q) { /* always complete: a pairing running on this link took the branch above */
		/* The peripheral of this link holds the key: the peer when the local host is central. */
		bool by_init = c->role == 0 ? peer_init : !peer_init;
		if (check_reenc(d, c, q, by_init, ltk, ediv, rand) && !q->reenc++)
			q->reenc_frame = d->cur_frame;
		return;
	}
	/* No bond between these two in the capture: count a re-use of any distributed LTK. */
	for (size_t i = 0; ltk && i < d->npairings; i++) {
		struct dr_pairing *r = &d->pairings[i];
		if (r == p && !p->ended && p->enc_started)
			continue;
		for (uint32_t k = 0; k < r->npdus; k++)
			if (r->pdus[k].code == 0x06 && !memcmp(r->pdus[k].b, ltk, 16)) {
				if (!r->reenc++)
					r->reenc_frame = d->cur_frame;
				return;
			}
	}
}

void dr_enc_key_refused(struct ps_doctor *d, struct dr_conn *c)
{
	struct dr_pairing *pp = c->pairing >= 0 && !d->pairings[c->pairing].ended ? &d->pairings[c->pairing] : NULL;
	uint64_t fr[2] = { c->ltkreq_frame, d->cur_frame };
	c->neg_replied = true;
	if (pp && pp->have_rsp && !pp->complete) {
		pp->enc_refused = true;
		dr_add(d, DR_ENC_LTK_NEG_REPLY, dr_pidx(d, pp), fr, 2,
		       "handle %u: the peripheral's host answered the LTK request (EDIV 0x%04x, Rand 0x%016llx) with a "
		       "negative reply although a pairing is running (the STK should have been given)",
		       c->handle, c->ltkreq_ediv, (unsigned long long)c->ltkreq_rand);
		return;
	}
	bool peer_init;
	struct dr_pairing *q = c->role == 1 ? find_bond(d, c, &peer_init) : NULL;
	if (q) {
		/* The local host is the peripheral: the key asked for is the one it distributed (legacy) or the
		 * SC LTK (EDIV = Rand = 0). Asked for that key, it had to answer it; asked for another, the
		 * negative reply is right and the central's key is the fault. */
		const uint8_t *kl;
		uint16_t kediv = 0;
		uint64_t krand = 0, kframe = q->enc_frame;
		bool has = q->sc || legacy_key(q, !peer_init, &kl, &kediv, &krand, &kframe);
		if (has && c->ltkreq_ediv == kediv && c->ltkreq_rand == krand) {
			dr_add(d, DR_ENC_BOND_LOST, dr_pidx(d, q), fr, 2,
			       "hci%u handle %u: the central asked for the key of the bond made at #%llu (EDIV 0x%04x, "
			       "Rand 0x%016llx) and this host, the peripheral, answered that it has none: it lost the bond",
			       c->index, c->handle, (unsigned long long)q->first_frame, c->ltkreq_ediv,
			       (unsigned long long)c->ltkreq_rand);
			return;
		}
		check_reenc(d, c, q, !peer_init, NULL, c->ltkreq_ediv, c->ltkreq_rand);
		return;
	}
	/* A Security Request alone does not make a pairing of this: the central tried a stored key. */
	dr_add(d, DR_ENC_LTK_NEG_REPLY, -1, fr, 2,
	       "handle %u: the peripheral's host answered the LTK request (EDIV 0x%04x, Rand 0x%016llx) with a negative "
	       "reply: it holds no key for it while the central does",
	       c->handle, c->ltkreq_ediv, (unsigned long long)c->ltkreq_rand);
}

/* Vol 1 Part F: what an encryption failure status means for the two sides' keys. */
static const char *enc_status_why(uint8_t status)
{
	switch (status) {
	case 0x06: return ": the peripheral has no key for this EDIV/Rand (the bond is lost on one side)";
	case 0x3d: return ": the two sides used different keys";
	case 0x1a: return ": the peer does not support encryption";
	case 0x25: return ": the peer did not accept the encryption mode";
	case 0x22: case 0x08: return ": the peer did not answer the encryption request in time";
	case 0x0c: return ": the controller refused to start encryption now (another procedure is running)";
	default: return "";
	}
}

void dr_enc_change(struct ps_doctor *d, struct dr_conn *c, uint8_t status, bool on, bool refresh)
{
	struct dr_pairing *p = c->pairing >= 0 ? &d->pairings[c->pairing] : NULL;
	bool ours = p && p->enc_started && !p->enc_on && (!p->ended || p->outcome != DR_O_FAILED);
	if (status) {
		const char *s = ps_name_of(ps_names_hci_error, status);
		uint64_t fr[2] = { c->key_frame, d->cur_frame };
		bool peer_init;
		struct dr_pairing *q = !ours && c->role != 0xff ? find_bond(d, c, &peer_init) : NULL;
		if (status == 0x06 && !ours && !refresh) {
			/* A reconnection refused for want of a key; after this host's own negative reply the
			 * finding on that reply already says it. */
			if (!c->neg_replied)
				dr_add(d, DR_ENC_KEY_MISSING, dr_pidx(d, q), fr, 2,
				       "hci%u handle %u: encryption with a stored key (EDIV 0x%04x, Rand 0x%016llx) failed: "
				       "PIN or Key Missing (0x06): the peer has no key for it%s",
				       c->index, c->handle, c->key_ediv, (unsigned long long)c->key_rand,
				       q ? ", although this capture shows the two devices bonding" : "");
			return;
		}
		dr_add(d, DR_ENC_FAILED, ours ? dr_pidx(d, p) : dr_pidx(d, q), fr, 2, "hci%u handle %u: %s failed: %s (0x%02x)%s",
		       c->index, c->handle, refresh ? "encryption key refresh" : "encryption", s ? s : "unknown error",
		       status, enc_status_why(status));
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
