/* pairscope pair drivers (Vol 3 Part H §2.3-2.4 over Vol 4 Part E): bring the hosts up, connect, start
 * the pairing, answer the users, and let time run until both sides report (or the 30 s SMP timeout
 * does) - in process on the simulated link, or against a controller over a transport. */
#include "pair_host.h"
#include <pairscope/frame.h>
#include <pairscope/platform.h>
#include <pairscope/sim.h>
#include <pairscope/trace.h>
#include <string.h>

#define LIMIT_US (45ull * 1000 * 1000)

static bool both(struct pair_host *p, size_t off)
{
	for (int i = 0; i < p->ndev; i++)
		if (!*(int *)((char *)&p->d[i] + off))
			return false;
	return true;
}
static bool all_ready(void *ctx) { return both(ctx, offsetof(struct pair_dev, ready)); }
static bool all_connected(void *ctx) { return both(ctx, offsetof(struct pair_dev, connected)); }

/* Every side has its result or lost its link, and no fault holds a PDU back. */
static bool finished(const struct pair_host *p)
{
	for (int i = 0; i < p->ndev; i++)
		if ((!p->d[i].s.done && !p->d[i].disconnected) || p->d[i].s.held_len)
			return false;
	return true;
}

/* Something to do: every side finished, an error, or a user to answer. */
static bool progress(void *ctx)
{
	struct pair_host *p = ctx;
	for (int i = 0; i < p->ndev; i++) {
		const struct pair_side *s = &p->d[i].s, *o = p->ndev == 2 ? &p->d[1 - i].s : NULL;
		if (s->asked)
			return true;
		if (s->numcmp_shown && !s->numcmp_answered && (!o || o->numcmp_shown || o->done))
			return true;
	}
	return finished(p) || p->err;
}

int pair_run_sim(struct pair_host *p, struct ps_writer *trace, const char **why)
{
	struct ps_sim_opts o = { .crypto = p->crypto, .trace = trace };
	int rc = ps_sim_new(&p->sim, &o);
	if (rc < 0) {
		*why = "cannot create the simulation";
		return rc;
	}
	p->ndev = 2;
	for (int i = 0; i < 2; i++) {
		struct pair_dev *d = &p->d[i];
		d->ph = p;
		d->idx = i;
		struct ps_host_cb cb;
		pair_host_callbacks(d, &cb);
		struct ps_host_config hc = { .has_random = true, .skip_init_reads = pair_fault_skip_init(&d->s) };
		memcpy(hc.random_addr, d->s.addr.a, 6);
		if ((rc = ps_sim_add(p->sim, &cb, &hc, NULL, &d->h, &d->ctl)) < 0 || (rc = ps_host_start(d->h)) < 0) {
			*why = "cannot add a device";
			return rc;
		}
	}
	if (ps_sim_run_until(p->sim, all_ready, p, 2000000) < 0 || p->d[0].ready < 0 || p->d[1].ready < 0) {
		*why = "the hosts did not come up";
		return -PS_ETIMEOUT;
	}
	const struct ps_host_adv adv = { .interval_min = 0x20, .interval_max = 0x20 };
	ps_host_advertise(p->d[1].h, &adv);
	ps_host_connect(p->d[0].h, &p->d[1].s.addr, NULL);
	if (ps_sim_run_until(p->sim, all_connected, p, 5000000) < 0 || p->d[0].connected < 0 ||
	    p->d[1].connected < 0) {
		*why = "no connection";
		return -PS_ETIMEOUT;
	}
	for (int i = 0; i < 2; i++)
		pair_fault_link_up(&p->d[i]);
	/* SC OOB: a side configured with OOB data gets the other device's r and C, "out of band". */
	for (int i = 0; i < 2; i++)
		if (p->d[i].s.cfg.oob_sc_present &&
		    (rc = ps_sm_oob_local(&p->d[1 - i].s.sm, p->d[i].s.sm.cfg.oob_sc_r, p->d[i].s.sm.cfg.oob_sc_c)) < 0)
			return rc;
	/* The central secures the link (re-encrypting with a bond, else pairing), or waits for the
	 * peripheral's Security Request (§2.4.6, SM/PER/PIS/BV-01-C and BV-02-C). */
	if (p->d[1].s.secreq || p->d[0].s.secreq)
		pair_host_secure(p, 1, 0);
	else
		pair_host_secure(p, 0, 0);
	uint64_t start = ps_sim_now(p->sim);
	while (!finished(p) && !p->err && ps_sim_now(p->sim) - start < LIMIT_US) {
		pair_host_users(p);
		ps_sim_run_until(p->sim, progress, p, 500000);
		pair_host_users(p);
		pair_host_tick(p);
	}
	/* Let the last PDUs and their Number of Completed Packets reach the trace. */
	ps_sim_run(p->sim, 100000);
	return p->err;
}

static bool all_disconnected(void *ctx)
{
	struct pair_host *p = ctx;
	return p->d[0].disconnected && p->d[1].disconnected;
}
static bool all_enc(void *ctx) { return both(ctx, offsetof(struct pair_dev, enc)); }

int pair_reconnect_sim(struct pair_host *p, const char **why)
{
	for (int i = 0; i < 2; i++) {
		struct pair_dev *d = &p->d[i];
		struct ps_bond b;
		if (!d->bonds || ps_bond_from_result(&b, &d->s.cfg.identity, &d->s.result) < 0 ||
		    ps_bond_put(d->bonds, &b) < 0) {
			*why = "nothing to store (not bonded)";
			return -PS_ENOENT;
		}
	}
	ps_host_disconnect(p->d[0].h, p->d[0].handle, 0x13);
	if (ps_sim_run_until(p->sim, all_disconnected, p, 5000000) < 0) {
		*why = "no disconnection";
		return -PS_ETIMEOUT;
	}
	p->d[0].connected = p->d[1].connected = 0;
	if (p->log)
		fprintf(p->log, "  -- disconnected; connecting again --\n");
	const struct ps_host_adv adv = { .interval_min = 0x20, .interval_max = 0x20 };
	ps_host_advertise(p->d[1].h, &adv);
	ps_host_connect(p->d[0].h, &p->d[1].s.addr, NULL);
	if (ps_sim_run_until(p->sim, all_connected, p, 5000000) < 0 || p->d[0].connected < 0) {
		*why = "no reconnection";
		return -PS_ETIMEOUT;
	}
	struct pair_dev *c = &p->d[0];
	if (!c->bond) {
		*why = "the central has no bond for the peer";
		return -PS_ENOENT;
	}
	pair_host_secure(p, 0, 0);
	if (ps_sim_run_until(p->sim, all_enc, p, 5000000) < 0 || p->d[0].enc != 1 || p->d[1].enc != 1) {
		*why = "re-encryption failed";
		return -PS_EPROTO;
	}
	return 0;
}

/* ---- one host over a transport ---- */

struct tp {
	struct pair_host *p;
	struct ps_transport *t;
	struct ps_writer *trace;
};

static int tp_send(void *ctx, const uint8_t *h4, size_t len)
{
	return ps_transport_write(((struct tp *)ctx)->t, h4, len);
}
static uint64_t tp_now(void *ctx)
{
	(void)ctx;
	return ps_clock_now_us();
}
static void tp_trace(void *ctx, uint16_t op, const uint8_t *data, size_t len)
{
	struct tp *t = ctx;
	if (!t->trace)
		return;
	struct ps_frame f = { .ts_us = ps_clock_now_us(), .index = 0, .opcode = op, .orig_len = (uint32_t)len,
			      .len = (uint32_t)len, .data = data };
	ps_writer_write(t->trace, &f);
}
static void tp_pkt(void *ctx, const uint8_t *pkt, size_t len)
{
	struct tp *t = ctx;
	ps_host_receive_h4(t->p->d[0].h, pkt, len);
}

/* Poll the transport until cond holds or ms passed; false on timeout or a closed transport. */
static bool tp_wait(struct tp *t, bool (*cond)(void *), uint64_t ms)
{
	uint64_t end = ps_clock_now_us() + ms * 1000;
	while (!cond(t->p)) {
		if (ps_clock_now_us() >= end)
			return false;
		int rc = ps_transport_poll(t->t, 50, tp_pkt, t);
		if (rc < 0 && rc != -PS_ETIMEOUT)
			return false;
		pair_host_users(t->p);
		pair_host_tick(t->p);
	}
	return true;
}

int pair_run_transport(struct pair_host *p, const char *spec, const struct ps_addr *connect,
		       struct ps_writer *trace, const char **why)
{
	static char err[160];
	struct tp t = { .p = p, .trace = trace };
	int rc = ps_transport_open(&t.t, spec, err, sizeof err);
	if (rc < 0) {
		*why = err;
		return rc;
	}
	p->ndev = 1;
	struct pair_dev *d = &p->d[0];
	d->ph = p;
	d->idx = 0;
	struct ps_host_cb cb;
	pair_host_callbacks(d, &cb);
	struct ps_host_ops ops = { .ctx = &t, .send = tp_send, .now_us = tp_now, .trace = tp_trace };
	struct ps_host_config hc = { .has_random = true, .skip_init_reads = pair_fault_skip_init(&d->s) };
	memcpy(hc.random_addr, d->s.addr.a, 6);
	if ((rc = ps_host_new(&d->h, &ops, &cb, &hc)) < 0 || (rc = ps_host_start(d->h)) < 0) {
		*why = "cannot start the host";
		goto out;
	}
	if (!tp_wait(&t, all_ready, 5000) || d->ready < 0) {
		*why = "the controller did not come up";
		rc = -PS_ETIMEOUT;
		goto out;
	}
	if (connect) {
		ps_host_connect(d->h, connect, NULL);
	} else {
		const struct ps_host_adv adv = { .interval_min = 0x20, .interval_max = 0x20 };
		ps_host_advertise(d->h, &adv);
	}
	if (!tp_wait(&t, all_connected, 20000) || d->connected < 0) {
		*why = "no connection";
		rc = -PS_ETIMEOUT;
		goto out;
	}
	pair_fault_link_up(d);
	/* A central with `secreq` waits for the peer's Security Request; a peripheral with it sends one. */
	if (connect ? !d->s.secreq : d->s.secreq)
		pair_host_secure(p, 0, 0);
	uint64_t end = ps_clock_now_us() + LIMIT_US;
	while (!finished(p) && !p->err && ps_clock_now_us() < end) {
		int prc = ps_transport_poll(t.t, 50, tp_pkt, &t);
		if (prc < 0 && prc != -PS_ETIMEOUT)
			break;
		pair_host_users(p);
		pair_host_tick(p);
	}
	/* Give the last PDUs time to leave before we go. */
	for (int i = 0; i < 6; i++)
		ps_transport_poll(t.t, 50, tp_pkt, &t);
	rc = p->err;
out:
	ps_host_free(d->h);
	d->h = NULL;
	ps_transport_close(t.t);
	return rc;
}
