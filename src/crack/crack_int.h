/* Internals of the cracker (every file in src/crack): stored PDUs per connection, pairing and encryption-session
 * records, and the search entry points. Core Vol 6 Part B §2.4 (data PDUs), §5.1.3 (encryption start),
 * Vol 3 Part H §2.3.5 (legacy pairing). */
#ifndef PS_CRACK_INT_H
#define PS_CRACK_INT_H

#include <pairscope/crack.h>
#include "proto/ll.h"

/* What became of one stored data PDU. */
enum pdu_state {
	PDU_PLAIN,      /* sent unencrypted */
	PDU_EMPTY,      /* empty PDU (never encrypted, no counter) */
	PDU_RETRANS,    /* retransmission of the previous PDU from the same side (same SN, same bytes) */
	PDU_ENCRYPTED,  /* encrypted, not (yet) decrypted */
	PDU_DECRYPTED,  /* decrypted by us, MIC verified */
	PDU_SNIFFER,    /* decrypted by the sniffer (DLT 272/256 flags): used as plaintext */
	PDU_BAD_CRC,    /* the sniffer or our CRC check says the packet is damaged */
};

struct pdu {
	uint64_t number, ts_us;
	uint8_t hdr0, len;
	uint8_t dir;          /* 1 central->peripheral, 0 peripheral->central, 0xff unknown */
	uint8_t state;        /* enum pdu_state */
	uint16_t llflags;     /* PS_LL_* from the sniffer */
	bool mic_kept;        /* sniffer-decrypted and the 4 MIC octets still follow (nRF Sniffer, DLT 272/157) */
	uint8_t *data;        /* len octets as captured (ciphertext + MIC when encrypted) */
	uint8_t *plain;       /* decrypted payload (len - 4), or NULL */
	uint64_t counter;
};

/* One legacy or SC pairing as seen on a link (wire order throughout). */
struct pairing {
	bool preq_ok, pres_ok, sc, failed;
	uint8_t preq[7], pres[7];
	uint8_t confirm_mask, rand_mask;     /* bit 0 central's, bit 1 peripheral's */
	int nconfirm, nrand;                 /* in arrival order, for captures without direction */
	uint8_t confirm[2][16], rand[2][16]; /* [0] central, [1] peripheral */
	bool pk_ok[2];
	uint8_t pk[2][64];
	uint8_t fail_reason;
};

/* One encryption start: LL_ENC_REQ / LL_ENC_RSP values and where encrypted traffic begins. */
struct session {
	bool req_ok, rsp_ok;
	uint64_t rand;
	uint16_t ediv;
	uint8_t skd_c[8], skd_p[8], iv[8]; /* iv = IVc || IVp wire order */
	size_t start;                      /* index of the first PDU after LL_START_ENC_REQ */
	bool start_seen;
};

struct conn {
	struct ps_crack_conn pub;
	uint32_t crc_init;
	bool crc_known;
	unsigned bad_crc; /* kept here: the walk resets pub */
	struct ps_ll_dir dir; /* direction guess for sniffers that do not record it */
	struct pdu *pdus;
	size_t n, cap;
	/* L2CAP reassembly per direction (2 = unknown) */
	uint8_t l2buf[3][600];
	size_t l2len[3], l2need[3];
	struct pairing pair;
	bool pair_fresh;   /* a pairing completed phase 2 since the last encryption start */
	bool have_key_dist_ltk[2];
	uint8_t dist_ltk[2][16];
	uint16_t dist_ediv[2];
	uint64_t dist_rand[2];
};

struct ps_crack {
	struct ps_crack_opts o;
	struct conn **conns;
	size_t n, cap;
	/* LTKs learnt from key distributions, with their EDIV/Rand, for later connections */
	struct known_ltk {
		uint8_t ltk[16];
		uint16_t ediv;
		uint64_t rand;
		bool ident;
	} *keys;
	size_t nkeys, capkeys;
	/* frame number -> (conn, pdu) for ps_crack_plain, sorted after run */
	struct plain_ref {
		uint64_t number;
		uint32_t conn, pdu;
	} *refs;
	size_t nrefs;
	/* HCI side state (hci.c) */
	void *hci;
};

void ps_crack_note(const struct ps_crack *c, uint64_t frame, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ps_crack_add_key(struct ps_crack *c, const uint8_t ltk[16], uint16_t ediv, uint64_t rand, bool ident);
struct conn *ps_crack_conn_new(struct ps_crack *c, uint32_t aa, uint64_t frame);

/* walk.c: analyse one sniffer connection. */
int ps_crack_walk(struct ps_crack *c, struct conn *k);
/* Vol 3 Part H §2.3.5.1 Table 2.8: the association model from the Pairing Request/Response. */
enum ps_crack_method ps_crack_method_of(const struct pairing *pr, bool pairing, bool have_tk, uint32_t tk);
/* One SMP PDU (code first) sent by dir (1 central, 0 peripheral) into k's pairing and key records. */
void ps_crack_smp(struct ps_crack *c, struct conn *k, uint8_t dir, bool dir_known, uint64_t number, const uint8_t *b,
		  size_t n);

/* search.c */
/* c1 search over TK 0..999999 against confirm[0] with rand[0] (central), verified against the
 * peripheral's; 0 and *tk, or -PS_ENOENT. */
int ps_crack_tk_by_confirm(const struct ps_crack_opts *o, const struct pairing *p, uint8_t iat, const uint8_t ia[6],
			   uint8_t rat, const uint8_t ra[6], uint32_t *tk);
/* Decryption search: TK such that the two target PDUs verify under SK = e(s1(TK, Srand, Mrand), SKD). */
struct dsearch_pdu {
	uint8_t hdr0;
	const uint8_t *ct; /* len - 4 octets */
	size_t len;        /* payload length without MIC */
	const uint8_t *mic;
	uint64_t counter;
	int dir_central;
};
int ps_crack_tk_by_decryption(const struct ps_crack_opts *o, const uint8_t mrand[16], const uint8_t srand[16],
			      const uint8_t skd_c[8], const uint8_t skd_p[8], const uint8_t iv[8],
			      const struct dsearch_pdu *a, const struct dsearch_pdu *b, uint32_t *tk);
/* TK from a known STK (HCI captures): STK = s1(TK, Srand, Mrand). */
int ps_crack_tk_by_stk(const struct ps_crack_opts *o, const uint8_t mrand[16], const uint8_t srand[16],
		       const uint8_t stk[16], uint32_t *tk);
/* Search options that tests flip. */
struct ps_crack_search_cfg {
	bool generic_only; /* kept for tests: the search always goes through the crypto module */
};
/* TK (0..999999) as the 16-octet wire value. */
void ps_crack_tk_bytes(uint32_t tk, uint8_t out[16]);

/* hci.c */
int ps_crack_hci_feed(struct ps_crack *c, const struct ps_frame *f);
int ps_crack_hci_run(struct ps_crack *c);
void ps_crack_hci_free(struct ps_crack *c);

#endif
