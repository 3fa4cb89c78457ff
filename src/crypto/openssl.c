/* The crypto backend over OpenSSL 3 libcrypto (AES-128 FIPS-197, AES-CMAC RFC 4493, AES-CCM RFC 3610
 * as profiled by Core Vol 6 Part E §1, P-256 ECDH as used by Vol 3 Part H §2.3.5.6) and getrandom(2).
 * The ONLY file in pairscope that includes OpenSSL. Byte order here is the primitives' own: AES keys,
 * blocks and CMAC values in FIPS/RFC order (MSO first); P-256 keys in SMP wire order (LSO first),
 * converted to OpenSSL's big-endian at this edge. The context is immutable after creation, so one
 * backend may be shared by threads; the aes_fast objects are per thread. */
#include <pairscope/crypto.h>
#include "base/bytes.h"

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/provider.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

struct ossl {
	EVP_CIPHER *ecb;  /* AES-128-ECB for e() */
	EVP_CIPHER *cbc;  /* AES-128-CBC for the fast path's CBC-MAC */
	EVP_CIPHER *ccm;  /* AES-128-CCM for LL encryption */
	EVP_MAC *cmac;    /* CMAC over AES-128-CBC */
	EC_GROUP *group;  /* P-256, read-only after creation */
	/* Direct provider entry points of AES-128-CBC for the fast path (NULL: fall back to EVP). */
	void *provctx;
	OSSL_FUNC_cipher_newctx_fn *p_newctx;
	OSSL_FUNC_cipher_freectx_fn *p_freectx;
	OSSL_FUNC_cipher_encrypt_init_fn *p_einit;
	OSSL_FUNC_cipher_cipher_fn *p_cipher;
	/* Direct entry points of AES-128-CCM for the per-key CCM objects (newctx NULL: none offered). */
	struct {
		void *provctx;
		OSSL_FUNC_cipher_newctx_fn *newctx;
		OSSL_FUNC_cipher_freectx_fn *freectx;
		OSSL_FUNC_cipher_encrypt_init_fn *einit;
		OSSL_FUNC_cipher_decrypt_init_fn *dinit;
		OSSL_FUNC_cipher_update_fn *update;
		OSSL_FUNC_cipher_get_ctx_params_fn *get;
		OSSL_FUNC_cipher_set_ctx_params_fn *set;
	} pccm;
};

/* P-256 prime p, big-endian (FIPS 186-4 D.1.2.3). Public coordinates must be below it. */
static const uint8_t p256_p_be[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/* FIPS-197 AES-128, one block; key/in/out MSO first. */
static int o_aes128(void *ctx, const uint8_t key[16], const uint8_t in[16], uint8_t out[16])
{
	struct ossl *o = ctx;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int len = 0, rc = -PS_ECRYPTO;
	if (!c)
		return -PS_ENOMEM;
	if (EVP_EncryptInit_ex2(c, o->ecb, key, NULL, NULL) == 1 && EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
	    EVP_EncryptUpdate(c, out, &len, in, 16) == 1 && len == 16)
		rc = 0;
	EVP_CIPHER_CTX_free(c);
	return rc;
}

/* RFC 4493 AES-CMAC; key and tag MSO first, msg processed first octet first. */
static int o_cmac(void *ctx, const uint8_t key[16], const uint8_t *msg, size_t len, uint8_t out[16])
{
	struct ossl *o = ctx;
	EVP_MAC_CTX *m = EVP_MAC_CTX_new(o->cmac);
	char cipher[] = "AES-128-CBC";
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0),
		OSSL_PARAM_construct_end(),
	};
	size_t outl = 0;
	int rc = -PS_ECRYPTO;
	if (!m)
		return -PS_ENOMEM;
	if (EVP_MAC_init(m, key, 16, params) == 1 && (len == 0 || EVP_MAC_update(m, msg, len) == 1) &&
	    EVP_MAC_final(m, out, &outl, 16) == 1 && outl == 16)
		rc = 0;
	EVP_MAC_CTX_free(m);
	return rc;
}

/* Common CCM set-up (RFC 3610 with M=4, L=2: 13-octet nonce, 4-octet MIC; Vol 6 Part E §1). */
static EVP_CIPHER_CTX *ccm_begin(struct ossl *o, int enc, const uint8_t key[16], const uint8_t nonce[13],
				 const uint8_t *mic)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	if (!c)
		return NULL;
	if (EVP_CipherInit_ex2(c, o->ccm, NULL, NULL, enc, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 13, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 4, (void *)mic) != 1 ||
	    EVP_CipherInit_ex2(c, NULL, key, nonce, enc, NULL) != 1) {
		EVP_CIPHER_CTX_free(c);
		return NULL;
	}
	return c;
}

static int o_ccm_encrypt(void *ctx, const uint8_t key[16], const uint8_t nonce[13], const uint8_t *aad,
			 size_t aad_len, const uint8_t *in, size_t len, uint8_t *out, uint8_t mic[4])
{
	uint8_t dummy = 0;
	int l = 0, rc = -PS_ECRYPTO;
	if (len > 0xffff || aad_len > 0xff00)
		return -PS_EINVAL;
	EVP_CIPHER_CTX *c = ccm_begin(ctx, 1, key, nonce, NULL);
	if (!c)
		return -PS_ECRYPTO;
	if (EVP_EncryptUpdate(c, NULL, &l, NULL, (int)len) == 1 &&
	    (aad_len == 0 || EVP_EncryptUpdate(c, NULL, &l, aad, (int)aad_len) == 1) &&
	    EVP_EncryptUpdate(c, len ? out : &dummy, &l, len ? in : &dummy, (int)len) == 1 &&
	    EVP_EncryptFinal_ex(c, len ? out : &dummy, &l) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 4, mic) == 1)
		rc = 0;
	EVP_CIPHER_CTX_free(c);
	return rc;
}

static int o_ccm_decrypt(void *ctx, const uint8_t key[16], const uint8_t nonce[13], const uint8_t *aad,
			 size_t aad_len, const uint8_t *in, size_t len, const uint8_t mic[4], uint8_t *out)
{
	uint8_t dummy = 0;
	int l = 0, rc = -PS_ECRYPTO;
	if (len > 0xffff || aad_len > 0xff00)
		return -PS_EINVAL;
	EVP_CIPHER_CTX *c = ccm_begin(ctx, 0, key, nonce, mic);
	if (!c)
		return -PS_ECRYPTO;
	/* In CCM decryption OpenSSL checks the MIC inside the one payload update. */
	if (EVP_DecryptUpdate(c, NULL, &l, NULL, (int)len) == 1 &&
	    (aad_len == 0 || EVP_DecryptUpdate(c, NULL, &l, aad, (int)aad_len) == 1) &&
	    EVP_DecryptUpdate(c, len ? out : &dummy, &l, len ? in : &dummy, (int)len) == 1)
		rc = 0;
	EVP_CIPHER_CTX_free(c);
	if (rc != 0 && len)
		memset(out, 0, len); /* never hand out unauthenticated plaintext */
	return rc;
}

/* ---- Per-key CCM objects (LL encryption: one key, a new nonce for every PDU) ----
 * EVP costs most of an LL PDU's time in set-up: a context allocated, the key expanded and the
 * parameters passed as OSSL_PARAM lists on every call. An object keeps two provider contexts of
 * AES-128-CCM keyed once and calls the provider's entry points directly (provider-cipher(7), as the
 * fast path above does), so a PDU costs an IV set, the length, the AAD and the data. Two contexts,
 * not one: OpenSSL's CCM picks its encrypt or decrypt stream routine when the key is set (enc flag
 * at init), so a context keyed for sealing must not open. Reusing a context per message is what the
 * provider supports: each init sets the nonce, the length update re-formats B0 (flags, nonce,
 * message length) and clears the Adata flag, the tag length and L set before keying stay. When the
 * provider gives no entry points (unexpected), the backend offers no CCM objects (ops left NULL). */

struct ccm {
	struct ossl *o;
	void *enc, *dec;  /* provider contexts keyed for sealing / opening */
};

static void o_ccm_free(void *p)
{
	struct ccm *m = p;
	if (!m)
		return;
	if (m->enc)
		m->o->pccm.freectx(m->enc); /* the provider wipes its key schedule */
	if (m->dec)
		m->o->pccm.freectx(m->dec);
	free(m);
}

/* A provider CCM context with M = 4, L = 2 (set before the key: the key set-up records them). */
static void *ccm_pctx(struct ossl *o, int enc, const uint8_t key[16])
{
	size_t ivlen = 13;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN, &ivlen),
		OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, NULL, 4),
		OSSL_PARAM_construct_end(),
	};
	void *p = o->pccm.newctx(o->pccm.provctx);
	if (!p)
		return NULL;
	if (o->pccm.set(p, params) != 1 ||
	    (enc ? o->pccm.einit(p, key, 16, NULL, 0, NULL) : o->pccm.dinit(p, key, 16, NULL, 0, NULL)) != 1) {
		o->pccm.freectx(p);
		return NULL;
	}
	return p;
}

static int o_ccm_new(void *ctx, const uint8_t key[16], void **out)
{
	struct ossl *o = ctx;
	struct ccm *m = calloc(1, sizeof *m);
	if (!m)
		return -PS_ENOMEM;
	m->o = o;
	m->enc = ccm_pctx(o, 1, key);
	m->dec = ccm_pctx(o, 0, key);
	if (!m->enc || !m->dec) {
		o_ccm_free(m);
		return -PS_ECRYPTO;
	}
	*out = m;
	return 0;
}

/* The message part of a CCM operation on a provider context whose nonce (and, opening, tag) is set:
 * total length first (B0), then the AAD, then the payload in one update (where opening checks the
 * MIC). A zero-length payload still needs non-NULL buffers: NULL/NULL means "set the length". */
static int ccm_run(struct ossl *o, void *p, const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
		   uint8_t *out)
{
	uint8_t dummy = 0;
	size_t l = 0;
	return o->pccm.update(p, NULL, &l, len, NULL, len) == 1 &&
	       (aad_len == 0 || o->pccm.update(p, NULL, &l, aad_len, aad, aad_len) == 1) &&
	       o->pccm.update(p, len ? out : &dummy, &l, len, len ? in : &dummy, len) == 1;
}

static int o_ccm_seal(void *p, const uint8_t nonce[13], const uint8_t *aad, size_t aad_len, const uint8_t *in,
		      size_t len, uint8_t *out, uint8_t mic[4])
{
	struct ccm *m = p;
	if (len > 0xffff || aad_len > 0xff00)
		return -PS_EINVAL;
	OSSL_PARAM tag[] = {
		OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, mic, 4),
		OSSL_PARAM_construct_end(),
	};
	if (m->o->pccm.einit(m->enc, NULL, 0, nonce, 13, NULL) != 1 ||
	    !ccm_run(m->o, m->enc, aad, aad_len, in, len, out) || m->o->pccm.get(m->enc, tag) != 1)
		return -PS_ECRYPTO;
	return 0;
}

static int o_ccm_open(void *p, const uint8_t nonce[13], const uint8_t *aad, size_t aad_len, const uint8_t *in,
		      size_t len, const uint8_t mic[4], uint8_t *out)
{
	struct ccm *m = p;
	if (len > 0xffff || aad_len > 0xff00)
		return -PS_EINVAL;
	/* the expected tag goes in with the nonce: decrypt-init clears the encrypt flag first */
	OSSL_PARAM tag[] = {
		OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, (void *)mic, 4),
		OSSL_PARAM_construct_end(),
	};
	if (m->o->pccm.dinit(m->dec, NULL, 0, nonce, 13, tag) == 1 &&
	    ccm_run(m->o, m->dec, aad, aad_len, in, len, out))
		return 0;
	if (len)
		memset(out, 0, len); /* never hand out unauthenticated plaintext */
	return -PS_ECRYPTO;
}

/* ---- P-256 (Vol 3 Part H §2.3.5.6; FIPS 186-4 curve P-256) ---- */

static int be_less(const uint8_t a[32], const uint8_t b[32])
{
	return memcmp(a, b, 32) < 0;
}

/* Vol 3 Part H §2.3.5.6.1 and the invalid-curve attack (CVE-2018-5383): a peer key is used only
 * when X < p, Y < p, it is not the all-zero encoding of infinity and it lies on the curve (P-256
 * has cofactor 1, so every point on it other than infinity has order n). On success *pt holds it. */
static int load_point(struct ossl *o, const uint8_t pub[64], BN_CTX *bn, EC_POINT *pt)
{
	static const uint8_t zero[64];
	uint8_t x[32], y[32];
	int rc = -PS_EINVAL;
	ps_rev_copy(x, pub, 32);
	ps_rev_copy(y, pub + 32, 32);
	if (!be_less(x, p256_p_be) || !be_less(y, p256_p_be) || !memcmp(pub, zero, 64))
		return -PS_EINVAL;
	BIGNUM *bx = BN_bin2bn(x, 32, NULL), *by = BN_bin2bn(y, 32, NULL);
	if (!bx || !by)
		rc = -PS_ENOMEM;
	else if (EC_POINT_set_affine_coordinates(o->group, pt, bx, by, bn) == 1 &&
		 EC_POINT_is_on_curve(o->group, pt, bn) == 1 && !EC_POINT_is_at_infinity(o->group, pt))
		rc = 0;
	BN_free(bx);
	BN_free(by);
	return rc;
}

static int o_p256_check(void *ctx, const uint8_t pub[64])
{
	struct ossl *o = ctx;
	BN_CTX *bn = BN_CTX_new();
	EC_POINT *pt = EC_POINT_new(o->group);
	int rc = bn && pt ? load_point(o, pub, bn, pt) : -PS_ENOMEM;
	EC_POINT_free(pt);
	BN_CTX_free(bn);
	return rc;
}

/* Private key valid for P-256: 1 <= d < n. */
static int priv_valid(struct ossl *o, const uint8_t priv[32], BIGNUM **out)
{
	uint8_t be[32];
	ps_rev_copy(be, priv, 32);
	BIGNUM *d = BN_secure_new();
	int ok = d && BN_bin2bn(be, 32, d) && !BN_is_zero(d) && BN_cmp(d, EC_GROUP_get0_order(o->group)) < 0;
	OPENSSL_cleanse(be, sizeof be);
	if (!ok) {
		BN_clear_free(d);
		return d ? -PS_EINVAL : -PS_ENOMEM;
	}
	BN_set_flags(d, BN_FLG_CONSTTIME);
	*out = d;
	return 0;
}

/* Point multiplication d·P written as affine X || Y (each LSO first); P = NULL means the generator.
 * The same EC_POINT_mul OpenSSL's own ECDH derive uses (constant-time ladder for P-256, d flagged
 * BN_FLG_CONSTTIME), without the EVP_PKEY import round trip. */
static int mul_point(struct ossl *o, const BIGNUM *d, const EC_POINT *p, BN_CTX *bn, uint8_t out[64], bool want_y)
{
	EC_POINT *q = EC_POINT_new(o->group);
	BIGNUM *x = BN_new(), *y = BN_new();
	uint8_t be[32];
	int rc = -PS_ECRYPTO;
	if (!q || !x || !y)
		rc = -PS_ENOMEM;
	else if ((p ? EC_POINT_mul(o->group, q, NULL, p, d, bn) : EC_POINT_mul(o->group, q, d, NULL, NULL, bn)) == 1 &&
		 !EC_POINT_is_at_infinity(o->group, q) &&
		 EC_POINT_get_affine_coordinates(o->group, q, x, want_y ? y : NULL, bn) == 1 &&
		 BN_bn2binpad(x, be, 32) == 32) {
		ps_rev_copy(out, be, 32);
		rc = 0;
		if (want_y) {
			rc = BN_bn2binpad(y, be, 32) == 32 ? 0 : -PS_ECRYPTO;
			ps_rev_copy(out + 32, be, 32);
		}
	}
	OPENSSL_cleanse(be, sizeof be);
	BN_clear_free(x);
	BN_clear_free(y);
	EC_POINT_clear_free(q);
	return rc;
}

/* Public key = d·G, written X || Y, each 32 bytes LSO first (the Pairing Public Key layout). */
static int o_p256_public(void *ctx, const uint8_t priv[32], uint8_t pub[64])
{
	struct ossl *o = ctx;
	BIGNUM *d = NULL;
	int rc = priv_valid(o, priv, &d);
	if (rc)
		return rc;
	BN_CTX *bn = BN_CTX_new();
	rc = bn ? mul_point(o, d, NULL, bn, pub, true) : -PS_ENOMEM;
	BN_CTX_free(bn);
	BN_clear_free(d);
	return rc;
}

/* A fresh key pair from OpenSSL's EC key generation (its DRBG; 1 <= d < n). */
static int o_p256_keygen(void *ctx, uint8_t priv[32], uint8_t pub[64])
{
	EVP_PKEY *k = EVP_EC_gen(SN_X9_62_prime256v1);
	BIGNUM *d = NULL;
	uint8_t be[32];
	int rc = -PS_ECRYPTO;
	if (!k)
		return -PS_ECRYPTO;
	if (EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &d) == 1 && BN_bn2binpad(d, be, 32) == 32) {
		ps_rev_copy(priv, be, 32);
		rc = o_p256_public(ctx, priv, pub);
	}
	OPENSSL_cleanse(be, sizeof be);
	BN_clear_free(d);
	EVP_PKEY_free(k);
	return rc;
}

/* DHKey = x(priv · peer), LSO first (Vol 3 Part H §2.3.5.6.1). The peer key is validated first:
 * -PS_EINVAL for an invalid point or a private key outside 1..n-1. */
static int o_p256_ecdh(void *ctx, const uint8_t priv[32], const uint8_t peer_pub[64], uint8_t dhkey[32])
{
	struct ossl *o = ctx;
	BIGNUM *d = NULL;
	BN_CTX *bn = BN_CTX_new();
	EC_POINT *pt = EC_POINT_new(o->group);
	uint8_t xy[64];
	int rc = bn && pt ? load_point(o, peer_pub, bn, pt) : -PS_ENOMEM;
	if (rc == 0)
		rc = priv_valid(o, priv, &d);
	if (rc == 0)
		rc = mul_point(o, d, pt, bn, xy, false);
	if (rc == 0)
		memcpy(dhkey, xy, 32);
	OPENSSL_cleanse(xy, sizeof xy);
	BN_clear_free(d);
	EC_POINT_free(pt);
	BN_CTX_free(bn);
	return rc;
}

static int o_rand(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	while (len) {
		ssize_t n = getrandom(buf, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -PS_EIO;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* ---- Fast path: AES-128-CBC-MAC with a fresh key, through the provider's own entry points ----
 * (provider-cipher(7): the dispatch table of the provider that implements EVP's AES-128-CBC.) EVP
 * re-keying costs ~90 ns of dispatch per key; calling the provider's encrypt_init and cipher
 * directly keeps its AES-NI key expansion and CBC code and drops most of that. CBC with a zero IV
 * makes c1's two chained blocks one call: last block of CBC(k, (r^p1) || p2) = e(k, e(k, r^p1) ^ p2).
 * When the provider does not give the entry points (unexpected), an EVP context is re-keyed instead. */

#define FAST_MAX_BLOCKS 8

struct fast {
	struct ossl *o;
	void *pctx;          /* provider cipher ctx, or NULL */
	EVP_CIPHER_CTX *evp; /* fallback */
};

static const uint8_t zero_iv[16];

static int o_fast_new(void *ctx, void **out)
{
	struct ossl *o = ctx;
	struct fast *f = calloc(1, sizeof *f);
	if (!f)
		return -PS_ENOMEM;
	f->o = o;
	if (o->p_newctx)
		f->pctx = o->p_newctx(o->provctx);
	if (!f->pctx) {
		f->evp = EVP_CIPHER_CTX_new();
		if (!f->evp || EVP_EncryptInit_ex2(f->evp, o->cbc, NULL, NULL, NULL) != 1 ||
		    EVP_CIPHER_CTX_set_padding(f->evp, 0) != 1) {
			EVP_CIPHER_CTX_free(f->evp);
			free(f);
			return -PS_ECRYPTO;
		}
	}
	*out = f;
	return 0;
}

static int o_fast_mac(void *fp, const uint8_t key[16], const uint8_t *in, size_t nblocks, uint8_t out[16])
{
	struct fast *f = fp;
	uint8_t buf[16 * FAST_MAX_BLOCKS];
	size_t len = 16 * nblocks;
	if (nblocks < 1 || nblocks > FAST_MAX_BLOCKS)
		return -PS_EINVAL;
	if (f->pctx) {
		size_t l = 0;
		if (f->o->p_einit(f->pctx, key, 16, zero_iv, 16, NULL) != 1 ||
		    f->o->p_cipher(f->pctx, buf, &l, sizeof buf, in, len) != 1 || l != len)
			return -PS_ECRYPTO;
	} else {
		int l = 0;
		if (EVP_EncryptInit_ex2(f->evp, NULL, key, zero_iv, NULL) != 1 ||
		    EVP_EncryptUpdate(f->evp, buf, &l, in, (int)len) != 1 || (size_t)l != len)
			return -PS_ECRYPTO;
	}
	memcpy(out, buf + len - 16, 16);
	return 0;
}

static void o_fast_free(void *fp)
{
	struct fast *f = fp;
	if (!f)
		return;
	if (f->pctx)
		f->o->p_freectx(f->pctx);
	EVP_CIPHER_CTX_free(f->evp);
	free(f);
}

/* True when the colon-separated provider name list holds `name` exactly. */
static int has_name(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ':');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == n && !strncmp(p, name, n))
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

static void find_fast_entry(struct ossl *o)
{
	const OSSL_PROVIDER *prov = EVP_CIPHER_get0_provider(o->cbc);
	int no_cache = 0;
	const OSSL_ALGORITHM *alg = prov ? OSSL_PROVIDER_query_operation(prov, OSSL_OP_CIPHER, &no_cache) : NULL;
	const OSSL_ALGORITHM *a = alg;
	for (; a && a->algorithm_names; a++)
		if (has_name(a->algorithm_names, "AES-128-CBC"))
			break;
	if (a && a->algorithm_names) {
		for (const OSSL_DISPATCH *d = a->implementation; d->function_id; d++) {
			switch (d->function_id) {
			case OSSL_FUNC_CIPHER_NEWCTX: o->p_newctx = OSSL_FUNC_cipher_newctx(d); break;
			case OSSL_FUNC_CIPHER_FREECTX: o->p_freectx = OSSL_FUNC_cipher_freectx(d); break;
			case OSSL_FUNC_CIPHER_ENCRYPT_INIT: o->p_einit = OSSL_FUNC_cipher_encrypt_init(d); break;
			case OSSL_FUNC_CIPHER_CIPHER: o->p_cipher = OSSL_FUNC_cipher_cipher(d); break;
			default: break;
			}
		}
		o->provctx = OSSL_PROVIDER_get0_provider_ctx(prov);
	}
	if (alg)
		OSSL_PROVIDER_unquery_operation(prov, OSSL_OP_CIPHER, alg);
	if (!o->p_newctx || !o->p_freectx || !o->p_einit || !o->p_cipher || !o->provctx)
		o->p_newctx = NULL;
}

/* The AES-128-CCM provider entry points for the CCM objects; all or none. */
static void find_ccm_entry(struct ossl *o)
{
	const OSSL_PROVIDER *prov = EVP_CIPHER_get0_provider(o->ccm);
	int no_cache = 0;
	const OSSL_ALGORITHM *alg = prov ? OSSL_PROVIDER_query_operation(prov, OSSL_OP_CIPHER, &no_cache) : NULL;
	const OSSL_ALGORITHM *a = alg;
	for (; a && a->algorithm_names; a++)
		if (has_name(a->algorithm_names, "AES-128-CCM"))
			break;
	if (a && a->algorithm_names) {
		for (const OSSL_DISPATCH *d = a->implementation; d->function_id; d++) {
			switch (d->function_id) {
			case OSSL_FUNC_CIPHER_NEWCTX: o->pccm.newctx = OSSL_FUNC_cipher_newctx(d); break;
			case OSSL_FUNC_CIPHER_FREECTX: o->pccm.freectx = OSSL_FUNC_cipher_freectx(d); break;
			case OSSL_FUNC_CIPHER_ENCRYPT_INIT: o->pccm.einit = OSSL_FUNC_cipher_encrypt_init(d); break;
			case OSSL_FUNC_CIPHER_DECRYPT_INIT: o->pccm.dinit = OSSL_FUNC_cipher_decrypt_init(d); break;
			case OSSL_FUNC_CIPHER_UPDATE: o->pccm.update = OSSL_FUNC_cipher_update(d); break;
			case OSSL_FUNC_CIPHER_GET_CTX_PARAMS: o->pccm.get = OSSL_FUNC_cipher_get_ctx_params(d); break;
			case OSSL_FUNC_CIPHER_SET_CTX_PARAMS: o->pccm.set = OSSL_FUNC_cipher_set_ctx_params(d); break;
			default: break;
			}
		}
		o->pccm.provctx = OSSL_PROVIDER_get0_provider_ctx(prov);
	}
	if (alg)
		OSSL_PROVIDER_unquery_operation(prov, OSSL_OP_CIPHER, alg);
	if (!o->pccm.newctx || !o->pccm.freectx || !o->pccm.einit || !o->pccm.dinit || !o->pccm.update ||
	    !o->pccm.get || !o->pccm.set || !o->pccm.provctx)
		o->pccm.newctx = NULL;
}

static void o_free(void *ctx)
{
	struct ossl *o = ctx;
	if (!o)
		return;
	EVP_CIPHER_free(o->ecb);
	EVP_CIPHER_free(o->cbc);
	EVP_CIPHER_free(o->ccm);
	EVP_MAC_free(o->cmac);
	EC_GROUP_free(o->group);
	free(o);
}

int ps_crypto_openssl_new(struct ps_crypto *out)
{
	struct ossl *o = calloc(1, sizeof *o);
	if (!o)
		return -PS_ENOMEM;
	o->ecb = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
	o->cbc = EVP_CIPHER_fetch(NULL, "AES-128-CBC", NULL);
	o->ccm = EVP_CIPHER_fetch(NULL, "AES-128-CCM", NULL);
	o->cmac = EVP_MAC_fetch(NULL, "CMAC", NULL);
	o->group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	if (!o->ecb || !o->cbc || !o->ccm || !o->cmac || !o->group) {
		o_free(o);
		return -PS_EUNSUP;
	}
	find_fast_entry(o);
	find_ccm_entry(o);
	*out = (struct ps_crypto){
		.ctx = o,
		.aes128 = o_aes128,
		.cmac = o_cmac,
		.ccm_encrypt = o_ccm_encrypt,
		.ccm_decrypt = o_ccm_decrypt,
		.p256_keygen = o_p256_keygen,
		.p256_public = o_p256_public,
		.p256_ecdh = o_p256_ecdh,
		.p256_check = o_p256_check,
		.rand = o_rand,
		.free = o_free,
		.aes_fast_new = o_fast_new,
		.aes_fast_mac = o_fast_mac,
		.aes_fast_free = o_fast_free,
	};
	if (o->pccm.newctx) {
		out->ccm_new = o_ccm_new;
		out->ccm_seal = o_ccm_seal;
		out->ccm_open = o_ccm_open;
		out->ccm_free = o_ccm_free;
	}
	return 0;
}

void ps_crypto_free(struct ps_crypto *c)
{
	if (!c)
		return;
	if (c->free)
		c->free(c->ctx);
	c->ctx = NULL;
	c->free = NULL;
}
