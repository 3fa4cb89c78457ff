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
	struct ps_vctl *ctl;     /* in process: this device's virtual controller */
	struct pair_side s;      /* config, fault, core and outcome */
	int ready, connected;    /* 0 not yet, 1 yes, -1 failed */
	bool disconnected;
	uint8_t disc_reason;
	uint16_t handle;
	struct ps_addr local, peer; /* connection addresses */
	int enc;                    /* last Encryption Change: 1 on, -1 failed, 0 none */
	struct ps_bond_store *bonds; /* this device's bonds (NULL: none kept) */
	const struct ps_bond *bond;  /* the bond with the connected peer, NULL: none */
	bool reenc_started;          /* central: encryption started with the bond's LTK */
	bool ltk_from_store;         /* peripheral: answered an LTK request from the bond store */
	int reenc;                   /* re-encryption from the bond: 1 done, -1 failed, 0 not tried */
	uint8_t reenc_key[16];
	char bond_path[1024];        /* --bond-dir: this device's bond file ("" none) */
};

struct pair_host {
	struct pair_dev d[2];
	int ndev;                /* 2 in process, 1 over a transport */
	const struct ps_crypto *crypto;
	struct ps_sim *sim;      /* in process */
	uint32_t passkey;
	bool have_passkey;
	bool have_confirm, confirm_yes; /* --confirm yes|no: the numeric comparison answer */
	/* transport: ask the terminal (prompt shown once); 0 and a line, -PS_EAGAIN while the user types */
	int (*ask)(void *ctx, const char *prompt, char *line, size_t cap);
	void *ask_ctx;
	FILE *log;
	int err;
};

void pair_host_callbacks(struct pair_dev *d, struct ps_host_cb *cb);
bool pair_host_users(struct pair_host *p);
void pair_host_tick(struct pair_host *p);
void pair_host_start(struct pair_host *p, int i);
/* Secure the link: the central re-encrypts with the stored bond when it has one good enough for
 * auth_req (a Security Request's AuthReq, 0 for our own start) and pairs otherwise (Vol 3 Part H
 * §2.4.6, Vol 3 Part C §10.3); the peripheral sends a Security Request. */
void pair_host_secure(struct pair_host *p, int i, uint8_t auth_req);

/* --bond-dir (pair_bond.c): load the device's bond file DIR/ROLE.bonds into d->bonds, keep its IRK
 * across runs and, with `rpa`, give it a resolvable private address; after the run, store a bonded
 * pairing (under the store's re-pairing policy) and save the file atomically. *what: what happened. */
int pair_bond_open(struct pair_dev *d, const char *dir, const char *role, const struct ps_crypto *c);
int pair_bond_save(struct pair_dev *d, const char **what);

/* --bench N (pair_bench.c). */
int pair_bench(struct ps_crypto *crypto, long n);

/* After a pairing: store each side's bond, disconnect, connect again and re-encrypt with the stored
 * LTK (Vol 3 Part C §10.2.1; SM/PER/KDU/BV-07-C). 0 when both sides came back encrypted. */
int pair_reconnect_sim(struct pair_host *p, const char **why);

/* HCI, L2CAP and link faults (pair_fault_hci.c), called by the stack path around the host. */
/* The link is up, the pairing not yet started: signaling faults, the controller's MIC fault, Reset. */
void pair_fault_link_up(struct pair_dev *d);
/* skip-init: this side's host runs a half init (ps_host_config.skip_init_reads). */
bool pair_fault_skip_init(const struct pair_side *s);
/* Central about to start encryption with the pairing's key (may change what it sends); false: it
 * does not start it. */
bool pair_fault_start_enc(struct pair_dev *d, uint16_t *handle, uint64_t *rand, uint16_t *ediv, uint8_t key[16]);
/* Peripheral about to answer the pairing's LTK request; false: it sent a negative reply instead. */
bool pair_fault_ltk_reply(struct pair_dev *d);
/* Before encryption starts (START_ENC / LTK_REPLY): keys-before-encryption sends its keys now. */
void pair_fault_before_enc(struct pair_dev *d);
/* An SMP PDU about to go out: true when the fault holds it back (sent later by pair_fault_release). */
bool pair_fault_hold(struct pair_dev *d, const uint8_t *pdu, uint8_t len);
/* An SMP PDU went out (disconnect after it). */
void pair_fault_sent(struct pair_dev *d, const uint8_t *pdu, uint8_t len);
/* Time passes: a held PDU that is due goes out; true while one is still held. */
bool pair_fault_release(struct pair_dev *d);
/* The side reported its result (key-refresh). */
void pair_fault_done(struct pair_dev *d);
uint64_t pair_host_now_us(const struct pair_host *p);

/* Drivers (pair_drive.c). Both return 0 when the pairing ran to an outcome (or timed out) and a
 * negative code when the stack could not get that far (*why tells). */
int pair_run_sim(struct pair_host *p, struct ps_writer *trace, const char **why);
int pair_run_transport(struct pair_host *p, const char *spec, const struct ps_addr *connect,
		       struct ps_writer *trace, const char **why);

#endif
