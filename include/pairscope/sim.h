/* In-process simulation: any number of devices, each our host (host.h) on its own virtual controller
 * (vctl.h), all on one simulated link with its deterministic clock. For tests, benchmarks and
 * `pairscope pair` without a transport. Every HCI packet can be recorded through a btsnoop writer. */
#ifndef PAIRSCOPE_SIM_H
#define PAIRSCOPE_SIM_H

#include <pairscope/host.h>
#include <pairscope/vctl.h>

struct ps_writer;
struct ps_sim;

struct ps_sim_opts {
	const struct ps_crypto *crypto; /* borrowed */
	uint64_t seed;                  /* nonzero: deterministic SKD/IV/LE Rand */
	uint64_t start_us;              /* clock start (also the btsnoop time base); 0 = 2026-01-01 */
	struct ps_writer *trace;        /* optional: every controller's HCI traffic, one index each */
};

PS_API int ps_sim_new(struct ps_sim **out, const struct ps_sim_opts *o);
/* Frees the devices (hosts and controllers) and the link. The writer stays the caller's. */
PS_API void ps_sim_free(struct ps_sim *s);
/* Add a device; *host and *ctl (either may be NULL) receive its parts, owned by the simulation.
 * vopts may be NULL (defaults); its send/trace fields are ignored. */
PS_API int ps_sim_add(struct ps_sim *s, const struct ps_host_cb *cb, const struct ps_host_config *cfg,
		      const struct ps_vctl_opts *vopts, struct ps_host **host, struct ps_vctl **ctl);
PS_API uint64_t ps_sim_now(const struct ps_sim *s);
PS_API struct ps_vctl_link *ps_sim_link(struct ps_sim *s);
/* Advance the clock by us, delivering everything due on the way. */
PS_API int ps_sim_run(struct ps_sim *s, uint64_t us);
/* Advance until cond(ctx) holds (checked after every step) or max_us passed: 0 when cond held,
 * -PS_ETIMEOUT otherwise. */
PS_API int ps_sim_run_until(struct ps_sim *s, bool (*cond)(void *ctx), void *ctx, uint64_t max_us);

#endif
