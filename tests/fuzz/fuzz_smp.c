/* Fuzz the SMP core (Vol 3 Part H §3): arbitrary PDU and event sequences into one core in either
 * role. Asserted on every step: no crash, no key PDU sent that the negotiation did not allow or before
 * the link was encrypted, no received key held that was not negotiated, and no phase reached out of
 * order (key distribution only after encryption, encryption only after phase 2). */
#include "sm/sm.h"
#include "proto/smp.h"
#include <pairscope/crypto.h>
#include "../unit/sm_harness.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fz {
	uint64_t now;
};

static uint64_t now_ms(void *ctx) { return ((struct fz *)ctx)->now; }

static int rank(enum ps_sm_state s)
{
	switch (s) {
	case PS_SM_IDLE: return 0;
	case PS_SM_PH1_W4_RSP: return 1;
	case PS_SM_PH2_W4_USER:
	case PS_SM_PH2_W4_PUBKEY:
	case PS_SM_PH2_W4_CONFIRM:
	case PS_SM_PH2_W4_RANDOM:
	case PS_SM_PH2_W4_DHKEY_CHECK: return 2;
	case PS_SM_PH2_W4_ENC: return 3;
	case PS_SM_PH3_KEYS: return 4;
	case PS_SM_PH3_W4_TX: return 5;
	case PS_SM_DONE: return 6;
	case PS_SM_FAILED: return 7;
	case PS_SM_TIMED_OUT: return 8;
	}
	return -1;
}

static void check(struct ps_sm *sm, struct ps_sm_outbox *out, enum ps_sm_state before, bool started)
{
	enum ps_sm_state after = ps_sm_state(sm);
	/* Phases advance; going back only when a new pairing starts. */
	if (rank(after) < rank(before) && rank(after) <= 2 && !started && rank(before) < 6)
		abort();
	/* Key distribution only from W4_ENC through an encryption event, never straight from phase 2. */
	if (rank(after) >= 4 && rank(after) <= 5 && rank(before) <= 2)
		abort();
	for (unsigned i = 0; i < out->n; i++) {
		const struct ps_sm_action *a = &out->a[i];
		if (a->type != PS_SM_ACT_SEND || a->len == 0)
			continue;
		uint8_t code = a->pdu[0];
		if (code < 0x06 || code > 0x0a)
			continue;
		uint8_t bit = code <= 0x07 ? PS_SMP_DIST_ENC : code <= 0x09 ? PS_SMP_DIST_ID : PS_SMP_DIST_SIGN;
		if (!(sm->dist_local & bit) || rank(before) < 3)
			abort();
	}
	const struct ps_sm_keys *k = &sm->res.peer;
	if ((k->have & PS_SM_KEY_EDIV) && !(sm->dist_peer & PS_SMP_DIST_ENC))
		abort();
	if ((k->have & (PS_SM_KEY_IRK | PS_SM_KEY_ADDR)) && !(sm->dist_peer & PS_SMP_DIST_ID))
		abort();
	if ((k->have & PS_SM_KEY_CSRK) && !(sm->dist_peer & PS_SMP_DIST_SIGN))
		abort();
	out->n = 0;
}

/* Mode 2: two real cores paired back to back while the fuzz input corrupts, drops, duplicates and
 * injects PDUs in flight: reaches every phase, then the same invariants hold on both sides. */
struct mut {
	const uint8_t *p;
	size_t n, i;
};

static bool mutate(struct h_link *l, int from, uint8_t *pdu, uint8_t *len, void *ctx)
{
	struct mut *m = ctx;
	if (m->i + 2 > m->n)
		return true;
	uint8_t op = m->p[m->i++], arg = m->p[m->i++];
	switch (op & 7) {
	case 0:
		return false; /* drop */
	case 1:
		if (*len)
			pdu[arg % *len] ^= (uint8_t)(1u << (op >> 5));
		return true;
	case 2:
		h_inject(l, 1 - from, pdu, *len); /* duplicate */
		return true;
	case 3:
		*len = (uint8_t)(arg % (*len + 1));
		return true;
	case 4:
		pdu[0] = (uint8_t)(arg % 16); /* another opcode, same body */
		return true;
	default:
		return true;
	}
}

static void pair_mode(const uint8_t *data, size_t size)
{
	static struct h_link l;
	if (h_init(&l) < 0)
		return;
	struct mut m = { data, size, 4 };
	for (int k = 0; k < 2; k++) {
		l.d[k].cfg.sc = data[1] >> k & 1;
		l.d[k].cfg.mitm = data[1] >> (k + 2) & 1;
		l.d[k].cfg.io_cap = (uint8_t)((data[2] >> (4 * k)) & 0x0f) % 5;
		l.d[k].cfg.dist_init = l.d[k].cfg.dist_resp = (uint8_t)(data[3] >> (4 * k)) & 0x0f;
		l.d[k].cfg.keypress = data[1] >> 4 & 1;
	}
	l.filter = mutate;
	l.fctx = &m;
	h_pair(&l, data[0] >> 2 & 1);
	l.now += 31000;
	for (int k = 0; k < 2; k++) {
		struct ps_sm_outbox out = { .n = 0 };
		ps_sm_tick(&l.d[k].sm, &out);
		const struct h_dev *d = &l.d[k];
		const struct ps_sm *sm = &d->sm;
		/* Counts are per link; a duplicated request may start a second pairing with other keys. */
		for (uint8_t code = 0x06; code <= 0x0a && d->results <= 1 && d->sent[1] + d->sent[2] <= 1; code++) {
			uint8_t bit = code <= 0x07 ? PS_SMP_DIST_ENC : code <= 0x09 ? PS_SMP_DIST_ID : PS_SMP_DIST_SIGN;
			if (d->sent[code] > 1 || (d->sent[code] && !(sm->dist_local & bit))) {
				fprintf(stderr, "side %d code %02x sent %u dist_local %02x results %d sec_req %d state %s\n", k, code, d->sent[code], sm->dist_local, d->results, d->sec_req_rx, ps_sm_state_name(sm->state));
				abort();
			}
		}
		const struct ps_sm_keys *kk = &sm->res.peer;
		if (((kk->have & PS_SM_KEY_EDIV) && !(sm->dist_peer & PS_SMP_DIST_ENC)) ||
		    ((kk->have & PS_SM_KEY_CSRK) && !(sm->dist_peer & PS_SMP_DIST_SIGN)))
			abort();
		if (d->results > 0 && d->result.status == 0 && memcmp(d->result.enc_key, l.d[1 - k].result.enc_key, 16) &&
		    l.d[1 - k].results && l.d[1 - k].result.status == 0)
			abort(); /* both claim success with different keys */
	}
	h_fini(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 4 && (data[0] & 2)) {
		pair_mode(data, size);
		return 0;
	}
	static struct ps_crypto base;
	static bool have;
	if (!have) {
		if (ps_crypto_openssl_new(&base) < 0)
			return 0;
		have = true;
	}
	if (size < 4)
		return 0;
	struct fz z = { .now = 0 };
	struct ps_sm_config cfg;
	ps_sm_config_default(&cfg);
	cfg.io_cap = data[1] % 5;
	cfg.sc = data[2] & 1;
	cfg.mitm = data[2] & 2;
	cfg.keypress = data[2] & 4;
	cfg.oob_tk_present = data[2] & 8;
	cfg.dist_init = data[3] & 0x0f;
	cfg.dist_resp = (uint8_t)(data[3] >> 4);
	cfg.allow_debug_keys = data[2] & 0x10;
	/* A bond with the peer and a re-pairing policy (data[2] bits 5-7): 0 none, else level 2..4. */
	cfg.bond_level = (uint8_t)((data[2] >> 5) % 4 ? (data[2] >> 5) % 4 + 1 : 0);
	cfg.repair = (uint8_t)((data[2] >> 5) % 3);
	cfg.identity.type = 1;
	memset(cfg.identity.a, 0xc3, 6);
	memset(cfg.irk, 0x42, 16);
	struct ps_addr a = { 1, { 1, 2, 3, 4, 5, 0xc6 } }, b = { 0, { 6, 5, 4, 3, 2, 1 } };
	struct ps_sm_ops ops = { .crypto = &base, .now_ms = now_ms, .ctx = &z };
	struct ps_sm sm;
	struct ps_sm_attempts att = { 0 };
	if (ps_sm_init(&sm, &cfg, &ops, (data[0] & 1) ? PS_SM_PERIPHERAL : PS_SM_CENTRAL, &a, &b, &att) < 0)
		return 0;
	struct ps_sm_outbox out = { .n = 0 };
	size_t i = 4;
	while (i < size) {
		uint8_t op = data[i++];
		enum ps_sm_state before = ps_sm_state(&sm);
		bool started = false;
		switch (op & 7) {
		case 0:
		case 1:
		case 2: { /* a PDU: length then bytes */
			if (i >= size)
				break;
			size_t len = data[i++] % 66;
			if (len > size - i)
				len = size - i;
			uint8_t pdu[66];
			memcpy(pdu, data + i, len);
			i += len;
			started = len && (pdu[0] == 0x01 || pdu[0] == 0x0b);
			ps_sm_rx(&sm, pdu, len, &out);
			break;
		}
		case 3:
			ps_sm_encrypted(&sm, (op & 8) ? 0x06 : 0, !(op & 8), &out);
			break;
		case 4: {
			static const uint8_t zero[8];
			ps_sm_ltk_request(&sm, 0, zero, &out);
			ps_sm_tx_done(&sm, &out);
			break;
		}
		case 5:
			started = true;
			ps_sm_pair(&sm, &out);
			break;
		case 6:
			ps_sm_passkey(&sm, (uint32_t)(op >> 3) * 12345u % 1000000u, &out);
			ps_sm_confirm(&sm, op & 8, &out);
			break;
		case 7:
			z.now += (uint64_t)(op >> 3) * 2000;
			ps_sm_tick(&sm, &out);
			break;
		}
		check(&sm, &out, before, started);
	}
	return 0;
}
