/* Test harness for the SMP core: two ps_sm instances back to back (index 0 central, 1 peripheral),
 * a FIFO of events that carries PDUs, encryption start (both sides must hold the same key) and
 * "PDU left the controller", a user that reads the peer's display and answers prompts, and a
 * filter hook through which tests play a misbehaving peer. Shared by tests/unit and tests/fuzz;
 * no cmocka here. Vol 3 Part H §2-3 as exercised end to end. */
#ifndef PS_SM_HARNESS_H
#define PS_SM_HARNESS_H

#include "sm/sm.h"
#include "proto/smp.h"
#include <string.h>

#define H_MAXQ 512

enum h_ev { H_PDU, H_ENC, H_TXDONE, H_PASSKEY, H_NUMCMP };

struct h_event {
	uint8_t type, to, len, status;
	uint8_t pdu[65];
	int tries;
};

struct h_dev {
	struct ps_sm sm;
	struct ps_sm_config cfg;
	struct ps_sm_attempts att;
	struct ps_addr addr;
	bool shown, numcmp_shown, asked;
	uint32_t shown_value, numcmp_value;
	int results, stores, keypress_rx, sec_req_rx;
	struct ps_sm_result result;
	bool started, replied;
	uint8_t start_key[16], reply_key[16];
	unsigned sent[16];      /* PDUs sent, by code */
	uint8_t last_failed_tx; /* reason of the last Pairing Failed we sent */
};

struct h_link {
	struct h_dev d[2];
	struct ps_crypto crypto;
	uint64_t now;
	struct h_event q[H_MAXQ];
	unsigned head, tail;
	uint32_t passkey;       /* typed when nobody displays one */
	bool numcmp_yes;
	bool keypresses;        /* the typing side sends keypress notifications */
	bool enc_mismatch;
	bool overflow;
	int lib_err;
	/* Fault hook: may rewrite the PDU (*len), return false to drop it, or h_inject more. */
	bool (*filter)(struct h_link *l, int from, uint8_t *pdu, uint8_t *len, void *ctx);
	void *fctx;
};

static inline uint64_t h_now(void *ctx) { return ((struct h_link *)ctx)->now; }

static inline void h_push(struct h_link *l, uint8_t type, int to, const uint8_t *pdu, size_t len)
{
	if (l->tail - l->head >= H_MAXQ) {
		l->overflow = true;
		return;
	}
	struct h_event *e = &l->q[l->tail++ % H_MAXQ];
	memset(e, 0, sizeof *e);
	e->type = type;
	e->to = (uint8_t)to;
	e->len = (uint8_t)(len > 65 ? 65 : len);
	if (pdu && len)
		memcpy(e->pdu, pdu, e->len);
}

/* Deliver a raw PDU to device `to` (a lower tester's injection). */
static inline void h_inject(struct h_link *l, int to, const uint8_t *pdu, size_t len)
{
	h_push(l, H_PDU, to, pdu, len);
}

static inline void h_outbox(struct h_link *l, int who, struct ps_sm_outbox *out);

static inline void h_note(struct h_link *l, int rc)
{
	if (rc < 0 && rc != -PS_ENOENT && !l->lib_err)
		l->lib_err = rc;
}

static inline void h_start_enc(struct h_link *l, const uint8_t key[16])
{
	struct h_dev *p = &l->d[1];
	static const uint8_t zero[8];
	struct ps_sm_outbox out = { .n = 0 };
	int rc = ps_sm_ltk_request(&p->sm, 0, zero, &out);
	h_outbox(l, 1, &out);
	if (rc < 0 || !p->replied) {
		h_push(l, H_ENC, 0, NULL, 0);
		l->q[(l->tail - 1) % H_MAXQ].status = 0x06; /* PIN or Key Missing */
		return;
	}
	p->replied = false;
	bool same = memcmp(key, p->reply_key, 16) == 0;
	if (!same)
		l->enc_mismatch = true;
	/* Encryption Change reaches both; a key mismatch is a MIC failure. */
	h_push(l, H_ENC, 1, NULL, 0);
	l->q[(l->tail - 1) % H_MAXQ].status = same ? 0 : 0x3d;
	h_push(l, H_ENC, 0, NULL, 0);
	l->q[(l->tail - 1) % H_MAXQ].status = same ? 0 : 0x3d;
}

static inline void h_outbox(struct h_link *l, int who, struct ps_sm_outbox *out)
{
	struct h_dev *d = &l->d[who];
	for (unsigned i = 0; i < out->n; i++) {
		struct ps_sm_action *a = &out->a[i];
		switch (a->type) {
		case PS_SM_ACT_SEND: {
			uint8_t pdu[65], len = a->len;
			memcpy(pdu, a->pdu, len);
			if (len && pdu[0] < 16)
				d->sent[pdu[0]]++;
			if (len == 2 && pdu[0] == ps_smp_pairing_failed_code)
				d->last_failed_tx = pdu[1];
			if (!l->filter || l->filter(l, who, pdu, &len, l->fctx))
				h_push(l, H_PDU, 1 - who, pdu, len);
			h_push(l, H_TXDONE, who, NULL, 0);
			break;
		}
		case PS_SM_ACT_START_ENC:
			d->started = true;
			memcpy(d->start_key, a->key, 16);
			h_start_enc(l, a->key);
			break;
		case PS_SM_ACT_LTK_REPLY:
			d->replied = true;
			memcpy(d->reply_key, a->key, 16);
			break;
		case PS_SM_ACT_PASSKEY_DISPLAY:
			d->shown = true;
			d->shown_value = a->value;
			break;
		case PS_SM_ACT_PASSKEY_INPUT:
			d->asked = true;
			h_push(l, H_PASSKEY, who, NULL, 0);
			break;
		case PS_SM_ACT_NUMCMP:
			d->numcmp_shown = true;
			d->numcmp_value = a->value;
			h_push(l, H_NUMCMP, who, NULL, 0);
			break;
		case PS_SM_ACT_KEYPRESS:
			d->keypress_rx++;
			break;
		case PS_SM_ACT_SEC_REQ: {
			d->sec_req_rx++;
			struct ps_sm_outbox o2 = { .n = 0 };
			h_note(l, ps_sm_pair(&d->sm, &o2));
			h_outbox(l, who, &o2);
			break;
		}
		case PS_SM_ACT_STORE:
			d->stores++;
			break;
		case PS_SM_ACT_RESULT:
			d->results++;
			d->result = *a->result;
			break;
		}
	}
	out->n = 0;
}

static inline void h_step(struct h_link *l, struct h_event *e)
{
	struct h_dev *d = &l->d[e->to];
	struct h_dev *peer = &l->d[1 - e->to];
	struct ps_sm_outbox out = { .n = 0 };
	switch ((enum h_ev)e->type) {
	case H_PDU:
		h_note(l, ps_sm_rx(&d->sm, e->pdu, e->len, &out));
		break;
	case H_ENC:
		h_note(l, ps_sm_encrypted(&d->sm, e->status, e->status == 0, &out));
		break;
	case H_TXDONE:
		h_note(l, ps_sm_tx_done(&d->sm, &out));
		break;
	case H_PASSKEY: {
		uint32_t v = peer->shown ? peer->shown_value : l->passkey;
		if (l->keypresses) {
			h_note(l, ps_sm_keypress(&d->sm, 0, &out));
			for (int k = 0; k < 6; k++)
				h_note(l, ps_sm_keypress(&d->sm, 1, &out));
			h_note(l, ps_sm_keypress(&d->sm, 4, &out));
		}
		h_outbox(l, e->to, &out);
		h_note(l, ps_sm_passkey(&d->sm, v, &out));
		break;
	}
	case H_NUMCMP:
		if (!peer->numcmp_shown) {
			if (++e->tries < 64 && (ps_sm_state(&peer->sm) != PS_SM_FAILED)) {
				h_push(l, H_NUMCMP, e->to, NULL, 0);
				l->q[(l->tail - 1) % H_MAXQ].tries = e->tries;
			}
			return;
		}
		h_note(l, ps_sm_confirm(&d->sm, l->numcmp_yes && peer->numcmp_value == d->numcmp_value, &out));
		break;
	}
	h_outbox(l, e->to, &out);
}

/* Defaults: both sides NoInputNoOutput, bonding, SC, all keys; real identities and IRKs. */
static inline int h_init(struct h_link *l)
{
	memset(l, 0, sizeof *l);
	int rc = ps_crypto_openssl_new(&l->crypto);
	if (rc < 0)
		return rc;
	l->passkey = 123456;
	l->numcmp_yes = true;
	for (int i = 0; i < 2; i++) {
		struct h_dev *d = &l->d[i];
		ps_sm_config_default(&d->cfg);
		d->addr.type = 1;
		uint8_t a[6] = { 0x0b, 0x44, 0x33, 0x22, 0x11, (uint8_t)(0xc0 + i) };
		memcpy(d->addr.a, a, 6);
		d->cfg.identity = d->addr;
		for (int k = 0; k < 16; k++)
			d->cfg.irk[k] = (uint8_t)(0x10 * (i + 1) + k);
	}
	return 0;
}

static inline void h_fini(struct h_link *l) { ps_crypto_free(&l->crypto); }

static inline int h_setup(struct h_link *l)
{
	struct ps_sm_ops ops = { .crypto = &l->crypto, .now_ms = h_now, .ctx = l };
	for (int i = 0; i < 2; i++) {
		int rc = ps_sm_init(&l->d[i].sm, &l->d[i].cfg, &ops, i ? PS_SM_PERIPHERAL : PS_SM_CENTRAL,
				    &l->d[i].addr, &l->d[1 - i].addr, &l->d[i].att);
		if (rc < 0)
			return rc;
	}
	/* SC OOB: a side with oob_sc_present gets the other side's r and C. */
	for (int i = 0; i < 2; i++)
		if (l->d[i].cfg.oob_sc_present) {
			int rc = ps_sm_oob_local(&l->d[1 - i].sm, l->d[i].sm.cfg.oob_sc_r, l->d[i].sm.cfg.oob_sc_c);
			if (rc < 0)
				return rc;
		}
	return 0;
}

static inline void h_run(struct h_link *l)
{
	for (int steps = 0; l->head != l->tail && steps < 100000; steps++) {
		struct h_event e = l->q[l->head++ % H_MAXQ];
		h_step(l, &e);
	}
}

/* Set up both cores and let `who` start (central: Pairing Request; peripheral: Security Request). */
static inline int h_pair(struct h_link *l, int who)
{
	int rc = h_setup(l);
	if (rc < 0)
		return rc;
	struct ps_sm_outbox out = { .n = 0 };
	rc = ps_sm_pair(&l->d[who].sm, &out);
	h_outbox(l, who, &out);
	h_run(l);
	return rc;
}

static inline bool h_keys_eq(const struct ps_sm_keys *sent, const struct ps_sm_keys *got)
{
	if ((sent->have & PS_SM_KEY_LTK) && memcmp(sent->ltk, got->ltk, 16))
		return false;
	if ((sent->have & PS_SM_KEY_EDIV) && (sent->ediv != got->ediv || memcmp(sent->rand, got->rand, 8)))
		return false;
	if ((sent->have & PS_SM_KEY_IRK) && memcmp(sent->irk, got->irk, 16))
		return false;
	if ((sent->have & PS_SM_KEY_ADDR) && memcmp(&sent->id_addr, &got->id_addr, sizeof sent->id_addr))
		return false;
	if ((sent->have & PS_SM_KEY_CSRK) && memcmp(sent->csrk, got->csrk, 16))
		return false;
	if ((sent->have & PS_SM_KEY_LINK) && memcmp(sent->link_key, got->link_key, 16))
		return false;
	return (sent->have & ~got->have) == 0;
}

/* Both succeeded once, agree on the method, encrypted with one key, and each holds what the other sent. */
static inline bool h_success(const struct h_link *l)
{
	const struct ps_sm_result *c = &l->d[0].result, *p = &l->d[1].result;
	return l->d[0].results == 1 && l->d[1].results == 1 && c->status == 0 && p->status == 0 &&
	       c->method == p->method && c->sc == p->sc && !l->enc_mismatch &&
	       !memcmp(c->enc_key, p->enc_key, 16) && h_keys_eq(&c->local, &p->peer) &&
	       h_keys_eq(&p->local, &c->peer) && !l->overflow && !l->lib_err;
}

#endif
