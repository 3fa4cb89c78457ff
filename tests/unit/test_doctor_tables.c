/* The doctor's Security Manager tables against tests/vectors/smp-tables.json: every cell of Core Vol 3
 * Part H Table 2.8 (method, who displays, key security up to v6.1 and in v6.2), Tables 2.6/2.7 selection
 * rules, SMP PDU lengths (Table 3.3) and Pairing Failed reasons (Table 3.7). The JSON is flattened with
 * python3 (the test's only reader of JSON), then every line is checked. */
#include "testutil.h"
#include "doctor/tables.h"
#include "proto/smp.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const io_names[] = { "DisplayOnly", "DisplayYesNo", "KeyboardOnly", "NoInputNoOutput",
					"KeyboardDisplay" };

static char *flatten(const char *script)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "python3 -c '%s' %s", script, ps_test_path("tests/vectors/smp-tables.json"));
	int rc;
	char *out = ps_test_run(cmd, &rc);
	assert_int_equal(rc, 0);
	return out;
}

static int io_index(const char *s)
{
	for (int i = 0; i < 5; i++)
		if (!strcmp(s, io_names[i]))
			return i;
	fail_msg("unknown IO capability %s", s);
	return -1;
}

static void test_table_2_8_every_cell(void **state)
{
	(void)state;
	char *out = flatten(
		"import json,sys\n"
		"t=json.load(open(sys.argv[1]))[\"association_model\"][\"table_2_8\"]\n"
		"for r in t:\n"
		" for i in t[r]:\n"
		"  for k in (\"legacy\",\"secure_connections\"):\n"
		"   c=t[r][i][k]; s=c[\"key_security\"]\n"
		"   print(r,i,k,c[\"method\"],c.get(\"displays\") or \"none\",s[\"core_up_to_v6_1\"],s[\"core_v6_2\"])\n");
	unsigned cells = 0;
	char *save = NULL;
	for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char r[32], i[32], k[32], m[32], disp[16], a61[20], a62[20];
		assert_int_equal(sscanf(line, "%31s %31s %31s %31s %15s %19s %19s", r, i, k, m, disp, a61, a62), 7);
		const struct dr_assoc *a = &dr_table_2_8[io_index(r)][io_index(i)][!strcmp(k, "secure_connections")];
		uint8_t want = !strcmp(m, "JustWorks") ? DR_M_JW : !strcmp(m, "PasskeyEntry") ? DR_M_PK : DR_M_NC;
		if (a->method != want)
			fail_msg("responder %s initiator %s %s: method %u, JSON %s", r, i, k, a->method, m);
		if (want == DR_M_PK) {
			uint8_t wd = !strcmp(disp, "initiator") ? DR_D_INIT : !strcmp(disp, "responder") ? DR_D_RESP : DR_D_NONE;
			assert_int_equal(a->displays, wd);
		}
		assert_int_equal(a->auth_v61, !strcmp(a61, "Authenticated"));
		assert_int_equal(a->auth_v62, !strcmp(a62, "Authenticated"));
		cells++;
	}
	assert_int_equal(cells, 50);
	free(out);
}

/* §2.3.5.1 Tables 2.6/2.7: OOB (both flags legacy, either flag SC), then MITM, then Table 2.8. */
static void test_selection_rules(void **state)
{
	(void)state;
	/* Seed: KeyboardOnly + MITM initiator, NoInputNoOutput responder -> Just Works. */
	assert_int_equal(dr_select_method(false, 2, 0, 0x05, 3, 0, 0x01).method, DR_M_JW);
	/* Neither MITM: Just Works even with keyboards. */
	assert_int_equal(dr_select_method(false, 2, 0, 0x01, 2, 0, 0x01).method, DR_M_JW);
	assert_int_equal(dr_select_method(false, 2, 0, 0x04, 0, 0, 0x00).method, DR_M_PK);
	/* OOB: legacy needs both flags, SC either. */
	assert_int_equal(dr_select_method(false, 3, 1, 0, 3, 0, 0).method, DR_M_JW);
	assert_int_equal(dr_select_method(false, 3, 1, 0, 3, 1, 0).method, DR_M_OOB);
	assert_int_equal(dr_select_method(true, 3, 1, 0x08, 3, 0, 0x08).method, DR_M_OOB);
	assert_int_equal(dr_select_method(true, 1, 0, 0x0c, 1, 0, 0x0c).method, DR_M_NC);
	assert_string_equal(dr_method_name(DR_M_NC), "numeric-comparison");
}

static void test_pdu_lengths_and_reasons(void **state)
{
	(void)state;
	char *out = flatten("import json,sys\n"
			    "j=json.load(open(sys.argv[1]))\n"
			    "for c in j[\"smp_opcodes\"][\"codes\"]: print(\"op\",int(c[\"code\"],16),c[\"pdu_length_octets\"])\n"
			    "for c in j[\"pairing_failed_reason_codes\"][\"codes\"]: print(\"rs\",int(c[\"value\"],16),0)\n");
	unsigned ops = 0, reasons = 0;
	char *save = NULL;
	for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char kind[4];
		unsigned code, len;
		assert_int_equal(sscanf(line, "%3s %u %u", kind, &code, &len), 3);
		if (!strcmp(kind, "op")) {
			const struct ps_layout *l = ps_smp_layout((uint8_t)code);
			assert_non_null(l);
			assert_int_equal(ps_layout_min_len(l) + 1, len);
			ops++;
		} else if (code <= 0x0f) {
			assert_non_null(ps_name_of(ps_names_smp_reason, code));
			reasons++;
		}
	}
	assert_int_equal(ops, 14);
	assert_int_equal(reasons, 15);
	free(out);
}

static void test_keydist_order(void **state)
{
	(void)state;
	/* §3.6.1: LTK, EDIV/Rand, IRK, identity address, CSRK. */
	for (uint8_t c = 0x06; c < 0x0a; c++)
		assert_true(dr_keydist_rank(c) < dr_keydist_rank((uint8_t)(c + 1)));
	assert_int_equal(dr_keydist_bit(0x07), PS_SMP_DIST_ENC);
	assert_int_equal(dr_keydist_bit(0x09), PS_SMP_DIST_ID);
	assert_int_equal(dr_keydist_bit(0x0a), PS_SMP_DIST_SIGN);
	assert_int_equal(dr_keydist_rank(0x05), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_2_8_every_cell),
		cmocka_unit_test(test_selection_rules),
		cmocka_unit_test(test_pdu_lengths_and_reasons),
		cmocka_unit_test(test_keydist_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
