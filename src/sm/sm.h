/* The SMP core API (Core Vol 3 Part H §2-3): one pairing per link, both roles, legacy and LE Secure
 * Connections. Portable: no OS calls, no heap, no I/O. The caller allocates struct ps_sm per link,
 * feeds it events (received PDUs, encryption changes, LTK requests, user answers, "PDU left the
 * controller", time) and carries out the actions the core writes into a caller-given outbox.
 * Randomness, crypto and time come in through struct ps_sm_ops. All key/address arrays are in wire
 * order (LSO first), like include/pairscope/crypto.h. */
#ifndef PS_SM_SM_H
#define PS_SM_SM_H

#include <pairscope/base.h>
#include <pairscope/crypto.h>

enum ps_sm_role {
	PS_SM_CENTRAL,    /* initiator: sends Pairing Request */
	PS_SM_PERIPHERAL, /* responder: sends Pairing Response, may send Security Request */
};

/* Association models (§2.3.5.1, Table 2.8). */
enum ps_sm_method {
	PS_SM_METHOD_NONE,
	PS_SM_METHOD_JUST_WORKS,
	PS_SM_METHOD_PASSKEY,
	PS_SM_METHOD_NUMCMP,
	PS_SM_METHOD_OOB,
};

/* Pairing phases (§2.1: phase 1 feature exchange, phase 2 key generation, phase 3 distribution). */
enum ps_sm_state {
	PS_SM_IDLE,               /* no pairing on this link yet */
	PS_SM_PH1_W4_RSP,         /* central sent Pairing Request */
	PS_SM_PH2_W4_USER,        /* waiting for the local user (passkey, numeric comparison); peer is silent */
	PS_SM_PH2_W4_PUBKEY,      /* SC §2.3.5.6.1: public key exchange */
	PS_SM_PH2_W4_CONFIRM,     /* waiting for Pairing Confirm */
	PS_SM_PH2_W4_RANDOM,      /* waiting for Pairing Random */
	PS_SM_PH2_W4_DHKEY_CHECK, /* SC §2.3.5.6.5: waiting for DHKey Check */
	PS_SM_PH2_W4_ENC,         /* waiting for the link to be encrypted with the STK / LTK */
	PS_SM_PH3_KEYS,           /* §3.6.1 key distribution in progress */
	PS_SM_PH3_W4_TX,          /* all keys exchanged; waiting for our last PDU to leave the controller */
	PS_SM_DONE,               /* paired */
	PS_SM_FAILED,             /* pairing failed; a new pairing may start */
	PS_SM_TIMED_OUT,          /* §3.4: SMP timeout; the channel is silent until a new link */
};
#define PS_SM_NSTATES (PS_SM_TIMED_OUT + 1)

/* Keys one side holds after pairing. */
enum {
	PS_SM_KEY_LTK = 0x01,     /* ltk (legacy: Encryption Information; SC: derived) */
	PS_SM_KEY_EDIV = 0x02,    /* ediv + rand (Central Identification) */
	PS_SM_KEY_IRK = 0x04,     /* irk (Identity Information) */
	PS_SM_KEY_ADDR = 0x08,    /* id_addr (Identity Address Information) */
	PS_SM_KEY_CSRK = 0x10,    /* csrk (Signing Information) */
	PS_SM_KEY_LINK = 0x20,    /* BR/EDR link key derived with h6/h7 (CTKD, LinkKey bit) */
};
struct ps_sm_keys {
	uint8_t have; /* PS_SM_KEY_* */
	uint8_t ltk[16];
	uint16_t ediv;
	uint8_t rand[8];
	uint8_t irk[16];
	struct ps_addr id_addr;
	uint8_t csrk[16];
	uint8_t link_key[16];
};

/* The outcome of one pairing, valid once PS_SM_ACT_RESULT is emitted. */
struct ps_sm_result {
	int status;        /* 0, -PS_EPROTO (Pairing Failed), -PS_ETIMEOUT, -PS_ECRYPTO, ... */
	uint8_t reason;    /* SMP reason (Table 3.7) when status is -PS_EPROTO */
	bool by_peer;      /* the peer sent the Pairing Failed */
	enum ps_sm_method method;
	bool sc;           /* LE Secure Connections */
	bool authenticated;/* MITM protection (Core v6.2: legacy Passkey Entry is unauthenticated) */
	bool bonded;       /* both sides asked for bonding, keys are to be stored */
	bool debug_key;    /* a debug P-256 key was used: never stored as a bond */
	uint8_t key_size;
	uint8_t level;     /* LE security mode 1 level: 1 none, 2 unauth, 3 auth, 4 auth SC 128-bit */
	uint8_t init_dist, resp_dist; /* negotiated distribution (AND of request and response) */
	uint8_t enc_key[16];          /* the key the pairing encrypted the link with (STK or SC LTK) */
	struct ps_sm_keys local;      /* what we distributed (and, in SC, the derived LTK) */
	struct ps_sm_keys peer;       /* what the peer distributed to us (and, in SC, the derived LTK) */
	struct ps_addr peer_addr;     /* the peer's connection address */
};

/* Per-peer record of failed attempts for the back-off of §2.3.6 (kept by the host across links). */
struct ps_sm_attempts {
	uint32_t failures;
	uint64_t not_before_ms;
};

/* What a new pairing with a peer we already hold a bond for may do (Vol 3 Part H §2.4.1 leaves it
 * to the host; STACKS.md #7: make it explicit). Refused pairings fail with Authentication
 * Requirements (0x03), as Zephyr answers an unauthorised key overwrite. */
enum ps_sm_repair {
	PS_SM_REPAIR_ALLOW,        /* the new pairing replaces the bond */
	PS_SM_REPAIR_DENY,         /* a bonded peer must re-encrypt; a new pairing is refused */
	PS_SM_REPAIR_NO_DOWNGRADE, /* allowed unless it reaches a lower security level than the bond */
};

struct ps_sm_config {
	uint8_t io_cap;           /* Table 3.4 */
	bool bond;                /* AuthReq Bonding_Flags = Bonding */
	bool mitm;                /* AuthReq MITM: ask for MITM protection */
	bool require_mitm;        /* refuse a method without it (Pairing Failed 0x03) */
	bool sc;                  /* AuthReq SC: LE Secure Connections supported */
	bool keypress;            /* AuthReq Keypress */
	bool ct2;                 /* AuthReq CT2: h7 supported */
	uint8_t dist_init;        /* initiator keys we ask for / accept (PS_SMP_DIST_*) */
	uint8_t dist_resp;        /* responder keys we ask for / accept */
	uint8_t max_key_size;     /* 7..16 */
	uint8_t min_key_size;     /* 7..16: shorter negotiated keys fail with 0x06 */
	bool oob_tk_present;      /* legacy OOB: the shared TK */
	uint8_t oob_tk[16];
	bool oob_sc_present;      /* SC OOB: the peer's r and C received out of band */
	uint8_t oob_sc_r[16];
	uint8_t oob_sc_c[16];
	bool use_debug_keys;      /* our P-256 key pair is the §2.3.5.6.1 debug key */
	bool allow_debug_keys;    /* accept a peer using the debug key (never bonded) */
	struct ps_addr identity;  /* our identity address (public or static random), sent with IdKey */
	uint8_t irk[16];          /* our IRK; must not be all-zero when IdKey is offered */
	uint32_t timeout_ms;      /* §3.4: 30000 */
	uint32_t backoff_base_ms; /* §2.3.6: first waiting interval after a failed attempt; 0 disables */
	uint32_t backoff_max_ms;  /* cap of the exponentially growing interval */
	uint8_t bond_level;       /* set by the host per link: the peer's stored bond level (2..4), 0 none */
	uint8_t repair;           /* enum ps_sm_repair, applied when bond_level != 0 */
};

struct ps_sm_ops {
	const struct ps_crypto *crypto;
	uint64_t (*now_ms)(void *ctx); /* monotonic milliseconds */
	void *ctx;
};

enum ps_sm_act {
	PS_SM_ACT_SEND,            /* pdu[len]: queue on the SMP channel; call ps_sm_tx_done when it left */
	PS_SM_ACT_START_ENC,       /* central: LE Start Encryption with key, ediv, rand */
	PS_SM_ACT_LTK_REPLY,       /* peripheral: LE LTK Request Reply with key */
	PS_SM_ACT_PASSKEY_DISPLAY, /* value: show this passkey to the user */
	PS_SM_ACT_PASSKEY_INPUT,   /* ask the user for the passkey; answer with ps_sm_passkey */
	PS_SM_ACT_NUMCMP,          /* value: ask the user to compare; answer with ps_sm_confirm */
	PS_SM_ACT_KEYPRESS,        /* value: the peer's keypress notification */
	PS_SM_ACT_SEC_REQ,         /* central: the peripheral sent a Security Request (value = AuthReq) */
	PS_SM_ACT_STORE,           /* store the bond in result (bonded pairings only) */
	PS_SM_ACT_RESULT,          /* the pairing ended (success or failure): result */
};

struct ps_sm_action {
	enum ps_sm_act type;
	uint8_t len;
	uint8_t pdu[65];
	uint32_t value;
	uint8_t key[16];
	uint16_t ediv;
	uint8_t rand[8];
	const struct ps_sm_result *result; /* borrowed from the ps_sm until its next call */
};

#define PS_SM_OUTBOX_CAP 16
struct ps_sm_outbox {
	struct ps_sm_action a[PS_SM_OUTBOX_CAP];
	unsigned n;
};

/* The per-link state. Caller-allocated; fields are private to src/sm. */
struct ps_sm {
	struct ps_sm_config cfg;
	struct ps_sm_ops ops;
	struct ps_sm_attempts *attempts;
	enum ps_sm_role role;
	enum ps_sm_state state;
	struct ps_addr local_addr, peer_addr; /* connection addresses (c1, f5, f6) */
	int err;                              /* sticky library error of the current call */
	uint8_t preq[7], pres[7];
	enum ps_sm_method method;
	bool sc, authenticated, keypress, ct2;
	uint8_t key_size;
	uint8_t user;                         /* what the local user still has to answer */
	bool have_tk;
	uint32_t passkey;
	uint8_t tk[16];
	uint8_t confirm_local[16], confirm_peer[16], rand_local[16], rand_peer[16];
	bool have_pending;                    /* a peer PDU that waits for the local user */
	uint8_t pending_op;
	uint8_t pending[16];
	bool have_keypair, have_local_oob, debug_peer;
	uint8_t priv[32], pub[64], peer_pub[64], dhkey[32], mackey[16], ltk[16], local_oob_r[16];
	uint8_t round;                        /* SC Passkey Entry round, 0..20 */
	uint8_t dist_local, dist_peer;        /* PDUs to send / to receive */
	uint8_t rx_next;                      /* index of the next expected key PDU */
	bool local_sent;
	unsigned tx_inflight;
	bool timer_on;
	uint64_t deadline_ms;
	struct ps_sm_result res;
};

/* Defaults: NoInputNoOutput, bonding, SC, CT2, keys 7..16, all of EncKey|IdKey|SignKey, 30 s timeout,
 * back-off from 2 s up to 60 s. identity/irk stay zero: set them (IdKey is dropped while irk is zero). */
PS_API void ps_sm_config_default(struct ps_sm_config *cfg);

/* Start a link: role, our and the peer's connection addresses. attempts (borrowed for the life of
 * the link, may be NULL) is the per-peer back-off record. -PS_EINVAL on a bad config. */
PS_API int ps_sm_init(struct ps_sm *sm, const struct ps_sm_config *cfg, const struct ps_sm_ops *ops,
		      enum ps_sm_role role, const struct ps_addr *local, const struct ps_addr *peer,
		      struct ps_sm_attempts *attempts);

/* Central: send Pairing Request. Peripheral: send Security Request. -PS_EAGAIN during back-off,
 * -PS_ESTATE when a pairing runs or the link timed out. */
PS_API int ps_sm_pair(struct ps_sm *sm, struct ps_sm_outbox *out);

/* A PDU received on the SMP channel (code first). Protocol errors become Pairing Failed actions;
 * the return value is a library error only. */
PS_API int ps_sm_rx(struct ps_sm *sm, const uint8_t *pdu, size_t len, struct ps_sm_outbox *out);

/* Encryption Change (or Key Refresh) on this link: hci_status 0 and enabled on success. */
PS_API int ps_sm_encrypted(struct ps_sm *sm, uint8_t hci_status, bool enabled, struct ps_sm_outbox *out);

/* Peripheral: LE Long Term Key Request. 0 with a PS_SM_ACT_LTK_REPLY when the pairing owns the
 * request; -PS_ENOENT when it does not (the host then looks in the bond store). */
PS_API int ps_sm_ltk_request(struct ps_sm *sm, uint16_t ediv, const uint8_t rand[8], struct ps_sm_outbox *out);

/* One SEND action's PDU has left the controller (Number of Completed Packets), in order. */
PS_API int ps_sm_tx_done(struct ps_sm *sm, struct ps_sm_outbox *out);

/* Every SEND so far has left the controller (the host's per-link pending count dropped to 0). */
PS_API int ps_sm_tx_flushed(struct ps_sm *sm, struct ps_sm_outbox *out);

/* User answers: the passkey typed (0..999999), the numeric comparison verdict, a keypress to notify. */
PS_API int ps_sm_passkey(struct ps_sm *sm, uint32_t passkey, struct ps_sm_outbox *out);
PS_API int ps_sm_confirm(struct ps_sm *sm, bool yes, struct ps_sm_outbox *out);
PS_API int ps_sm_keypress(struct ps_sm *sm, uint8_t type, struct ps_sm_outbox *out);
/* The user gave up: Pairing Failed (Passkey Entry Failed / Numeric Comparison Failed). */
PS_API int ps_sm_cancel(struct ps_sm *sm, struct ps_sm_outbox *out);

/* SC OOB: our r and C = f4(PKx, PKx, r, 0) to hand to the peer out of band (fixes our key pair). */
PS_API int ps_sm_oob_local(struct ps_sm *sm, uint8_t r[16], uint8_t c[16]);

/* Time: fires the 30 s SMP timeout. ps_sm_deadline gives the next time to call it (0: none). */
PS_API int ps_sm_tick(struct ps_sm *sm, struct ps_sm_outbox *out);
PS_API uint64_t ps_sm_deadline(const struct ps_sm *sm);

/* Read-only views. */
PS_API enum ps_sm_state ps_sm_state(const struct ps_sm *sm);
PS_API const struct ps_sm_result *ps_sm_result(const struct ps_sm *sm);
/* True once we have queued all the key PDUs we distribute (harnesses wrap the outbox with it). */
PS_API bool ps_sm_local_keys_sent(const struct ps_sm *sm);

/* Names for printers: "PH2_W4_CONFIRM", "just-works", "display-only"... never NULL. */
PS_API const char *ps_sm_state_name(enum ps_sm_state s);
PS_API const char *ps_sm_method_name(enum ps_sm_method m);
/* CLI IO capability names ("keyboard-only") <-> Table 3.4 values. */
PS_API const char *ps_sm_io_name(uint8_t io_cap);
PS_API int ps_sm_io_parse(const char *s, uint8_t *io_cap);

/* §2.3.5.1 association model from the two Pairing Request/Response parameter sets (wire order, code
 * first). *sc and *authenticated get the properties of the chosen model. */
PS_API enum ps_sm_method ps_sm_select_method(const uint8_t preq[7], const uint8_t pres[7], bool *sc,
					      bool *authenticated);

#endif
