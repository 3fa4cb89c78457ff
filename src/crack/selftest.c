/* Synthetic worst cases for the benchmark and tests: a legacy Passkey Entry pairing built with c1/s1
 * (Core Vol 3 Part H §2.2.3-2.2.4) and its encryption start (Vol 6 Part B §5.1.3, Vol 6 Part E), then
 * the TK searches timed on it. */
#include "crack/crack_int.h"
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + 37 * i);
}

static int make_pairing(const struct ps_crypto *cr, uint32_t passkey, struct pairing *p, uint8_t ia[6],
			uint8_t ra[6])
{
	static const uint8_t preq[7] = { 0x01, 0x04, 0x00, 0x05, 0x10, 0x07, 0x07 };
	static const uint8_t pres[7] = { 0x02, 0x02, 0x00, 0x05, 0x10, 0x07, 0x07 };
	uint8_t tk[16];
	int rc;
	memset(p, 0, sizeof *p);
	memcpy(p->preq, preq, 7);
	memcpy(p->pres, pres, 7);
	p->preq_ok = p->pres_ok = true;
	fill(ia, 6, 0x11);
	fill(ra, 6, 0x66);
	fill(p->rand[0], 16, 0x21);
	fill(p->rand[1], 16, 0x9a);
	ps_crack_tk_bytes(passkey, tk);
	for (int s = 0; s < 2; s++)
		if ((rc = ps_crypto_c1(cr, tk, p->rand[s], p->preq, p->pres, 0, ia, 1, ra, p->confirm[s])) < 0)
			return rc;
	p->confirm_mask = p->rand_mask = 3;
	p->nconfirm = p->nrand = 2;
	return 0;
}

int ps_crack_selftest_search(const struct ps_crypto *crypto, unsigned threads, uint32_t passkey, uint32_t *found,
			     double *seconds)
{
	struct pairing p;
	uint8_t ia[6], ra[6];
	int rc = make_pairing(crypto, passkey, &p, ia, ra);
	if (rc < 0)
		return rc;
	struct ps_crack_opts o = { .crypto = crypto, .threads = threads };
	double t0 = now();
	rc = ps_crack_tk_by_confirm(&o, &p, 0, ia, 1, ra, found);
	*seconds = now() - t0;
	return rc;
}

int ps_crack_selftest_decrypt_search(const struct ps_crypto *crypto, unsigned threads, uint32_t passkey,
				     uint32_t *found, double *seconds)
{
	struct pairing p;
	uint8_t ia[6], ra[6], tk[16], stk[16], sk[16], skd_c[8], skd_p[8], iv[8];
	uint8_t ct[2][1], mic[2][4];
	static const uint8_t start_rsp = 0x06; /* LL_START_ENC_RSP opcode */
	int rc = make_pairing(crypto, passkey, &p, ia, ra);
	if (rc < 0)
		return rc;
	fill(skd_c, 8, 0x13);
	fill(skd_p, 8, 0x79);
	fill(iv, 8, 0x24);
	ps_crack_tk_bytes(passkey, tk);
	if ((rc = ps_crypto_s1(crypto, tk, p.rand[1], p.rand[0], stk)) < 0 ||
	    (rc = ps_crypto_session_key(crypto, stk, skd_c, skd_p, sk)) < 0)
		return rc;
	/* §5.1.3.1: the central's LL_START_ENC_RSP (counter 0, header 0x0F as in Vol 6 Part C §1), then the
	 * peripheral's (counter 0, header 0x07). */
	if ((rc = ps_crypto_ll_encrypt(crypto, sk, iv, 0, 1, 0x0F, &start_rsp, 1, ct[0], mic[0])) < 0 ||
	    (rc = ps_crypto_ll_encrypt(crypto, sk, iv, 0, 0, 0x07, &start_rsp, 1, ct[1], mic[1])) < 0)
		return rc;
	struct dsearch_pdu a = { 0x0F, ct[0], 1, mic[0], 0, 1 }, b = { 0x07, ct[1], 1, mic[1], 0, 0 };
	struct ps_crack_opts o = { .crypto = crypto, .threads = threads };
	double t0 = now();
	rc = ps_crack_tk_by_decryption(&o, p.rand[0], p.rand[1], skd_c, skd_p, iv, &a, &b, found);
	*seconds = now() - t0;
	return rc;
}
