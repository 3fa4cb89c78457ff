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
	/* SMP PDU faults (pair_fault.c) */
	PAIR_FAULT_BAD_LENGTH,        /* Pairing Confirm one octet too long */
	PAIR_FAULT_UNKNOWN_CODE,      /* an SMP PDU with reserved code 0x0f before phase 1 */
	PAIR_FAULT_RESERVED_AUTHREQ,  /* RFU AuthReq bits set */
	PAIR_FAULT_WRONG_ROLE,        /* central: Security Request; peripheral: a Pairing Request */
	PAIR_FAULT_RANDOM_FIRST,      /* Pairing Random before Pairing Confirm */
	PAIR_FAULT_REFLECT_CONFIRM,   /* the peer's confirm value sent back */
	PAIR_FAULT_BAD_KEYSIZE,       /* Maximum Encryption Key Size 17 */
	PAIR_FAULT_DIST_SUPERSET,     /* Pairing Response asks for keys the request did not */
	PAIR_FAULT_SC_DOWNGRADE,      /* sets AuthReq.SC but runs legacy pairing */
	PAIR_FAULT_KEY_ORDER,         /* key PDUs in reverse order */
	PAIR_FAULT_BAD_IDENTITY,      /* identity address that is no valid identity address */
	PAIR_FAULT_PATTERN_KEYS,      /* negotiated keys, constant test-pattern values */
	PAIR_FAULT_REUSE_RANDOM,      /* a stuck RNG: every random value the same */
	PAIR_FAULT_INVALID_PUBKEY,    /* a public key off the P-256 curve */
	PAIR_FAULT_WRONG_DHKEY_CHECK, /* corrupt our DHKey check */
	PAIR_FAULT_EXTRA_ROUND,       /* a 21st Passkey Entry round */
	PAIR_FAULT_DEBUG_KEYS,        /* the SC debug key pair */
	/* HCI / L2CAP / link faults (pair_fault_hci.c) */
	PAIR_FAULT_KEYS_UNENCRYPTED,  /* key PDUs before Encryption Change */
	PAIR_FAULT_EDIV_WITH_STK,     /* STK encryption with non-zero EDIV/Rand */
	PAIR_FAULT_WRONG_ENC_KEY,     /* LE Start Encryption with a key other than the STK/LTK */
	PAIR_FAULT_NO_START_ENC,      /* phase 2 done, encryption never started */
	PAIR_FAULT_ENC_BAD_HANDLE,    /* LE Start Encryption on a handle that does not exist */
	PAIR_FAULT_LTK_NEG_REPLY,     /* peripheral: negative reply to the STK/LTK request */
	PAIR_FAULT_REENC_WRONG_KEY,   /* --reconnect: central re-encrypts with an EDIV it was never given */
	PAIR_FAULT_FORGET_BOND,       /* --reconnect: peripheral lost its bond */
	PAIR_FAULT_KEY_REFRESH,       /* central refreshes the key once paired */
	PAIR_FAULT_LATE_PDU,          /* a phase-2 PDU 31 s late (after the SMP timeout) */
	PAIR_FAULT_SLOW_PDU,          /* a phase-2 PDU 12 s late */
	PAIR_FAULT_DISCONNECT,        /* drop the link in phase 2 */
	PAIR_FAULT_MIC_FAILURE,       /* the controller corrupts the MIC of its first encrypted PDU */
	PAIR_FAULT_L2CAP_WRONG_IDENT, /* the seed: Connection Parameter Update Response with identifier 0 */
	PAIR_FAULT_L2CAP_IDENT_ZERO,  /* Connection Parameter Update Request with identifier 0 */
	PAIR_FAULT_CONN_PARAM_RANGE,  /* Connection Parameter Update Request out of range */
	PAIR_FAULT_L2CAP_UNKNOWN,     /* an LE signaling command with an unknown code */
	PAIR_FAULT_SKIP_INIT,         /* host skips the buffer-size reads after Reset (the seed's half-up adapter) */
	PAIR_FAULT_COUNT
};

struct pair_side {
	struct ps_sm_config cfg;
	struct ps_addr addr;
	enum pair_fault fault;
	bool secreq;      /* peripheral: send a Security Request once connected; central: wait for one (§2.4.6) */
	bool rpa;         /* connect / advertise with a resolvable private address from our IRK */
	bool skip_init;   /* half host init (ps_host_config.skip_init_reads): the skip-init fault, or the demo's seed */
	/* filled by the run */
	struct ps_sm sm;
	struct ps_sm_attempts att;
	struct ps_sm_result result;
	bool done, shown, asked, numcmp_shown, numcmp_answered, injected;
	bool reencrypted; /* done by re-encrypting with a stored bond: result comes from the bond */
	uint32_t shown_value, numcmp_value;
	uint8_t drop_after; /* PAIR_FAULT_DROP_LAST_KEY: key PDUs still to pass */
	/* fault state */
	uint8_t peer_confirm[16]; /* the last Pairing Confirm received (reflect-confirm) */
	unsigned fault_done;      /* one-shot faults: how many times applied */
	struct ps_crypto stuck;   /* reuse-random: the crypto ops with a stuck rand */
	uint8_t held[65], held_len; /* late/slow PDU: held until held_until_us */
	uint64_t held_until_us;
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
		uint8_t pdu[66];
	} q[256];
	unsigned head, tail;
};

/* A fault's own PDUs (at most the five key PDUs). */
struct pair_pdus {
	uint8_t pdu[6][20];
	uint8_t len[6];
	unsigned n;
};
/* Apply a fault to one outgoing PDU (may rewrite it, and may put PDUs to send before it in *pre,
 * which the caller empties first); false: do not send it. last_key marks the last key PDU of the
 * side's distribution. peer_pub: the key to reflect (NULL when unknown). */
bool pair_fault_apply(struct pair_side *s, const uint8_t peer_pub[64], bool last_key, uint8_t *pdu, uint8_t *len,
		      struct pair_pdus *pre);
/* Before a side's outbox is carried out: reorder or rewrite it (wrong-key-order). */
void pair_fault_outbox(struct pair_side *s, struct ps_sm_outbox *out);
/* A PDU the side received (remembers what faults reflect). */
void pair_fault_rx(struct pair_side *s, const uint8_t *pdu, size_t len);
/* Before the core is set up: configuration a fault needs (sc-downgrade, debug-keys, reuse-random). */
void pair_fault_config(struct pair_side *s, struct ps_sm_config *cfg, struct ps_sm_ops *ops);
/* `pairscope pair --help`: every fault with one line of what it does. */
void pair_fault_help(FILE *f);
/* The negotiated key PDUs, with fresh random values (keys-before-encryption). */
void pair_fault_real_keys(const struct ps_sm *sm, const struct ps_sm_config *cfg, const struct ps_addr *addr,
			  struct pair_pdus *o);
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
