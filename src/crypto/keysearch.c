/* Searches over many keys: the legacy TK search behind the passkey cracker (Core Vol 3 Part H §2.2.3
 * c1, §2.3.5.5) and resolvable private addresses (Vol 6 Part B §1.3.2.2 generation and resolution,
 * Vol 3 Part H §2.2.2 ah). Both run one AES key schedule per candidate through the backend's
 * aes_fast ops, with every per-search value converted to AES (MSO-first) order once, up front. */
#include <pairscope/crypto.h>
#include "base/bytes.h"
#include "crypto/crypto_int.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The AES of one search: the backend's fast object, or aes128() when a backend has none. */
struct kaes {
	const struct ps_crypto *c;
	void *fast;
};

static int kaes_open(struct kaes *k, const struct ps_crypto *c)
{
	k->c = c;
	k->fast = NULL;
	if (c->aes_fast_new && c->aes_fast_mac && c->aes_fast_free)
		return c->aes_fast_new(c->ctx, &k->fast);
	return 0;
}

static void kaes_close(struct kaes *k)
{
	if (k->fast)
		k->c->aes_fast_free(k->fast);
	k->fast = NULL;
}

/* CBC-MAC (zero IV) of n blocks under a fresh key, AES order: e(key, in) for n = 1,
 * e(key, e(key, in[0..15]) XOR in[16..31]) for n = 2. */
static inline int kaes_mac(struct kaes *k, const uint8_t key[16], const uint8_t *in, size_t n, uint8_t out[16])
{
	if (k->fast)
		return k->c->aes_fast_mac(k->fast, key, in, n, out);
	uint8_t t[16] = { 0 };
	for (size_t b = 0; b < n; b++) {
		for (int i = 0; i < 16; i++)
			t[i] ^= in[16 * b + i];
		int rc = k->c->aes128(k->c->ctx, key, t, t);
		if (rc < 0)
			return rc;
	}
	memcpy(out, t, 16);
	return 0;
}

/* ---- §2.2.3 c1 key search ---- */

struct ps_crypto_c1_search {
	struct kaes aes;
	uint8_t blocks[32]; /* r XOR p1 || p2, AES order (MSO first): c1 is their CBC-MAC */
	uint8_t want[16];   /* the confirm value, AES order */
};

int ps_crypto_c1_search_new(const struct ps_crypto *c, const uint8_t r[16], const uint8_t preq[7],
			    const uint8_t pres[7], uint8_t iat, const uint8_t ia[6], uint8_t rat, const uint8_t ra[6],
			    const uint8_t confirm[16], struct ps_crypto_c1_search **out)
{
	uint8_t p1[16], p2[16];
	int rc;
	if (!c || !r || !preq || !pres || !ia || !ra || !confirm || !out)
		return -PS_EINVAL;
	if ((rc = ps_crypto_c1_p1p2(preq, pres, iat, ia, rat, ra, p1, p2)) < 0)
		return rc;
	for (int i = 0; i < 16; i++)
		p1[i] ^= r[i];
	struct ps_crypto_c1_search *s = calloc(1, sizeof *s);
	if (!s)
		return -PS_ENOMEM;
	ps_rev_copy(s->blocks, p1, 16);
	ps_rev_copy(s->blocks + 16, p2, 16);
	ps_rev_copy(s->want, confirm, 16);
	if ((rc = kaes_open(&s->aes, c)) < 0) {
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* One candidate, key in AES order: 1 on match, 0 on none, negative on backend failure. */
static int c1_try(struct ps_crypto_c1_search *s, const uint8_t key[16])
{
	uint8_t t[16];
	int rc = kaes_mac(&s->aes, key, s->blocks, 2, t);
	if (rc < 0)
		return rc;
	return memcmp(t, s->want, 16) == 0;
}

int ps_crypto_c1_search_range(struct ps_crypto_c1_search *s, uint32_t first, uint32_t count, uint32_t *tk)
{
	uint8_t key[16] = { 0 };
	if (!s || !tk)
		return -PS_EINVAL;
	if ((uint64_t)first + count > ((uint64_t)1 << 32))
		return -PS_ERANGE; /* TKs are tried as 32-bit values */
	for (uint64_t v = first; v < (uint64_t)first + count; v++) {
		/* TK as a 128-bit integer, MSO first for AES: the value sits in the last four octets. */
		key[12] = (uint8_t)(v >> 24);
		key[13] = (uint8_t)(v >> 16);
		key[14] = (uint8_t)(v >> 8);
		key[15] = (uint8_t)v;
		int rc = c1_try(s, key);
		if (rc < 0)
			return rc;
		if (rc) {
			*tk = (uint32_t)v;
			return 0;
		}
	}
	return -PS_ENOENT;
}

int ps_crypto_c1_search_key(struct ps_crypto_c1_search *s, const uint8_t k[16])
{
	uint8_t key[16];
	if (!s || !k)
		return -PS_EINVAL;
	ps_rev_copy(key, k, 16);
	int rc = c1_try(s, key);
	memset(key, 0, sizeof key);
	return rc < 0 ? rc : rc ? 0 : -PS_ENOENT;
}

void ps_crypto_c1_search_free(struct ps_crypto_c1_search *s)
{
	if (!s)
		return;
	kaes_close(&s->aes);
	memset(s, 0, sizeof *s);
	free(s);
}

/* ---- Resolvable private addresses ---- */

/* Vol 6 Part B §1.3.2.2: the two most significant bits of prand are 0b01; the 22 random bits are
 * neither all zero nor all one. addr (wire order) = hash[0..2] || prand[0..2], prand in addr[3..5]. */
int ps_crypto_rpa_generate(const struct ps_crypto *c, const uint8_t irk[16], uint8_t addr[6])
{
	uint8_t prand[3];
	int rc;
	if (!c || !irk || !addr)
		return -PS_EINVAL;
	for (int tries = 0; tries < 64; tries++) {
		if ((rc = c->rand(c->ctx, prand, 3)) < 0)
			return rc;
		prand[2] = (uint8_t)((prand[2] & 0x3f) | 0x40);
		uint32_t bits = (uint32_t)prand[0] | (uint32_t)prand[1] << 8 | (uint32_t)(prand[2] & 0x3f) << 16;
		if (bits == 0 || bits == 0x3fffff)
			continue;
		if ((rc = ps_crypto_ah(c, irk, prand, addr)) < 0)
			return rc;
		memcpy(addr + 3, prand, 3);
		return 0;
	}
	return -PS_ECRYPTO; /* the random source keeps giving a forbidden pattern */
}

/* Vol 6 Part B §1.3.2.3: an IRK resolves addr when ah(IRK, prand) equals its hash. Linear in n, one
 * key schedule and one block per IRK; r' is built once. -PS_EINVAL when addr is not an RPA. */
int ps_crypto_rpa_resolve(const struct ps_crypto *c, const uint8_t (*irks)[16], size_t n, const uint8_t addr[6])
{
	uint8_t rp[16] = { 0 }, want[3], key[16], t[16];
	struct kaes k;
	int rc;
	if (!c || !addr || (n && !irks))
		return -PS_EINVAL;
	if (n > INT_MAX)
		return -PS_ERANGE;
	if ((addr[5] & 0xc0) != 0x40)
		return -PS_EINVAL;
	ps_rev_copy(rp + 13, addr + 3, 3); /* r' = 0^104 || prand, AES order */
	ps_rev_copy(want, addr, 3);        /* hash, AES order: the last three octets of e() */
	if ((rc = kaes_open(&k, c)) < 0)
		return rc;
	rc = -PS_ENOENT;
	for (size_t i = 0; i < n; i++) {
		ps_rev_copy(key, irks[i], 16);
		int r = kaes_mac(&k, key, rp, 1, t);
		if (r < 0) {
			rc = r;
			break;
		}
		if (!memcmp(t + 13, want, 3)) {
			rc = (int)i;
			break;
		}
	}
	memset(key, 0, sizeof key);
	kaes_close(&k);
	return rc;
}
