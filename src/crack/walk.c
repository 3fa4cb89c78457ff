/* One sniffed connection, in order: LL Control (Core Vol 6 Part B §2.4.2, §5.1.3 encryption start and
 * pause), L2CAP reassembly (Vol 3 Part A §3) of SMP on CID 6 (Vol 3 Part H §3), the session key and
 * CCM decryption with per-direction packet counters (Vol 6 Part E §1-2), and the keys distributed under
 * encryption (Vol 3 Part H §3.6). */
#include "crack/crack_int.h"
#include "base/bytes.h"
#include "proto/ll.h"
#include "proto/smp.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SMP_CID 6
/* How many PDUs of one side may have been missed before we give up on a counter (crackle tries 100). */
#define CTR_SLACK 64

struct walk {
	struct ps_crack *c;
	struct conn *k;
	bool enc;           /* encrypted traffic in progress */
	bool have_sk;
	uint8_t sk[16];
	uint64_t ctr[2];    /* next counter, [0] peripheral->central, [1] central->peripheral */
	struct session s;
	bool have_session;
	bool sc_ltk_ok;
	uint8_t sc_ltk[16];
	bool searched;      /* the decryption search ran for this session (it runs once) */
	bool confirm_tried; /* the confirm search ran for this session */
};

static void reset(struct conn *k)
{
	uint32_t keep = k->pub.have & (PS_CRACK_HAVE_ADDRS | PS_CRACK_FROM_HCI);
	struct ps_crack_conn pub = k->pub;
	memset(&k->pub, 0, sizeof k->pub);
	k->pub.access_address = pub.access_address;
	k->pub.first_frame = pub.first_frame;
	k->pub.last_frame = pub.last_frame;
	k->pub.central = pub.central;
	k->pub.peripheral = pub.peripheral;
	k->pub.have = keep;
	memset(&k->pair, 0, sizeof k->pair);
	k->pair_fresh = false;
	memset(k->l2len, 0, sizeof k->l2len);
	memset(k->l2need, 0, sizeof k->l2need);
	for (size_t i = 0; i < k->n; i++) {
		free(k->pdus[i].plain);
		k->pdus[i].plain = NULL;
		k->pdus[i].state = PDU_PLAIN;
	}
}

/* L2CAP basic frames over LL data PDUs: LLID 2 starts a frame (length, CID), LLID 1 continues it. */
static void on_l2cap(struct walk *w, const struct pdu *p, bool dir_known, uint8_t llid, const uint8_t *b, size_t n)
{
	struct conn *k = w->k;
	int d = dir_known ? (p->dir == 1) : 2;
	if (llid == PS_LLID_START) {
		struct ps_rd rd;
		uint16_t len, cid;
		ps_rd_init(&rd, b, n);
		if (ps_rd_le16(&rd, &len) || ps_rd_le16(&rd, &cid)) {
			k->l2need[d] = 0;
			return;
		}
		k->l2len[d] = 0;
		k->l2need[d] = cid == SMP_CID && len <= sizeof k->l2buf[d] ? len : 0;
		if (!k->l2need[d])
			return;
		b += 4;
		n -= 4;
	} else if (!k->l2need[d]) {
		return;
	}
	size_t take = n < k->l2need[d] - k->l2len[d] ? n : k->l2need[d] - k->l2len[d];
	memcpy(k->l2buf[d] + k->l2len[d], b, take);
	k->l2len[d] += take;
	if (k->l2len[d] == k->l2need[d]) {
		k->l2need[d] = 0;
		ps_crack_smp(w->c, k, p->dir, dir_known, p->number, k->l2buf[d], k->l2len[d]);
	}
}

/* ---- keys ---- */

static bool try_pdu(struct walk *w, const uint8_t sk[16], struct pdu *p, uint64_t ctr, int dir_central,
		    uint8_t *out)
{
	if (p->len < 5)
		return false;
	return ps_crypto_ll_decrypt(w->c->o.crypto, sk, w->s.iv, ctr, dir_central, p->hdr0, p->data, p->len - 4u,
				    p->data + p->len - 4, out) == 0;
}

static bool is_retransmission(const struct conn *k, size_t i);

/* Index of the n-th PDU from `from` that carries ciphertext (not empty, not a retransmission, not
 * decrypted by the sniffer already). */
static size_t nth_encrypted(const struct conn *k, size_t from, int nth)
{
	for (size_t i = from; i < k->n; i++) {
		if (k->pdus[i].len < 5 || k->pdus[i].state == PDU_RETRANS || (k->pdus[i].llflags & PS_LL_DECRYPTED))
			continue;
		if (nth-- == 0)
			return i;
	}
	return (size_t)-1;
}

/* Does key (LTK or STK) open the encrypted traffic at `start`? Fills w->sk. */
static bool key_opens(struct walk *w, const uint8_t key[16], size_t start)
{
	uint8_t sk[16], out[256];
	size_t i = nth_encrypted(w->k, start, 0);
	if (i == (size_t)-1)
		return false;
	if (ps_crypto_session_key(w->c->o.crypto, key, w->s.skd_c, w->s.skd_p, sk) < 0)
		return false;
	struct pdu *p = &w->k->pdus[i];
	/* Its counter (Vol 6 Part E §2.1, one per side from 0 at the start): the PDUs each side sent before it,
	 * which a sniffer may have decrypted already (DLT 272 MIC OK). */
	uint64_t ctr[2] = { 0, 0 };
	for (size_t j = start; j < i; j++)
		if (w->k->pdus[j].len >= 5 && !is_retransmission(w->k, j))
			ctr[w->k->pdus[j].dir == 1]++;
	int first = p->dir == 0 ? 0 : 1;
	for (int t = 0; t < 2; t++)
		if (try_pdu(w, sk, p, ctr[t ? !first : first], t ? !first : first, out)) {
			memcpy(w->sk, sk, 16);
			return true;
		}
	return false;
}

static bool is_debug_pairing(const struct pairing *pr, int *known)
{
	for (int s = 0; s < 2; s++)
		if (pr->pk_ok[s] && ps_crypto_is_debug_key(pr->pk[s])) {
			*known = s;
			return true;
		}
	return false;
}

/* §2.3.5.6.1: with the debug private key of one side, DHKey = P-256(debug, peer) and f5 gives the LTK. */
static bool sc_debug_ltk(struct walk *w)
{
	struct conn *k = w->k;
	struct pairing *pr = &k->pair;
	int s;
	if (!is_debug_pairing(pr, &s) || !pr->pk_ok[!s] || pr->rand_mask != 3 || !(k->pub.have & PS_CRACK_HAVE_ADDRS))
		return false;
	const struct ps_crypto *cr = w->c->o.crypto;
	uint8_t dh[32], mackey[16], a1[7], a2[7];
	if (cr->p256_ecdh(cr->ctx, ps_crypto_debug_private, pr->pk[!s], dh) < 0)
		return false;
	a1[0] = k->pub.central.type;
	memcpy(a1 + 1, k->pub.central.a, 6);
	a2[0] = k->pub.peripheral.type;
	memcpy(a2 + 1, k->pub.peripheral.a, 6);
	if (ps_crypto_f5(cr, dh, pr->rand[0], pr->rand[1], a1, a2, mackey, w->sc_ltk) < 0)
		return false;
	memset(dh, 0, sizeof dh);
	w->sc_ltk_ok = true;
	return true;
}

/* Legacy: TK from the confirms; when they (or the Pairing Request/Response) were missed, from the
 * encrypted traffic with two MICs. Sets STK. */
static void crack_legacy(struct walk *w, size_t start)
{
	struct conn *k = w->k;
	struct pairing *pr = &k->pair;
	uint32_t tk;
	bool found = false;
	if (k->pub.have & PS_CRACK_HAVE_TK)
		return;
	if (pr->preq_ok && pr->pres_ok && (pr->confirm_mask & pr->rand_mask) && (k->pub.have & PS_CRACK_HAVE_ADDRS) &&
	    !w->confirm_tried && (w->confirm_tried = true))
		found = ps_crack_tk_by_confirm(&w->c->o, pr, k->pub.central.type, k->pub.central.a, k->pub.peripheral.type,
					       k->pub.peripheral.a, &tk) == 0;
	if (!found && pr->rand_mask == 3 && w->s.req_ok && w->s.rsp_ok && !w->searched) {
		w->searched = true;
		size_t ia = nth_encrypted(k, start, 0), ib = nth_encrypted(k, start, 1);
		if (ia != (size_t)-1 && ib != (size_t)-1) {
			struct pdu *a = &k->pdus[ia], *b = &k->pdus[ib];
			/* §5.1.3.1: the central's LL_START_ENC_RSP comes first, then the peripheral's. */
			int da = (a->llflags & PS_LL_DIR_VALID) ? a->dir : 1;
			int db = (b->llflags & PS_LL_DIR_VALID) ? b->dir : !da;
			struct dsearch_pdu x = { a->hdr0, a->data, a->len - 4u, a->data + a->len - 4, 0, da };
			struct dsearch_pdu y = { b->hdr0, b->data, b->len - 4u, b->data + b->len - 4, db == da ? 1 : 0, db };
			if (ps_crack_tk_by_decryption(&w->c->o, pr->rand[0], pr->rand[1], w->s.skd_c, w->s.skd_p, w->s.iv, &x,
						      &y, &tk) == 0) {
				found = true;
				k->pub.have |= PS_CRACK_TK_BY_DECRYPTION;
			}
		}
	}
	if (!found)
		return;
	k->pub.tk = tk;
	k->pub.have |= PS_CRACK_HAVE_TK;
	uint8_t tkb[16];
	ps_crack_tk_bytes(tk, tkb);
	if (pr->rand_mask == 3 && ps_crypto_s1(w->c->o.crypto, tkb, pr->rand[1], pr->rand[0], k->pub.stk) == 0)
		k->pub.have |= PS_CRACK_HAVE_STK;
}

/* At an encryption start: find the key that opens the traffic from `start` on. */
static void resolve_key(struct walk *w, size_t start)
{
	struct conn *k = w->k;
	struct ps_crack *c = w->c;
	w->have_sk = false;
	if (!w->s.req_ok || !w->s.rsp_ok)
		return;
	if (k->pair_fresh && !k->pair.sc) {
		crack_legacy(w, start);
		if ((k->pub.have & PS_CRACK_HAVE_STK) && key_opens(w, k->pub.stk, start)) {
			w->have_sk = true;
			k->pair_fresh = false;
			return;
		}
	}
	if (k->pair_fresh && k->pair.sc && (w->sc_ltk_ok || sc_debug_ltk(w)) && key_opens(w, w->sc_ltk, start)) {
		w->have_sk = true;
		k->pair_fresh = false;
		memcpy(k->pub.ltk, w->sc_ltk, 16);
		k->pub.have |= PS_CRACK_HAVE_LTK;
		ps_crack_add_key(c, w->sc_ltk, 0, 0, false); /* SC reconnections: EDIV and Rand are 0 */
		return;
	}
	/* Known LTKs: those whose EDIV/Rand match first, then every other. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < c->nkeys; i++) {
			bool match = c->keys[i].ediv == w->s.ediv && c->keys[i].rand == w->s.rand;
			if (match != (pass == 0))
				continue;
			if (key_opens(w, c->keys[i].ltk, start)) {
				w->have_sk = true;
				if (!(k->pub.have & PS_CRACK_HAVE_LTK) && !k->pub.pairing) {
					memcpy(k->pub.ltk, c->keys[i].ltk, 16);
					k->pub.ediv = w->s.ediv;
					k->pub.rand = w->s.rand;
					k->pub.have |= PS_CRACK_HAVE_LTK | PS_CRACK_HAVE_EDIV;
				}
				return;
			}
		}
}

/* ---- the walk ---- */

static bool is_retransmission(const struct conn *k, size_t i)
{
	const struct pdu *p = &k->pdus[i];
	/* §4.5.9: a retransmission repeats the PDU with the same SN; its bytes are identical. Look back a few
	 * non-empty PDUs for one from the same side (or either side when directions are guesses). */
	int seen = 0;
	for (size_t j = i; j-- > 0 && seen < 4;) {
		const struct pdu *q = &k->pdus[j];
		if (q->len == 0)
			continue;
		seen++;
		if ((p->llflags & PS_LL_DIR_VALID) && q->dir != p->dir)
			continue;
		if (q->len == p->len && ((q->hdr0 ^ p->hdr0) & 0x0b) == 0 && !memcmp(q->data, p->data, p->len))
			return true;
	}
	return false;
}

static void on_ctrl(struct walk *w, struct pdu *p, size_t i, const uint8_t *b, size_t n)
{
	if (n < 1)
		return;
	const struct ps_layout *l = ps_llctrl_layout(b[0]);
	union {
		struct ps_llctrl_enc_req rq;
		struct ps_llctrl_enc_rsp rs;
	} u;
	if (!l || ps_layout_decode(l, b + 1, n - 1, &u) < 0)
		return;
	switch (b[0]) {
	case ps_llctrl_enc_req_code:
		memset(&w->s, 0, sizeof w->s);
		w->searched = w->confirm_tried = false;
		w->have_session = true;
		w->s.req_ok = true;
		w->s.rand = u.rq.rand;
		w->s.ediv = u.rq.ediv;
		memcpy(w->s.skd_c, u.rq.skd_c, 8);
		ps_put_le(w->s.iv, u.rq.iv_c, 4);
		break;
	case ps_llctrl_enc_rsp_code:
		if (!w->have_session) {
			memset(&w->s, 0, sizeof w->s);
			w->have_session = true;
		}
		w->s.rsp_ok = true;
		memcpy(w->s.skd_p, u.rs.skd_p, 8);
		ps_put_le(w->s.iv + 4, u.rs.iv_p, 4);
		break;
	case ps_llctrl_start_enc_req_code:
		/* §5.1.3.1: everything after LL_START_ENC_REQ is encrypted, counters from 0. */
		if (!w->enc) {
			w->enc = true;
			w->s.start_seen = true;
			w->s.start = i + 1;
			w->ctr[0] = w->ctr[1] = 0;
			resolve_key(w, i + 1);
		}
		break;
	case ps_llctrl_pause_enc_rsp_code:
		/* §5.1.3.2: after the peripheral's encrypted LL_PAUSE_ENC_RSP the link is unencrypted. */
		if (p->state == PDU_DECRYPTED || p->state == PDU_SNIFFER) {
			if (p->dir == 0)
				w->enc = false;
		}
		break;
	default:
		break;
	}
}

static void on_plain(struct walk *w, struct pdu *p, size_t i, const uint8_t *b, size_t n, bool dir_known)
{
	uint8_t llid = p->hdr0 & 3;
	if (llid == PS_LLID_CTRL)
		on_ctrl(w, p, i, b, n);
	else if (llid == PS_LLID_START || (llid == PS_LLID_CONT && n))
		on_l2cap(w, p, dir_known, llid, b, n);
}

/* LL_START_ENC_REQ missed: after LL_ENC_RSP, a PDU that decrypts at counter 0 starts the encryption. */
static bool guess_start(struct walk *w, size_t i)
{
	struct pdu *p = &w->k->pdus[i];
	if (!w->have_session || !w->s.req_ok || !w->s.rsp_ok || p->len < 5)
		return false;
	/* Plaintext that parses as LL Control of this phase is not a start. */
	if ((p->hdr0 & 3) == PS_LLID_CTRL && p->len == 1)
		return false;
	resolve_key(w, i);
	if (!w->have_sk)
		return false;
	w->enc = true;
	w->s.start = i;
	w->ctr[0] = w->ctr[1] = 0;
	w->k->pub.have |= PS_CRACK_START_GUESSED;
	ps_crack_note(w->c, p->number, "LL_START_ENC_REQ missed: encryption found to start here by its MIC");
	return true;
}

static void decrypt_one(struct walk *w, struct pdu *p, size_t i)
{
	struct conn *k = w->k;
	uint8_t out[256];
	p->state = PDU_ENCRYPTED;
	k->pub.encrypted++;
	if (!w->have_sk || p->len < 5)
		return;
	/* Our direction first (sniffer's or guessed), then the other; counters may skip missed PDUs. */
	int d0 = p->dir == 0 ? 0 : 1;
	for (uint64_t skip = 0; skip < CTR_SLACK; skip++)
		for (int t = 0; t < 2; t++) {
			int d = t ? !d0 : d0;
			if (t && (p->llflags & PS_LL_DIR_VALID))
				continue;
			uint64_t ctr = w->ctr[d] + skip;
			if (!try_pdu(w, w->sk, p, ctr, d, out))
				continue;
			p->plain = malloc(p->len - 4u);
			if (p->plain)
				memcpy(p->plain, out, p->len - 4u);
			p->counter = ctr;
			p->dir = (uint8_t)d;
			p->state = PDU_DECRYPTED;
			w->ctr[d] = ctr + 1;
			k->pub.decrypted++;
			k->pub.mic_ok++;
			if (skip)
				ps_crack_note(w->c, p->number, "%llu PDU(s) of the %s missed before this one",
					      (unsigned long long)skip, d ? "central" : "peripheral");
			on_plain(w, p, i, out, p->len - 4u, true);
			return;
		}
	(void)i;
}

/* A pairing whose encryption could not be followed because a Pairing Random was missed: the TK still
 * follows from the other side's confirm and random (c1, Vol 3 Part H §2.2.3; 128 bits to match, so one
 * side is proof), and is reported, though s1 (§2.2.4) needs both randoms for the STK. */
static void crack_late(struct walk *w)
{
	struct conn *k = w->k;
	struct pairing *pr = &k->pair;
	uint32_t tk;
	if (!k->pub.pairing || pr->sc || (k->pub.have & PS_CRACK_HAVE_TK) || w->confirm_tried || pr->rand_mask == 3 ||
	    !pr->preq_ok || !pr->pres_ok || !(pr->confirm_mask & pr->rand_mask) || !(k->pub.have & PS_CRACK_HAVE_ADDRS))
		return;
	w->confirm_tried = true;
	if (ps_crack_tk_by_confirm(&w->c->o, pr, k->pub.central.type, k->pub.central.a, k->pub.peripheral.type,
				   k->pub.peripheral.a, &tk) < 0)
		return;
	k->pub.tk = tk;
	k->pub.have |= PS_CRACK_HAVE_TK;
}

static void verdict(struct walk *w)
{
	struct conn *k = w->k;
	struct ps_crack_conn *r = &k->pub;
	const struct pairing *pr = &k->pair;
	r->secure_connections = pr->sc;
	r->method = ps_crack_method_of(pr, r->pairing, (r->have & PS_CRACK_HAVE_TK) != 0, r->tk);
	if (pr->sc) {
		int s;
		if (w->sc_ltk_ok && r->decrypted) {
			r->verdict = PS_CRACK_SC_DEBUG_KEY;
			snprintf(r->note, sizeof r->note, "LE Secure Connections with the debug key pair (%s): DHKey and LTK "
				 "derived", is_debug_pairing(pr, &s) && s == 0 ? "central" : "peripheral");
		} else {
			r->verdict = PS_CRACK_SC_NOT_CRACKABLE;
			snprintf(r->note, sizeof r->note, "LE Secure Connections: the LTK comes from an ECDH (P-256) key "
				 "exchange, not recoverable from a passive capture%s",
				 is_debug_pairing(pr, &s) ? " (debug key seen, but values needed for f5 were missed)" : "");
		}
		return;
	}
	if (r->pairing) {
		if ((r->have & PS_CRACK_HAVE_TK) && !(r->have & PS_CRACK_HAVE_STK) && pr->rand_mask != 3) {
			r->verdict = PS_CRACK_FAILED;
			snprintf(r->note, sizeof r->note, "TK %06u from the %s's confirm, but the %s's Pairing Random was "
				 "missed: no STK (s1 needs both randoms), the link stays encrypted", (unsigned)r->tk,
				 (pr->rand_mask & 1) ? "central" : "peripheral", (pr->rand_mask & 1) ? "peripheral" : "central");
			return;
		}
		if (r->have & PS_CRACK_HAVE_TK) {
			r->verdict = PS_CRACK_CRACKED;
			snprintf(r->note, sizeof r->note, "TK found %s",
				 (r->have & PS_CRACK_TK_BY_DECRYPTION) ? "by the decryption search (2 MICs verified)"
								       : "from the Pairing Confirm values");
			return;
		}
		r->verdict = PS_CRACK_FAILED;
		if (r->method == PS_CRACK_METHOD_OOB)
			snprintf(r->note, sizeof r->note, "legacy OOB pairing: the TK is 128 bits of out-of-band data");
		else if (pr->failed)
			snprintf(r->note, sizeof r->note, "pairing failed (SMP reason 0x%02x) before keys were made",
				 pr->fail_reason);
		else if (pr->rand_mask != 3)
			snprintf(r->note, sizeof r->note, "Pairing Random of the %s missed: TK cannot be tested",
				 (pr->rand_mask & 1) ? "peripheral" : "central");
		else if (!w->have_session || !w->s.req_ok || !w->s.rsp_ok)
			snprintf(r->note, sizeof r->note, "confirms unusable and LL_ENC_REQ/LL_ENC_RSP missed: nothing to "
				 "search against");
		else
			snprintf(r->note, sizeof r->note, "no TK in 0..999999 matches the confirms or decrypts the link "
				 "(OOB or a bad capture)");
		return;
	}
	if (r->encrypted) {
		r->verdict = r->decrypted ? PS_CRACK_DECRYPTED : PS_CRACK_FAILED;
		if (!r->decrypted)
			snprintf(r->note, sizeof r->note, "%s",
				 !w->have_session ? "encrypted, but LL_ENC_REQ/LL_ENC_RSP were missed"
						  : "encrypted with an LTK we do not know (give it with --ltk)");
		else
			snprintf(r->note, sizeof r->note, "decrypted with a known LTK (EDIV 0x%04x)", w->s.ediv);
		return;
	}
	r->verdict = PS_CRACK_PLAIN;
}

int ps_crack_walk(struct ps_crack *c, struct conn *k)
{
	struct walk w = { .c = c, .k = k };
	reset(k);
	for (size_t i = 0; i < k->n; i++) {
		struct pdu *p = &k->pdus[i];
		if (p->len == 0) {
			p->state = PDU_EMPTY;
			continue;
		}
		if (is_retransmission(k, i)) {
			p->state = PDU_RETRANS;
			k->pub.retransmissions++;
			continue;
		}
		bool dir_known = (p->llflags & PS_LL_DIR_VALID) != 0;
		if (p->llflags & PS_LL_DECRYPTED) {
			/* The sniffer decrypted it: plaintext (followed by the MIC octets for the nRF Sniffer). */
			p->state = PDU_SNIFFER;
			k->pub.sniffer_plain++;
			k->pub.decrypted++;
			k->pub.encrypted++;
			if (p->llflags & PS_LL_MIC_OK)
				k->pub.mic_ok++;
			w.enc = true;
			int d = p->dir == 0 ? 0 : 1;
			w.ctr[d]++;
			on_plain(&w, p, i, p->data, p->mic_kept ? (p->len >= 4 ? p->len - 4u : 0) : p->len, dir_known);
			continue;
		}
		if (!w.enc && w.have_session && w.s.rsp_ok && !w.s.start_seen && guess_start(&w, i)) {
			decrypt_one(&w, p, i);
			continue;
		}
		if (!w.enc) {
			p->state = PDU_PLAIN;
			on_plain(&w, p, i, p->data, p->len, dir_known);
			continue;
		}
		decrypt_one(&w, p, i);
	}
	k->pub.bad_crc = k->bad_crc;
	crack_late(&w);
	verdict(&w);
	memset(w.sk, 0, sizeof w.sk);
	return 0;
}
