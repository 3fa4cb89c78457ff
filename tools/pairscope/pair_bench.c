/* pairscope pair --bench N (Vol 3 Part H): complete pairings per second between two in-process SMP
 * cores back to back (no HCI), legacy and SC Just Works, against the P-256 bound measured in the
 * same run. */
#include "pair_host.h"
#include "proto/smp.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* --bench N: complete pairings per second between two in-process devices, legacy and SC Just Works,
 * against the P-256 bound (two key generations and two ECDHs per SC pairing) measured in this run. */
int pair_bench(struct ps_crypto *crypto, long n)
{
	static struct pair_sim s;
	double rate[2];
	for (int sc = 0; sc < 2; sc++) {
		double t0 = seconds();
		for (long i = 0; i < n; i++) {
			memset(&s, 0, sizeof s);
			s.crypto = crypto;
			for (int k = 0; k < 2; k++) {
				ps_sm_config_default(&s.side[k].cfg);
				s.side[k].cfg.sc = sc;
				s.side[k].cfg.dist_init = s.side[k].cfg.dist_resp = PS_SMP_DIST_ENC | PS_SMP_DIST_ID;
				uint8_t a[6] = { (uint8_t)(0x0a + k), 0x44, 0x33, 0x22, 0x11, 0xc0 };
				s.side[k].addr.type = 1;
				memcpy(s.side[k].addr.a, a, 6);
				s.side[k].cfg.identity = s.side[k].addr;
				memset(s.side[k].cfg.irk, 0x11 * (k + 1), 16);
			}
			if (pair_sim_run(&s) < 0 || s.side[0].result.status || s.side[1].result.status ||
			    !pair_sim_keys_match(&s)) {
				fprintf(stderr, "pairscope pair --bench: pairing %ld failed\n", i);
				return 1;
			}
		}
		rate[sc] = (double)n / (seconds() - t0);
	}
	uint8_t priv[2][32], pub[2][64], dh[32];
	double t0 = seconds();
	for (long i = 0; i < n; i++) {
		crypto->p256_keygen(crypto->ctx, priv[0], pub[0]);
		crypto->p256_keygen(crypto->ctx, priv[1], pub[1]);
		crypto->p256_ecdh(crypto->ctx, priv[0], pub[1], dh);
		crypto->p256_ecdh(crypto->ctx, priv[1], pub[0], dh);
	}
	double bound = (double)n / (seconds() - t0);
	printf("legacy just-works: %.0f pairings/s\n", rate[0]);
	printf("sc just-works: %.0f pairings/s\n", rate[1]);
	printf("p256 bound (2 keygen + 2 ecdh): %.0f pairings/s\n", bound);
	printf("sc share of the p256 bound: %.0f%%\n", 100.0 * rate[1] / bound);
	return 0;
}
