/* Internals shared by the files of src/crypto (never installed): the pieces of the §2.2 toolbox that the key
 * searches (keysearch.c) must build exactly as the toolbox does (toolbox.c). */
#ifndef PS_CRYPTO_INT_H
#define PS_CRYPTO_INT_H

#include <pairscope/crypto.h>

/* Core Vol 3 Part H §2.2.3 c1's p1 and p2 as 128-bit wire-order values:
 *   p1 = pres || preq || rat' || iat'  -> wire: iat', rat', preq[0..6], pres[0..6]
 *   p2 = padding(32 bits) || ia || ra  -> wire: ra[0..5], ia[0..5], 0, 0, 0, 0
 * -PS_EINVAL when iat or rat is not 0 or 1. One definition, so ps_crypto_c1 and the TK search
 * can never disagree on the layout. */
int ps_crypto_c1_p1p2(const uint8_t preq[7], const uint8_t pres[7], uint8_t iat, const uint8_t ia[6],
		      uint8_t rat, const uint8_t ra[6], uint8_t p1[16], uint8_t p2[16]);

#endif
