/* The seed (tests/data/seed.btsnoop and its flattened mail text seed-mail.txt) through the doctor: the
 * expert's diagnosis, found from the spec's rules. Frame numbers are btmon's #N. */
#include "test_doctor_tb.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *diagnose(const char *rel, int *maxsev)
{
	struct ps_crypto c;
	assert_int_equal(ps_crypto_openssl_new(&c), 0);
	int end;
	struct ps_doctor *d = tb_diagnose_file(rel, &c, &end);
	assert_int_equal(end, -PS_EOF);
	assert_int_equal(ps_doctor_npairings(d), 1);
	*maxsev = ps_doctor_max_severity(d);
	char *buf = tb_json(d);
	/* The text report renders too. */
	FILE *m = fopen("/dev/null", "w");
	assert_int_equal(ps_doctor_write_text(d, m, true), 0);
	fclose(m);
	ps_doctor_free(d);
	ps_crypto_free(&c);
	return buf;
}

static unsigned count(const char *s, const char *pat)
{
	unsigned n = 0;
	for (const char *p = s; (p = strstr(p, pat)); p += strlen(pat))
		n++;
	return n;
}

static void check_seed(const char *json, int maxsev)
{
	assert_int_equal(maxsev, PS_DOCTOR_ERROR);
	assert_non_null(strstr(json, "\"method\": \"just-works\", \"secure_connections\": false, \"outcome\": \"failed\""));
	assert_non_null(strstr(json, "\"failure\": {\"reason\": 8, \"reason_hex\": \"0x08\", \"name\": \"Unspecified reason\", "
				     "\"sent_by\": \"responder\", \"frame\": 38}"));
	assert_non_null(strstr(json, "\"confirm_initiator\": \"verified\", \"confirm_responder\": \"verified\", "
				     "\"stk\": \"verified\", \"tk\": \"00000000000000000000000000000000\""));
	assert_non_null(strstr(json, "\"probable_cause\": \"keydist.not-negotiated\""));
	/* Encryption Information and Central Identification from the initiator, both named with the
	 * negotiated SignKey-only distribution and both sides' requests. */
	assert_int_equal(count(json, "{\"rule\": \"keydist.not-negotiated\", \"severity\": \"error\", \"frames\": [3"), 2);
	assert_int_equal(count(json, "negotiated initiator key distribution is SignKey only: the Pairing Request asked "
				     "EncKey+SignKey, the Pairing Response SignKey"), 2);
	assert_non_null(strstr(json, "\"frames\": [35, 20, 21]"));
	assert_non_null(strstr(json, "\"frames\": [36, 20, 21]"));
	/* Test patterns: LTK, Rand and CSRK; the LTK equals the CSRK. */
	assert_int_equal(count(json, "{\"rule\": \"random.pattern\""), 3);
	assert_non_null(strstr(json, "LTK ffeeddccbbaa99887766554433221100 is not random"));
	assert_non_null(strstr(json, "Rand (Central Identification) 0x8877665544332211 is not random"));
	assert_non_null(strstr(json, "CSRK ffeeddccbbaa99887766554433221100 is not random"));
	assert_non_null(strstr(json, "{\"rule\": \"random.reused\", \"severity\": \"warning\", \"frames\": [35, 37]"));
	assert_non_null(strstr(json, "{\"rule\": \"pairing.failed\", \"severity\": \"error\", \"frames\": [38]"));
	/* Context nobody in the thread noticed, and the one that fixed it. */
	assert_non_null(strstr(json, "{\"rule\": \"l2cap.response-ident\", \"severity\": \"warning\", \"frames\": [14, 17]"));
	assert_non_null(strstr(json, "identifier 0 in answer to Connection Parameter Update Request identifier 2"));
	assert_non_null(strstr(json, "{\"rule\": \"hci.init-incomplete\", \"severity\": \"warning\", \"frames\": [1, 17, 23]"));
	assert_non_null(strstr(json, "bluetoothctl power off"));
	/* Nothing the spec does not support. */
	assert_null(strstr(json, "crypto.confirm-mismatch"));
	assert_null(strstr(json, "smp.out-of-order"));
	assert_null(strstr(json, "keydist.missing"));
}

static void test_seed_btsnoop(void **state)
{
	(void)state;
	int sev;
	char *json = diagnose("tests/data/seed.btsnoop", &sev);
	check_seed(json, sev);
	free(json);
}

static void test_seed_mail_text(void **state)
{
	(void)state;
	int sev;
	char *json = diagnose("tests/data/seed-mail.txt", &sev);
	check_seed(json, sev);
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_btsnoop),
		cmocka_unit_test(test_seed_mail_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
