/* The security toolbox (Core Vol 3 Part H §2.2, Vol 6 Part E): pure functions over a backend ops
 * table. Byte order: EVERY key, random, confirm, address and PDU array in this API is in WIRE order
 * (least significant octet first), exactly as HCI, SMP and LL carry it. The spec prints values most
 * significant octet first; the CLI and tests convert with ps_reverse() at their edge, nowhere else. */
#ifndef PAIRSCOPE_CRYPTO_H
#define PAIRSCOPE_CRYPTO_H

#include <pairscope/base.h>

/* Backend: every primitive pairscope needs, with a context. OpenSSL 3 libcrypto is the only
 * implementation (src/crypto/openssl.c); tests copy the struct and replace `rand` to inject values. */
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
	/* DHKey (x coordinate, LSO first). Validates peer_pub first: -PS_EINVAL when off the curve. */
	int (*p256_ecdh)(void *ctx, const uint8_t priv[32], const uint8_t peer_pub[64], uint8_t dhkey[32]);
	/* 0 when pub is a valid point on P-256 (coordinates < p, on the curve, not infinity). */
	int (*p256_check)(void *ctx, const uint8_t pub[64]);
	/* Cryptographically secure random bytes. */
	int (*rand)(void *ctx, uint8_t *buf, size_t len);
	void (*free)(void *ctx);
};

/* The OpenSSL backend. ps_crypto_openssl_new allocates its context; ps_crypto_free releases it. */
PS_API int ps_crypto_openssl_new(struct ps_crypto *out);
PS_API void ps_crypto_free(struct ps_crypto *c);

/* Toolbox, all arguments in wire order (see top). Each returns 0 or a negative code. */
/* §2.2.1 e: out = AES-128(key, in). */
PS_API int ps_crypto_e(const struct ps_crypto *c, const uint8_t key[16], const uint8_t in[16], uint8_t out[16]);
/* §2.2.3 c1: preq/pres are the 7-byte Pairing Request/Response PDUs as sent (opcode first);
 * iat/rat address types (0/1), ia/ra addresses. */
PS_API int ps_crypto_c1(const struct ps_crypto *c, const uint8_t k[16], const uint8_t r[16],
			const uint8_t preq[7], const uint8_t pres[7], uint8_t iat, const uint8_t ia[6],
			uint8_t rat, const uint8_t ra[6], uint8_t out[16]);
/* §2.2.4 s1: STK = e(k, r1' || r2'), r1 = Srand, r2 = Mrand. */
PS_API int ps_crypto_s1(const struct ps_crypto *c, const uint8_t k[16], const uint8_t r1[16],
			const uint8_t r2[16], uint8_t out[16]);
/* §2.2.6 f4(U, V, X, Z): U, V public key X coordinates (32), X key (16), Z one octet. */
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
/* §2.2.2 ah(k, r): 24-bit hash of prand (3 bytes wire order) -> 3 bytes. */
PS_API int ps_crypto_ah(const struct ps_crypto *c, const uint8_t irk[16], const uint8_t prand[3], uint8_t hash[3]);
/* Vol 6 Part B §1.3.2.2: a resolvable private address from irk (6 bytes wire order). */
PS_API int ps_crypto_rpa_generate(const struct ps_crypto *c, const uint8_t irk[16], uint8_t addr[6]);
/* Index of the IRK in irks[n][16] that resolves addr, or -PS_ENOENT. Linear in n. */
PS_API int ps_crypto_rpa_resolve(const struct ps_crypto *c, const uint8_t (*irks)[16], size_t n,
				 const uint8_t addr[6]);
/* Vol 6 Part E §1: SK = e(LTK, SKD), SKD = SKDp || SKDc (skd_c/skd_p 8 bytes wire order as in LL_ENC_REQ/RSP). */
PS_API int ps_crypto_session_key(const struct ps_crypto *c, const uint8_t ltk[16], const uint8_t skd_c[8],
				 const uint8_t skd_p[8], uint8_t sk[16]);
/* Vol 6 Part E §2: encrypt / decrypt one LL data PDU. hdr = first header octet (AAD masked with 0xE3
 * inside), counter = 39-bit packet counter, dir_central = 1 when sent by the central,
 * iv = IVc (4, wire) || IVp (4, wire) as in LL_ENC_REQ/RSP. Decrypt returns -PS_ECRYPTO on MIC failure. */
PS_API int ps_crypto_ll_encrypt(const struct ps_crypto *c, const uint8_t sk[16], const uint8_t iv[8],
				uint64_t counter, int dir_central, uint8_t hdr, const uint8_t *in, size_t len,
				uint8_t *out, uint8_t mic[4]);
PS_API int ps_crypto_ll_decrypt(const struct ps_crypto *c, const uint8_t sk[16], const uint8_t iv[8],
				uint64_t counter, int dir_central, uint8_t hdr, const uint8_t *in, size_t len,
				const uint8_t mic[4], uint8_t *out);
/* Vol 3 Part H §2.3.5.6.1: the debug public key (X||Y, wire order); true when pub equals it. */
PS_API bool ps_crypto_is_debug_key(const uint8_t pub[64]);
PS_API extern const uint8_t ps_crypto_debug_private[32];
PS_API extern const uint8_t ps_crypto_debug_public[64];

#endif
