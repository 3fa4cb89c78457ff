/* TK searches (src/crack/search.c): searches through the crypto module
 * on synthetic legacy pairings (Core Vol 3 Part H §2.2.3); the decryption search needs two MICs;
 * the walk decrypts the spec's LL encryption sample (Vol 6 Part C §1) with the given LTK. */
#include "testutil.h"
#include "crack/crack_int.h"
#include <string.h>

static struct ps_crypto cr;

static int setup(void **state)
{
	(void)state;
	return ps_crypto_openssl_new(&cr);
}
static int teardown(void **state)
{
	(void)state;
	ps_crypto_free(&cr);
	return 0;
}

static void pairing(uint32_t passkey, struct pairing *p, uint8_t ia[6], uint8_t ra[6])
{
	static const uint8_t preq[7] = { 0x01, 0x04, 0x00, 0x05, 0x10, 0x07, 0x07 };
	static const uint8_t pres[7] = { 0x02, 0x02, 0x00, 0x05, 0x10, 0x07, 0x07 };
	uint8_t tk[16];
	memset(p, 0, sizeof *p);
	memcpy(p->preq, preq, 7);
	memcpy(p->pres, pres, 7);
	p->preq_ok = p->pres_ok = true;
	for (int i = 0; i < 6; i++)
		ia[i] = (uint8_t)(0xa0 + i), ra[i] = (uint8_t)(0x50 + 3 * i);
	for (int i = 0; i < 16; i++)
		p->rand[0][i] = (uint8_t)(i * 11 + passkey), p->rand[1][i] = (uint8_t)(i * 29 + 7);
	ps_crack_tk_bytes(passkey, tk);
	for (int s = 0; s < 2; s++)
		assert_int_equal(ps_crypto_c1(&cr, tk, p->rand[s], p->preq, p->pres, 0, ia, 1, ra, p->confirm[s]), 0);
	p->confirm_mask = p->rand_mask = 3;
	p->nconfirm = p->nrand = 2;
}

static void check_confirm_search(uint32_t passkey, unsigned threads, bool generic)
{
	struct pairing p;
	uint8_t ia[6], ra[6];
	uint32_t tk = 0xffffffff;
	struct ps_crack_search_cfg cfg = { .generic_only = generic };
	struct ps_crack_opts o = { .crypto = &cr, .threads = threads, .search = &cfg };
	pairing(passkey, &p, ia, ra);
	assert_int_equal(ps_crack_tk_by_confirm(&o, &p, 0, ia, 1, ra, &tk), 0);
	assert_int_equal(tk, passkey);
	/* a confirm from another passkey: nothing in the space matches both */
	p.confirm[1][0] ^= 1;
	assert_int_equal(ps_crack_tk_by_confirm(&o, &p, 0, ia, 1, ra, &tk), -PS_ENOENT);
}

static void test_confirm_search_edges(void **state)
{
	(void)state;
	const uint32_t keys[] = { 0, 1, 7, 8, 123457, 999998, 999999 };
	for (size_t i = 0; i < PS_ARRAY_SIZE(keys); i++)
		check_confirm_search(keys[i], 1, false);
	check_confirm_search(654321, 2, false);
}

static void test_confirm_search_backend_path(void **state)
{
	(void)state;
	check_confirm_search(0, 1, true);
	check_confirm_search(999999, 2, true);
}

static void test_selftests(void **state)
{
	(void)state;
	uint32_t tk;
	double s;
	assert_int_equal(ps_crack_selftest_search(&cr, 1, 999999, &tk, &s), 0);
	assert_int_equal(tk, 999999);
	assert_int_equal(ps_crack_selftest_decrypt_search(&cr, 2, 999999, &tk, &s), 0);
	assert_int_equal(tk, 999999);
	assert_int_equal(ps_crack_selftest_decrypt_search(&cr, 1, 0, &tk, &s), 0);
	assert_int_equal(tk, 0);
}

/* One MIC is 32 bits: with a million candidates a single verified MIC is no proof. The search must
 * refuse a TK when the second PDU does not verify. */
static void test_decryption_search_needs_two_mics(void **state)
{
	(void)state;
	uint8_t tk[16], stk[16], sk[16], skd_c[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, skd_p[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };
	uint8_t iv[8] = { 0x24, 0xab, 0xdc, 0xba, 0xbe, 0xba, 0xaf, 0xde }, m[16] = { 3 }, s[16] = { 4 };
	uint8_t ct[2], mic[2][4], pt = 0x06;
	uint32_t found;
	ps_crack_tk_bytes(424242, tk);
	assert_int_equal(ps_crypto_s1(&cr, tk, s, m, stk), 0);
	assert_int_equal(ps_crypto_session_key(&cr, stk, skd_c, skd_p, sk), 0);
	assert_int_equal(ps_crypto_ll_encrypt(&cr, sk, iv, 0, 1, 0x0f, &pt, 1, &ct[0], mic[0]), 0);
	assert_int_equal(ps_crypto_ll_encrypt(&cr, sk, iv, 0, 0, 0x07, &pt, 1, &ct[1], mic[1]), 0);
	struct dsearch_pdu a = { 0x0f, &ct[0], 1, mic[0], 0, 1 }, b = { 0x07, &ct[1], 1, mic[1], 0, 0 };
	struct ps_crack_opts o = { .crypto = &cr, .threads = 2 };
	assert_int_equal(ps_crack_tk_by_decryption(&o, m, s, skd_c, skd_p, iv, &a, &b, &found), 0);
	assert_int_equal(found, 424242);
	mic[1][3] ^= 0x80;
	assert_int_equal(ps_crack_tk_by_decryption(&o, m, s, skd_c, skd_p, iv, &a, &b, &found), -PS_ENOENT);
	/* and the STK search (HCI captures) */
	assert_int_equal(ps_crack_tk_by_stk(&o, m, s, stk, &found), 0);
	assert_int_equal(found, 424242);
}

/* Vol 6 Part C §1 sample: LL_ENC_REQ/RSP, LL_START_ENC_REQ, both LL_START_ENC_RSPs encrypted with
 * SK = 99AD1B52...; the walk decrypts both with the given LTK. */
static void feed(struct ps_crack *c, uint64_t n, uint8_t dir, uint8_t hdr0, const char *hex)
{
	uint8_t d[64] = { 0x94, 0x93, 0x9a, 0xaf, hdr0 };
	size_t len = ps_test_hex(hex, d + 6, sizeof d - 6);
	d[5] = (uint8_t)len;
	struct ps_frame f = { .number = n, .ts_us = n * 1000, .opcode = PS_MON_LL, .len = (uint32_t)(6 + len), .data = d };
	f.ll.dir = dir;
	f.ll.flags = PS_LL_DIR_VALID;
	assert_int_equal(ps_crack_feed(c, &f), 0);
}

/* The whole Vol 6 Part C §1 sample session, fed the same way with and without the LTK. */
static void feed_spec_sample(struct ps_crack *c)
{
	feed(c, 1, 1, 0x03, "03 90785634 12EFCDAB 7424 1302F1E0DFCEBDAC 24ABDCBA");
	feed(c, 2, 0, 0x0b, "04 79685746 35241302 BEBAAFDE");
	feed(c, 3, 0, 0x07, "05");
	feed(c, 4, 1, 0x0f, "9F CDA7F448");
	feed(c, 5, 0, 0x07, "A3 4C13A415");
}

static void test_spec_sample_decrypts(void **state)
{
	(void)state;
	uint8_t ltk[1][16];
	ps_test_hex("4C68384139F574D836BCF34E9DFB01BF", ltk[0], 16);
	ps_reverse(ltk[0], 16);
	struct ps_crack_opts o = { .crypto = &cr, .ltks = (const uint8_t(*)[16])ltk, .nltks = 1 };
	struct ps_crack *c;
	assert_int_equal(ps_crack_new(&c, &o), 0);
	feed_spec_sample(c);
	assert_int_equal(ps_crack_run(c), 0);
	assert_int_equal(ps_crack_count(c), 1);
	const struct ps_crack_conn *k = ps_crack_get(c, 0);
	assert_int_equal(k->encrypted, 2);
	assert_int_equal(k->decrypted, 2);
	assert_int_equal(k->mic_ok, 2);
	assert_int_equal(k->verdict, PS_CRACK_DECRYPTED);
	assert_int_equal(k->ediv, 0x2474);
	uint8_t hdr0;
	const uint8_t *pl;
	size_t len;
	uint32_t ci;
	bool known;
	assert_int_equal(ps_crack_plain(c, 4, &hdr0, &pl, &len, &ci, &known), 0);
	assert_int_equal(len, 1);
	assert_int_equal(pl[0], 0x06);
	assert_int_equal(ps_crack_plain(c, 3, &hdr0, &pl, &len, &ci, &known), -PS_ENOENT);
	ps_crack_free(c);
	/* without the LTK: encrypted, not decrypted, verdict failed */
	o.nltks = 0;
	assert_int_equal(ps_crack_new(&c, &o), 0);
	feed_spec_sample(c);
	assert_int_equal(ps_crack_run(c), 0);
	assert_int_equal(ps_crack_get(c, 0)->verdict, PS_CRACK_FAILED);
	assert_int_equal(ps_crack_get(c, 0)->decrypted, 0);
	ps_crack_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_confirm_search_edges),
		cmocka_unit_test(test_confirm_search_backend_path),
		cmocka_unit_test(test_selftests),
		cmocka_unit_test(test_decryption_search_needs_two_mics),
		cmocka_unit_test(test_spec_sample_decrypts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
