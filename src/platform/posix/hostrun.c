/* Driving our host (host.h) over an H4 transport with the monotonic clock: the glue `pairscope pair
 * --transport` and the interop tools use. */
#include <pairscope/host.h>
#include <pairscope/platform.h>

static int t_send(void *ctx, const uint8_t *h4, size_t len) { return ps_transport_write(ctx, h4, len); }
static uint64_t t_now(void *ctx)
{
	(void)ctx;
	return ps_clock_now_us();
}

void ps_host_transport_ops(struct ps_transport *t, struct ps_host_ops *ops)
{
	ops->ctx = t;
	ops->send = t_send;
	ops->now_us = t_now;
	ops->trace = NULL;
}

static void on_pkt(void *ctx, const uint8_t *p, size_t n) { ps_host_receive_h4(ctx, p, n); }

int ps_host_transport_run(struct ps_host *h, struct ps_transport *t, bool (*cond)(void *ctx), void *ctx, int timeout_ms)
{
	uint64_t end = ps_clock_now_us() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms) * 1000;
	for (;;) {
		if (cond && cond(ctx))
			return 0;
		uint64_t now = ps_clock_now_us();
		if (now >= end)
			return cond ? -PS_ETIMEOUT : 0;
		uint64_t left = (end - now + 999) / 1000;
		int rc = ps_transport_poll(t, left > 100 ? 100 : (int)left, on_pkt, h);
		if (rc == -PS_EOF || rc == -PS_EIO)
			return rc;
	}
}
