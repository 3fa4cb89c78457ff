/* pairscope crack: recover LE legacy pairing keys from captures and decrypt the link (Core Vol 3 Part H
 * §2.3.5 legacy pairing, §2.2.3-2.2.4 c1/s1; Vol 6 Part B §5.1.3 encryption start; Vol 6 Part E CCM).
 * Frames go in one by one (ps_crack_feed: LL sniffer frames and HCI frames alike), ps_crack_run
 * analyses every connection; results are read per connection. The library never prints. */
#ifndef PAIRSCOPE_CRACK_H
#define PAIRSCOPE_CRACK_H

#include <pairscope/crypto.h>
#include <pairscope/frame.h>

struct ps_crack;
struct ps_crack_search_cfg;

struct ps_crack_opts {
	const struct ps_crypto *crypto; /* borrowed */
	unsigned threads;               /* TK searches on this many threads (0 or 1: the calling thread) */
	const uint8_t (*ltks)[16];      /* known LTKs (--ltk), wire order; borrowed */
	size_t nltks;
	/* Diagnostics (missed packets, absurd parameters); may be NULL. */
	void (*on_note)(void *ctx, uint64_t frame, const char *msg);
	void *note_ctx;
	/* Tests only: NULL in normal use (src/crack/crack_int.h). */
	const struct ps_crack_search_cfg *search;
};

enum ps_crack_method {
	PS_CRACK_METHOD_NONE,        /* no pairing seen on this connection (reconnection, or missed) */
	PS_CRACK_METHOD_UNKNOWN,     /* pairing seen but its features were missed */
	PS_CRACK_METHOD_JUST_WORKS,
	PS_CRACK_METHOD_PASSKEY,
	PS_CRACK_METHOD_OOB,
	PS_CRACK_METHOD_NUMCMP,      /* LE Secure Connections numeric comparison */
};

enum ps_crack_verdict {
	PS_CRACK_CRACKED,         /* legacy pairing: TK found, keys derived */
	PS_CRACK_DECRYPTED,       /* no pairing here: decrypted with a known LTK */
	PS_CRACK_VERIFIED,        /* HCI capture: keys were visible; TK/STK derived and checked */
	PS_CRACK_SC_DEBUG_KEY,    /* Secure Connections with the debug key pair: DHKey and LTK derived */
	PS_CRACK_SC_NOT_CRACKABLE,/* Secure Connections: ECDH, not passively breakable */
	PS_CRACK_FAILED,          /* legacy pairing (or encrypted link) we could not break: see note */
	PS_CRACK_PLAIN,           /* nothing encrypted and no pairing: nothing to do */
};

enum {
	PS_CRACK_HAVE_TK = 1u << 0,
	PS_CRACK_HAVE_STK = 1u << 1,
	PS_CRACK_HAVE_LTK = 1u << 2,
	PS_CRACK_HAVE_EDIV = 1u << 3, /* EDIV and Rand */
	PS_CRACK_HAVE_IRK = 1u << 4,
	PS_CRACK_HAVE_CSRK = 1u << 5,
	PS_CRACK_HAVE_ADDRS = 1u << 6,
	PS_CRACK_TK_BY_DECRYPTION = 1u << 7, /* TK found by the decryption search (confirms missing) */
	PS_CRACK_FROM_HCI = 1u << 8,         /* an HCI capture (host side), not a sniffer */
	PS_CRACK_START_GUESSED = 1u << 9,    /* LL_START_ENC_REQ missed: first encrypted PDU found by MIC */
};

/* One connection (sniffer: one access address from one CONNECT_IND; HCI: one connection handle). */
struct ps_crack_conn {
	uint32_t access_address;  /* 0 for HCI */
	uint16_t handle;          /* HCI connection handle; 0 for sniffers */
	uint64_t first_frame, last_frame;
	uint32_t have;            /* PS_CRACK_HAVE_* */
	struct ps_addr central, peripheral;
	enum ps_crack_method method;
	bool pairing;             /* a Pairing Request/Response/Confirm/Random was seen */
	bool secure_connections;
	uint32_t tk;              /* 0..999999 when found */
	uint8_t stk[16], ltk[16], irk[16], csrk[16]; /* wire order */
	uint16_t ediv;
	uint64_t rand;
	/* Keys each side distributed (Vol 3 Part H §3.6.1): [0] the central's, [1] the peripheral's. ltk/ediv/
	 * rand above are the last complete one in the capture, as crackle reports it. */
	struct ps_crack_dist {
		bool have, have_ediv;
		uint8_t ltk[16];
		uint16_t ediv;
		uint64_t rand;
	} dist[2];
	unsigned encrypted;       /* encrypted PDUs seen (retransmissions and empty PDUs excluded) */
	unsigned decrypted;       /* PDUs whose plaintext we have (decrypted here or by the sniffer) */
	unsigned mic_ok;          /* of those, with a verified MIC (ours, or the sniffer's MIC OK flag) */
	unsigned sniffer_plain;   /* PDUs the sniffer had decrypted already (used as plaintext) */
	unsigned retransmissions;
	unsigned bad_crc;         /* data PDUs dropped: the sniffer's CRC flag or our CRC check (CRCInit) failed */
	enum ps_crack_verdict verdict;
	char note[200];           /* why, for FAILED / SC / partial results */
};

PS_API int ps_crack_new(struct ps_crack **out, const struct ps_crack_opts *opts);
PS_API void ps_crack_free(struct ps_crack *c);
/* Feed one frame (any opcode; PS_MON_LL frames and HCI commands/events/ACL are used, others ignored).
 * Copies what it keeps. Returns 0 or -PS_ENOMEM. */
PS_API int ps_crack_feed(struct ps_crack *c, const struct ps_frame *f);
/* Analyse everything fed: crack, derive, decrypt. Returns 0 or a negative code on internal failure. */
PS_API int ps_crack_run(struct ps_crack *c);
PS_API size_t ps_crack_count(const struct ps_crack *c);
PS_API const struct ps_crack_conn *ps_crack_get(const struct ps_crack *c, size_t i);
/* The decrypted LL PDU of input frame `number` (1-based): hdr0 and payload without the MIC; 0 or
 * -PS_ENOENT when that frame was not decrypted by us. */
PS_API int ps_crack_plain(const struct ps_crack *c, uint64_t number, uint8_t *hdr0, const uint8_t **payload,
			  size_t *len, uint32_t *crc_init, bool *crc_known);

/* Rewrite the pcap/pcapng input `in` as a pcap with the same DLT where every frame we decrypted carries
 * its plaintext (MIC removed, length and CRC fixed, MIC-checked/valid flags set where the DLT has
 * them). Written atomically. Returns the number of frames replaced, or a negative code (err set). */
PS_API int ps_crack_write_pcap(const struct ps_crack *c, const char *in, const char *out, char *err,
			       size_t errcap);

/* Time the full passkey space against a synthetic legacy pairing with passkey `passkey` (for the
 * benchmark and tests): builds confirms with c1, then searches. *found gets the TK. */
PS_API int ps_crack_selftest_search(const struct ps_crypto *crypto, unsigned threads, uint32_t passkey,
				    uint32_t *found, double *seconds);
/* Same for the decryption search: synthesises LL_ENC_REQ/RSP and the two LL_START_ENC_RSP PDUs. */
PS_API int ps_crack_selftest_decrypt_search(const struct ps_crypto *crypto, unsigned threads, uint32_t passkey,
					    uint32_t *found, double *seconds);
/* Write a synthetic DLT 256 capture of a legacy Passkey Entry pairing with this passkey, its encryption
 * start and encrypted key distribution (for benchmarks against crackle); without the Pairing Confirms
 * when confirms is false (the decryption search's case). */
PS_API int ps_crack_selftest_capture(const struct ps_crypto *crypto, uint32_t passkey, bool confirms,
				     const char *path);

#endif
