/* Pairing rebuild from SMP PDUs (Core Vol 3 Part H 2.1 phases, 3.3-3.6 PDUs): which pairing a PDU
 * belongs to, who sent it (initiator = central), its phase, its validity (length, reserved values, role)
 * and whether it comes in the order §2.3 prescribes. */
#include "doctor/doctor_int.h"
#include "proto/smp.h"
#include <stdlib.h>
#include <string.h>

static const char *code_name(uint8_t code)
{
	const struct ps_layout *l = ps_smp_layout(code);
	return l ? l->label : "Unknown SMP PDU";
}

/* Phase 2 sequence (§2.3.5.5 legacy; §2.3.5.6.2-4 SC): the n-th PDU expected after the Pairing
 * Response, as code and sender (1 = initiator); code 0 once phase 2 is over. */
static uint8_t expected(const struct dr_pairing *p, uint32_t n, uint8_t *by_init)
{
	static const uint8_t leg[][2] = { { 0x03, 1 }, { 0x03, 0 }, { 0x04, 1 }, { 0x04, 0 } };
	static const uint8_t sc_pk[][2] = { { 0x0c, 1 }, { 0x0c, 0 } };
	static const uint8_t sc_jw[][2] = { { 0x03, 0 }, { 0x04, 1 }, { 0x04, 0 } };
	static const uint8_t sc_pe[][2] = { { 0x03, 1 }, { 0x03, 0 }, { 0x04, 1 }, { 0x04, 0 } };
	static const uint8_t sc_oob[][2] = { { 0x04, 1 }, { 0x04, 0 } };
	static const uint8_t sc_dh[][2] = { { 0x0d, 1 }, { 0x0d, 0 } };
	if (!p->sc) {
		if (n >= 4)
			return 0;
		*by_init = leg[n][1];
		return leg[n][0];
	}
	if (n < 2) {
		*by_init = sc_pk[n][1];
		return sc_pk[n][0];
	}
	n -= 2;
	uint32_t mid;
	const uint8_t(*tab)[2];
	switch (p->assoc.method) {
	case DR_M_PK:
		mid = 80; /* §2.3.5.6.3: 20 rounds, one per passkey bit */
		if (n < mid) {
			*by_init = sc_pe[n % 4][1];
			return sc_pe[n % 4][0];
		}
		tab = NULL;
		break;
	case DR_M_OOB:
		mid = 2;
		tab = sc_oob;
		break;
	default:
		mid = 3;
		tab = sc_jw;
		break;
	}
	if (n < mid && tab) {
		*by_init = tab[n][1];
		return tab[n][0];
	}
	n -= mid;
	if (n < 2) {
		*by_init = sc_dh[n][1];
		return sc_dh[n][0];
	}
	return 0;
}

/* Reserved values and RFU bits: §3.5.1 (IO capability Table 3.4, OOB Table 3.5, AuthReq Figure 3.3,
 * key distribution §3.6.1), §3.5.5 (reasons Table 3.7), §3.5.8 (keypress types). */
static void check_reserved(struct ps_doctor *d, struct dr_pairing *p, const struct dr_pdu *u)
{
	char what[160] = "";
	const uint8_t *b = u->b;
	switch (u->code) {
	case 0x01:
	case 0x02:
		if (b[0] > 4)
			snprintf(what, sizeof what, "IO capability 0x%02x is reserved", b[0]);
		else if (b[1] > 1)
			snprintf(what, sizeof what, "OOB data flag 0x%02x is reserved", b[1]);
		else if ((b[2] & 3) >= 2)
			snprintf(what, sizeof what, "Bonding_Flags %u%u are reserved", (b[2] >> 1) & 1, b[2] & 1);
		else if (b[2] & 0xc0)
			snprintf(what, sizeof what, "AuthReq RFU bits set (0x%02x)", b[2]);
		else if ((b[4] | b[5]) & 0xf0)
			snprintf(what, sizeof what, "key distribution RFU bits set (0x%02x / 0x%02x)", b[4], b[5]);
		break;
	case 0x0b:
		if ((b[0] & 3) >= 2 || (b[0] & 0xc0))
			snprintf(what, sizeof what, "AuthReq 0x%02x has reserved bits", b[0]);
		break;
	case 0x05:
		if (b[0] == 0 || b[0] > 0x10)
			snprintf(what, sizeof what, "reason 0x%02x is reserved", b[0]);
		break;
	case 0x0e:
		if (b[0] > 4)
			snprintf(what, sizeof what, "notification type %u is reserved", b[0]);
		break;
	default:
		break;
	}
	if (what[0])
		dr_add1(d, DR_SMP_RESERVED, dr_pidx(d, p), u->frame, "%s by the %s: %s", code_name(u->code),
			dr_who(u->by_init), what);
}

static void set_parties(struct ps_doctor *d, struct dr_conn *c, struct dr_pairing *p)
{
	if (c->role == 0xff)
		return;
	bool local_central = c->role == 0;
	struct dr_party *loc = local_central ? &p->init : &p->resp;
	struct dr_party *peer = local_central ? &p->resp : &p->init;
	if (!loc->known || c->local.known)
		*loc = c->local;
	if (!peer->known || c->peer.known)
		*peer = c->peer;
	loc->local = !c->sniffed;
	if (!loc->known) { /* the controller's address from New Index / Read BD ADDR */
		struct dr_ctrl *ctl = dr_ctrl_get(d, c->index);
		if (ctl && ctl->addr_known && ctl->own_type == 0) {
			memcpy(loc->a, ctl->addr, 6);
			loc->type = 0;
			loc->known = true;
		}
	}
}

static struct dr_pairing *pairing_for(struct ps_doctor *d, struct dr_conn *c, uint8_t code)
{
	struct dr_pairing *p = c->pairing >= 0 ? &d->pairings[c->pairing] : NULL;
	if (code == 0x01) {
		/* A Pairing Request starts a pairing, unless it answers this link's Security Request. */
		if (p && !p->have_req && !p->ended)
			return p;
		if (p && !p->ended && p->have_req && p->outcome == DR_O_INCOMPLETE && !p->enc_on)
			dr_pairing_end(d, p, DR_O_INCOMPLETE, d->cur_frame);
		return dr_pairing_new(d, c);
	}
	if (code == 0x0b) {
		if (p && !p->ended && !p->have_req)
			return p;
		if (p && !p->ended && p->have_req && !p->enc_on)
			return p; /* a Security Request during a pairing: keep it there */
		return dr_pairing_new(d, c);
	}
	if (!p)
		p = dr_pairing_new(d, c); /* the capture starts in the middle of a pairing */
	return p;
}

void dr_pairing_end(struct ps_doctor *d, struct dr_pairing *p, enum dr_outcome o, uint64_t frame)
{
	if (p->ended)
		return;
	p->ended = true;
	if (p->outcome == DR_O_INCOMPLETE || o == DR_O_FAILED)
		p->outcome = o;
	p->end_frame = frame;
	p->end_ts = d->cur_ts;
}

static void record(struct dr_pairing *p, const struct dr_pdu *u)
{
	if (p->npdus == p->cap) {
		if (p->cap >= DR_MAX_PDUS) {
			p->dropped++;
			return;
		}
		uint32_t nc = p->cap ? p->cap * 2 : 16;
		if (nc > DR_MAX_PDUS)
			nc = DR_MAX_PDUS;
		struct dr_pdu *n = realloc(p->pdus, nc * sizeof *n);
		if (!n) {
			p->dropped++;
			return;
		}
		p->pdus = n;
		p->cap = nc;
	}
	p->pdus[p->npdus++] = *u;
}

static void check_order(struct ps_doctor *d, struct dr_pairing *p, struct dr_pdu *u)
{
	uint8_t by = 0, want;
	/* §3.5.1: a pairing starts with the Pairing Request (a Security Request only asks for one, §3.5.6;
	 * Pairing Failed may come at any time). When the capture holds none for this pairing, the capture
	 * (or the excerpt of a log pasted into a bug report, the common case) began after the pairing did:
	 * where the PDUs seen stand in the procedure cannot be known, so their order is not judged. The
	 * report says "no Pairing Request/Response in the capture" for such a pairing. */
	if (!p->have_req && u->code != 0x01 && u->code != 0x05 && u->code != 0x0b)
		return;
	switch (u->code) {
	case 0x01:
		if (p->have_req)
			goto bad;
		return;
	case 0x02:
		if (!p->have_req || p->have_rsp)
			goto bad;
		return;
	case 0x05: /* Pairing Failed may end a pairing at any time (§3.5.5) */
	case 0x0b:
		return;
	case 0x0e: /* keypress notifications: Passkey Entry phase 2 only (§3.5.8) */
		if (!p->have_rsp || p->assoc.method != DR_M_PK || p->phase != DR_PH2)
			goto bad;
		return;
	case 0x06:
	case 0x07:
	case 0x08:
	case 0x09:
	case 0x0a:
		return; /* keydist.c checks phase 3 */
	default:
		break;
	}
	if (!p->have_rsp || p->phase != DR_PH2)
		goto bad;
	if (p->sc && p->seq == 0 && u->code == 0x03 && u->by_init) {
		/* §2.3.5.1: both set SC, so SC "shall be used"; a legacy Mconfirm means it was not. Follow
		 * legacy from here so the rest of the pairing is judged by what the devices did. */
		uint64_t fr[3] = { p->req_frame, p->rsp_frame, u->frame };
		dr_add(d, DR_NEG_SC_NOT_USED, dr_pidx(d, p), fr, 3,
		       "both Pairing Request and Response set AuthReq.SC, yet the initiator sent a legacy Pairing "
		       "Confirm instead of its Pairing Public Key");
		p->sc = false;
		p->assoc = dr_select_method(false, p->preq[1], p->preq[2], p->preq[3], p->pres[1], p->pres[2], p->pres[3]);
	}
	want = expected(p, p->seq, &by);
	if (want == u->code && by == u->by_init) {
		p->seq++;
		if (!expected(p, p->seq, &by))
			p->phase = DR_PH_ENC;
		return;
	}
	/* Resynchronise on the next position that matches, so one fault is reported once. A sniffer
	 * misses packets: there a forward jump is capture loss, not a fault. */
	for (uint32_t k = p->seq + 1; k < p->seq + 8; k++) {
		uint8_t b2;
		uint8_t w2 = expected(p, k, &b2);
		if (!w2)
			break;
		if (w2 == u->code && b2 == u->by_init) {
			p->seq = k + 1;
			if (!expected(p, p->seq, &b2))
				p->phase = DR_PH_ENC;
			if (p->lossy)
				return;
			break;
		}
	}
	if (want) {
		dr_add1(d, DR_SMP_OUT_OF_ORDER, dr_pidx(d, p), u->frame,
			"%s by the %s while %s by the %s was expected (%s pairing, phase 2)", code_name(u->code),
			dr_who(u->by_init), code_name(want), dr_who(by), p->sc ? "Secure Connections" : "legacy");
		return;
	}
bad:
	/* A PDU of phase 2 before the Pairing Response where PDUs may be missing (sniffer, or btmon text
	 * with records not rebuilt): the Response is the likelier loss than a device skipping it. */
	if (p->lossy && p->have_req && !p->have_rsp && !p->ended && u->code != 0x01)
		return;
	dr_add1(d, DR_SMP_OUT_OF_ORDER, dr_pidx(d, p), u->frame, "%s by the %s in phase %s", code_name(u->code),
		dr_who(u->by_init),
		p->ended ? "after the pairing ended"
		: !p->have_req ? "1 before any Pairing Request"
		: !p->have_rsp ? "1 before the Pairing Response"
		: p->phase == DR_PH2 ? "2" : "3 (after key generation)");
}

/* Sniffer without direction: the sender an SMP PDU must have in its place (§3.3 roles, §2.3 order). */
static uint8_t guess_sender(const struct dr_pairing *p, uint8_t code, uint8_t timing_guess)
{
	uint8_t by;
	switch (code) {
	case 0x01:
		return 1;
	case 0x02:
	case 0x0b:
		return 0;
	case 0x03:
	case 0x04:
	case 0x0c:
	case 0x0d:
		if (!p->have_rsp || p->phase != DR_PH2)
			return timing_guess;
		for (uint32_t k = p->seq; k < p->seq + 4; k++)
			if (expected(p, k, &by) == code)
				return by;
		return timing_guess;
	case 0x06:
	case 0x07:
	case 0x08:
	case 0x09:
	case 0x0a: {
		/* §3.6.1: the responder distributes first, in rank order; then the initiator. */
		int rank = dr_keydist_rank(code);
		if (!p->have_rsp)
			return timing_guess;
		bool resp_may = !p->got[1] && (dr_keydist_codes(p, p->rdist) & (1u << rank)) &&
				(!p->got[0] || rank > p->last_rank[0]);
		return resp_may ? 0 : 1;
	}
	default:
		return timing_guess;
	}
}

void dr_smp_pdu(struct ps_doctor *d, struct dr_conn *c, bool tx, const uint8_t *b, size_t len)
{
	if (len < 1)
		return;
	uint8_t code = b[0];
	if (c->role == 0xff && (code == 0x01 || code == 0x02 || code == 0x0b)) {
		/* Unknown link role (capture started later): the Pairing Request comes from the central. */
		bool sender_central = code == 0x01;
		c->role = (uint8_t)((tx == sender_central) ? 0 : 1);
	}
	struct dr_pairing *p = pairing_for(d, c, code);
	if (!p)
		return;
	set_parties(d, c, p);
	struct dr_pdu u;
	memset(&u, 0, sizeof u);
	u.frame = d->cur_frame;
	u.ts = d->cur_ts;
	u.code = code;
	u.len = (uint8_t)(len - 1 > sizeof u.b ? sizeof u.b : len - 1);
	memcpy(u.b, b + 1, u.len);
	/* LE: the initiator is the central. Sender is the local host when tx. */
	bool local_central = c->role != 1;
	u.by_init = (uint8_t)(tx == local_central);
	p->lossy = c->sniffed || d->input_gaps;
	if (c->dir_guessed)
		u.by_init = guess_sender(p, code, u.by_init);
	/* The peer sends keys only once its link layer encrypts; over HCI its first key PDU may reach the
	 * host before the Encryption Change event (a known controller race), so a received PDU after the
	 * key was handed to the controller counts as encrypted. */
	u.encrypted = c->encrypted || (!tx && !c->sniffed && p->enc_started && !p->enc_on && p->enc_status < 0);
	u.phase = (uint8_t)p->phase;
	const struct ps_layout *l = ps_smp_layout(code);
	int32_t pi = dr_pidx(d, p);
	if (!l) {
		dr_add1(d, DR_SMP_UNKNOWN_CODE, pi, u.frame, "SMP code 0x%02x (reserved) sent by the %s", code,
			dr_who(u.by_init));
	} else if (len - 1 != ps_layout_min_len(l)) {
		dr_add1(d, DR_SMP_BAD_LENGTH, pi, u.frame, "%s by the %s is %zu octets; Table 3.3 says %u",
			l->label, dr_who(u.by_init), len, ps_layout_min_len(l) + 1);
	} else {
		u.valid = 1;
	}
	if (u.valid)
		check_reserved(d, p, &u);
	if (!c->dir_guessed && ((code == 0x01 && !u.by_init) || ((code == 0x02 || code == 0x0b) && u.by_init)))
		dr_add1(d, DR_SMP_WRONG_ROLE, pi, u.frame, "%s sent by the %s (%s)", l->label,
			u.by_init ? "central (initiator)" : "peripheral (responder)",
			code == 0x01 ? "only the central initiates pairing" : "only the peripheral may send it");
	if (l)
		check_order(d, p, &u);
	dr_timing_pdu(d, p, &u);
	record(p, &u);
	p->last_ts = d->cur_ts;
	if (!u.valid)
		return;
	switch (code) {
	case 0x01:
		if (!p->have_req) {
			p->have_req = true;
			p->preq[0] = 0x01;
			memcpy(p->preq + 1, u.b, 6);
			p->req_frame = u.frame;
		}
		break;
	case 0x02:
		if (p->have_req && !p->have_rsp) {
			p->have_rsp = true;
			p->pres[0] = 0x02;
			memcpy(p->pres + 1, u.b, 6);
			p->rsp_frame = u.frame;
			dr_negotiate(d, p);
			p->phase = DR_PH2;
		}
		break;
	case 0x05:
		if (!p->ended || p->outcome != DR_O_FAILED) {
			p->fail_reason = u.b[0];
			p->fail_by_init = u.by_init;
			p->fail_frame = u.frame;
			p->ended = false;
			dr_pairing_end(d, p, DR_O_FAILED, u.frame);
		}
		break;
	case 0x0b:
		if (!p->secreq_frame)
			p->secreq_frame = u.frame;
		break;
	case 0x06:
	case 0x07:
	case 0x08:
	case 0x09:
	case 0x0a:
		dr_keydist_pdu(d, p, &u);
		break;
	default:
		break;
	}
}
