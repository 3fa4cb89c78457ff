/* In-process simulation glue: hosts wired to virtual controllers on one link (see sim.h). The host's
 * bytes go straight into its controller (which only queues); the controller's bytes reach the host when
 * the link runs, so nothing recurses. */
#include <pairscope/sim.h>
#include <pairscope/trace.h>
#include <stdlib.h>
#include <string.h>

#define SIM_MAX 32

struct sim_dev {
	struct ps_sim *s;
	struct ps_host *h;
	struct ps_vctl *c;
};

struct ps_sim {
	struct ps_sim_opts o;
	struct ps_vctl_link *link;
	struct sim_dev dev[SIM_MAX];
	int n;
};

/* 2026-01-01T00:00:00Z in µs: a fixed, plausible time base for deterministic captures. */
#define SIM_EPOCH 1767225600000000ull

static int host_send(void *ctx, const uint8_t *h4, size_t len)
{
	struct sim_dev *d = ctx;
	return ps_vctl_receive_h4(d->c, h4, len);
}

static uint64_t host_now(void *ctx)
{
	struct sim_dev *d = ctx;
	return ps_vctl_link_now(d->s->link);
}

static void ctl_send(void *ctx, const uint8_t *h4, size_t len)
{
	struct sim_dev *d = ctx;
	if (d->h)
		ps_host_receive_h4(d->h, h4, len);
}

static void ctl_trace(void *ctx, uint16_t index, uint16_t op, uint64_t ts, const uint8_t *data, size_t len)
{
	struct ps_sim *s = ctx;
	struct ps_frame f = { .ts_us = ts, .index = index, .opcode = op, .orig_len = (uint32_t)len,
			      .len = (uint32_t)len, .data = data };
	ps_writer_write(s->o.trace, &f);
}

int ps_sim_new(struct ps_sim **out, const struct ps_sim_opts *o)
{
	struct ps_sim *s = calloc(1, sizeof *s);
	if (!s)
		return -PS_ENOMEM;
	s->o = *o;
	struct ps_vctl_link_opts lo = { .crypto = o->crypto, .seed = o->seed,
					.start_us = o->start_us ? o->start_us : SIM_EPOCH };
	int rc = ps_vctl_link_new(&s->link, &lo);
	if (rc < 0) {
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void ps_sim_free(struct ps_sim *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n; i++) {
		ps_host_free(s->dev[i].h);
		s->dev[i].h = NULL;
		ps_vctl_free(s->dev[i].c);
	}
	ps_vctl_link_free(s->link);
	free(s);
}

int ps_sim_add(struct ps_sim *s, const struct ps_host_cb *cb, const struct ps_host_config *cfg,
	       const struct ps_vctl_opts *vopts, struct ps_host **host, struct ps_vctl **ctl)
{
	if (s->n == SIM_MAX)
		return -PS_ENOSPC;
	struct sim_dev *d = &s->dev[s->n];
	d->s = s;
	struct ps_vctl_opts vo = { 0 };
	if (vopts)
		vo = *vopts;
	vo.send = ctl_send;
	vo.ctx = d;
	vo.trace = s->o.trace ? ctl_trace : NULL;
	vo.trace_ctx = s;
	int rc = ps_vctl_new(&d->c, s->link, &vo);
	if (rc < 0)
		return rc;
	struct ps_host_ops ops = { .ctx = d, .send = host_send, .now_us = host_now };
	if ((rc = ps_host_new(&d->h, &ops, cb, cfg)) < 0) {
		ps_vctl_free(d->c);
		return rc;
	}
	s->n++;
	if (host)
		*host = d->h;
	if (ctl)
		*ctl = d->c;
	return 0;
}

uint64_t ps_sim_now(const struct ps_sim *s) { return ps_vctl_link_now(s->link); }

struct ps_vctl_link *ps_sim_link(struct ps_sim *s) { return s->link; }

int ps_sim_run(struct ps_sim *s, uint64_t us)
{
	return ps_vctl_link_run(s->link, ps_vctl_link_now(s->link) + us);
}

int ps_sim_run_until(struct ps_sim *s, bool (*cond)(void *ctx), void *ctx, uint64_t max_us)
{
	uint64_t end = ps_vctl_link_now(s->link) + max_us;
	for (;;) {
		uint64_t now = ps_vctl_link_now(s->link);
		int rc = ps_vctl_link_run(s->link, now);
		if (rc < 0)
			return rc;
		if (cond(ctx))
			return 0;
		uint64_t next = ps_vctl_link_next(s->link);
		if (next > end) {
			ps_vctl_link_run(s->link, end);
			return cond(ctx) ? 0 : -PS_ETIMEOUT;
		}
		if ((rc = ps_vctl_link_run(s->link, next)) < 0)
			return rc;
		if (cond(ctx))
			return 0;
	}
}
