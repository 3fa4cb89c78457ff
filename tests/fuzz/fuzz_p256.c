/* libFuzzer target for P-256 public key validation (Core Vol 3 Part H §2.3.5.6.1; the invalid-curve
 * attack, CVE-2018-5383): p256_check and p256_ecdh on arbitrary peer keys must never crash, must agree
 * with each other, and must refuse coordinates >= p. Input: one mode octet, then
 *   mode 0: 64 octets X || Y (wire order) used as the peer key as is;
 *   mode 1: 32 octets private key -> its public key, then the remaining octets XORed onto it (so the
 *           fuzzer starts from valid points and walks off the curve bit by bit);
 *   mode 2: like 1, then p is added to X or Y (a reduced-coordinate alias that must be refused). */
#include <pairscope/crypto.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ps_crypto backend; /* harness state: made once, read-only afterwards */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (ps_crypto_openssl_new(&backend) < 0)
		abort();
	return 0;
}

/* P-256 p, wire order (LSO first). */
static const uint8_t p_le[32] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
};

/* a += p (32-octet little-endian); returns the carry out. */
static int add_p(uint8_t a[32])
{
	unsigned carry = 0;
	for (int i = 0; i < 32; i++) {
		unsigned s = a[i] + p_le[i] + carry;
		a[i] = (uint8_t)s;
		carry = s >> 8;
	}
	return (int)carry;
}

static int below_p(const uint8_t a[32])
{
	for (int i = 31; i >= 0; i--)
		if (a[i] != p_le[i])
			return a[i] < p_le[i];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ps_crypto *c = &backend;
	uint8_t pub[64] = { 0 }, dh[32];
	if (size < 1)
		return 0;
	unsigned mode = data[0] % 3;
	data++, size--;
	if (mode == 0) {
		memcpy(pub, data, size < 64 ? size : 64);
	} else {
		uint8_t priv[32] = { 0 };
		memcpy(priv, data, size < 32 ? size : 32);
		if (c->p256_public(c->ctx, priv, pub) < 0)
			return 0; /* private key 0 or >= n: refused, nothing more to check */
		for (size_t i = 32; i < size && i < 96; i++)
			pub[i - 32] ^= data[i];
		if (mode == 2 && size > 96 && add_p(data[96] & 1 ? pub + 32 : pub))
			return 0; /* no room for the alias */
	}
	int ok = c->p256_check(c->ctx, pub);
	int dr = c->p256_ecdh(c->ctx, ps_crypto_debug_private, pub, dh);
	if (ok != 0 && ok != -PS_EINVAL)
		abort();
	if ((ok == 0) != (dr == 0)) /* ECDH validates exactly as p256_check does */
		abort();
	if (ok == 0 && (!below_p(pub) || !below_p(pub + 32)))
		abort(); /* a coordinate >= p accepted */
	if (ps_crypto_is_debug_key(pub) && ok != 0)
		abort();
	return 0;
}
