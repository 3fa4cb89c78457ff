/* The OpenSSL backend the crypto tests run on (test_crypto_keys.c, test_crypto_vectors.c): made once
 * per file by cmocka's group setup, freed by its teardown, and read by every test as C. */
#ifndef TEST_CRYPTO_FIXTURE_H
#define TEST_CRYPTO_FIXTURE_H

#include "testutil.h"
#include <pairscope/crypto.h>

static struct ps_crypto C;

static int setup(void **state)
{
	(void)state;
	return ps_crypto_openssl_new(&C);
}

static int teardown(void **state)
{
	(void)state;
	ps_crypto_free(&C);
	return 0;
}

#endif
