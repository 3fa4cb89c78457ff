/* pairscope pair on the stack path (Vol 3 Part H over L2CAP CID 6, HCI Vol 4 Part E): each side is
 * our host (host.h) with an SMP core on top. In process, both hosts sit on virtual controllers on
 * one simulated link (sim.h) and the btsnoop records both controllers; with --transport, one host
 * talks H4 to whatever controller is at the other end. Faults wrap the outbox (pair_fault.c). */
#include "pair_host.h"
#include "proto/smp.h"
#include <pairscope/platform.h>
#include <pairscope/sim.h>
#include <stdlib.h>
#include <string.h>

static const char *const who_name[2] = { "central", "peripheral" };

static uint64_t sm_now(void *ctx)
{
	struct pair_host *p = ctx;
	return (p->sim ? ps_sim_now(p->sim) : ps_clock_now_us()) / 1000;
}

static void note(struct pair_host *p, int rc)
{
	if (rc < 0 && rc != -PS_ENOENT && !p->err)
		p->err = rc;
}

static void log_pdu(struct pair_dev *d, const uint8_t *pdu, size_t len, const char *tag)
{
	FILE *f = d->ph->log;
	if (!f || !len)
		return;
	const struct ps_layout *l = ps_smp_layout(pdu[0]);
	fprintf(f, "  %-10s -> %-10s %s%s", who_name[d->role], who_name[1 - d->role], l ? l->label : "?", tag);
	if (pdu[0] == ps_smp_pairing_failed_code && len == 2) {
		const char *r = ps_name_of(ps_names_smp_reason, pdu[1]);
		fprintf(f, " (%s, 0x%02x)", r ? r : "?", pdu[1]);
	}
	fputc('\n', f);
}

static void handle_out(struct pair_dev *d, struct ps_sm_outbox *out);

static void send_pdu(struct pair_dev *d, const uint8_t *pdu, uint8_t len, const char *tag)
{
	log_pdu(d, pdu, len, tag);
	note(d->ph, ps_host_smp_send(d->h, d->handle, pdu, len));
}

static const uint8_t *peer_pub(struct pair_dev *d)
{
	struct pair_host *p = d->ph;
	if (p->ndev == 2)
		return p->d[1 - d->idx].s.sm.pub;
	return d->s.sm.peer_pub; /* known once the peer's key arrived */
}

static void handle_out(struct pair_dev *d, struct ps_sm_outbox *out)
{
	struct pair_side *s = &d->s;
	unsigned last = 0;
	for (unsigned j = 0; j < out->n; j++)
		if (out->a[j].type == PS_SM_ACT_SEND && out->a[j].len && out->a[j].pdu[0] >= 0x06 && out->a[j].pdu[0] <= 0x0a)
			last = j;
	for (unsigned i = 0; i < out->n; i++) {
		struct ps_sm_action *a = &out->a[i];
		FILE *log = d->ph->log;
		switch (a->type) {
		case PS_SM_ACT_SEND: {
			uint8_t pdu[65], len = a->len;
			memcpy(pdu, a->pdu, len);
			if (pair_fault_apply(s->fault, peer_pub(d), ps_sm_local_keys_sent(&s->sm) && i == last, pdu, &len))
				send_pdu(d, pdu, len, "");
			break;
		}
		case PS_SM_ACT_START_ENC:
			if (log)
				fprintf(log, "  central    starts encryption (%s)\n", s->sm.sc ? "LTK" : "STK");
			note(d->ph, ps_host_start_encryption(d->h, d->handle, 0, 0, a->key));
			break;
		case PS_SM_ACT_LTK_REPLY:
			note(d->ph, ps_host_ltk_reply(d->h, d->handle, a->key));
			break;
		case PS_SM_ACT_PASSKEY_DISPLAY:
			s->shown = true;
			s->shown_value = a->value;
			if (log)
				fprintf(log, "  %-10s displays passkey %06u\n", who_name[d->role], a->value);
			break;
		case PS_SM_ACT_PASSKEY_INPUT:
			s->asked = true;
			break;
		case PS_SM_ACT_NUMCMP:
			s->numcmp_shown = true;
			s->numcmp_value = a->value;
			if (log)
				fprintf(log, "  %-10s shows %06u for numeric comparison\n", who_name[d->role], a->value);
			break;
		case PS_SM_ACT_KEYPRESS:
			if (log)
				fprintf(log, "  %-10s sees keypress %u\n", who_name[d->role], a->value);
			break;
		case PS_SM_ACT_SEC_REQ: {
			struct ps_sm_outbox o2 = { .n = 0 };
			note(d->ph, ps_sm_pair(&s->sm, &o2));
			handle_out(d, &o2);
			break;
		}
		case PS_SM_ACT_STORE:
			break;
		case PS_SM_ACT_RESULT:
			s->done = true;
			s->result = *a->result;
			break;
		}
	}
	out->n = 0;
	if (s->fault == PAIR_FAULT_UNNEGOTIATED_KEYS && !s->injected && ps_sm_local_keys_sent(&s->sm)) {
		s->injected = true;
		struct pair_pdus k;
		pair_fault_keys(&s->sm, &s->cfg, &s->addr, &k);
		for (unsigned i = 0; i < k.n; i++)
			send_pdu(d, k.pdu[i], k.len[i], " [fault: test pattern]");
	}
}

/* ---- host callbacks ---- */

static void cb_ready(void *ctx, uint8_t st)
{
	struct pair_dev *d = ctx;
	d->ready = st ? -1 : 1;
}

static void cb_connected(void *ctx, uint8_t st, const struct ps_host_conn_info *i)
{
	struct pair_dev *d = ctx;
	if (st) {
		d->connected = -1;
		return;
	}
	d->handle = i->handle;
	d->disconnected = false;
	d->enc = 0;
	d->role = i->role == PS_HOST_CENTRAL ? 0 : 1;
	d->local = i->local;
	d->peer = i->peer;
	struct ps_sm_ops ops = { .crypto = d->ph->crypto, .now_ms = sm_now, .ctx = d->ph };
	int rc = ps_sm_init(&d->s.sm, &d->s.cfg, &ops, d->role ? PS_SM_PERIPHERAL : PS_SM_CENTRAL, &i->local,
			    &i->peer, &d->s.att);
	d->connected = rc < 0 ? -1 : 1;
	note(d->ph, rc);
}

static void cb_disconnected(void *ctx, uint16_t handle, uint8_t reason)
{
	struct pair_dev *d = ctx;
	(void)handle;
	d->disconnected = true;
	d->disc_reason = reason;
}

static void cb_smp(void *ctx, uint16_t handle, const uint8_t *pdu, size_t len)
{
	struct pair_dev *d = ctx;
	(void)handle;
	if (d->connected != 1)
		return;
	struct ps_sm_outbox out = { .n = 0 };
	note(d->ph, ps_sm_rx(&d->s.sm, pdu, len, &out));
	handle_out(d, &out);
}

static void cb_ltk(void *ctx, uint16_t handle, uint64_t rand, uint16_t ediv)
{
	struct pair_dev *d = ctx;
	uint8_t r[8];
	for (int k = 0; k < 8; k++)
		r[k] = (uint8_t)(rand >> (8 * k));
	struct ps_sm_outbox out = { .n = 0 };
	if (ps_sm_ltk_request(&d->s.sm, ediv, r, &out) == 0) {
		handle_out(d, &out);
		return;
	}
	/* Not the pairing's key: a reconnection; the bond store answers (through the peer's IRK when it
	 * uses a resolvable private address). */
	const struct ps_bond *b = d->bonds ? ps_bond_find(d->bonds, d->ph->crypto, &d->s.cfg.identity, &d->peer) : NULL;
	uint8_t ltk[16];
	if (b && ps_bond_ltk(b, PS_SM_PERIPHERAL, &ediv, r, ltk) == 0) {
		if (d->ph->log)
			fprintf(d->ph->log, "  peripheral answers the LTK request from its bond store\n");
		note(d->ph, ps_host_ltk_reply(d->h, handle, ltk));
	} else {
		note(d->ph, ps_host_ltk_neg_reply(d->h, handle));
	}
}

static void cb_enc(void *ctx, uint16_t handle, uint8_t status, uint8_t enabled, bool refresh)
{
	struct pair_dev *d = ctx;
	(void)handle, (void)refresh;
	d->enc = !status && enabled ? 1 : -1;
	struct ps_sm_outbox out = { .n = 0 };
	note(d->ph, ps_sm_encrypted(&d->s.sm, status, enabled != 0, &out));
	handle_out(d, &out);
}

static void cb_tx_done(void *ctx, uint16_t handle, unsigned pending)
{
	struct pair_dev *d = ctx;
	(void)handle;
	if (pending || d->connected != 1)
		return;
	/* Number of Completed Packets: everything we queued has left the controller. */
	struct ps_sm_outbox out = { .n = 0 };
	note(d->ph, ps_sm_tx_flushed(&d->s.sm, &out));
	handle_out(d, &out);
}

void pair_host_callbacks(struct pair_dev *d, struct ps_host_cb *cb)
{
	memset(cb, 0, sizeof *cb);
	cb->ctx = d;
	cb->ready = cb_ready;
	cb->connected = cb_connected;
	cb->disconnected = cb_disconnected;
	cb->smp_rx = cb_smp;
	cb->ltk_request = cb_ltk;
	cb->enc_change = cb_enc;
	cb->tx_done = cb_tx_done;
}

/* ---- the user: reads the peer's display, answers prompts ---- */

/* Answer what the users are asked; returns true when something was answered. */
bool pair_host_users(struct pair_host *p)
{
	bool acted = false;
	for (int i = 0; i < p->ndev; i++) {
		struct pair_dev *d = &p->d[i];
		struct pair_side *s = &d->s, *other = p->ndev == 2 ? &p->d[1 - i].s : NULL;
		struct ps_sm_outbox out = { .n = 0 };
		if (s->asked) {
			uint32_t v;
			if (other && other->shown)
				v = other->shown_value;
			else if (p->have_passkey || p->ndev == 2)
				v = p->passkey;
			else if (p->ask && p->ask(p->ask_ctx, &v) == 0)
				;
			else
				continue;
			if (s->fault == PAIR_FAULT_WRONG_PASSKEY)
				v = (v + 1) % 1000000;
			if (p->log)
				fprintf(p->log, "  %-10s user types %06u\n", who_name[d->role], v);
			s->asked = false;
			note(p, ps_sm_passkey(&s->sm, v, &out));
			acted = true;
		} else if (s->numcmp_shown && !s->numcmp_answered && (!other || other->numcmp_shown || other->done)) {
			bool yes = s->fault != PAIR_FAULT_REJECT_NUMCMP && (!other || other->numcmp_value == s->numcmp_value);
			s->numcmp_answered = true;
			note(p, ps_sm_confirm(&s->sm, yes, &out));
			acted = true;
		}
		handle_out(d, &out);
	}
	return acted;
}

void pair_host_tick(struct pair_host *p)
{
	for (int i = 0; i < p->ndev; i++) {
		struct ps_sm_outbox out = { .n = 0 };
		if (p->d[i].connected == 1)
			note(p, ps_sm_tick(&p->d[i].s.sm, &out));
		handle_out(&p->d[i], &out);
	}
}

void pair_host_start(struct pair_host *p, int i)
{
	struct ps_sm_outbox out = { .n = 0 };
	note(p, ps_sm_pair(&p->d[i].s.sm, &out));
	handle_out(&p->d[i], &out);
}
