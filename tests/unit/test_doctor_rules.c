/* Every doctor rule on a trace that triggers it and on correct pairings that must not: traces built from
 * bytes with the packet tables (test_doctor_scn.h), expected JSON kept in tests/golden/doctor/
 * (PS_UPDATE_GOLDEN=1 rewrites the .json and .btsnoop files). Correct Just Works, Passkey Entry (legacy
 * and SC) and Numeric Comparison pairings give no error and no warning. */
#include "test_doctor_scn.h"
#include "doctor/rules.h"

struct rcase {
	const char *name;
	enum fault fault;
	const char *rule;   /* must appear */
	int base;           /* scenario family, see base_scn */
};

enum { B_LEG_JW, B_LEG_PK, B_SC_JW, B_SC_NC, B_SC_PK, B_LEG_JW_PERIPH, B_LEG_MITM_JW, B_LEG_OOB1, B_LEG_NOBOND,
       B_SC_NC_PERIPH, B_LEG_RECONN, B_LEG_RECONN_PERIPH, B_SC_RECONN, B_SC_RECONN_PERIPH, B_LEG_RECONN_RPA };

static struct scn base_scn(int b)
{
	struct scn s;
	switch (b) {
	case B_LEG_PK: /* KeyboardOnly -> DisplayOnly: responder displays; 999999 is the search's worst case */
		s = scn_default(false, 2, 0, true);
		s.passkey = 999999;
		return s;
	case B_SC_JW:
		return scn_default(true, 3, 3, false);
	case B_SC_NC:
		return scn_default(true, 1, 4, true);
	case B_SC_NC_PERIPH:
		s = scn_default(true, 4, 1, true);
		s.local_peripheral = true;
		return s;
	case B_SC_PK:
		return scn_default(true, 2, 0, true);
	case B_LEG_JW_PERIPH:
		s = scn_default(false, 4, 3, false);
		s.local_peripheral = true;
		return s;
	case B_LEG_MITM_JW:
		return scn_default(false, 2, 3, true);
	case B_LEG_OOB1:
		s = scn_default(false, 4, 3, false);
		s.ioob = 1;
		return s;
	case B_LEG_RECONN:
	case B_LEG_RECONN_PERIPH:
	case B_LEG_RECONN_RPA:
		s = scn_default(false, 4, 3, false);
		s.local_peripheral = b == B_LEG_RECONN_PERIPH;
		s.reconnect = true;
		s.reconnect_rpa = b == B_LEG_RECONN_RPA;
		return s;
	case B_SC_RECONN:
	case B_SC_RECONN_PERIPH:
		s = scn_default(true, 3, 3, false);
		s.local_peripheral = b == B_SC_RECONN_PERIPH;
		s.reconnect = true;
		return s;
	case B_LEG_NOBOND:
		s = scn_default(false, 4, 3, false);
		s.rauth = 0;
		return s;
	default:
		return scn_default(false, 4, 3, false);
	}
}

static const struct rcase clean[] = {
	{ "clean-legacy-justworks", F_NONE, NULL, B_LEG_JW },
	{ "clean-legacy-justworks-peripheral", F_NONE, NULL, B_LEG_JW_PERIPH },
	{ "clean-legacy-passkey", F_NONE, NULL, B_LEG_PK },
	{ "clean-sc-justworks", F_NONE, NULL, B_SC_JW },
	{ "clean-sc-numeric-comparison", F_NONE, NULL, B_SC_NC },
	{ "clean-sc-numeric-comparison-peripheral", F_NONE, NULL, B_SC_NC_PERIPH },
	{ "clean-sc-passkey", F_NONE, NULL, B_SC_PK },
	{ "clean-legacy-key-before-encryption-event", F_BENIGN_KEY_BEFORE_EVENT, NULL, B_LEG_JW },
	{ "clean-legacy-reconnect", F_NONE, NULL, B_LEG_RECONN },
	{ "clean-legacy-reconnect-peripheral", F_NONE, NULL, B_LEG_RECONN_PERIPH },
	{ "clean-legacy-reconnect-rpa", F_NONE, NULL, B_LEG_RECONN_RPA },
	{ "clean-sc-reconnect", F_NONE, NULL, B_SC_RECONN },
	{ "clean-sc-reconnect-peripheral", F_NONE, NULL, B_SC_RECONN_PERIPH },
};

static const struct rcase faults[] = {
	{ "smp-bad-length", F_BAD_LENGTH, "smp.bad-length", B_LEG_JW },
	{ "smp-unknown-code", F_UNKNOWN_CODE, "smp.unknown-code", B_LEG_JW },
	{ "smp-reserved-value", F_RESERVED, "smp.reserved-value", B_LEG_JW },
	{ "smp-wrong-role", F_WRONG_ROLE, "smp.wrong-role", B_LEG_JW },
	{ "smp-out-of-order", F_OUT_OF_ORDER, "smp.out-of-order", B_LEG_JW },
	{ "smp-confirm-reflected", F_CONFIRM_REFLECTED, "smp.confirm-reflected", B_LEG_JW },
	{ "negotiation-key-size-range", F_KEY_SIZE_RANGE, "negotiation.key-size-range", B_LEG_JW },
	{ "negotiation-key-size-short", F_KEY_SIZE_SHORT, "negotiation.key-size-short", B_LEG_JW },
	{ "negotiation-key-size-rejected", F_KEY_SIZE_REJECTED, "negotiation.key-size-rejected", B_LEG_JW },
	{ "negotiation-keydist-superset", F_DIST_SUPERSET, "negotiation.keydist-superset", B_LEG_JW },
	{ "negotiation-mitm-unattainable", F_NONE, "negotiation.mitm-unattainable", B_LEG_MITM_JW },
	{ "negotiation-sc-not-used", F_SC_NOT_USED, "negotiation.sc-not-used", B_LEG_JW },
	{ "negotiation-legacy", F_NONE, "negotiation.legacy", B_LEG_JW },
	{ "negotiation-method-mismatch", F_METHOD_MISMATCH, "negotiation.method-mismatch", B_LEG_JW },
	{ "negotiation-oob-one-sided", F_NONE, "negotiation.oob-one-sided", B_LEG_OOB1 },
	{ "negotiation-no-bonding", F_NONE, "negotiation.no-bonding", B_LEG_NOBOND },
	{ "keydist-not-negotiated", F_KD_NOT_NEGOTIATED, "keydist.not-negotiated", B_LEG_JW },
	{ "keydist-missing", F_KD_MISSING, "keydist.missing", B_LEG_JW },
	{ "keydist-order", F_KD_ORDER, "keydist.order", B_LEG_JW },
	{ "keydist-unencrypted", F_KD_UNENCRYPTED, "keydist.unencrypted", B_LEG_JW },
	{ "keydist-identity-address", F_KD_BAD_IDENTITY, "keydist.identity-address", B_LEG_JW },
	{ "encryption-stk-ediv-rand", F_ENC_EDIV_RAND, "encryption.stk-ediv-rand", B_LEG_JW },
	{ "encryption-failed", F_ENC_FAILED, "encryption.failed", B_LEG_JW },
	{ "encryption-ltk-negative-reply", F_LTK_NEG_REPLY, "encryption.ltk-negative-reply", B_LEG_JW_PERIPH },
	{ "encryption-key-refresh", F_KEY_REFRESH, "encryption.key-refresh", B_LEG_JW },
	{ "encryption-not-started", F_ENC_NOT_STARTED, "encryption.not-started", B_LEG_JW },
	{ "encryption-unknown-key", F_REENC_UNKNOWN_KEY, "encryption.unknown-key", B_LEG_RECONN },
	{ "encryption-unknown-key-rpa", F_REENC_UNKNOWN_KEY, "encryption.unknown-key", B_LEG_RECONN_RPA },
	{ "encryption-unknown-key-sc", F_REENC_UNKNOWN_KEY, "encryption.unknown-key", B_SC_RECONN },
	{ "encryption-bond-lost", F_REENC_BOND_LOST, "encryption.bond-lost", B_LEG_RECONN_PERIPH },
	{ "encryption-bond-lost-sc", F_REENC_BOND_LOST, "encryption.bond-lost", B_SC_RECONN_PERIPH },
	{ "encryption-key-missing", F_REENC_KEY_MISSING, "encryption.key-missing", B_LEG_RECONN },
	{ "timing-smp-timeout", F_SMP_TIMEOUT, "timing.smp-timeout", B_LEG_JW },
	{ "timing-long-silence", F_SILENCE, "timing.long-silence", B_LEG_JW },
	{ "random-pattern", F_PATTERN, "random.pattern", B_LEG_JW },
	{ "random-reused", F_REUSED, "random.reused", B_LEG_JW },
	{ "crypto-confirm-mismatch", F_CONFIRM_MISMATCH, "crypto.confirm-mismatch", B_LEG_JW },
	{ "crypto-stk-mismatch", F_STK_MISMATCH, "crypto.stk-mismatch", B_LEG_JW },
	{ "crypto-passkey-recovered", F_NONE, "crypto.passkey-recovered", B_LEG_PK },
	{ "hci-init-incomplete", F_INIT_INCOMPLETE, "hci.init-incomplete", B_LEG_JW },
	{ "hci-command-failed", F_CMD_FAILED, "hci.command-failed", B_LEG_JW },
	{ "hci-connect-failed", F_CONNECT_FAILED, "hci.connect-failed", B_LEG_JW },
	{ "hci-disconnect", F_NONE, "hci.disconnect", B_LEG_JW },
	{ "hci-disconnect-security", F_DISC_SECURITY, "hci.disconnect-security", B_LEG_JW },
	{ "l2cap-response-ident", F_RESP_IDENT, "l2cap.response-ident", B_LEG_JW },
	{ "l2cap-ident-zero", F_IDENT_ZERO, "l2cap.ident-zero", B_LEG_JW },
	{ "l2cap-conn-param-range", F_PARAM_RANGE, "l2cap.conn-param-range", B_LEG_JW },
	{ "l2cap-command-reject", F_CMD_REJECT, "l2cap.command-reject", B_LEG_JW },
	{ "sc-debug-key", F_DEBUG_KEY, "sc.debug-key", B_SC_JW },
	{ "sc-debug-key-passkey", F_DEBUG_KEY, "sc.debug-key", B_SC_PK },
	{ "sc-public-key-invalid", F_BAD_PK, "sc.public-key-invalid", B_SC_JW },
	{ "sc-public-key-reflected", F_REFLECTED_PK, "sc.public-key-reflected", B_SC_JW },
	{ "sc-dhkey-check-failed", F_DHKEY_FAIL, "sc.dhkey-check-failed", B_SC_NC },
	{ "sc-passkey-rounds", F_PK_ROUNDS, "sc.passkey-rounds", B_SC_PK },
	{ "pairing-failed", F_PAIRING_FAILED, "pairing.failed", B_LEG_JW },
	{ "pairing-timeout", F_TIMEOUT, "pairing.timeout", B_LEG_JW },
	{ "pairing-disconnected", F_DISCONNECTED, "pairing.disconnected", B_LEG_JW },
	{ "pairing-incomplete", F_INCOMPLETE, "pairing.incomplete", B_LEG_JW },
};

static struct ps_crypto crypto;

static int setup(void **state)
{
	(void)state;
	return ps_crypto_openssl_new(&crypto);
}

static int teardown(void **state)
{
	(void)state;
	ps_crypto_free(&crypto);
	return 0;
}

/* Compare with (or, with PS_UPDATE_GOLDEN=1, write) tests/golden/doctor/<name>.json and .btsnoop. */
static void golden(const struct tb *t, const char *name, const char *json)
{
	char rel[256];
	snprintf(rel, sizeof rel, "tests/golden/doctor/%s.json", name);
	const char *path = ps_test_path(rel);
	if (getenv("PS_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(json, f);
		fclose(f);
		snprintf(rel, sizeof rel, "tests/golden/doctor/%s.btsnoop", name);
		tb_write_btsnoop(t, ps_test_path(rel));
		return;
	}
	char *want = (char *)ps_test_read(rel, NULL);
	if (strcmp(want, json))
		fail_msg("%s: JSON differs from %s (PS_UPDATE_GOLDEN=1 to rewrite after review)", name, rel);
	free(want);
}

static char *run_case(const struct rcase *rc, struct tb *t)
{
	struct scn s = base_scn(rc->base);
	s.fault = rc->fault;
	scn_build(t, &s, &crypto);
	struct ps_doctor *d = tb_diagnose(t, &crypto);
	char *json = tb_json(d);
	ps_doctor_free(d);
	golden(t, rc->name, json);
	return json;
}

static void test_clean_pairings_no_error_no_warning(void **state)
{
	(void)state;
	static struct tb t;
	for (size_t i = 0; i < PS_ARRAY_SIZE(clean); i++) {
		char *json = run_case(&clean[i], &t);
		if (tb_count_sev(json, "error") || tb_count_sev(json, "warning"))
			fail_msg("%s: error/warning on a correct pairing:\n%s", clean[i].name, json);
		if (!strstr(json, "\"outcome\": \"succeeded\""))
			fail_msg("%s: not succeeded:\n%s", clean[i].name, json);
		bool legacy = strstr(clean[i].name, "legacy") != NULL;
		if (legacy && !strstr(json, "\"confirm_initiator\": \"verified\", \"confirm_responder\": \"verified\", "
					    "\"stk\": \"verified\""))
			fail_msg("%s: crypto not verified:\n%s", clean[i].name, json);
		free(json);
	}
}

/* Each fault triggers its rule; a correct pairing of the same family does not. */
static void test_every_rule_triggers_and_stays_quiet(void **state)
{
	(void)state;
	static struct tb t;
	bool covered[DR_NRULES] = { false };
	for (size_t i = 0; i < PS_ARRAY_SIZE(faults); i++) {
		const struct rcase *rc = &faults[i];
		char *json = run_case(rc, &t);
		if (!tb_count(json, rc->rule))
			fail_msg("%s: rule %s not found:\n%s", rc->name, rc->rule, json);
		free(json);
		for (int r = 0; r < DR_NRULES; r++)
			if (!strcmp(dr_rules[r].id, rc->rule))
				covered[r] = true;
		/* The same family without the fault must not raise it (info rules describing a correct
		 * pairing's nature are exempt: legacy, disconnect, passkey recovered, MITM unattainable). */
		if (rc->fault == F_NONE)
			continue;
		struct rcase ok = { rc->name, F_NONE, NULL, rc->base };
		struct scn s = base_scn(ok.base);
		scn_build(&t, &s, &crypto);
		struct ps_doctor *d = tb_diagnose(&t, &crypto);
		char *cj = tb_json(d);
		ps_doctor_free(d);
		if (tb_count(cj, rc->rule))
			fail_msg("%s: rule %s raised without the fault:\n%s", rc->name, rc->rule, cj);
		free(cj);
	}
	for (int r = 0; r < DR_NRULES; r++)
		if (!covered[r])
			fail_msg("rule %s has no triggering test", dr_rules[r].id);
}

/* With a debug key the DHKey is known: SC confirms, DHKey checks and LTK verify, and Passkey Entry's
 * 20 commitments give the passkey away. */
static void test_sc_debug_key_verifies(void **state)
{
	(void)state;
	static struct tb t;
	struct scn s = base_scn(B_SC_PK);
	s.fault = F_DEBUG_KEY;
	scn_build(&t, &s, &crypto);
	struct ps_doctor *d = tb_diagnose(&t, &crypto);
	char *j = tb_json(d);
	ps_doctor_free(d);
	if (!strstr(j, "\"confirm_initiator\": \"verified\", \"confirm_responder\": \"verified\", \"stk\": \"verified\", "
		       "\"passkey\": \"123456\"") || tb_count(j, "sc.dhkey-check-failed"))
		fail_msg("SC passkey with a debug key not verified:\n%s", j);
	free(j);
	s = base_scn(B_SC_NC);
	s.fault = F_DEBUG_KEY;
	scn_build(&t, &s, &crypto);
	d = tb_diagnose(&t, &crypto);
	j = tb_json(d);
	ps_doctor_free(d);
	if (!strstr(j, "\"confirm_responder\": \"verified\", \"stk\": \"verified\""))
		fail_msg("SC numeric comparison with a debug key not verified:\n%s", j);
	free(j);
}

/* A BR/EDR bonding between the LE bond and the reconnection may have replaced the LE keys (cross-transport
 * key derivation, Vol 3 Part H 2.4.2.4): a key other than the LE pairing's is then not judged. */
static void test_reencryption_not_judged_after_bredr_bonding(void **state)
{
	(void)state;
	static struct tb t;
	struct scn s = base_scn(B_LEG_RECONN);
	s.fault = F_REENC_UNKNOWN_KEY;
	s.reconnect_after_bredr = true;
	scn_build(&t, &s, &crypto);
	struct ps_doctor *d = tb_diagnose(&t, &crypto);
	char *j = tb_json(d);
	ps_doctor_free(d);
	if (tb_count(j, "encryption.unknown-key"))
		fail_msg("re-encryption judged after a BR/EDR bonding:\n%s", j);
	free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_pairings_no_error_no_warning),
		cmocka_unit_test(test_every_rule_triggers_and_stays_quiet),
		cmocka_unit_test(test_sc_debug_key_verifies),
		cmocka_unit_test(test_reencryption_not_judged_after_bredr_bonding),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
