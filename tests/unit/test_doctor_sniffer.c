/* The doctor on link-layer sniffer captures (tests/data/crackle, Core Vol 6 Part B): pairings rebuilt
 * from CONNECT_IND and data PDUs with guessed directions, legacy crypto verified (TK 0; passkey 461140 by
 * search; the STK by decrypting LL_START_ENC_RSP), and no false alarm for packets the sniffer missed
 * (crackle_03 lacks both confirms) or phases it could not decrypt. */
#include "testutil.h"
#include <pairscope/doctor.h>
#include <pairscope/crypto.h>
#include <pairscope/trace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *diagnose(const char *rel)
{
	struct ps_trace *t;
	char err[256];
	assert_int_equal(ps_trace_open(&t, ps_test_path(rel), NULL, err, sizeof err), 0);
	struct ps_crypto c;
	assert_int_equal(ps_crypto_openssl_new(&c), 0);
	struct ps_doctor_opts o = { &c, false };
	struct ps_doctor *d;
	assert_int_equal(ps_doctor_new(&d, &o), 0);
	struct ps_frame f;
	while (ps_trace_next(t, &f) == 0)
		assert_int_equal(ps_doctor_feed(d, &f), 0);
	assert_int_equal(ps_doctor_finish(d), 0);
	assert_true(ps_doctor_max_severity(d) < PS_DOCTOR_WARNING);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	assert_int_equal(ps_doctor_write_json(d, m), 0);
	fclose(m);
	ps_doctor_free(d);
	ps_trace_free(t);
	ps_crypto_free(&c);
	return buf;
}

static void test_crackle01_justworks_verified(void **state)
{
	(void)state;
	char *j = diagnose("tests/data/crackle/crackle_01_pairing_and_ltk_exchange.pcap");
	assert_non_null(strstr(j, "\"address\": \"08:3E:8E:E1:0B:3E\", \"address_type\": \"public\", \"local\": false"));
	assert_non_null(strstr(j, "\"method\": \"just-works\""));
	assert_non_null(strstr(j, "\"confirm_initiator\": \"verified\", \"confirm_responder\": \"verified\", \"stk\": \"verified\""));
	free(j);
}

static void test_crackle05_passkey_found_and_verified(void **state)
{
	(void)state;
	char *j = diagnose("tests/data/crackle/crackle_05_numeric_pin.pcap");
	assert_non_null(strstr(j, "\"method\": \"passkey-entry\""));
	assert_non_null(strstr(j, "\"stk\": \"verified\", \"tk\": \"54090700000000000000000000000000\", \"passkey\": \"461140\""));
	free(j);
}

static void test_missing_confirms_no_false_alarm(void **state)
{
	(void)state;
	char *j = diagnose("tests/data/crackle/crackle_03_missing_confirms.pcap");
	assert_null(strstr(j, "smp.out-of-order"));
	assert_non_null(strstr(j, "\"confirm_initiator\": \"not-verifiable\""));
	free(j);
	j = diagnose("tests/data/crackle/crackle_04_le_secure_connections.pcapng");
	assert_non_null(strstr(j, "\"method\": \"just-works\", \"secure_connections\": true"));
	free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crackle01_justworks_verified),
		cmocka_unit_test(test_crackle05_passkey_found_and_verified),
		cmocka_unit_test(test_missing_confirms_no_false_alarm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
