/* pairscope crypto --bench (hidden; used by bench/rows.d/crypto.sh): throughput of the toolbox paths
 * that matter for speed: c1 with a fresh key per candidate (the legacy passkey search, Core Vol 3
 * Part H §2.2.3), P-256 ECDH with peer key validation (§2.3.5.6.1) and RPA resolution among 10^6
 * IRKs (Vol 6 Part B §1.3.2.3). Prints "name value" lines; rates are per CPU second of one core. */
#include <pairscope/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int ps_cmd_crypto_bench(const struct ps_crypto *c, int argc, char **argv);

/* CPU time of this process: rates per core, as `openssl speed` reports them (user CPU time), so a
 * machine shared with other work still gives comparable figures. */
static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int ps_cmd_crypto_bench(const struct ps_crypto *c, int argc, char **argv)
{
	const char *what = argc > 0 ? argv[0] : "all";
	double secs = argc > 1 ? atof(argv[1]) : 1.0, t0, t = 0;
	if (secs <= 0 || secs > 60)
		secs = 1.0;
	if (!strcmp(what, "c1") || !strcmp(what, "all")) {
		/* Worst case for the cracker: a confirm no TK in the range matches, so every key is tried. */
		static const uint8_t preq[7] = { 1, 2, 0, 5, 0x10, 5, 5 }, pres[7] = { 2, 3, 0, 1, 0x10, 4, 1 };
		uint8_t r[16] = { 1 }, conf[16] = { 0 }, ia[6] = { 1 }, ra[6] = { 2 };
		struct ps_crypto_c1_search *s;
		uint32_t tk, done = 0, step = 1u << 20;
		if (ps_crypto_c1_search_new(c, r, preq, pres, 0, ia, 1, ra, conf, &s) < 0)
			return 1;
		t0 = now_s();
		do {
			if (ps_crypto_c1_search_range(s, done, step, &tk) == 0)
				break; /* a 2^-128 accident */
			done += step;
		} while ((t = now_s() - t0) < secs);
		ps_crypto_c1_search_free(s);
		printf("c1_per_s %.0f\n", done / t);
	}
	if (!strcmp(what, "ecdh") || !strcmp(what, "all")) {
		uint8_t priv[32], pub[64], dh[32];
		unsigned n = 0;
		if (c->p256_keygen(c->ctx, priv, pub) < 0)
			return 1;
		t0 = now_s();
		do {
			if (c->p256_ecdh(c->ctx, priv, ps_crypto_debug_public, dh) < 0)
				return 1;
			n++;
		} while ((t = now_s() - t0) < secs);
		printf("ecdh_per_s %.0f\n", n / t);
	}
	if (!strcmp(what, "rpa") || !strcmp(what, "all")) {
		size_t n = 1000000;
		uint8_t(*irks)[16] = calloc(n, 16), addr[6];
		if (!irks || c->rand(c->ctx, (uint8_t *)irks, n * 16) < 0 ||
		    ps_crypto_rpa_generate(c, irks[n - 1], addr) < 0) {
			free(irks);
			return 1;
		}
		t0 = now_s();
		int idx = ps_crypto_rpa_resolve(c, (const uint8_t(*)[16])irks, n, addr);
		t = now_s() - t0;
		free(irks);
		printf("rpa_resolve_1m_irks_ms %.1f (index %d)\n", t * 1e3, idx);
	}
	return 0;
}
