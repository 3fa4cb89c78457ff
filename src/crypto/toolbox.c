/* The SMP cryptographic toolbox (Core Vol 3 Part H §2.2: e, c1, s1, f4, f5, f6, g2, h6, h7, h8, ah)
 * and LE link-layer encryption (Vol 6 Part B §5.1.3.1 session key, Vol 6 Part E AES-CCM), built on
 * the backend ops. Every array argument is in WIRE order (LSO first). The spec defines each
 * function on MSO-first integers, and AES/CMAC take their key and data MSO first, so the ONE
 * conversion lives here: `spec = reverse(wire)` before a primitive, and back after it. */
#include <pairscope/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "crypto/crypto_int.h"

static void xor16(uint8_t *a, const uint8_t *b)
{
	for (int i = 0; i < 16; i++)
		a[i] ^= b[i];
}

/* §2.2.1 Security function e: out = AES-128(key, in); all three in wire order here, MSO first for
 * the cipher (the spec: "the most significant octet of key corresponds to key[0]" of FIPS-197). */
int ps_crypto_e(const struct ps_crypto *c, const uint8_t key[16], const uint8_t in[16], uint8_t out[16])
{
	uint8_t k[16], p[16], r[16];
	int rc;
	if (!c || !key || !in || !out)
		return -PS_EINVAL;
	ps_rev_copy(k, key, 16);
	ps_rev_copy(p, in, 16);
	rc = c->aes128(c->ctx, k, p, r);
	if (rc == 0)
		ps_rev_copy(out, r, 16);
	memset(k, 0, sizeof k);
	return rc;
}

/* One part of a CMAC message, given in wire order (reversed into the message by cmac_wire). */
struct part {
	const uint8_t *p;
	size_t n;
};

/* AES-CMAC_key(part1 || part2 || ...), the spec's concatenation with part1 most significant. Each
 * part is reversed from wire order into the MSO-first octet string CMAC runs over; key and result
 * are wire order. */
static int cmac_wire(const struct ps_crypto *c, const uint8_t key[16], const struct part *parts, size_t nparts,
		     uint8_t out[16])
{
	uint8_t msg[128], k[16], t[16];
	size_t len = 0;
	for (size_t i = 0; i < nparts; i++) {
		if (len + parts[i].n > sizeof msg)
			return -PS_EINVAL;
		ps_rev_copy(msg + len, parts[i].p, parts[i].n);
		len += parts[i].n;
	}
	ps_rev_copy(k, key, 16);
	int rc = c->cmac(c->ctx, k, msg, len, t);
	if (rc == 0)
		ps_rev_copy(out, t, 16);
	memset(k, 0, sizeof k);
	return rc;
}

int ps_crypto_c1_p1p2(const uint8_t preq[7], const uint8_t pres[7], uint8_t iat, const uint8_t ia[6],
		      uint8_t rat, const uint8_t ra[6], uint8_t p1[16], uint8_t p2[16])
{
	if (iat > 1 || rat > 1)
		return -PS_EINVAL; /* iat'/rat' are the 1-bit address types extended to 8 bits */
	p1[0] = iat;
	p1[1] = rat;
	memcpy(p1 + 2, preq, 7);
	memcpy(p1 + 9, pres, 7);
	memcpy(p2, ra, 6);
	memcpy(p2 + 6, ia, 6);
	memset(p2 + 12, 0, 4);
	return 0;
}

/* §2.2.3 c1(k, r, preq, pres, iat, rat, ia, ra) = e(k, e(k, r XOR p1) XOR p2). Wire order. */
int ps_crypto_c1(const struct ps_crypto *c, const uint8_t k[16], const uint8_t r[16], const uint8_t preq[7],
		 const uint8_t pres[7], uint8_t iat, const uint8_t ia[6], uint8_t rat, const uint8_t ra[6],
		 uint8_t out[16])
{
	uint8_t p1[16], p2[16], t[16];
	int rc;
	if (!c || !k || !r || !preq || !pres || !ia || !ra || !out)
		return -PS_EINVAL;
	if ((rc = ps_crypto_c1_p1p2(preq, pres, iat, ia, rat, ra, p1, p2)) < 0)
		return rc;
	memcpy(t, r, 16);
	xor16(t, p1);
	if ((rc = ps_crypto_e(c, k, t, t)) < 0)
		return rc;
	xor16(t, p2);
	return ps_crypto_e(c, k, t, out);
}

/* §2.2.4 s1(k, r1, r2) = e(k, r'), r' = r1' || r2' (the least significant 64 bits of each, r1'
 * most significant): wire r' = r2[0..7], r1[0..7]. Legacy STK = s1(TK, Srand, Mrand). */
int ps_crypto_s1(const struct ps_crypto *c, const uint8_t k[16], const uint8_t r1[16], const uint8_t r2[16],
		 uint8_t out[16])
{
	uint8_t rp[16];
	if (!c || !k || !r1 || !r2 || !out)
		return -PS_EINVAL;
	memcpy(rp, r2, 8);
	memcpy(rp + 8, r1, 8);
	return ps_crypto_e(c, k, rp, out);
}

/* §2.2.6 f4(U, V, X, Z) = AES-CMAC_X(U || V || Z). U, V 256 bits, X 128, Z 8; wire order. */
int ps_crypto_f4(const struct ps_crypto *c, const uint8_t u[32], const uint8_t v[32], const uint8_t x[16],
		 uint8_t z, uint8_t out[16])
{
	if (!c || !u || !v || !x || !out)
		return -PS_EINVAL;
	const struct part m[] = { { u, 32 }, { v, 32 }, { &z, 1 } };
	return cmac_wire(c, x, m, PS_ARRAY_SIZE(m), out);
}

/* f5/f6 A1, A2: the API's a[0] = address type, a[1..6] = address LSO first; the spec's 56-bit value
 * is type (most significant octet) || address. Convert to wire order of that 56-bit value. */
static void addr56(const uint8_t a[7], uint8_t w[7])
{
	memcpy(w, a + 1, 6);
	w[6] = a[0];
}

/* §2.2.7 f5(W, N1, N2, A1, A2):
 *   T = AES-CMAC_SALT(W), SALT = 0x6C888391AAF5A53860370BDB5A6083BE
 *   MacKey = AES-CMAC_T(0x00 || keyID || N1 || N2 || A1 || A2 || Length)
 *   LTK    = AES-CMAC_T(0x01 || keyID || N1 || N2 || A1 || A2 || Length)
 * keyID = 0x62746C65 ("btle"), Length = 0x0100 (256). W 256 bits; all wire order. */
int ps_crypto_f5(const struct ps_crypto *c, const uint8_t w[32], const uint8_t n1[16], const uint8_t n2[16],
		 const uint8_t a1[7], const uint8_t a2[7], uint8_t mackey[16], uint8_t ltk[16])
{
	static const uint8_t salt[16] = { /* wire order of 0x6C888391AAF5A53860370BDB5A6083BE */
		0xbe, 0x83, 0x60, 0x5a, 0xdb, 0x0b, 0x37, 0x60, 0x38, 0xa5, 0xf5, 0xaa, 0x91, 0x83, 0x88, 0x6c,
	};
	static const uint8_t keyid[4] = { 0x65, 0x6c, 0x74, 0x62 }; /* 0x62746C65 */
	static const uint8_t length[2] = { 0x00, 0x01 };             /* 0x0100 */
	uint8_t t[16], w1[7], w2[7], counter;
	int rc;
	if (!c || !w || !n1 || !n2 || !a1 || !a2 || !mackey || !ltk)
		return -PS_EINVAL;
	const struct part mw[] = { { w, 32 } };
	if ((rc = cmac_wire(c, salt, mw, 1, t)) < 0)
		return rc;
	addr56(a1, w1);
	addr56(a2, w2);
	const struct part m[] = { { &counter, 1 }, { keyid, 4 }, { n1, 16 }, { n2, 16 },
				  { w1, 7 },       { w2, 7 },    { length, 2 } };
	counter = 0;
	if ((rc = cmac_wire(c, t, m, PS_ARRAY_SIZE(m), mackey)) < 0)
		goto out;
	counter = 1;
	rc = cmac_wire(c, t, m, PS_ARRAY_SIZE(m), ltk);
out:
	memset(t, 0, sizeof t);
	return rc;
}

/* §2.2.8 f6(W, N1, N2, R, IOcap, A1, A2) = AES-CMAC_W(N1 || N2 || R || IOcap || A1 || A2).
 * iocap wire order: [0] IO capability, [1] OOB data flag, [2] AuthReq. */
int ps_crypto_f6(const struct ps_crypto *c, const uint8_t w[16], const uint8_t n1[16], const uint8_t n2[16],
		 const uint8_t r[16], const uint8_t iocap[3], const uint8_t a1[7], const uint8_t a2[7],
		 uint8_t out[16])
{
	uint8_t w1[7], w2[7];
	if (!c || !w || !n1 || !n2 || !r || !iocap || !a1 || !a2 || !out)
		return -PS_EINVAL;
	addr56(a1, w1);
	addr56(a2, w2);
	const struct part m[] = { { n1, 16 }, { n2, 16 }, { r, 16 }, { iocap, 3 }, { w1, 7 }, { w2, 7 } };
	return cmac_wire(c, w, m, PS_ARRAY_SIZE(m), out);
}

/* §2.2.9 g2(U, V, X, Y) = AES-CMAC_X(U || V || Y) mod 2^32; the value displayed for numeric
 * comparison is g2 mod 10^6 (six digits, leading zeros shown). */
int ps_crypto_g2(const struct ps_crypto *c, const uint8_t u[32], const uint8_t v[32], const uint8_t x[16],
		 const uint8_t y[16], uint32_t *out)
{
	uint8_t t[16];
	int rc;
	if (!c || !u || !v || !x || !y || !out)
		return -PS_EINVAL;
	const struct part m[] = { { u, 32 }, { v, 32 }, { y, 16 } };
	if ((rc = cmac_wire(c, x, m, PS_ARRAY_SIZE(m), t)) < 0)
		return rc;
	*out = (uint32_t)ps_get_le(t, 4); /* the least significant 32 bits */
	return 0;
}

/* §2.2.10 h6(W, keyID) = AES-CMAC_W(keyID). keyid 32 bits, wire order. */
int ps_crypto_h6(const struct ps_crypto *c, const uint8_t w[16], const uint8_t keyid[4], uint8_t out[16])
{
	if (!c || !w || !keyid || !out)
		return -PS_EINVAL;
	const struct part m[] = { { keyid, 4 } };
	return cmac_wire(c, w, m, 1, out);
}

/* §2.2.11 h7(SALT, W) = AES-CMAC_SALT(W) (cross-transport derivation with CT2 = 1). */
int ps_crypto_h7(const struct ps_crypto *c, const uint8_t salt[16], const uint8_t w[16], uint8_t out[16])
{
	if (!c || !salt || !w || !out)
		return -PS_EINVAL;
	const struct part m[] = { { w, 16 } };
	return cmac_wire(c, salt, m, 1, out);
}

/* §2.2.12 h8(K, S, keyID): IK = AES-CMAC_S(K), h8 = AES-CMAC_IK(keyID). */
int ps_crypto_h8(const struct ps_crypto *c, const uint8_t k[16], const uint8_t s[16], const uint8_t keyid[4],
		 uint8_t out[16])
{
	uint8_t ik[16];
	int rc;
	if (!c || !k || !s || !keyid || !out)
		return -PS_EINVAL;
	const struct part mk[] = { { k, 16 } };
	if ((rc = cmac_wire(c, s, mk, 1, ik)) < 0)
		return rc;
	const struct part m[] = { { keyid, 4 } };
	rc = cmac_wire(c, ik, m, 1, out);
	memset(ik, 0, sizeof ik);
	return rc;
}

/* §2.2.2 ah(k, r) = e(k, r') mod 2^24, r' = padding(104 zero bits) || r. prand/hash 24 bits, wire. */
int ps_crypto_ah(const struct ps_crypto *c, const uint8_t irk[16], const uint8_t prand[3], uint8_t hash[3])
{
	uint8_t rp[16] = { 0 }, t[16];
	int rc;
	if (!c || !irk || !prand || !hash)
		return -PS_EINVAL;
	memcpy(rp, prand, 3);
	if ((rc = ps_crypto_e(c, irk, rp, t)) < 0)
		return rc;
	memcpy(hash, t, 3);
	return 0;
}

/* Vol 6 Part B §5.1.3.1: SKD = SKDp || SKDc (SKDp the most significant half), SK = e(LTK, SKD).
 * In wire order SKD = skd_c[0..7], skd_p[0..7]; sk comes out wire order (as HCI_LE_Encrypt gives). */
int ps_crypto_session_key(const struct ps_crypto *c, const uint8_t ltk[16], const uint8_t skd_c[8],
			  const uint8_t skd_p[8], uint8_t sk[16])
{
	uint8_t skd[16];
	if (!c || !ltk || !skd_c || !skd_p || !sk)
		return -PS_EINVAL;
	memcpy(skd, skd_c, 8);
	memcpy(skd + 8, skd_p, 8);
	return ps_crypto_e(c, ltk, skd, sk);
}

/* Vol 6 Part E §2.1 CCM nonce (13 octets): octets 0..4 = the 39-bit packetCounter LSO first with
 * the directionBit in bit 7 of octet 4 (1 = sent by the Central), octets 5..12 = IV LSO first
 * (IVc then IVp as they appear in LL_ENC_REQ/LL_ENC_RSP). */
static int ll_nonce(const uint8_t iv[8], uint64_t counter, int dir_central, uint8_t nonce[13])
{
	if (counter >> 39)
		return -PS_ERANGE;
	ps_put_le(nonce, counter, 5);
	if (dir_central)
		nonce[4] |= 0x80;
	memcpy(nonce + 5, iv, 8);
	return 0;
}

/* Vol 6 Part E §2: AAD = the first data-channel header octet with NESN, SN and MD masked to zero
 * (mask 0xE3: LLID, CP and RFU bits stay authenticated; see NOTES.md E). */
#define LL_AAD_MASK 0xE3

int ps_crypto_ll_encrypt(const struct ps_crypto *c, const uint8_t sk[16], const uint8_t iv[8], uint64_t counter,
			 int dir_central, uint8_t hdr, const uint8_t *in, size_t len, uint8_t *out, uint8_t mic[4])
{
	uint8_t nonce[13], key[16], aad = hdr & LL_AAD_MASK;
	int rc;
	if (!c || !sk || !iv || (len && (!in || !out)) || !mic)
		return -PS_EINVAL;
	if ((rc = ll_nonce(iv, counter, dir_central, nonce)) < 0)
		return rc;
	ps_rev_copy(key, sk, 16); /* the CCM key is SK as AES sees it, MSO first */
	rc = c->ccm_encrypt(c->ctx, key, nonce, &aad, 1, in, len, out, mic);
	memset(key, 0, sizeof key);
	return rc;
}

int ps_crypto_ll_decrypt(const struct ps_crypto *c, const uint8_t sk[16], const uint8_t iv[8], uint64_t counter,
			 int dir_central, uint8_t hdr, const uint8_t *in, size_t len, const uint8_t mic[4],
			 uint8_t *out)
{
	uint8_t nonce[13], key[16], aad = hdr & LL_AAD_MASK;
	int rc;
	if (!c || !sk || !iv || (len && (!in || !out)) || !mic)
		return -PS_EINVAL;
	if ((rc = ll_nonce(iv, counter, dir_central, nonce)) < 0)
		return rc;
	ps_rev_copy(key, sk, 16);
	rc = c->ccm_decrypt(c->ctx, key, nonce, &aad, 1, in, len, mic, out);
	memset(key, 0, sizeof key);
	return rc;
}

/* ---- LL session: one SK and IV for many PDUs ----
 * The backend's CCM object keeps the expanded key; the session adds the nonce and AAD of Vol 6
 * Part E §2 per PDU. A backend without CCM objects gets the one-shot ops with the stored key. */
struct ps_crypto_ll_session {
	const struct ps_crypto *c;
	void *ccm;        /* backend object, or NULL */
	uint8_t key[16];  /* SK in FIPS order (MSO first), for the one-shot fallback */
	uint8_t iv[8];
};

/* Stores that a free() right after cannot make dead (key material must not linger in the heap). */
static void wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;
	while (n--)
		*v++ = 0;
}

int ps_crypto_ll_session_new(const struct ps_crypto *c, const uint8_t sk[16], const uint8_t iv[8],
			     struct ps_crypto_ll_session **out)
{
	if (!c || !sk || !iv || !out)
		return -PS_EINVAL;
	struct ps_crypto_ll_session *s = calloc(1, sizeof *s);
	if (!s)
		return -PS_ENOMEM;
	s->c = c;
	ps_rev_copy(s->key, sk, 16);
	memcpy(s->iv, iv, 8);
	if (c->ccm_new && c->ccm_seal && c->ccm_open && c->ccm_free) {
		int rc = c->ccm_new(c->ctx, s->key, &s->ccm);
		if (rc < 0) {
			ps_crypto_ll_session_free(s);
			return rc;
		}
		wipe(s->key, sizeof s->key); /* the object holds the key now */
	}
	*out = s;
	return 0;
}

int ps_crypto_ll_session_encrypt(struct ps_crypto_ll_session *s, uint64_t counter, int dir_central, uint8_t hdr,
				 const uint8_t *in, size_t len, uint8_t *out, uint8_t mic[4])
{
	uint8_t nonce[13], aad = hdr & LL_AAD_MASK;
	int rc;
	if (!s || (len && (!in || !out)) || !mic)
		return -PS_EINVAL;
	if ((rc = ll_nonce(s->iv, counter, dir_central, nonce)) < 0)
		return rc;
	if (s->ccm)
		return s->c->ccm_seal(s->ccm, nonce, &aad, 1, in, len, out, mic);
	return s->c->ccm_encrypt(s->c->ctx, s->key, nonce, &aad, 1, in, len, out, mic);
}

int ps_crypto_ll_session_decrypt(struct ps_crypto_ll_session *s, uint64_t counter, int dir_central, uint8_t hdr,
				 const uint8_t *in, size_t len, const uint8_t mic[4], uint8_t *out)
{
	uint8_t nonce[13], aad = hdr & LL_AAD_MASK;
	int rc;
	if (!s || (len && (!in || !out)) || !mic)
		return -PS_EINVAL;
	if ((rc = ll_nonce(s->iv, counter, dir_central, nonce)) < 0)
		return rc;
	if (s->ccm)
		return s->c->ccm_open(s->ccm, nonce, &aad, 1, in, len, mic, out);
	return s->c->ccm_decrypt(s->c->ctx, s->key, nonce, &aad, 1, in, len, mic, out);
}

void ps_crypto_ll_session_free(struct ps_crypto_ll_session *s)
{
	if (!s)
		return;
	if (s->ccm)
		s->c->ccm_free(s->ccm);
	wipe(s, sizeof *s);
	free(s);
}
