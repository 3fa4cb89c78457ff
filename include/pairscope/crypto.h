/* The security toolbox (Core Vol 3 Part H §2.2, Vol 6 Part E): pure functions over a backend ops
 * table. Byte order: EVERY key, random, confirm, address and PDU array in this API is in WIRE order
 * (least significant octet first), exactly as HCI, SMP and LL carry it. The spec prints values most
 * significant octet first; the CLI and tests convert with ps_reverse() at their edge, nowhere else. */
#ifndef PAIRSCOPE_CRYPTO_H
#define PAIRSCOPE_CRYPTO_H

#include <pairscope/base.h>

/* Backend: every primitive pairscope needs, with a context. OpenSSL 3 libcrypto is the only
 * implementation (src/crypto/openssl.c); tests inject randomness with ps_crypto_inject_rand(). */
struct ps_crypto {
	void *ctx;
	/* AES-128 block encryption; key and in/out in FIPS-197 order (MSO first), as AES sees them. */
	int (*aes128)(void *ctx, const uint8_t key[16], const uint8_t in[16], uint8_t out[16]);
	/* AES-CMAC (RFC 4493) over msg; key and output in RFC order (MSO first). */
	int (*cmac)(void *ctx, const uint8_t key[16], const uint8_t *msg, size_t len, uint8_t out[16]);
	/* AES-CCM with M=4, L=2 (13-byte nonce), key MSO first, as in Vol 6 Part E. */
	int (*ccm_encrypt)(void *ctx, const uint8_t key[16], const uint8_t nonce[13], const uint8_t *aad,
			   size_t aad_len, const uint8_t *in, size_t len, uint8_t *out, uint8_t mic[4]);
	/* Returns 0 when the MIC verifies, -PS_ECRYPTO when it does not. */
	int (*ccm_decrypt)(void *ctx, const uint8_t key[16], const uint8_t nonce[13], const uint8_t *aad,
			   size_t aad_len, const uint8_t *in, size_t len, const uint8_t mic[4], uint8_t *out);
	/* P-256. Keys in SMP wire order: private 32 bytes LSO first; public = X(32, LSO first) || Y(32). */
	int (*p256_keygen)(void *ctx, uint8_t priv[32], uint8_t pub[64]);
	int (*p256_public)(void *ctx, const uint8_t priv[32], uint8_t pub[64]);
	/* DHKey (x coordinate, LSO first). Validates peer_pub first (as p256_check): -PS_EINVAL for an
	 * invalid point, and for a private key outside 1..n-1 (also in p256_public). */
	int (*p256_ecdh)(void *ctx, const uint8_t priv[32], const uint8_t peer_pub[64], uint8_t dhkey[32]);
	/* 0 when pub is a valid point on P-256 (coordinates < p, on the curve, not infinity), else
	 * -PS_EINVAL. Vol 3 Part H §2.3.5.6.1; rejects invalid-curve points (CVE-2018-5383). */
	int (*p256_check)(void *ctx, const uint8_t pub[64]);
	/* Cryptographically secure random bytes (getrandom(2)); never a fixed pattern. */
	int (*rand)(void *ctx, uint8_t *buf, size_t len);
	void (*free)(void *ctx);
	/* Fast path for key searches (passkey cracking, RPA resolution): a fresh AES-128 key for every
	 * one or two blocks, no allocation per key. aes_fast_new makes one object (one per thread: an
	 * object is not shared, the backend ctx is). aes_fast_mac expands key (FIPS order, MSO first)
	 * and returns the CBC-MAC with a zero IV over nblocks (1..8) 16-byte blocks of in, i.e. the last
	 * block of AES-128-CBC(key, IV = 0, in): nblocks = 1 is plain aes128(key, in); c1 is
	 * aes_fast_mac(k, (r XOR p1) || p2, 2). All FIPS order. aes_fast_free is NULL-safe. */
	int (*aes_fast_new)(void *ctx, void **fast);
	int (*aes_fast_mac)(void *fast, const uint8_t key[16], const uint8_t *in, size_t nblocks, uint8_t out[16]);
	void (*aes_fast_free)(void *fast);
	/* Per-key AES-CCM (same profile and results as ccm_encrypt / ccm_decrypt) for LL encryption,
	 * where one key protects every PDU of a session and only the nonce changes: ccm_new expands key
	 * (FIPS order) once into an object; ccm_seal / ccm_open then cost no allocation or key schedule.
	 * An object is used by one thread at a time (the backend ctx stays shared); ccm_open returns
	 * -PS_ECRYPTO on MIC failure and zeroes out; ccm_free is NULL-safe and wipes the key. A backend
	 * may leave all four NULL (the toolbox then uses ccm_encrypt / ccm_decrypt). */
	int (*ccm_new)(void *ctx, const uint8_t key[16], void **ccm);
	int (*ccm_seal)(void *ccm, const uint8_t nonce[13], const uint8_t *aad, size_t aad_len, const uint8_t *in,
			size_t len, uint8_t *out, uint8_t mic[4]);
	int (*ccm_open)(void *ccm, const uint8_t nonce[13], const uint8_t *aad, size_t aad_len, const uint8_t *in,
			size_t len, const uint8_t mic[4], uint8_t *out);
	void (*ccm_free)(void *ccm);
};

/* The OpenSSL backend. ps_crypto_openssl_new allocates its context; ps_crypto_free releases it
 * (NULL-safe; calls c->free(c->ctx)). The backend is immutable once made: threads may share it. */
PS_API int ps_crypto_openssl_new(struct ps_crypto *out);
PS_API void ps_crypto_free(struct ps_crypto *c);
/* For deterministic tests: *out forwards every op to base (borrowed until ps_crypto_free(out)) but
 * draws randomness from rand(rctx, ...); its p256_keygen takes the private key from that source
 * (redrawing values outside 1..n-1), so injecting a known private key yields its public key. */
PS_API int ps_crypto_inject_rand(struct ps_crypto *out, const struct ps_crypto *base,
				 int (*rand)(void *rctx, uint8_t *buf, size_t len), void *rctx);

/* Toolbox, all arguments in wire order (see top). Each returns 0 or a negative code. */
/* §2.2.1 e: out = AES-128(key, in), key/in/out in wire order (reversed to FIPS order inside). */
PS_API int ps_crypto_e(const struct ps_crypto *c, const uint8_t key[16], const uint8_t in[16], uint8_t out[16]);
/* §2.2.3 c1 = e(k, e(k, r XOR p1) XOR p2), p1 = pres || preq || rat' || iat', p2 = 0^32 || ia || ra.
 * preq/pres are the 7-byte Pairing Request/Response PDUs as sent (opcode first); iat/rat address
 * types 0 (public) or 1 (random), else -PS_EINVAL; ia/ra addresses wire order. k = TK (passkey n:
 * TK = n as a 128-bit integer, Just Works: 0). */
PS_API int ps_crypto_c1(const struct ps_crypto *c, const uint8_t k[16], const uint8_t r[16],
			const uint8_t preq[7], const uint8_t pres[7], uint8_t iat, const uint8_t ia[6],
			uint8_t rat, const uint8_t ra[6], uint8_t out[16]);
/* §2.2.4 s1 = e(k, r1' || r2'), r1'/r2' the low 64 bits of r1/r2. Legacy STK = s1(TK, Srand, Mrand). */
PS_API int ps_crypto_s1(const struct ps_crypto *c, const uint8_t k[16], const uint8_t r1[16],
			const uint8_t r2[16], uint8_t out[16]);
/* §2.2.6 f4(U, V, X, Z) = AES-CMAC_X(U || V || Z): U, V public key X coordinates (32), X key (16),
 * Z one octet (0 Just Works/numeric comparison, 0x80|bit for passkey). */
PS_API int ps_crypto_f4(const struct ps_crypto *c, const uint8_t u[32], const uint8_t v[32],
			const uint8_t x[16], uint8_t z, uint8_t out[16]);
/* §2.2.7 f5(W, N1, N2, A1, A2): A1/A2 = address type then address (7 bytes: a[0] type, a[1..6] address
 * LSO first). */
PS_API int ps_crypto_f5(const struct ps_crypto *c, const uint8_t w[32], const uint8_t n1[16],
			const uint8_t n2[16], const uint8_t a1[7], const uint8_t a2[7], uint8_t mackey[16],
			uint8_t ltk[16]);
/* §2.2.8 f6(W, N1, N2, R, IOcap, A1, A2): the spec's IOcap is AuthReq || OOB flag || IO capability
 * (AuthReq most significant), so in wire order iocap[0] = IO capability, [1] = OOB flag, [2] = AuthReq. */
PS_API int ps_crypto_f6(const struct ps_crypto *c, const uint8_t w[16], const uint8_t n1[16],
			const uint8_t n2[16], const uint8_t r[16], const uint8_t iocap[3], const uint8_t a1[7],
			const uint8_t a2[7], uint8_t out[16]);
/* §2.2.9 g2(U, V, X, Y): the 32-bit value; the six digits a user compares are value % 1000000. */
PS_API int ps_crypto_g2(const struct ps_crypto *c, const uint8_t u[32], const uint8_t v[32],
			const uint8_t x[16], const uint8_t y[16], uint32_t *out);
/* §2.2.10 h6(W, keyID), §2.2.11 h7(SALT, W), §2.2.12 h8(K, S, keyID). keyid 4 bytes wire order. */
PS_API int ps_crypto_h6(const struct ps_crypto *c, const uint8_t w[16], const uint8_t keyid[4], uint8_t out[16]);
PS_API int ps_crypto_h7(const struct ps_crypto *c, const uint8_t salt[16], const uint8_t w[16], uint8_t out[16]);
PS_API int ps_crypto_h8(const struct ps_crypto *c, const uint8_t k[16], const uint8_t s[16],
			const uint8_t keyid[4], uint8_t out[16]);
/* §2.2.2 ah(k, r) = e(k, 0^104 || r) mod 2^24: irk and prand (3 bytes) wire order -> hash (3 bytes,
 * wire order; the RPA is hash[0..2] || prand[0..2] in wire order). */
PS_API int ps_crypto_ah(const struct ps_crypto *c, const uint8_t irk[16], const uint8_t prand[3], uint8_t hash[3]);
/* Vol 6 Part B §1.3.2.2: a resolvable private address from irk (6 bytes wire order): prand from
 * c->rand with its top bits 0b01 (random part neither all 0 nor all 1), addr = hash || prand. */
PS_API int ps_crypto_rpa_generate(const struct ps_crypto *c, const uint8_t irk[16], uint8_t addr[6]);
/* Vol 6 Part B §1.3.2.3: index of the first IRK in irks[n][16] (wire order) that resolves addr (wire
 * order), -PS_ENOENT when none does, -PS_EINVAL when addr is not resolvable (top bits of prand not
 * 0b01). Linear in n, no allocation per IRK (one key schedule + one block each: 10^6 in ~50 ms). */
PS_API int ps_crypto_rpa_resolve(const struct ps_crypto *c, const uint8_t (*irks)[16], size_t n,
				 const uint8_t addr[6]);
/* Vol 6 Part B §5.1.3.1 (sample data Vol 6 Part C §1): SK = e(LTK, SKD), SKD = SKDp || SKDc, SKDp the
 * most significant half; skd_c/skd_p 8 bytes wire order as in LL_ENC_REQ/RSP; sk out in wire order
 * (as HCI_LE_Encrypt returns it; reverse it for an AES/CCM key in FIPS order). */
PS_API int ps_crypto_session_key(const struct ps_crypto *c, const uint8_t ltk[16], const uint8_t skd_c[8],
				 const uint8_t skd_p[8], uint8_t sk[16]);
/* Vol 6 Part E §2: encrypt / decrypt one LL data PDU payload (the header octet is sent in clear).
 * hdr = first header octet (AAD = hdr & 0xE3: NESN, SN, MD cleared, LLID and CP authenticated),
 * counter = 39-bit packet counter of this direction (-PS_ERANGE above 2^39-1), dir_central = 1 when
 * sent by the central, iv = IVc (4, wire) || IVp (4, wire) as in LL_ENC_REQ/RSP (the nonce's order).
 * in/out len octets (may alias), MIC 4 octets as sent after the payload. Decrypt returns
 * -PS_ECRYPTO on MIC failure and then zeroes out. */
PS_API int ps_crypto_ll_encrypt(const struct ps_crypto *c, const uint8_t sk[16], const uint8_t iv[8],
				uint64_t counter, int dir_central, uint8_t hdr, const uint8_t *in, size_t len,
				uint8_t *out, uint8_t mic[4]);
PS_API int ps_crypto_ll_decrypt(const struct ps_crypto *c, const uint8_t sk[16], const uint8_t iv[8],
				uint64_t counter, int dir_central, uint8_t hdr, const uint8_t *in, size_t len,
				const uint8_t mic[4], uint8_t *out);
/* The same for every PDU of one encrypted session (one SK and IV): the key schedule is made once, a
 * PDU then costs only the CCM work (251-octet PDUs: ~1.5x the one-shot rate, no allocation). sk and iv
 * as above (wire order; the object keeps copies); counter, dir_central, hdr, in/out, mic and the
 * results exactly as ps_crypto_ll_encrypt / ps_crypto_ll_decrypt with that sk and iv. A session is
 * used by one thread at a time and borrows c until freed; ps_crypto_ll_session_free is NULL-safe
 * and wipes the key. A new SK (encryption start, key refresh) means a new session. */
struct ps_crypto_ll_session;
PS_API int ps_crypto_ll_session_new(const struct ps_crypto *c, const uint8_t sk[16], const uint8_t iv[8],
				    struct ps_crypto_ll_session **out);
PS_API int ps_crypto_ll_session_encrypt(struct ps_crypto_ll_session *s, uint64_t counter, int dir_central,
					uint8_t hdr, const uint8_t *in, size_t len, uint8_t *out, uint8_t mic[4]);
PS_API int ps_crypto_ll_session_decrypt(struct ps_crypto_ll_session *s, uint64_t counter, int dir_central,
					uint8_t hdr, const uint8_t *in, size_t len, const uint8_t mic[4],
					uint8_t *out);
PS_API void ps_crypto_ll_session_free(struct ps_crypto_ll_session *s);
/* Legacy pairing key search for the cracker (Vol 3 Part H §2.2.3, §2.3.5.5): one search object per
 * thread, made from the values of one Pairing Confirm exchange (all in wire order, as for c1):
 * r = the Pairing Random that went into `confirm` (Mrand for Mconfirm, Srand for Sconfirm).
 * p1, p2 and r XOR p1 are computed once; each candidate then costs one aes_fast_mac call (key
 * schedule + two chained blocks: ~50 ns, ~20 M candidates/s per core with AES-NI). Objects are
 * independent: split a range across threads, one object each. The object borrows c until freed.
 * -PS_EINVAL for iat/rat above 1. */
struct ps_crypto_c1_search;
PS_API int ps_crypto_c1_search_new(const struct ps_crypto *c, const uint8_t r[16], const uint8_t preq[7],
				   const uint8_t pres[7], uint8_t iat, const uint8_t ia[6], uint8_t rat,
				   const uint8_t ra[6], const uint8_t confirm[16],
				   struct ps_crypto_c1_search **out);
/* Try TK = first .. first+count-1 as 128-bit integers (passkey 0..999999 is TK = passkey; Just Works
 * TK = 0). 0 and *tk set when c1(TK, ...) == confirm, -PS_ENOENT when none matches, -PS_ERANGE
 * when the range passes 2^32 - 1. */
PS_API int ps_crypto_c1_search_range(struct ps_crypto_c1_search *s, uint32_t first, uint32_t count,
				     uint32_t *tk);
/* Try one arbitrary key k (16 bytes, wire order, e.g. an OOB TK): 0 on match, -PS_ENOENT if not. */
PS_API int ps_crypto_c1_search_key(struct ps_crypto_c1_search *s, const uint8_t k[16]);
PS_API void ps_crypto_c1_search_free(struct ps_crypto_c1_search *s);

/* Vol 3 Part H §2.3.5.6.1: the debug public key (X||Y, wire order); true when pub equals it. */
PS_API bool ps_crypto_is_debug_key(const uint8_t pub[64]);
PS_API extern const uint8_t ps_crypto_debug_private[32];
PS_API extern const uint8_t ps_crypto_debug_public[64];

#endif
