/* pairscope crack on crackle's own sample captures (tests/data/crackle, BSD-2-Clause): the results
 * crackle gives (README there), and the plaintext of every PDU crackle decrypted equals ours. */
#include "crack_fixture.h"
#include "crack/crack_int.h"
#include "proto/ll.h"
#include "trace/trace_int.h"
#include <pairscope/trace.h>
#include <pcap/pcap.h>
#include <string.h>

static struct ps_crypto cr;

static struct ps_crack *run(const char *rel, const char *ltk_hex)
{
	uint8_t ltk[1][16];
	struct ps_crack_opts o = { .crypto = &cr, .threads = 1 };
	if (ltk_hex) {
		ps_test_hex(ltk_hex, ltk[0], 16);
		ps_reverse(ltk[0], 16);
		o.ltks = (const uint8_t(*)[16])ltk;
		o.nltks = 1;
	}
	return crack_file(ps_test_path(rel), &o);
}

static void assert_key(const uint8_t wire[16], const char *msb_hex)
{
	uint8_t want[16];
	ps_test_hex(msb_hex, want, 16);
	ps_reverse(want, 16);
	assert_memory_equal(wire, want, 16);
}

/* Every record crackle's -o output changed must carry our plaintext: same LLID, same payload. */
static unsigned compare_with_crackle(const struct ps_crack *c, const char *orig_rel, const char *ref_rel)
{
	char e1[PCAP_ERRBUF_SIZE], e2[PCAP_ERRBUF_SIZE];
	pcap_t *a = pcap_open_offline(ps_test_path(orig_rel), e1), *b = pcap_open_offline(ps_test_path(ref_rel), e2);
	assert_non_null(a);
	assert_non_null(b);
	struct pcap_pkthdr *ha, *hb;
	const u_char *da, *db;
	unsigned changed = 0;
	uint64_t n = 0;
	while (pcap_next_ex(a, &ha, &da) == 1) {
		assert_int_equal(pcap_next_ex(b, &hb, &db), 1);
		n++;
		if (ha->caplen == hb->caplen && !memcmp(da, db, ha->caplen))
			continue;
		changed++;
		struct ps_frame f = { 0 };
		char err[100];
		assert_int_equal(ps_ll_phdr_parse(192, db, hb->caplen, &f, err, sizeof err), 0);
		uint8_t hdr0;
		const uint8_t *pl;
		size_t len;
		uint32_t ci;
		bool known;
		assert_int_equal(ps_crack_plain(c, n, &hdr0, &pl, &len, &ci, &known), 0);
		assert_int_equal(f.data[5], len);
		assert_int_equal(f.data[4] & 3, hdr0 & 3);
		assert_memory_equal(f.data + 6, pl, len);
	}
	pcap_close(a);
	pcap_close(b);
	return changed;
}

static void test_01_just_works(void **state)
{
	(void)state;
	struct ps_crack *c = run("tests/data/crackle/crackle_01_pairing_and_ltk_exchange.pcap", NULL);
	assert_int_equal(ps_crack_count(c), 1);
	const struct ps_crack_conn *k = ps_crack_get(c, 0);
	assert_int_equal(k->verdict, PS_CRACK_CRACKED);
	assert_int_equal(k->method, PS_CRACK_METHOD_JUST_WORKS);
	assert_int_equal(k->tk, 0);
	assert_false(k->have & PS_CRACK_TK_BY_DECRYPTION);
	assert_key(k->ltk, "7f62c053f104a5bbe68b1d896a2ed49c");
	assert_int_equal(k->decrypted, 3);
	assert_int_equal(compare_with_crackle(c, "tests/data/crackle/crackle_01_pairing_and_ltk_exchange.pcap",
					      "tests/data/crackle/crackle_01.decrypted.pcap"), 3);
	ps_crack_free(c);
}

static void test_02_known_ltk(void **state)
{
	(void)state;
	struct ps_crack *c = run("tests/data/crackle/crackle_02_known_ltk.pcap", "7f62c053f104a5bbe68b1d896a2ed49c");
	const struct ps_crack_conn *k = ps_crack_get(c, 0);
	assert_int_equal(k->verdict, PS_CRACK_DECRYPTED);
	assert_int_equal(k->decrypted, 7);
	/* crackle's README: Rand 522501074677077263, EDIV 52712 */
	assert_int_equal(k->ediv, 52712);
	assert_true(k->rand == 522501074677077263ull);
	assert_int_equal(compare_with_crackle(c, "tests/data/crackle/crackle_02_known_ltk.pcap",
					      "tests/data/crackle/crackle_02.decrypted.pcap"), 7);
	ps_crack_free(c);
	/* without the key: not decrypted, and said so */
	c = run("tests/data/crackle/crackle_02_known_ltk.pcap", NULL);
	assert_int_equal(ps_crack_get(c, 0)->verdict, PS_CRACK_FAILED);
	assert_non_null(strstr(ps_crack_get(c, 0)->note, "--ltk"));
	ps_crack_free(c);
}

static void test_03_missing_confirms(void **state)
{
	(void)state;
	struct ps_crack *c = run("tests/data/crackle/crackle_03_missing_confirms.pcap", NULL);
	const struct ps_crack_conn *k = ps_crack_get(c, 0);
	assert_int_equal(k->verdict, PS_CRACK_CRACKED);
	assert_int_equal(k->tk, 0);
	assert_true(k->have & PS_CRACK_TK_BY_DECRYPTION);
	assert_key(k->ltk, "7f62c053f104a5bbe68b1d896a2ed49c");
	assert_int_equal(compare_with_crackle(c, "tests/data/crackle/crackle_03_missing_confirms.pcap",
					      "tests/data/crackle/crackle_03.decrypted.pcap"), 3);
	ps_crack_free(c);
}

static void test_04_secure_connections(void **state)
{
	(void)state;
	struct ps_crack *c = run("tests/data/crackle/crackle_04_le_secure_connections.pcapng", NULL);
	const struct ps_crack_conn *k = ps_crack_get(c, 0);
	assert_true(k->secure_connections);
	assert_int_equal(k->verdict, PS_CRACK_SC_NOT_CRACKABLE);
	assert_non_null(strstr(k->note, "ECDH"));
	ps_crack_free(c);
}

static void test_05_passkey(void **state)
{
	(void)state;
	struct ps_crack *c = run("tests/data/crackle/crackle_05_numeric_pin.pcap", NULL);
	const struct ps_crack_conn *k = ps_crack_get(c, 0);
	assert_int_equal(k->verdict, PS_CRACK_CRACKED);
	assert_int_equal(k->method, PS_CRACK_METHOD_PASSKEY);
	assert_int_equal(k->tk, 461140);
	assert_key(k->ltk, "9c0469262e521d1d40e095e7c542c5ec");
	assert_true(k->dist[0].have && k->dist[1].have);
	assert_int_equal(k->decrypted, 55);
	assert_int_equal(k->mic_ok, 55);
	assert_int_equal(compare_with_crackle(c, "tests/data/crackle/crackle_05_numeric_pin.pcap",
					      "tests/data/crackle/crackle_05.decrypted.pcap"), 55);
	ps_crack_free(c);
}

/* HCI capture (the seed): keys are visible; the TK is derived from the STK the host used. */
static void test_hci_seed_verified(void **state)
{
	(void)state;
	struct ps_crack *c = run("tests/data/seed.btsnoop", NULL);
	assert_int_equal(ps_crack_count(c), 1);
	const struct ps_crack_conn *k = ps_crack_get(c, 0);
	assert_int_equal(k->verdict, PS_CRACK_VERIFIED);
	assert_true(k->have & PS_CRACK_FROM_HCI);
	assert_true(k->have & PS_CRACK_HAVE_TK);
	assert_true(k->have & PS_CRACK_HAVE_STK);
	ps_crack_free(c);
}

int main(void)
{
	if (ps_crypto_openssl_new(&cr) < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_01_just_works),
		cmocka_unit_test(test_02_known_ltk),
		cmocka_unit_test(test_03_missing_confirms),
		cmocka_unit_test(test_04_secure_connections),
		cmocka_unit_test(test_05_passkey),
		cmocka_unit_test(test_hci_seed_verified),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	ps_crypto_free(&cr);
	return rc;
}
