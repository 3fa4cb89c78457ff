/* Keys and bad input for the security toolbox: the seed's legacy Just Works pairing reproduced from
 * its trace (Vol 3 Part H §2.2.3 c1, §2.2.4 s1), the passkey search, P-256 public key validation
 * against invalid points (Vol 3 Part H §2.3.5.6.1, CVE-2018-5383), the debug key pair, RPA
 * generation with injected randomness and resolution among one million IRKs (Vol 6 Part B §1.3.2). */
#include "crypto_fixture.h"
#include <pairscope/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* hex as written -> bytes (no reversal) */
static void raw(const char *hex, uint8_t *out, size_t n)
{
	assert_int_equal(ps_test_hex(hex, out, n), n);
}

/* MSO-first hex -> wire order */
static void mso(const char *hex, uint8_t *out, size_t n)
{
	raw(hex, out, n);
	ps_reverse(out, n);
}

/* The seed (tests/data/seed.btsnoop): btmon prints the 128-bit SMP values and the LTK of LE Start
 * Encryption in wire order, so they are taken as written; addresses are written MSO first. */
struct seed {
	uint8_t tk[16], mrand[16], srand[16], mconf[16], sconf[16], stk[16], preq[7], pres[7], ia[6], ra[6];
};

static void seed_values(struct seed *s)
{
	memset(s->tk, 0, 16); /* Just Works */
	raw("01 02 00 05 10 05 05", s->preq, 7);
	raw("02 03 00 01 10 04 01", s->pres, 7);
	assert_int_equal(ps_addr_parse("B8:27:EB:15:50:70", s->ia), 0); /* public */
	assert_int_equal(ps_addr_parse("D2:A7:4C:76:F3:E0", s->ra), 0); /* random */
	raw("25498f1cc873d7450460df3b5ce2ab7e", s->mrand, 16);
	raw("9e7769acf6f4c19706f9abde25d4749f", s->srand, 16);
	raw("12e170d20c0bb8beb6d7c59bb006acd0", s->mconf, 16);
	raw("6e0be0cc5a8f08ffc98a88c25167aa2f", s->sconf, 16);
	raw("7689a6b5371537b24f2c7c7805688df6", s->stk, 16);
}

static void test_seed_legacy_jw_iat0_rat1_confirms_and_stk(void **state)
{
	(void)state;
	struct seed s;
	uint8_t out[16];
	seed_values(&s);
	assert_int_equal(ps_crypto_c1(&C, s.tk, s.mrand, s.preq, s.pres, 0, s.ia, 1, s.ra, out), 0);
	assert_memory_equal(out, s.mconf, 16);
	assert_int_equal(ps_crypto_c1(&C, s.tk, s.srand, s.preq, s.pres, 0, s.ia, 1, s.ra, out), 0);
	assert_memory_equal(out, s.sconf, 16);
	/* STK = s1(TK, Srand, Mrand): r1 is the responder's random */
	assert_int_equal(ps_crypto_s1(&C, s.tk, s.srand, s.mrand, out), 0);
	assert_memory_equal(out, s.stk, 16);
	/* swapping the randoms or the address types breaks them */
	assert_int_equal(ps_crypto_s1(&C, s.tk, s.mrand, s.srand, out), 0);
	assert_memory_not_equal(out, s.stk, 16);
	assert_int_equal(ps_crypto_c1(&C, s.tk, s.mrand, s.preq, s.pres, 1, s.ia, 0, s.ra, out), 0);
	assert_memory_not_equal(out, s.mconf, 16);
}

static void test_c1_args_rejected(void **state)
{
	(void)state;
	struct seed s;
	uint8_t out[16];
	seed_values(&s);
	assert_int_equal(ps_crypto_c1(&C, s.tk, s.mrand, s.preq, s.pres, 2, s.ia, 1, s.ra, out), -PS_EINVAL);
	assert_int_equal(ps_crypto_c1(&C, s.tk, s.mrand, s.preq, s.pres, 0, s.ia, 7, s.ra, out), -PS_EINVAL);
	assert_int_equal(ps_crypto_c1(&C, NULL, s.mrand, s.preq, s.pres, 0, s.ia, 1, s.ra, out), -PS_EINVAL);
	assert_int_equal(ps_crypto_e(NULL, s.tk, s.tk, out), -PS_EINVAL);
}

/* The cracker's path: the seed's TK 0 is found, and so is a passkey placed in the range. */
static void test_c1_search_seed_tk0_and_passkey_123456(void **state)
{
	(void)state;
	struct seed s;
	struct ps_crypto_c1_search *q;
	uint32_t tk = 99;
	uint8_t k[16] = { 0 }, conf[16];
	seed_values(&s);
	assert_int_equal(ps_crypto_c1_search_new(&C, s.mrand, s.preq, s.pres, 0, s.ia, 1, s.ra, s.mconf, &q), 0);
	assert_int_equal(ps_crypto_c1_search_range(q, 0, 1000000, &tk), 0);
	assert_int_equal(tk, 0);
	assert_int_equal(ps_crypto_c1_search_key(q, k), 0);
	k[0] = 1;
	assert_int_equal(ps_crypto_c1_search_key(q, k), -PS_ENOENT);
	assert_int_equal(ps_crypto_c1_search_range(q, 1, 5000, &tk), -PS_ENOENT);
	assert_int_equal(ps_crypto_c1_search_range(q, 0xffffff00u, 0x100, &tk), -PS_ENOENT);
	assert_int_equal(ps_crypto_c1_search_range(q, 0xffffff00u, 0x101, &tk), -PS_ERANGE);
	ps_crypto_c1_search_free(q);

	/* passkey 123456 = TK 0x0001E240, wire order */
	memset(k, 0, 16);
	k[0] = 0x40, k[1] = 0xe2, k[2] = 0x01;
	assert_int_equal(ps_crypto_c1(&C, k, s.srand, s.preq, s.pres, 0, s.ia, 1, s.ra, conf), 0);
	assert_int_equal(ps_crypto_c1_search_new(&C, s.srand, s.preq, s.pres, 0, s.ia, 1, s.ra, conf, &q), 0);
	assert_int_equal(ps_crypto_c1_search_range(q, 100000, 900000, &tk), 0);
	assert_int_equal(tk, 123456);
	assert_int_equal(ps_crypto_c1_search_key(q, k), 0);
	ps_crypto_c1_search_free(q);
	ps_crypto_c1_search_free(NULL);

	/* a backend without the fast ops falls back to aes128() with the same answers */
	struct ps_crypto slow = C;
	slow.aes_fast_new = NULL;
	assert_int_equal(ps_crypto_c1_search_new(&slow, s.srand, s.preq, s.pres, 0, s.ia, 1, s.ra, conf, &q), 0);
	assert_int_equal(ps_crypto_c1_search_range(q, 123000, 1000, &tk), 0);
	assert_int_equal(tk, 123456);
	ps_crypto_c1_search_free(q);
}

/* The fast op against aes128(): one block is AES, two chain as CBC-MAC; 0 or 9 blocks refused. */
static void test_aes_fast_mac_matches_aes128(void **state)
{
	(void)state;
	uint8_t key[16], in[32], a[16], b[16], t[16];
	void *f;
	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)(i * 7 + 1), in[i] = (uint8_t)(i * 3), in[16 + i] = (uint8_t)(255 - i);
	assert_int_equal(C.aes_fast_new(C.ctx, &f), 0);
	for (int round = 0; round < 3; round++, key[0]++) {
		assert_int_equal(C.aes_fast_mac(f, key, in, 1, a), 0);
		assert_int_equal(C.aes128(C.ctx, key, in, b), 0);
		assert_memory_equal(a, b, 16);
		assert_int_equal(C.aes_fast_mac(f, key, in, 2, a), 0);
		for (int i = 0; i < 16; i++)
			t[i] = b[i] ^ in[16 + i];
		assert_int_equal(C.aes128(C.ctx, key, t, b), 0);
		assert_memory_equal(a, b, 16);
	}
	assert_int_equal(C.aes_fast_mac(f, key, in, 0, a), -PS_EINVAL);
	assert_int_equal(C.aes_fast_mac(f, key, in, 9, a), -PS_EINVAL);
	C.aes_fast_free(f);
	C.aes_fast_free(NULL);
}

/* Vol 6 Part E: an empty payload still carries a MIC (computed with Python's cryptography AESCCM:
 * key rev(sk), nonce 05 00 00 00 80 || iv, AAD 0x0e & 0xe3); in place encryption round-trips. */
static void test_ll_ccm_empty_payload_and_in_place(void **state)
{
	(void)state;
	uint8_t sk[16] = { 1 }, iv[8] = { 2 }, mic[4], want[4], buf[5] = { 1, 2, 3, 4, 5 };
	raw("b0cc563d", want, 4);
	assert_int_equal(ps_crypto_ll_encrypt(&C, sk, iv, 5, 1, 0x0e, NULL, 0, NULL, mic), 0);
	assert_memory_equal(mic, want, 4);
	assert_int_equal(ps_crypto_ll_decrypt(&C, sk, iv, 5, 1, 0x0e, NULL, 0, mic, NULL), 0);
	mic[3] ^= 0x80;
	assert_int_equal(ps_crypto_ll_decrypt(&C, sk, iv, 5, 1, 0x0e, NULL, 0, mic, NULL), -PS_ECRYPTO);
	assert_int_equal(ps_crypto_ll_encrypt(&C, sk, iv, 6, 0, 0x02, buf, 5, buf, mic), 0);
	assert_memory_not_equal(buf, ((uint8_t[]){ 1, 2, 3, 4, 5 }), 5);
	assert_int_equal(ps_crypto_ll_decrypt(&C, sk, iv, 6, 0, 0x02, buf, 5, mic, buf), 0);
	assert_memory_equal(buf, ((uint8_t[]){ 1, 2, 3, 4, 5 }), 5);
	/* a failed check leaves no unauthenticated plaintext behind */
	assert_int_equal(ps_crypto_ll_encrypt(&C, sk, iv, 6, 0, 0x02, buf, 5, buf, mic), 0);
	mic[0] ^= 1;
	assert_int_equal(ps_crypto_ll_decrypt(&C, sk, iv, 6, 0, 0x02, buf, 5, mic, buf), -PS_ECRYPTO);
	assert_memory_equal(buf, ((uint8_t[]){ 0, 0, 0, 0, 0 }), 5);
}

/* ---- LL sessions against the one-shot functions ---- */

/* xorshift64: a fixed, reproducible stream of test PDUs (not randomness for keys). */
static uint64_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* 3000 PDUs of 0..251 octets in a row on one session: both directions with their own climbing
 * counters (jumps included), every header bit, sealing and opening interleaved; each must equal the
 * one-shot result. Every 50th PDU is tampered with first (-PS_ECRYPTO, zeroed output), and the
 * next PDU must still be right. Run on the OpenSSL backend, through ps_crypto_inject_rand's
 * forwarding, and on a backend without CCM objects (the session's one-shot fallback). */
static void session_vs_oneshot(const struct ps_crypto *c)
{
	uint8_t sk[16], iv[8], p[251], a[251], b[251], d[251], ma[4], mb[4];
	uint64_t x = 0x9e3779b97f4a7c15u, ctr[2] = { 0, ((uint64_t)1 << 39) - 100000 }; /* up to 2^39 - ~50000 */
	for (int i = 0; i < 16; i++)
		sk[i] = (uint8_t)next(&x);
	for (int i = 0; i < 8; i++)
		iv[i] = (uint8_t)next(&x);
	struct ps_crypto_ll_session *s = NULL;
	assert_int_equal(ps_crypto_ll_session_new(c, sk, iv, &s), 0);
	for (int k = 0; k < 3000; k++) {
		uint64_t r = next(&x);
		int dir = (int)(r & 1);
		uint8_t hdr = (uint8_t)(r >> 8);
		size_t n = (size_t)(r >> 16) % 252;
		for (size_t i = 0; i < n; i++)
			p[i] = (uint8_t)next(&x);
		uint64_t q = ctr[dir];
		ctr[dir] += 1 + ((r >> 32) % 16 == 0 ? (r >> 40) % 1000 : 0);
		assert_int_equal(ps_crypto_ll_encrypt(c, sk, iv, q, dir, hdr, p, n, a, ma), 0);
		assert_int_equal(ps_crypto_ll_session_encrypt(s, q, dir, hdr, p, n, b, mb), 0);
		if (memcmp(a, b, n) || memcmp(ma, mb, 4))
			fail_msg("PDU %d (counter %llu, dir %d, %zu octets) differs", k, (unsigned long long)q, dir, n);
		if (k % 50 == 49) {
			b[0] ^= n ? 0x80 : 0;
			mb[0] ^= n ? 0 : 1;
			memset(d, 0x55, sizeof d);
			assert_int_equal(ps_crypto_ll_session_decrypt(s, q, dir, hdr, b, n, mb, d), -PS_ECRYPTO);
			for (size_t i = 0; i < n; i++)
				assert_int_equal(d[i], 0);
			continue;
		}
		assert_int_equal(ps_crypto_ll_session_decrypt(s, q, dir, hdr, a, n, ma, d), 0);
		assert_memory_equal(d, p, n);
		if (n) { /* in place, as the one-shot allows */
			memcpy(d, p, n);
			assert_int_equal(ps_crypto_ll_session_encrypt(s, q, dir, hdr, d, n, d, mb), 0);
			assert_memory_equal(d, a, n);
			assert_int_equal(ps_crypto_ll_session_decrypt(s, q, dir, hdr, d, n, mb, d), 0);
			assert_memory_equal(d, p, n);
		}
	}
	ps_crypto_ll_session_free(s);
}

static int no_rand(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	memset(buf, 0, len);
	return 0;
}

static void test_ll_session_matches_oneshot(void **state)
{
	(void)state;
	session_vs_oneshot(&C);
	struct ps_crypto w;
	assert_int_equal(ps_crypto_inject_rand(&w, &C, no_rand, NULL), 0);
	assert_non_null(w.ccm_new);
	session_vs_oneshot(&w);
	ps_crypto_free(&w);
	struct ps_crypto plain = C; /* a backend that has no CCM objects */
	plain.ccm_new = NULL;
	plain.ccm_seal = NULL;
	plain.ccm_open = NULL;
	plain.ccm_free = NULL;
	session_vs_oneshot(&plain);
}

/* The empty-payload MIC of test_ll_ccm_empty_payload_and_in_place, argument checks, NULL-safe free. */
static void test_ll_session_empty_and_args(void **state)
{
	(void)state;
	uint8_t sk[16] = { 1 }, iv[8] = { 2 }, mic[4], want[4], buf[1] = { 0 };
	struct ps_crypto_ll_session *s = NULL;
	raw("b0cc563d", want, 4);
	assert_int_equal(ps_crypto_ll_session_new(NULL, sk, iv, &s), -PS_EINVAL);
	assert_int_equal(ps_crypto_ll_session_new(&C, NULL, iv, &s), -PS_EINVAL);
	assert_int_equal(ps_crypto_ll_session_new(&C, sk, NULL, &s), -PS_EINVAL);
	assert_int_equal(ps_crypto_ll_session_new(&C, sk, iv, NULL), -PS_EINVAL);
	assert_int_equal(ps_crypto_ll_session_new(&C, sk, iv, &s), 0);
	assert_int_equal(ps_crypto_ll_session_encrypt(s, 5, 1, 0x0e, NULL, 0, NULL, mic), 0);
	assert_memory_equal(mic, want, 4);
	assert_int_equal(ps_crypto_ll_session_decrypt(s, 5, 1, 0x0e, NULL, 0, mic, NULL), 0);
	mic[3] ^= 0x80;
	assert_int_equal(ps_crypto_ll_session_decrypt(s, 5, 1, 0x0e, NULL, 0, mic, NULL), -PS_ECRYPTO);
	assert_int_equal(ps_crypto_ll_session_encrypt(NULL, 5, 1, 0x0e, buf, 1, buf, mic), -PS_EINVAL);
	assert_int_equal(ps_crypto_ll_session_encrypt(s, 5, 1, 0x0e, NULL, 1, buf, mic), -PS_EINVAL);
	assert_int_equal(ps_crypto_ll_session_encrypt(s, 5, 1, 0x0e, buf, 1, buf, NULL), -PS_EINVAL);
	assert_int_equal(ps_crypto_ll_session_decrypt(NULL, 5, 1, 0x0e, buf, 1, mic, buf), -PS_EINVAL);
	assert_int_equal(ps_crypto_ll_session_decrypt(s, 5, 1, 0x0e, buf, 1, mic, NULL), -PS_EINVAL);
	ps_crypto_ll_session_free(s);
	ps_crypto_ll_session_free(NULL);
}

/* ---- P-256 public key validation ---- */

static void test_p256_debug_key_pair(void **state)
{
	(void)state;
	uint8_t pub[64], dh[32], want[32];
	assert_int_equal(C.p256_public(C.ctx, ps_crypto_debug_private, pub), 0);
	assert_memory_equal(pub, ps_crypto_debug_public, 64);
	assert_true(ps_crypto_is_debug_key(pub));
	assert_int_equal(C.p256_check(C.ctx, ps_crypto_debug_public), 0);
	/* Linux selftest sample 3: the debug key with itself */
	mso("70aad7e649f91c7cae5f79fc32992787c38757a8728b7b55da7bb3cb4800ab2d", want, 32);
	assert_int_equal(C.p256_ecdh(C.ctx, ps_crypto_debug_private, ps_crypto_debug_public, dh), 0);
	assert_memory_equal(dh, want, 32);
	pub[63] ^= 0x01; /* same X, another Y (off the curve): not the debug key */
	assert_false(ps_crypto_is_debug_key(pub));
	assert_false(ps_crypto_is_debug_key(NULL));
}

static void test_p256_keygen_fresh_pairs_agree(void **state)
{
	(void)state;
	uint8_t da[32], pa[64], db[32], pb[64], k1[32], k2[32], chk[64];
	assert_int_equal(C.p256_keygen(C.ctx, da, pa), 0);
	assert_int_equal(C.p256_keygen(C.ctx, db, pb), 0);
	assert_memory_not_equal(da, db, 32);
	assert_false(ps_crypto_is_debug_key(pa));
	assert_int_equal(C.p256_check(C.ctx, pa), 0);
	assert_int_equal(C.p256_public(C.ctx, da, chk), 0);
	assert_memory_equal(chk, pa, 64);
	assert_int_equal(C.p256_ecdh(C.ctx, da, pb, k1), 0);
	assert_int_equal(C.p256_ecdh(C.ctx, db, pa, k2), 0);
	assert_memory_equal(k1, k2, 32);
}

/* Each invalid point: p256_check and p256_ecdh both refuse it. */
static void reject(const uint8_t pub[64])
{
	uint8_t dh[32];
	assert_int_equal(C.p256_check(C.ctx, pub), -PS_EINVAL);
	assert_int_equal(C.p256_ecdh(C.ctx, ps_crypto_debug_private, pub, dh), -PS_EINVAL);
}

static const char P_HEX[] = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";

static void test_p256_invalid_points_rejected(void **state)
{
	(void)state;
	uint8_t pub[64];
	/* the point at infinity (all-zero encoding) */
	memset(pub, 0, 64);
	reject(pub);
	/* off the curve: debug X with Y + 1, and a zero Y */
	memcpy(pub, ps_crypto_debug_public, 64);
	pub[32] ^= 1;
	reject(pub);
	memset(pub + 32, 0, 32);
	reject(pub);
	/* (0, sqrt(b)) lies on P-256; (p, sqrt(b)) is the same point mod p and must be refused */
	memset(pub, 0, 32);
	mso("66485c780e2f83d72433bd5d84a06bb6541c2af31dae871728bf856a174f93f4", pub + 32, 32);
	assert_int_equal(C.p256_check(C.ctx, pub), 0);
	mso(P_HEX, pub, 32);
	reject(pub);
	/* Y = p, and all-ones coordinates */
	memcpy(pub, ps_crypto_debug_public, 32);
	mso(P_HEX, pub + 32, 32);
	reject(pub);
	memset(pub, 0xff, 64);
	reject(pub);
	/* a point of the invalid-curve attack: on y^2 = x^3 - 3x + b' with another b' (here (0, 1)) */
	memset(pub, 0, 64);
	pub[32] = 1;
	reject(pub);
	/* bad private keys: 0 and n */
	uint8_t d[32] = { 0 }, out[64];
	assert_int_equal(C.p256_public(C.ctx, d, out), -PS_EINVAL);
	mso("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", d, 32);
	assert_int_equal(C.p256_public(C.ctx, d, out), -PS_EINVAL);
	assert_int_equal(C.p256_ecdh(C.ctx, d, ps_crypto_debug_public, out), -PS_EINVAL);
}

/* ---- RPA with injected randomness, and resolution among 10^6 IRKs ---- */

struct fixed_rand {
	uint8_t bytes[6];
	int calls;
};

static int rand_fixed(void *ctx, uint8_t *buf, size_t len)
{
	struct fixed_rand *f = ctx;
	for (size_t i = 0; i < len; i++)
		buf[i] = f->bytes[(f->calls * 3 + i) % 6];
	f->calls++;
	return 0;
}

/* A source that hands out the bytes of *ctx (a pointer to 32 bytes). */
static int rand_debug(void *ctx, uint8_t *buf, size_t len)
{
	const uint8_t *p = *(const uint8_t **)ctx;
	for (size_t i = 0; i < len; i++)
		buf[i] = p[i % 32];
	return 0;
}

static void test_rpa_generate_injected_rand(void **state)
{
	(void)state;
	uint8_t irk[16], addr[6], hash[3];
	struct {
		struct ps_crypto c;
		struct fixed_rand r;
	} t = { 0 };
	mso("ec0234a357c8ad05341010a60a397d9b", irk, 16);
	assert_int_equal(ps_crypto_inject_rand(&t.c, &C, rand_fixed, &t.r), 0);
	/* prand 0x708194 (App. D.7): wire 94 81 70, top bits already 01 */
	memcpy(t.r.bytes, (uint8_t[]){ 0x94, 0x81, 0x70, 0x94, 0x81, 0x70 }, 6);
	assert_int_equal(ps_crypto_rpa_generate(&t.c, irk, addr), 0);
	uint8_t want[6];
	assert_int_equal(ps_addr_parse("70:81:94:0d:fb:aa", want), 0);
	assert_memory_equal(addr, want, 6);
	/* 0xffffff: the top bits are forced to 01, the rest all ones is forbidden -> the next draw */
	memcpy(t.r.bytes, (uint8_t[]){ 0xff, 0xff, 0xff, 0x01, 0x00, 0x00 }, 6);
	t.r.calls = 0;
	assert_int_equal(ps_crypto_rpa_generate(&t.c, irk, addr), 0);
	assert_int_equal(t.r.calls, 2);
	assert_int_equal(addr[5] & 0xc0, 0x40);
	assert_int_equal(ps_crypto_ah(&C, irk, addr + 3, hash), 0);
	assert_memory_equal(hash, addr, 3);
	/* a source stuck on zeros never yields a valid prand */
	memset(t.r.bytes, 0, 6);
	assert_int_equal(ps_crypto_rpa_generate(&t.c, irk, addr), -PS_ECRYPTO);
	/* injected key generation: the spec's debug private key gives the debug public key */
	uint8_t d[32], pub[64];
	ps_crypto_free(&t.c);
	struct {
		const uint8_t *p;
	} src = { ps_crypto_debug_private };
	assert_int_equal(ps_crypto_inject_rand(&t.c, &C, rand_debug, &src), 0);
	assert_int_equal(t.c.p256_keygen(t.c.ctx, d, pub), 0);
	assert_memory_equal(d, ps_crypto_debug_private, 32);
	assert_true(ps_crypto_is_debug_key(pub));
	/* the other ops still work through the wrapper */
	uint8_t dh[32];
	assert_int_equal(t.c.p256_ecdh(t.c.ctx, d, ps_crypto_debug_public, dh), 0);
	struct ps_crypto_c1_search *q;
	uint8_t z[16] = { 0 }, z7[7] = { 0 }, z6[6] = { 0 };
	assert_int_equal(ps_crypto_c1_search_new(&t.c, z, z7, z7, 0, z6, 0, z6, z, &q), 0);
	ps_crypto_c1_search_free(q);
	ps_crypto_free(&t.c);
}

static void test_rpa_resolve_among_1000000_irks(void **state)
{
	(void)state;
	const size_t n = 1000000, at = 765432;
	uint8_t(*irks)[16] = malloc(n * 16), addr[6];
	assert_non_null(irks);
	uint64_t x = 0x9e3779b97f4a7c15u; /* xorshift: distinct, cheap IRKs */
	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < 16; j += 8) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			memcpy(irks[i] + j, &x, 8);
		}
	/* A 24-bit hash: with a random prand, one of the 765432 IRKs before `at` matches by chance
	 * ~4.6% of the time. So prand is injected (fixed IRKs, fixed prand: a deterministic answer). */
	struct ps_crypto fixed;
	struct fixed_rand fr = { .bytes = { 0x21, 0x43, 0x65, 0x21, 0x43, 0x65 } };
	assert_int_equal(ps_crypto_inject_rand(&fixed, &C, rand_fixed, &fr), 0);
	assert_int_equal(ps_crypto_rpa_generate(&fixed, irks[at], addr), 0);
	ps_crypto_free(&fixed);
	clock_t t0 = clock();
	int idx = ps_crypto_rpa_resolve(&C, (const uint8_t(*)[16])irks, n, addr);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	if (idx != (int)at)
		fail_msg("resolved to %d, want %zu", idx, at);
	/* and with any prand, the answer is an IRK that really resolves, never past `at` */
	for (int round = 0; round < 3; round++) {
		uint8_t a2[6], h[3];
		assert_int_equal(ps_crypto_rpa_generate(&C, irks[at], a2), 0);
		idx = ps_crypto_rpa_resolve(&C, (const uint8_t(*)[16])irks, n, a2);
		assert_true(idx >= 0 && idx <= (int)at);
		assert_int_equal(ps_crypto_ah(&C, irks[idx], a2 + 3, h), 0);
		assert_memory_equal(h, a2, 3);
	}
	assert_true(secs < 5.0); /* ~40 ms with AES-NI; generous for sanitizer builds */
	/* not resolvable: top bits 11 (static random) -> EINVAL; no IRK -> ENOENT */
	addr[5] |= 0xc0;
	assert_int_equal(ps_crypto_rpa_resolve(&C, (const uint8_t(*)[16])irks, n, addr), -PS_EINVAL);
	addr[5] = (uint8_t)((addr[5] & 0x3f) | 0x40);
	assert_int_equal(ps_crypto_rpa_resolve(&C, (const uint8_t(*)[16])irks, 1000, addr), -PS_ENOENT);
	assert_int_equal(ps_crypto_rpa_resolve(&C, NULL, 0, addr), -PS_ENOENT);
	free(irks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_legacy_jw_iat0_rat1_confirms_and_stk),
		cmocka_unit_test(test_c1_args_rejected),
		cmocka_unit_test(test_c1_search_seed_tk0_and_passkey_123456),
		cmocka_unit_test(test_aes_fast_mac_matches_aes128),
		cmocka_unit_test(test_ll_ccm_empty_payload_and_in_place),
		cmocka_unit_test(test_ll_session_matches_oneshot),
		cmocka_unit_test(test_ll_session_empty_and_args),
		cmocka_unit_test(test_p256_debug_key_pair),
		cmocka_unit_test(test_p256_keygen_fresh_pairs_agree),
		cmocka_unit_test(test_p256_invalid_points_rejected),
		cmocka_unit_test(test_rpa_generate_injected_rand),
		cmocka_unit_test(test_rpa_resolve_among_1000000_irks),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
