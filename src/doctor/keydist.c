/* Transport specific key distribution, phase 3 (Core Vol 3 Part H 3.6.1, 3.6.2-3.6.6): a key sent that
 * was not negotiated, a negotiated key never sent, the order (responder first; LTK, EDIV/Rand, IRK,
 * identity address, CSRK), keys before encryption, and identity addresses that are not identities. */
#include "doctor/doctor_int.h"
#include "proto/smp.h"
#include <string.h>

static const char *key_what(uint8_t code)
{
	switch (code) {
	case 0x06:
		return "LTK";
	case 0x07:
		return "EDIV/Rand";
	case 0x08:
		return "IRK";
	case 0x09:
		return "identity address";
	case 0x0a:
		return "CSRK";
	default:
		return "key";
	}
}

/* Key PDUs a side must send for its negotiated bits. §3.6.1 / smp-tables.json: under Secure
 * Connections on LE the EncKey bit is ignored (the LTK is generated, EDIV and Rand are zero and not
 * distributed); LinkKey is never a PDU on LE. */
uint8_t dr_keydist_codes(const struct dr_pairing *p, uint8_t dist)
{
	uint8_t m = 0;
	if ((dist & PS_SMP_DIST_ENC) && !p->sc)
		m |= 0x03;
	if (dist & PS_SMP_DIST_ID)
		m |= 0x0c;
	if (dist & PS_SMP_DIST_SIGN)
		m |= 0x10;
	return m;
}

bool dr_keydist_complete(const struct dr_pairing *p)
{
	if (!p->have_rsp || !p->enc_on)
		return false;
	uint8_t wi = dr_keydist_codes(p, p->idist), wr = dr_keydist_codes(p, p->rdist);
	return (p->got[1] & wi) == wi && (p->got[0] & wr) == wr;
}

/* Vol 6 Part B 1.3: a static random address has its two most significant bits 11 and neither all-0 nor
 * all-1 random part; a public address is not all zero. Wire order: a[5] is the most significant. */
static const char *bad_identity(uint8_t type, const uint8_t a[6])
{
	static const uint8_t zero[6];
	if (type > 1)
		return "address type is reserved";
	if (type == 0)
		return memcmp(a, zero, 6) ? NULL : "public address 00:00:00:00:00:00";
	if ((a[5] >> 6) != 3)
		return "random address is not static (the two most significant bits are not 11): an identity must "
		       "be public or static";
	bool all0 = (a[5] & 0x3f) == 0, all1 = (a[5] & 0x3f) == 0x3f;
	for (int i = 0; i < 5; i++) {
		all0 = all0 && a[i] == 0;
		all1 = all1 && a[i] == 0xff;
	}
	if (all0 || all1)
		return "static address with an all-0 or all-1 random part";
	return NULL;
}

void dr_keydist_pdu(struct ps_doctor *d, struct dr_pairing *p, const struct dr_pdu *u)
{
	int32_t pi = dr_pidx(d, p);
	const struct ps_layout *l = ps_smp_layout(u->code);
	const char *name = l ? l->label : "key";
	char hex[40];
	if (!u->encrypted && !p->reported_unenc) {
		p->reported_unenc = true;
		dr_add1(d, DR_KD_UNENCRYPTED, pi, u->frame, "the %s sent %s (%s) on a link that was not encrypted",
			dr_who(u->by_init), name, key_what(u->code));
	}
	uint8_t bit = dr_keydist_bit(u->code);
	if (p->have_rsp) {
		uint8_t dist = u->by_init ? p->idist : p->rdist;
		uint8_t allowed = dr_keydist_codes(p, dist);
		if (!(allowed & (1u << (u->code - 6)))) {
			char neg[40], rq[40], rs[40];
			dr_keydist_str(u->by_init ? p->idist : p->rdist, neg, sizeof neg);
			dr_keydist_str(p->preq[u->by_init ? 5 : 6], rq, sizeof rq);
			dr_keydist_str(p->pres[u->by_init ? 5 : 6], rs, sizeof rs);
			const char *val = "";
			char vbuf[64] = "";
			if (u->code == 0x06 || u->code == 0x08 || u->code == 0x0a) {
				snprintf(vbuf, sizeof vbuf, " %s", ps_hex_encode(u->b, 16, hex));
				val = vbuf;
			} else if (u->code == 0x07) {
				snprintf(vbuf, sizeof vbuf, " EDIV 0x%04x Rand 0x%016llx", (unsigned)(u->b[0] | u->b[1] << 8),
					 (unsigned long long)((uint64_t)u->b[2] | (uint64_t)u->b[3] << 8 |
							      (uint64_t)u->b[4] << 16 | (uint64_t)u->b[5] << 24 |
							      (uint64_t)u->b[6] << 32 | (uint64_t)u->b[7] << 40 |
							      (uint64_t)u->b[8] << 48 | (uint64_t)u->b[9] << 56));
				val = vbuf;
			}
			uint64_t fr[3] = { u->frame, p->req_frame, p->rsp_frame };
			dr_add(d, DR_KD_NOT_NEGOTIATED, pi, fr, 3,
			       "the %s sent %s (%s%s) but the negotiated %s key distribution is %s%s: the Pairing "
			       "Request asked %s, the Pairing Response %s (%s = AND of both)%s",
			       dr_who(u->by_init), name, key_what(u->code), val, dr_who(u->by_init), neg,
			       strcmp(neg, "none") ? " only" : "", rq, rs, neg,
			       p->sc && bit == PS_SMP_DIST_ENC ? "; under Secure Connections EncKey is never distributed" :
			       "");
		}
	}
	/* Order: the responder's keys first, then the initiator's; each in rank order. */
	int rank = dr_keydist_rank(u->code);
	int side = u->by_init ? 1 : 0;
	if (!p->reported_order && rank >= 0) {
		const char *why = NULL;
		if (!u->by_init && p->got[1])
			why = "the responder sent a key after the initiator had started: the responder distributes first";
		else if (p->got[side] && rank <= p->last_rank[side])
			why = "keys must come in the order LTK, EDIV/Rand, IRK, identity address, CSRK, each once";
		if (why) {
			p->reported_order = true;
			dr_add1(d, DR_KD_ORDER, pi, u->frame, "%s by the %s: %s", name, dr_who(u->by_init), why);
		}
	}
	if (rank >= 0) {
		p->got[side] |= (uint8_t)(1u << rank);
		p->last_rank[side] = (int8_t)rank;
	}
	if (u->code == 0x09) {
		const char *why = bad_identity(u->b[0], u->b + 1);
		char ab[PS_ADDR_STRLEN];
		if (why)
			dr_add1(d, DR_KD_BAD_IDENTITY, pi, u->frame, "the %s's identity address %s (type %u): %s",
				dr_who(u->by_init), ps_addr_str(u->b + 1, ab), u->b[0], why);
	}
	if (!p->complete && dr_keydist_complete(p)) {
		p->complete = true;
		p->complete_frame = u->frame;
	}
}

void dr_keydist_finish(struct ps_doctor *d, struct dr_pairing *p)
{
	if (!p->have_rsp || !p->enc_on || p->complete || p->outcome == DR_O_FAILED || p->opaque)
		return;
	/* Judge only when the pairing was cut (disconnect) or the capture runs on past the 30 s SMP timer. */
	bool over = p->ended || d->last_ts > p->last_ts + 30000000ull;
	if (!over)
		return;
	for (int side = 0; side < 2; side++) {
		uint8_t want = dr_keydist_codes(p, side ? p->idist : p->rdist);
		uint8_t miss = want & (uint8_t)~p->got[side];
		if (!miss)
			continue;
		char list[80] = "";
		size_t o = 0;
		for (int k = 0; k < 5; k++)
			if (miss & (1u << k))
				o += (size_t)snprintf(list + o, o < sizeof list ? sizeof list - o : 0, "%s%s", o ? ", " : "",
						      key_what((uint8_t)(6 + k)));
		dr_add1(d, DR_KD_MISSING, dr_pidx(d, p), p->end_frame ? p->end_frame : p->pdus[p->npdus - 1].frame,
			"the %s never sent %s although the negotiation requires it", dr_who(side), list);
	}
}
