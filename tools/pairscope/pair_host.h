/* pairscope pair on the stack path: our host (host.h) per side with an SMP core on top, in process on
 * virtual controllers (sim.h) or over a real transport (platform.h). Vol 3 Part H; Vol 4 Part E. */
#ifndef PS_PAIR_HOST_H
#define PS_PAIR_HOST_H

#include "pair_sim.h"
#include <pairscope/host.h>
#include "host/bond.h"

struct pair_host;

struct pair_dev {
	struct pair_host *ph;
	int idx;                 /* slot in pair_host.d */
	int role;                /* 0 central, 1 peripheral (from LE Connection Complete) */
	struct ps_host *h;
	struct pair_side s;      /* config, fault, core and outcome */
	int ready, connected;    /* 0 not yet, 1 yes, -1 failed */
	bool disconnected;
	uint8_t disc_reason;
	uint16_t handle;
	struct ps_addr local, peer; /* connection addresses */
	int enc;                    /* last Encryption Change: 1 on, -1 failed, 0 none */
	struct ps_bond_store *bonds; /* this device's bonds (NULL: none kept) */
};

struct pair_host {
	struct pair_dev d[2];
	int ndev;                /* 2 in process, 1 over a transport */
	const struct ps_crypto *crypto;
	struct ps_sim *sim;      /* in process */
	uint32_t passkey;
	bool have_passkey;
	/* transport: ask the terminal for a passkey (0 and *v, or negative) */
	int (*ask)(void *ctx, uint32_t *v);
	void *ask_ctx;
	FILE *log;
	int err;
};

void pair_host_callbacks(struct pair_dev *d, struct ps_host_cb *cb);
bool pair_host_users(struct pair_host *p);
void pair_host_tick(struct pair_host *p);
void pair_host_start(struct pair_host *p, int i);

/* After a pairing: store each side's bond, disconnect, connect again and re-encrypt with the stored
 * LTK (Vol 3 Part C §10.2.1; SM/PER/KDU/BV-07-C). 0 when both sides came back encrypted. */
int pair_reconnect_sim(struct pair_host *p, const char **why);

/* Drivers (pair_drive.c). Both return 0 when the pairing ran to an outcome (or timed out) and a
 * negative code when the stack could not get that far (*why tells). */
int pair_run_sim(struct pair_host *p, struct ps_writer *trace, const char **why);
int pair_run_transport(struct pair_host *p, const char *spec, const struct ps_addr *connect,
		       struct ps_writer *trace, const char **why);

#endif
