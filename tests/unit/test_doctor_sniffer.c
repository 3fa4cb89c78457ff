/* The doctor on link-layer sniffer captures (tests/data/crackle, Core Vol 6 Part B): pairings rebuilt
 * from CONNECT_IND and data PDUs with guessed directions, legacy crypto verified (TK 0; passkey 461140 by
 * search; the STK by decrypting LL_START_ENC_RSP), and no false alarm for packets the sniffer missed
 * (crackle_03 lacks both confirms) or phases it could not decrypt. */
#include "test_doctor_tb.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *diagnose(const char *rel)
{
	struct ps_crypto c;
	assert_int_equal(ps_crypto_openssl_new(&c), 0);
	int end; /* not checked: these tests are about the diagnosis, not how the reader ended */
	struct ps_doctor *d = tb_diagnose_file(rel, &c, &end);
	assert_true(ps_doctor_max_severity(d) < PS_DOCTOR_WARNING);
	char *buf = tb_json(d);
	ps_doctor_free(d);
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

/* tests/data/sniffer (tests/tools/make_sniffer_cases.py): two capture interfaces are one air (one
 * pairing, not two); a PDU damaged on the way to a sniffer without CRC flags is dropped by its CRC, not
 * read as a wrong confirm; a retransmitted Pairing Response is not out of order; the nRF Sniffer's
 * in-place plaintext keeps its MIC out of the L2CAP frame, so the key distribution completes. */
static void test_synthetic_sniffers_no_false_alarm(void **state)
{
	(void)state;
	char *j = diagnose("tests/data/sniffer/ubertooth_two_if.pcapng");
	assert_non_null(strstr(j, "\"address\": \"C6:E5:D4:C3:B2:A1\", \"address_type\": \"random\""));
	assert_non_null(strstr(j, "\"method\": \"passkey-entry\""));
	assert_null(strstr(j, "\"pairing\": 2"));
	assert_null(strstr(j, "confirm-mismatch"));
	free(j);
	j = diagnose("tests/data/sniffer/lossy.pcap");
	assert_null(strstr(j, "smp.out-of-order"));
	assert_non_null(strstr(j, "\"passkey\": \"271828\""));
	free(j);
	j = diagnose("tests/data/sniffer/nrf_partly_decrypted.pcap");
	assert_non_null(strstr(j, "\"outcome\": \"succeeded\""));
	free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crackle01_justworks_verified),
		cmocka_unit_test(test_crackle05_passkey_found_and_verified),
		cmocka_unit_test(test_missing_confirms_no_false_alarm),
		cmocka_unit_test(test_synthetic_sniffers_no_false_alarm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
