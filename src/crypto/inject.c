/* A backend wrapper that replaces the randomness source (DESIGN.md: deterministic tests inject
 * randomness through the ops, never through hooks in the product). Every other op forwards to the
 * base backend with the base's own context; rand goes to the caller's function and context. Used by
 * the SMP tests to replay pairings (Vol 3 Part H Appendix D values) with known randoms. */
#include <pairscope/crypto.h>
#include <stdlib.h>

struct inject {
	const struct ps_crypto *base;
	int (*rand)(void *rctx, uint8_t *buf, size_t len);
	void *rctx;
};

#define BASE(ctx) (((struct inject *)(ctx))->base)

static int i_aes128(void *ctx, const uint8_t key[16], const uint8_t in[16], uint8_t out[16])
{
	return BASE(ctx)->aes128(BASE(ctx)->ctx, key, in, out);
}

static int i_cmac(void *ctx, const uint8_t key[16], const uint8_t *msg, size_t len, uint8_t out[16])
{
	return BASE(ctx)->cmac(BASE(ctx)->ctx, key, msg, len, out);
}

static int i_ccm_encrypt(void *ctx, const uint8_t key[16], const uint8_t nonce[13], const uint8_t *aad,
			 size_t aad_len, const uint8_t *in, size_t len, uint8_t *out, uint8_t mic[4])
{
	return BASE(ctx)->ccm_encrypt(BASE(ctx)->ctx, key, nonce, aad, aad_len, in, len, out, mic);
}

static int i_ccm_decrypt(void *ctx, const uint8_t key[16], const uint8_t nonce[13], const uint8_t *aad,
			 size_t aad_len, const uint8_t *in, size_t len, const uint8_t mic[4], uint8_t *out)
{
	return BASE(ctx)->ccm_decrypt(BASE(ctx)->ctx, key, nonce, aad, aad_len, in, len, mic, out);
}

/* Key generation draws its private key from the injected source (1 <= d < n by rejection), so a
 * test that injects the spec's private key gets the spec's public key. */
static int i_p256_keygen(void *ctx, uint8_t priv[32], uint8_t pub[64])
{
	struct inject *w = ctx;
	int rc = -PS_ECRYPTO;
	for (int tries = 0; tries < 16 && rc != 0; tries++) {
		if ((rc = w->rand(w->rctx, priv, 32)) < 0)
			return rc;
		rc = w->base->p256_public(w->base->ctx, priv, pub); /* -PS_EINVAL when d is 0 or >= n */
		if (rc < 0 && rc != -PS_EINVAL)
			return rc;
	}
	return rc;
}

static int i_p256_public(void *ctx, const uint8_t priv[32], uint8_t pub[64])
{
	return BASE(ctx)->p256_public(BASE(ctx)->ctx, priv, pub);
}

static int i_p256_ecdh(void *ctx, const uint8_t priv[32], const uint8_t peer_pub[64], uint8_t dhkey[32])
{
	return BASE(ctx)->p256_ecdh(BASE(ctx)->ctx, priv, peer_pub, dhkey);
}

static int i_p256_check(void *ctx, const uint8_t pub[64])
{
	return BASE(ctx)->p256_check(BASE(ctx)->ctx, pub);
}

static int i_rand(void *ctx, uint8_t *buf, size_t len)
{
	struct inject *w = ctx;
	return w->rand(w->rctx, buf, len);
}

static int i_fast_new(void *ctx, void **fast)
{
	return BASE(ctx)->aes_fast_new(BASE(ctx)->ctx, fast);
}

static int i_ccm_new(void *ctx, const uint8_t key[16], void **ccm)
{
	return BASE(ctx)->ccm_new(BASE(ctx)->ctx, key, ccm);
}

static void i_free(void *ctx)
{
	free(ctx);
}

int ps_crypto_inject_rand(struct ps_crypto *out, const struct ps_crypto *base,
			  int (*rand)(void *rctx, uint8_t *buf, size_t len), void *rctx)
{
	if (!out || !base || !rand)
		return -PS_EINVAL;
	struct inject *w = malloc(sizeof *w);
	if (!w)
		return -PS_ENOMEM;
	*w = (struct inject){ base, rand, rctx };
	*out = (struct ps_crypto){
		.ctx = w,
		.aes128 = i_aes128,
		.cmac = i_cmac,
		.ccm_encrypt = i_ccm_encrypt,
		.ccm_decrypt = i_ccm_decrypt,
		.p256_keygen = i_p256_keygen,
		.p256_public = i_p256_public,
		.p256_ecdh = i_p256_ecdh,
		.p256_check = i_p256_check,
		.rand = i_rand,
		.free = i_free,
		/* the fast objects carry their own state: only creation needs the base context */
		.aes_fast_new = base->aes_fast_new ? i_fast_new : NULL,
		.aes_fast_mac = base->aes_fast_mac,
		.aes_fast_free = base->aes_fast_free,
		/* likewise the CCM objects */
		.ccm_new = base->ccm_new ? i_ccm_new : NULL,
		.ccm_seal = base->ccm_seal,
		.ccm_open = base->ccm_open,
		.ccm_free = base->ccm_free,
	};
	return 0;
}
