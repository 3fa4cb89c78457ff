/* Doctor internals shared by its files: the rebuilt model of a capture (controllers, connections,
 * pairings with every SMP PDU and its phase), findings, and the hooks each family of checks offers. */
#ifndef PS_DOCTOR_INT_H
#define PS_DOCTOR_INT_H

#include <pairscope/doctor.h>
#include "doctor/rules.h"
#include "proto/ll.h"
#include "doctor/tables.h"
#include <stdarg.h>

#define DR_NONE_RULE DR_NRULES
#define DR_MAX_FRAMES 6
#define DR_MAX_FINDINGS 20000  /* beyond this a capture is noise: count, do not store */
#define DR_MAX_PDUS 200        /* SC passkey: 20 rounds x 4 PDUs + the rest */
#define DR_SIG_PENDING 8

enum dr_outcome { DR_O_INCOMPLETE = 0, DR_O_SUCCEEDED, DR_O_FAILED, DR_O_TIMEOUT, DR_O_DISCONNECTED };
enum dr_cstat { DR_C_NOT_VERIFIABLE = 0, DR_C_VERIFIED, DR_C_MISMATCH };
/* Pairing phases, Vol 3 Part H 2.1: 1 feature exchange, 2 key generation (confirm/random, public key,
 * DHKey check), encryption start, 3 transport-specific key distribution. */
enum dr_phase { DR_PH1 = 1, DR_PH2, DR_PH_ENC, DR_PH3, DR_PH_END };

struct dr_finding {
	uint16_t rule;
	int32_t pairing; /* index into d->pairings, -1 = capture/connection level */
	uint8_t nframes;
	uint64_t frames[DR_MAX_FRAMES];
	uint64_t ts;
	char summary[400];
};

struct dr_pdu {
	uint64_t frame, ts;
	uint8_t code;
	uint8_t len;       /* octets after the code, as sent (clipped to sizeof b) */
	uint8_t by_init;   /* 1: sent by the initiator */
	uint8_t encrypted; /* link encrypted when sent */
	uint8_t phase;     /* enum dr_phase when it was sent */
	uint8_t valid;     /* length right for the code */
	uint8_t b[65];
};

struct dr_party {
	bool known;  /* address known */
	bool local;  /* the host that wrote the capture */
	uint8_t type; /* 0 public, 1 random */
	uint8_t a[6]; /* wire order */
};

struct dr_pairing {
	uint16_t index, handle;
	int32_t conn;
	struct dr_party init, resp;
	uint64_t first_frame, first_ts, last_ts;
	uint64_t secreq_frame;
	bool have_req, have_rsp;
	uint8_t preq[7], pres[7];
	uint64_t req_frame, rsp_frame;
	/* negotiated (valid once have_req && have_rsp) */
	bool sc;
	struct dr_assoc assoc;
	uint8_t key_size, idist, rdist;
	bool bond;
	enum dr_phase phase;
	struct dr_pdu *pdus;
	uint32_t npdus, cap, dropped;
	/* encryption with the STK / SC LTK */
	bool enc_started;
	uint64_t enc_frame;
	uint8_t enc_ltk[16];
	uint16_t enc_ediv;
	uint64_t enc_rand;
	bool enc_on;
	uint64_t enc_on_frame;
	int enc_status; /* -1 none */
	uint64_t enc_status_frame;
	uint64_t enc_ts, enc_status_ts;
	/* outcome */
	enum dr_outcome outcome;
	bool ended;
	uint8_t fail_reason;
	uint8_t fail_by_init;
	uint64_t fail_frame, end_frame, end_ts;
	int disc_reason; /* -1 none */
	/* crypto */
	enum dr_cstat c_confirm_i, c_confirm_r, c_stk;
	bool tk_known;
	uint8_t tk[16];
	int32_t passkey; /* -1 none */
	char crypto_note[160];
	uint16_t probable_cause;
	uint64_t cause_frame;
	bool reported_unenc, reported_order;
	uint32_t seq;            /* phase-2 PDUs seen in order */
	uint8_t got[2];          /* key PDU codes received, bit (code - 6), [0] responder, [1] initiator */
	int8_t last_rank[2];
	bool complete;           /* encryption on and every negotiated key distributed */
	uint64_t complete_frame;
	uint32_t reenc;          /* later encryptions with a key from this pairing */
	uint64_t reenc_frame;
	bool hidden;
	bool enc_refused;
	bool enc_key_unknown;    /* sniffer capture: the key never crosses the air */
	bool opaque;             /* encrypted PDUs the capture could not show */
	bool lossy;              /* sniffed over the air: PDUs may be missing from the capture */        /* the peripheral's host answered the LTK request negatively */             /* a Security Request answered by encryption: a reconnection, not a pairing */
};

struct dr_sig_req {
	uint8_t code, ident;
	bool from_local;
	uint64_t frame;
};

struct dr_conn {
	uint16_t index, handle;
	bool open;
	uint8_t role;          /* 0 local is central, 1 local is peripheral, 0xff unknown */
	struct dr_party local, peer;
	bool peer_id_known;    /* the controller resolved the peer's RPA to this identity (types 2/3) */
	uint8_t peer_id[6];
	bool encrypted;
	int32_t pairing;       /* the pairing in progress or last one on this link, -1 none */
	uint64_t open_frame;
	struct dr_sig_req sig[DR_SIG_PENDING];
	uint8_t nsig;
	/* last key handed to the controller (LE Start Encryption / LTK Request Reply) */
	bool key_pending;
	uint8_t key_ltk[16];
	uint16_t key_ediv;
	uint64_t key_rand, key_frame;
	/* link-layer sniffer captures (ll_ctx.c) */
	bool sniffed;          /* seen on the air: no local host, central treated as "tx" */
	bool dir_guessed;      /* the sniffer gave no direction: guessed from timing and SMP semantics */
	uint32_t aa;
	struct ps_ll_dir ll_dir; /* direction guess state (proto/ll.h) */
	uint32_t ll_hash[2];     /* last PDU per side [0 peripheral, 1 central]: LLID, length, payload */
	uint8_t ll_sn[2];        /* its SN; 0xff none yet */
	uint32_t ll_crc_init;    /* CRCInit from CONNECT_IND (ll_crc_known) */
	bool ll_crc_known;
	bool ll_enc;           /* after LL_START_ENC_REQ: payloads are ciphertext unless decrypted */
	uint8_t ll_have;       /* 1 LL_ENC_REQ, 2 LL_ENC_RSP, 4 first encrypted LL_START_ENC_RSP kept */
	uint8_t skd_c[8], skd_p[8], iv[8]; /* IVc || IVp, wire order */
	uint8_t ll_hdr0, ll_pdu[5];        /* LL_START_ENC_RSP as sent: opcode + MIC, encrypted */
	bool ltkreq, neg_replied;
	uint16_t ltkreq_ediv;
	uint64_t ltkreq_rand, ltkreq_frame;
};

struct dr_ctrl {
	uint16_t index;
	uint64_t counter;  /* btmon's #N: HCI packets of this index */
	bool addr_known;
	uint8_t addr[6];
	bool rand_known;
	uint8_t rand_addr[6];
	uint8_t own_type;  /* own address type of the last LE Create Connection / advertising */
	bool own_type_known;
	/* §4.1 flow control: what the host did after HCI Reset */
	bool reset;
	uint64_t reset_frame;
	bool rd_buf, le_rd_buf, le_evmask, local_feat, bdaddr_read, init_reported;
	uint64_t bdaddr_frame;
	bool connected_before_bdaddr;
	uint64_t acl_frame;      /* first ACL sent after Reset without buffer sizes read */
	uint64_t conn_frame;     /* first connection after Reset */
	uint64_t link_key_frame; /* last BR/EDR Link Key Notification: LE keys may be derived from it (CTKD) */
};

struct ps_acl;
struct ps_doctor {
	struct ps_doctor_opts o;
	struct ps_acl *acl;
	struct dr_ctrl *ctrls;
	size_t nctrls, cap_ctrls;
	struct dr_conn *conns;
	size_t nconns, cap_conns;
	struct dr_pairing *pairings;
	size_t npairings, cap_pairings;
	struct dr_finding *findings;
	size_t nfindings, cap_findings, dropped_findings;
	uint64_t first_ts, last_ts;
	bool have_ts;
	uint64_t frames;
	bool finished;
	/* The input was btmon text and some of its records could not be rebuilt (the importer left a
	 * "pairscope: line N: not rebuilt" note in their place): PDUs may be missing, as in a sniffer
	 * capture, so a missing step is not proof that a device skipped it. */
	bool input_gaps;
	unsigned searches; /* passkey searches spent outside Passkey Entry */
	/* current frame */
	uint64_t cur_frame, cur_ts;
};

/* Findings: summary is printf-style; frames end with a 0 (frame numbers are 1-based). */
void dr_add(struct ps_doctor *d, enum dr_rule rule, int32_t pairing, const uint64_t *frames, unsigned nframes,
	    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void dr_add1(struct ps_doctor *d, enum dr_rule rule, int32_t pairing, uint64_t frame, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Model lookups (session.c). */
struct dr_ctrl *dr_ctrl_get(struct ps_doctor *d, uint16_t index);
struct dr_conn *dr_conn_find(struct ps_doctor *d, uint16_t index, uint16_t handle);
struct dr_conn *dr_conn_open(struct ps_doctor *d, uint16_t index, uint16_t handle);
struct dr_pairing *dr_pairing_new(struct ps_doctor *d, struct dr_conn *c);
static inline int32_t dr_pidx(const struct ps_doctor *d, const struct dr_pairing *p)
{
	return p ? (int32_t)(p - d->pairings) : -1;
}

/* Families of checks, each in its own file. */
/* hci_ctx.c: HCI commands and events (Vol 4 Part E). */
void dr_hci_command(struct ps_doctor *d, uint16_t index, const uint8_t *p, size_t len);
void dr_hci_event(struct ps_doctor *d, uint16_t index, const uint8_t *p, size_t len);
void dr_hci_acl_sent(struct ps_doctor *d, struct dr_ctrl *ctl, const struct dr_conn *c, uint64_t frame);
void dr_hci_finish(struct ps_doctor *d);
void dr_hci_disconnected(struct ps_doctor *d, uint16_t index, uint16_t handle, uint8_t reason);
/* ll_ctx.c: link-layer sniffer frames (Vol 6 Part B). */
void dr_ll_frame(struct ps_doctor *d, struct dr_ctrl *ctl, const struct ps_frame *f);
void dr_l2cap_frame(struct ps_doctor *d, struct dr_conn *c, bool tx, uint16_t handle, uint8_t pb, const uint8_t *p,
		    size_t len);
/* l2cap_ctx.c: LE signaling channel (Vol 3 Part A 4). */
void dr_l2cap_signal(struct ps_doctor *d, struct dr_conn *c, bool tx, const uint8_t *p, size_t len);
/* pairing.c: SMP PDUs into pairings, PDU validity and order (Vol 3 Part H 3). */
void dr_smp_pdu(struct ps_doctor *d, struct dr_conn *c, bool tx, const uint8_t *p, size_t len);
void dr_pairing_end(struct ps_doctor *d, struct dr_pairing *p, enum dr_outcome o, uint64_t frame);
/* negotiation.c */
void dr_negotiate(struct ps_doctor *d, struct dr_pairing *p);
void dr_negotiation_finish(struct ps_doctor *d, struct dr_pairing *p);
/* keydist.c */
void dr_keydist_pdu(struct ps_doctor *d, struct dr_pairing *p, const struct dr_pdu *u);
void dr_keydist_finish(struct ps_doctor *d, struct dr_pairing *p);
bool dr_keydist_complete(const struct dr_pairing *p);
/* Key PDUs (bit code - 6) a side sends for its distribution bits dist. */
uint8_t dr_keydist_codes(const struct dr_pairing *p, uint8_t dist);
/* encryption.c */
void dr_enc_key_given(struct ps_doctor *d, struct dr_conn *c, const uint8_t ltk[16], uint16_t ediv, uint64_t rand,
		      bool by_central);
/* The peripheral's host answered the LTK request with a negative reply. */
void dr_enc_key_refused(struct ps_doctor *d, struct dr_conn *c);
void dr_enc_change(struct ps_doctor *d, struct dr_conn *c, uint8_t status, bool on, bool refresh);
void dr_enc_finish(struct ps_doctor *d, struct dr_pairing *p);
/* randomness.c */
void dr_random_finish(struct ps_doctor *d);
bool dr_is_pattern(const uint8_t *v, size_t n, char *why, size_t cap);
/* crypto_verify.c */
void dr_crypto_finish(struct ps_doctor *d, struct dr_pairing *p);
/* Passkey search: the TK (passkey) whose c1 gives confirm; -1 when none. */
int32_t dr_passkey_search(const struct ps_crypto *c, const uint8_t confirm[16], const uint8_t rand[16],
			  const uint8_t preq[7], const uint8_t pres[7], uint8_t iat, const uint8_t ia[6], uint8_t rat,
			  const uint8_t ra[6]);
/* sc_verify.c: SC crypto when a debug key makes the DHKey known; false when it cannot judge. */
bool dr_sc_verify(struct ps_doctor *d, struct dr_pairing *p);
/* timing.c */
void dr_timing_pdu(struct ps_doctor *d, struct dr_pairing *p, const struct dr_pdu *u);
void dr_timing_finish(struct ps_doctor *d, struct dr_pairing *p);
/* sc.c */
void dr_sc_finish(struct ps_doctor *d, struct dr_pairing *p);
/* cause.c: outcome findings and probable cause. */
void dr_cause_finish(struct ps_doctor *d, struct dr_pairing *p);

/* Helpers. */
const struct dr_pdu *dr_find_pdu(const struct dr_pairing *p, uint8_t code, int by_init, uint32_t from);
const char *dr_who(bool by_init);
void dr_keydist_str(uint8_t v, char *buf, size_t cap);
double dr_rel_time(const struct ps_doctor *d, uint64_t ts);

#endif
