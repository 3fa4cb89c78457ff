/* pairscope pair: the two sides' SMP configuration and outcome, the faults of real stacks (applied
 * around the cores' outboxes, never inside them), and --bench's back-to-back run of two cores with
 * no HCI in between. Vol 3 Part H. */
#ifndef PS_PAIR_SIM_H
#define PS_PAIR_SIM_H

#include "sm/sm.h"
#include <pairscope/trace.h>
#include <stdio.h>

enum pair_fault {
	PAIR_FAULT_NONE,
	PAIR_FAULT_UNNEGOTIATED_KEYS, /* the seed: keys it asked for, negotiated or not, test-pattern values */
	PAIR_FAULT_WRONG_CONFIRM,     /* corrupt our confirm values */
	PAIR_FAULT_REFLECT_PUBKEY,    /* send the peer's public key back */
	PAIR_FAULT_STALL,             /* go silent after phase 1 */
	PAIR_FAULT_DROP_LAST_KEY,     /* the last key PDU never reaches the peer */
	PAIR_FAULT_WRONG_PASSKEY,     /* the user types a wrong passkey */
	PAIR_FAULT_REJECT_NUMCMP,     /* the user says the numbers differ */
};

struct pair_side {
	struct ps_sm_config cfg;
	struct ps_addr addr;
	enum pair_fault fault;
	bool secreq;      /* peripheral: send a Security Request once connected; central: wait for one (§2.4.6) */
	bool rpa;         /* connect / advertise with a resolvable private address from our IRK */
	/* filled by the run */
	struct ps_sm sm;
	struct ps_sm_attempts att;
	struct ps_sm_result result;
	bool done, shown, asked, numcmp_shown, numcmp_answered, injected;
	bool reencrypted; /* done by re-encrypting with a stored bond: result comes from the bond */
	uint32_t shown_value, numcmp_value;
	uint8_t drop_after; /* PAIR_FAULT_DROP_LAST_KEY: key PDUs still to pass */
};

struct pair_sim {
	struct pair_side side[2]; /* 0 central, 1 peripheral */
	const struct ps_crypto *crypto;
	uint32_t passkey;      /* typed when nobody displays */
	bool have_passkey;
	FILE *log;               /* steps as text, NULL: quiet */
	uint64_t now_us;
	bool enc_mismatch;
	int err;
	/* event queue */
	struct pair_ev {
		uint8_t type, to, len, status;
		uint8_t pdu[65];
	} q[256];
	unsigned head, tail;
};

/* A fault's own PDUs (at most the five key PDUs). */
struct pair_pdus {
	uint8_t pdu[5][20];
	uint8_t len[5];
	unsigned n;
};
/* Apply a fault to one outgoing PDU (may rewrite it); false: do not send it. last_key marks the last
 * key PDU of the side's distribution. peer_pub: the key to reflect (NULL when unknown). */
bool pair_fault_apply(enum pair_fault f, const uint8_t peer_pub[64], bool last_key, uint8_t *pdu, uint8_t *len);
/* send-unnegotiated-keys: the key PDUs the seed's stack sent instead of the negotiated ones. */
void pair_fault_keys(const struct ps_sm *sm, const struct ps_sm_config *cfg, const struct ps_addr *addr,
		     struct pair_pdus *o);

/* Run one pairing; returns 0 when it ran (whatever its outcome) or a library error. */
int pair_sim_run(struct pair_sim *s);
const char *pair_fault_name(enum pair_fault f);
int pair_fault_parse(const char *s, enum pair_fault *f);
/* Every key one side distributed equals what the other stored, and both encrypted with one key. */
bool pair_sim_keys_match(const struct pair_sim *s);
/* Every key one result distributed equals what the other stored, and one encryption key. */
bool pair_results_match(const struct ps_sm_result *c, const struct ps_sm_result *p);

#endif
