/* pairscope pair --bench (Vol 3 Part H): two SMP cores back to back with no HCI in between, the
 * fastest complete pairing: PDUs carried in order, encryption start simulated (both sides must hold
 * the same key), "PDU left the controller" after each delivery. Faults wrap the outboxes. */
#include "pair_sim.h"
#include "proto/smp.h"
#include <string.h>

enum { EV_PDU, EV_ENC, EV_TXDONE, EV_PASSKEY, EV_NUMCMP };
static const char *const who_name[2] = { "central", "peripheral" };

static uint64_t now_ms(void *ctx) { return ((struct pair_sim *)ctx)->now_us / 1000; }

static void push(struct pair_sim *s, uint8_t type, int to, const uint8_t *pdu, size_t len, uint8_t status)
{
	if (s->tail - s->head >= PS_ARRAY_SIZE(s->q)) {
		s->err = -PS_ENOSPC;
		return;
	}
	struct pair_ev *e = &s->q[s->tail++ % PS_ARRAY_SIZE(s->q)];
	e->type = type;
	e->to = (uint8_t)to;
	e->len = (uint8_t)len;
	e->status = status;
	if (len)
		memcpy(e->pdu, pdu, len);
}

static void note(struct pair_sim *s, int rc)
{
	if (rc < 0 && rc != -PS_ENOENT && !s->err)
		s->err = rc;
}

static void log_pdu(struct pair_sim *s, int from, const uint8_t *pdu, size_t len, const char *what)
{
	if (!s->log || !len)
		return;
	const struct ps_layout *l = ps_smp_layout(pdu[0]);
	fprintf(s->log, "  %-10s -> %-10s %s%s", who_name[from], who_name[1 - from], l ? l->label : "?", what);
	if (pdu[0] == ps_smp_pairing_failed_code && len == 2) {
		const char *r = ps_name_of(ps_names_smp_reason, pdu[1]);
		fprintf(s->log, " (%s, 0x%02x)", r ? r : "?", pdu[1]);
	}
	fputc('\n', s->log);
}

/* The seed's key distribution (pair_fault_keys), on the air with test-pattern values. */
static void inject_unnegotiated(struct pair_sim *s, int who)
{
	struct pair_pdus k;
	pair_fault_keys(&s->side[who].sm, &s->side[who].cfg, &s->side[who].addr, &k);
	for (unsigned i = 0; i < k.n; i++) {
		log_pdu(s, who, k.pdu[i], k.len[i], " [fault: test pattern]");
		push(s, EV_PDU, 1 - who, k.pdu[i], k.len[i], 0);
	}
}

static void handle_out(struct pair_sim *s, int who, struct ps_sm_outbox *out);

static void start_encryption(struct pair_sim *s, const uint8_t key[16])
{
	static const uint8_t zero[8];
	struct ps_sm_outbox out = { .n = 0 };
	struct pair_side *per = &s->side[1];
	int rc = ps_sm_ltk_request(&per->sm, 0, zero, &out);
	uint8_t reply[16];
	bool have = false;
	for (unsigned i = 0; i < out.n; i++)
		if (out.a[i].type == PS_SM_ACT_LTK_REPLY) {
			memcpy(reply, out.a[i].key, 16);
			have = true;
		}
	handle_out(s, 1, &out);
	if (rc < 0 || !have) {
		push(s, EV_ENC, 0, NULL, 0, 0x06);
		return;
	}
	bool same = !memcmp(reply, key, 16);
	if (!same)
		s->enc_mismatch = true;
	push(s, EV_ENC, 1, NULL, 0, same ? 0 : 0x3d);
	push(s, EV_ENC, 0, NULL, 0, same ? 0 : 0x3d);
}

static void handle_out(struct pair_sim *s, int who, struct ps_sm_outbox *out)
{
	struct pair_side *d = &s->side[who];
	for (unsigned i = 0; i < out->n; i++) {
		struct ps_sm_action *a = &out->a[i];
		switch (a->type) {
		case PS_SM_ACT_SEND: {
			uint8_t pdu[66], len = a->len;
			memcpy(pdu, a->pdu, len);
			unsigned last = 0;
			for (unsigned j = 0; j < out->n; j++)
				if (out->a[j].type == PS_SM_ACT_SEND && out->a[j].len && out->a[j].pdu[0] >= 0x06 &&
				    out->a[j].pdu[0] <= 0x0a)
					last = j;
			struct pair_pdus pre;
			bool drop = !pair_fault_apply(d, s->side[1 - who].sm.pub,
						      ps_sm_local_keys_sent(&d->sm) && i == last, pdu, &len, &pre);
			for (unsigned k = 0; k < pre.n; k++)
				push(s, EV_PDU, 1 - who, pre.pdu[k], pre.len[k], 0);
			if (!drop) {
				log_pdu(s, who, pdu, len, "");
				push(s, EV_PDU, 1 - who, pdu, len, 0);
			}
			push(s, EV_TXDONE, who, NULL, 0, 0);
			break;
		}
		case PS_SM_ACT_START_ENC:
			if (s->log)
				fprintf(s->log, "  central    starts encryption (%s)\n", d->sm.sc ? "LTK" : "STK");
			start_encryption(s, a->key);
			break;
		case PS_SM_ACT_LTK_REPLY:
			break;
		case PS_SM_ACT_PASSKEY_DISPLAY:
			d->shown = true;
			d->shown_value = a->value;
			if (s->log)
				fprintf(s->log, "  %-10s displays passkey %06u\n", who_name[who], a->value);
			break;
		case PS_SM_ACT_PASSKEY_INPUT:
			d->asked = true;
			push(s, EV_PASSKEY, who, NULL, 0, 0);
			break;
		case PS_SM_ACT_NUMCMP:
			d->numcmp_shown = true;
			d->numcmp_value = a->value;
			if (s->log)
				fprintf(s->log, "  %-10s shows %06u for numeric comparison\n", who_name[who], a->value);
			push(s, EV_NUMCMP, who, NULL, 0, 0);
			break;
		case PS_SM_ACT_KEYPRESS:
			if (s->log)
				fprintf(s->log, "  %-10s sees keypress %u\n", who_name[who], a->value);
			break;
		case PS_SM_ACT_SEC_REQ: {
			struct ps_sm_outbox o2 = { .n = 0 };
			note(s, ps_sm_pair(&d->sm, &o2));
			handle_out(s, who, &o2);
			break;
		}
		case PS_SM_ACT_STORE:
			break;
		case PS_SM_ACT_RESULT:
			d->done = true;
			d->result = *a->result;
			break;
		}
	}
	out->n = 0;
	if (d->fault == PAIR_FAULT_UNNEGOTIATED_KEYS && !d->injected && ps_sm_local_keys_sent(&d->sm)) {
		d->injected = true;
		inject_unnegotiated(s, who);
	}
}

static void step(struct pair_sim *s, const struct pair_ev *e)
{
	struct pair_side *d = &s->side[e->to], *peer = &s->side[1 - e->to];
	struct ps_sm_outbox out = { .n = 0 };
	switch (e->type) {
	case EV_PDU:
		pair_fault_rx(d, e->pdu, e->len);
		note(s, ps_sm_rx(&d->sm, e->pdu, e->len, &out));
		break;
	case EV_ENC: {
		note(s, ps_sm_encrypted(&d->sm, e->status, e->status == 0, &out));
		break;
	}
	case EV_TXDONE: {
		note(s, ps_sm_tx_done(&d->sm, &out));
		break;
	}
	case EV_PASSKEY: {
		uint32_t v = peer->shown ? peer->shown_value : s->passkey;
		if (d->fault == PAIR_FAULT_WRONG_PASSKEY)
			v = (v + 1) % 1000000;
		if (s->log)
			fprintf(s->log, "  %-10s user types %06u\n", who_name[e->to], v);
		note(s, ps_sm_passkey(&d->sm, v, &out));
		break;
	}
	case EV_NUMCMP:
		if (!peer->numcmp_shown) {
			if (!peer->done)
				push(s, EV_NUMCMP, e->to, NULL, 0, 0);
			return;
		}
		note(s, ps_sm_confirm(&d->sm,
				      d->fault != PAIR_FAULT_REJECT_NUMCMP && peer->numcmp_value == d->numcmp_value,
				      &out));
		break;
	default:
		break;
	}
	handle_out(s, e->to, &out);
}

int pair_sim_run(struct pair_sim *s)
{
	struct ps_sm_ops ops = { .crypto = s->crypto, .now_ms = now_ms, .ctx = s };
	for (int i = 0; i < 2; i++) {
		int rc = ps_sm_init(&s->side[i].sm, &s->side[i].cfg, &ops, i ? PS_SM_PERIPHERAL : PS_SM_CENTRAL,
				    &s->side[i].addr, &s->side[1 - i].addr, &s->side[i].att);
		if (rc < 0)
			return rc;
	}
	for (int i = 0; i < 2; i++)
		if (s->side[i].cfg.oob_sc_present) {
			int rc = ps_sm_oob_local(&s->side[1 - i].sm, s->side[i].sm.cfg.oob_sc_r,
						 s->side[i].sm.cfg.oob_sc_c);
			if (rc < 0)
				return rc;
		}
	struct ps_sm_outbox out = { .n = 0 };
	int rc = ps_sm_pair(&s->side[0].sm, &out);
	if (rc < 0)
		return rc;
	handle_out(s, 0, &out);
	for (unsigned steps = 0; s->head != s->tail && steps < 100000 && !s->err; steps++) {
		struct pair_ev e = s->q[s->head++ % PS_ARRAY_SIZE(s->q)];
		step(s, &e);
	}
	/* A side still waiting (a stalled peer) meets the 30 s SMP timeout. */
	s->now_us += 30ull * 1000 * 1000;
	for (int i = 0; i < 2; i++) {
		struct ps_sm_outbox o = { .n = 0 };
		note(s, ps_sm_tick(&s->side[i].sm, &o));
		handle_out(s, i, &o);
	}
	return s->err;
}

static bool keys_eq(const struct ps_sm_keys *sent, const struct ps_sm_keys *got)
{
	if ((sent->have & ~got->have) & 0x1f)
		return false;
	return (!(sent->have & PS_SM_KEY_LTK) || !memcmp(sent->ltk, got->ltk, 16)) &&
	       (!(sent->have & PS_SM_KEY_EDIV) || (sent->ediv == got->ediv && !memcmp(sent->rand, got->rand, 8))) &&
	       (!(sent->have & PS_SM_KEY_IRK) || !memcmp(sent->irk, got->irk, 16)) &&
	       (!(sent->have & PS_SM_KEY_ADDR) || !memcmp(&sent->id_addr, &got->id_addr, sizeof sent->id_addr)) &&
	       (!(sent->have & PS_SM_KEY_CSRK) || !memcmp(sent->csrk, got->csrk, 16)) &&
	       (!(sent->have & PS_SM_KEY_LINK) || !memcmp(sent->link_key, got->link_key, 16));
}

bool pair_results_match(const struct ps_sm_result *c, const struct ps_sm_result *p)
{
	return !memcmp(c->enc_key, p->enc_key, 16) && keys_eq(&c->local, &p->peer) && keys_eq(&p->local, &c->peer);
}

bool pair_sim_keys_match(const struct pair_sim *s)
{
	return !s->enc_mismatch && pair_results_match(&s->side[0].result, &s->side[1].result);
}
