/* pairscope pair on the stack path (Vol 3 Part H over L2CAP CID 6, HCI Vol 4 Part E): each side is
 * our host (host.h) with an SMP core on top. In process, both hosts sit on virtual controllers on
 * one simulated link (sim.h) and the btsnoop records both controllers; with --transport, one host
 * talks H4 to whatever controller is at the other end. Faults wrap the outbox (pair_fault.c). */
#include "pair_host.h"
#include "proto/smp.h"
#include <pairscope/platform.h>
#include <pairscope/sim.h>
#include <stdio.h>
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
	if (!tag[0] && pair_fault_hold(d, pdu, len)) {
		if (d->ph->log)
			fprintf(d->ph->log, "  %-10s holds its next PDU back [fault]\n", who_name[d->role]);
		return;
	}
	log_pdu(d, pdu, len, tag);
	note(d->ph, ps_host_smp_send(d->h, d->handle, pdu, len));
	pair_fault_sent(d, pdu, len);
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
	pair_fault_outbox(s, out);
	unsigned last = 0;
	for (unsigned j = 0; j < out->n; j++)
		if (out->a[j].type == PS_SM_ACT_SEND && out->a[j].len && out->a[j].pdu[0] >= 0x06 && out->a[j].pdu[0] <= 0x0a)
			last = j;
	for (unsigned i = 0; i < out->n; i++) {
		struct ps_sm_action *a = &out->a[i];
		FILE *log = d->ph->log;
		switch (a->type) {
		case PS_SM_ACT_SEND: {
			uint8_t pdu[66], len = a->len;
			memcpy(pdu, a->pdu, len);
			struct pair_pdus pre;
			bool go = pair_fault_apply(s, peer_pub(d), ps_sm_local_keys_sent(&s->sm) && i == last, pdu, &len, &pre);
			for (unsigned k = 0; k < pre.n; k++)
				send_pdu(d, pre.pdu[k], pre.len[k], " [fault]");
			if (go)
				send_pdu(d, pdu, len, "");
			break;
		}
		case PS_SM_ACT_START_ENC: {
			uint16_t handle = d->handle, ediv = 0;
			uint64_t rand = 0;
			uint8_t key[16];
			memcpy(key, a->key, 16);
			pair_fault_before_enc(d);
			if (!pair_fault_start_enc(d, &handle, &rand, &ediv, key))
				break;
			if (log)
				fprintf(log, "  central    starts encryption (%s)\n", s->sm.sc ? "LTK" : "STK");
			note(d->ph, ps_host_start_encryption(d->h, handle, rand, ediv, key));
			break;
		}
		case PS_SM_ACT_LTK_REPLY:
			pair_fault_before_enc(d);
			if (pair_fault_ltk_reply(d))
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
		case PS_SM_ACT_SEC_REQ:
			if (log)
				fprintf(log, "  central    got a Security Request (AuthReq 0x%02x)\n", (unsigned)a->value);
			pair_host_secure(d->ph, d->idx, (uint8_t)a->value);
			break;
		case PS_SM_ACT_STORE:
			break;
		case PS_SM_ACT_RESULT:
			s->done = true;
			s->result = *a->result;
			pair_fault_done(d);
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
	/* A peer we hold a bond for (by identity address, or its RPA resolved through stored IRKs):
	 * the core applies the store's re-pairing policy to a new pairing with it. */
	struct ps_sm_config cfg = d->s.cfg;
	pair_fault_config(&d->s, &cfg, &ops);
	d->bond = d->bonds ? ps_bond_find(d->bonds, d->ph->crypto, &cfg.identity, &i->peer) : NULL;
	d->reenc_started = d->ltk_from_store = false;
	d->reenc = 0;
	if (d->bond) {
		cfg.bond_level = ps_bond_level(d->bond);
		cfg.repair = (uint8_t)ps_bond_repair_policy(d->bonds);
		if (d->ph->log) {
			char b[PS_ADDR_STRLEN], c[PS_ADDR_STRLEN];
			bool rpa = memcmp(&d->bond->peer_id, &i->peer, sizeof i->peer) != 0;
			fprintf(d->ph->log, "  %-10s holds a bond with %s (security level %u)%s%s\n", who_name[d->role],
				ps_addr_str(d->bond->peer_id.a, b), cfg.bond_level,
				rpa ? ": resolved the peer's RPA through its stored IRK, " : "",
				rpa ? ps_addr_str(i->peer.a, c) : "");
		}
	}
	int rc = ps_sm_init(&d->s.sm, &cfg, &ops, d->role ? PS_SM_PERIPHERAL : PS_SM_CENTRAL, &i->local,
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
	pair_fault_rx(&d->s, pdu, len);
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
	if (b && d->s.fault != PAIR_FAULT_FORGET_BOND && ps_bond_ltk(b, PS_SM_PERIPHERAL, &ediv, r, ltk) == 0) {
		if (d->ph->log)
			fprintf(d->ph->log, "  peripheral answers the LTK request from its bond store (EDIV 0x%04x)\n", ediv);
		d->bond = b;
		d->ltk_from_store = true;
		memcpy(d->reenc_key, ltk, 16);
		note(d->ph, ps_host_ltk_reply(d->h, handle, ltk));
		return;
	}
	/* This link's own fresh bond (a key refresh right after the pairing): SC LTK with EDIV = Rand = 0,
	 * or the LTK we distributed with its EDIV/Rand (Vol 3 Part H §2.4.4.2). */
	const struct ps_sm_result *res = &d->s.result;
	static const uint8_t zero8[8];
	if (d->s.fault != PAIR_FAULT_FORGET_BOND && d->s.done && !res->status && res->bonded &&
	    ((res->sc && !ediv && !memcmp(r, zero8, 8)) ||
	     (!res->sc && (res->local.have & PS_SM_KEY_EDIV) && res->local.ediv == ediv && !memcmp(res->local.rand, r, 8)))) {
		note(d->ph, ps_host_ltk_reply(d->h, handle, res->sc ? res->enc_key : res->local.ltk));
		return;
	}
	{
		/* Vol 6 Part B §5.1.3.1: no key: the link stays unencrypted (PIN or Key Missing). */
		if (d->ph->log)
			fprintf(d->ph->log, "  peripheral has no key for the LTK request: negative reply\n");
		note(d->ph, ps_host_ltk_neg_reply(d->h, handle));
	}
}

/* The outcome of a re-encryption with a stored bond: the link has the bond's security level, and
 * what each side holds is what the bond holds (no pairing ran). A central whose key the peer no
 * longer has (PIN or Key Missing) pairs instead. */
static void reencrypted(struct pair_dev *d, uint8_t status, uint8_t enabled)
{
	FILE *log = d->ph->log;
	bool ok = !status && enabled;
	d->reenc = ok ? 1 : -1;
	d->reenc_started = d->ltk_from_store = false;
	if (log)
		fprintf(log, "  %-10s %s\n", who_name[d->role],
			ok ? "link encrypted with the stored LTK" : "re-encryption with the stored LTK failed");
	if (!ok) {
		if (d->role == 0 && ps_sm_state(&d->s.sm) == PS_SM_IDLE) {
			if (log)
				fprintf(log, "  central    the peer has lost the bond (0x%02x): pairing\n", status);
			pair_host_start(d->ph, d->idx);
		}
		return;
	}
	if (d->s.done || !d->bond)
		return; /* --reconnect after a pairing: that pairing stays the result */
	struct ps_sm_result *r = &d->s.result;
	const struct ps_bond *b = d->bond;
	memset(r, 0, sizeof *r);
	r->method = PS_SM_METHOD_NONE;
	r->sc = b->sc;
	r->authenticated = b->authenticated;
	r->bonded = true;
	r->key_size = b->key_size;
	r->level = ps_bond_level(b);
	memcpy(r->enc_key, d->reenc_key, 16);
	r->local = b->local;
	r->peer = b->peer;
	r->peer_addr = d->peer;
	d->s.reencrypted = d->s.done = true;
}

static void cb_enc(void *ctx, uint16_t handle, uint8_t status, uint8_t enabled, bool refresh)
{
	struct pair_dev *d = ctx;
	(void)handle;
	d->enc = !status && enabled ? 1 : -1;
	if (refresh && d->s.done) {
		if (d->ph->log) /* Vol 4 Part E §7.7.39: the link's key refreshed after the pairing */
			fprintf(d->ph->log, "  %-10s encryption key refreshed (0x%02x)\n", who_name[d->role], status);
		return;
	}
	if (d->reenc_started || d->ltk_from_store) {
		reencrypted(d, status, enabled);
		return;
	}
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

static bool parse_passkey(const char *line, uint32_t *v)
{
	char *end;
	unsigned long x = strtoul(line, &end, 10);
	if (end == line || x > 999999)
		return false;
	*v = (uint32_t)x;
	return true;
}

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
			char line[32];
			if (other && other->shown)
				v = other->shown_value;
			else if (p->have_passkey || p->ndev == 2)
				v = p->passkey;
			else if (p->ask && p->ask(p->ask_ctx, "passkey: ", line, sizeof line) == 0 && parse_passkey(line, &v))
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
			/* §2.3.5.6.2: the user compares the six digits on both displays. In process the
			 * simulated user reads both; over a transport the terminal asks (or --confirm). */
			bool yes;
			char line[32], prompt[64];
			snprintf(prompt, sizeof prompt, "does the peer show %06u? [y/n]: ", s->numcmp_value);
			if (p->have_confirm)
				yes = p->confirm_yes;
			else if (other)
				yes = other->numcmp_value == s->numcmp_value;
			else if (p->ask && p->ask(p->ask_ctx, prompt, line, sizeof line) == 0)
				yes = line[0] == 'y' || line[0] == 'Y';
			else
				continue;
			if (s->fault == PAIR_FAULT_REJECT_NUMCMP)
				yes = false;
			if (p->log)
				fprintf(p->log, "  %-10s user says the numbers %s\n", who_name[d->role], yes ? "match" : "differ");
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
		pair_fault_release(&p->d[i]);
		if (p->d[i].connected == 1)
			note(p, ps_sm_tick(&p->d[i].s.sm, &out));
		handle_out(&p->d[i], &out);
	}
}

void pair_host_secure(struct pair_host *p, int i, uint8_t auth_req)
{
	struct pair_dev *d = &p->d[i];
	enum ps_sm_state st = ps_sm_state(&d->s.sm);
	if (d->role == 1 || d->reenc_started || d->enc == 1 ||
	    (st != PS_SM_IDLE && st != PS_SM_DONE && st != PS_SM_FAILED)) {
		if (d->role == 1)
			pair_host_start(p, i);
		return; /* a pairing or an encryption is already under way (§3.6.7: ignore it) */
	}
	/* §2.4.6: a central with a bond whose security meets the request encrypts with its LTK; a
	 * request for MITM protection that an unauthenticated bond cannot meet makes it pair again. */
	uint16_t ediv = 0;
	uint8_t rand[8] = { 0 }, ltk[16];
	const struct ps_bond *b = d->bond;
	if (b && (!(auth_req & PS_SMP_AUTH_MITM) || b->authenticated) && ps_bond_ltk(b, PS_SM_CENTRAL, &ediv, rand, ltk) == 0) {
		uint64_t r = 0;
		for (unsigned k = 8; k-- > 0;)
			r = r << 8 | rand[k];
		if (d->s.fault == PAIR_FAULT_REENC_WRONG_KEY)
			ediv ^= 0x5a5a; /* an EDIV the peer never distributed (Vol 3 Part H §2.4.4.2) */
		if (p->log)
			fprintf(p->log, "  central    starts encryption with the stored LTK (EDIV 0x%04x)\n", ediv);
		d->reenc_started = true;
		memcpy(d->reenc_key, ltk, 16);
		note(p, ps_host_start_encryption(d->h, d->handle, r, ediv, ltk));
		return;
	}
	pair_host_start(p, i);
}

void pair_host_start(struct pair_host *p, int i)
{
	struct ps_sm_outbox out = { .n = 0 };
	note(p, ps_sm_pair(&p->d[i].s.sm, &out));
	handle_out(&p->d[i], &out);
}
