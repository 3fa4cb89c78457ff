/* SMP core dispatch and security checks (Vol 3 Part H §3.3-3.4, §2.3.6, §3.6.1) with a scripted lower
 * tester: raw PDUs injected into one core, its outbox read back. Opcode table (length, role, phase),
 * key PDUs before encryption or not negotiated, repeated-attempts back-off, IdKey only with an IRK,
 * keypress only when negotiated, Pairing Failed after completion, the re-pairing policy for a peer
 * the host holds a bond for. */
#include "testutil.h"
#include "sm_harness.h"

static struct ps_crypto crypto;
static uint64_t clock_ms;
static uint64_t now_ms(void *ctx)
{
	(void)ctx;
	return clock_ms;
}

static void iut(struct ps_sm *sm, enum ps_sm_role role, struct ps_sm_config *cfg, struct ps_sm_attempts *att)
{
	struct ps_addr a = { 1, { 1, 2, 3, 4, 5, 0xc6 } }, b = { 1, { 6, 5, 4, 3, 2, 0xc1 } };
	struct ps_sm_ops ops = { .crypto = &crypto, .now_ms = now_ms };
	assert_int_equal(ps_sm_init(sm, cfg, &ops, role, &a, &b, att), 0);
}

static struct ps_sm_config cfg_default(void)
{
	struct ps_sm_config c;
	ps_sm_config_default(&c);
	c.sc = false;
	c.identity.type = 1;
	memset(c.identity.a, 0xc4, 6);
	memset(c.irk, 0x42, 16);
	return c;
}

/* Inject hex PDU, return the reason of the Pairing Failed sent (0 when none) and clear the outbox. */
static uint8_t inject(struct ps_sm *sm, const char *hex, struct ps_sm_outbox *out)
{
	uint8_t pdu[80];
	size_t n = ps_test_hex(hex, pdu, sizeof pdu);
	out->n = 0;
	assert_int_equal(ps_sm_rx(sm, pdu, n, out), 0);
	uint8_t reason = 0;
	for (unsigned i = 0; i < out->n; i++)
		if (out->a[i].type == PS_SM_ACT_SEND && out->a[i].pdu[0] == 0x05)
			reason = out->a[i].pdu[1];
	return reason;
}

static void test_peripheral_opcode_table_length_role_phase(void **state)
{
	(void)state;
	struct ps_sm sm;
	struct ps_sm_config c = cfg_default();
	struct ps_sm_outbox out;
	iut(&sm, PS_SM_PERIPHERAL, &c, NULL);
	assert_int_equal(inject(&sm, "0f00", &out), PS_SMP_CMD_NOT_SUPPORTED);         /* unknown code */
	assert_int_equal(inject(&sm, "0103000110070700", &out), PS_SMP_INVALID_PARAMS); /* 8 octets */
	assert_int_equal(inject(&sm, "020300011007 07", &out), PS_SMP_CMD_NOT_SUPPORTED); /* Response to a peripheral */
	assert_int_equal(inject(&sm, "0b01", &out), PS_SMP_CMD_NOT_SUPPORTED);           /* Security Request too */
	assert_int_equal(inject(&sm, "0103000106 0707", &out), PS_SMP_INVALID_PARAMS);   /* max key size 6 */
	iut(&sm, PS_SM_PERIPHERAL, &c, NULL);
	assert_int_equal(inject(&sm, "0103000110 0707", &out), 0); /* a fine request: response sent */
	assert_int_equal(out.a[0].pdu[0], 0x02);
	assert_int_equal(ps_sm_state(&sm), PS_SM_PH2_W4_CONFIRM);
	/* A random before the confirm, in phase 2: Unspecified Reason, the pairing ends. */
	assert_int_equal(inject(&sm, "04000102030405060708090a0b0c0d0e0f", &out), PS_SMP_UNSPECIFIED);
	assert_int_equal(ps_sm_state(&sm), PS_SM_FAILED);
	/* Stray PDUs after the failure are dropped silently. */
	assert_int_equal(inject(&sm, "06000102030405060708090a0b0c0d0e0f", &out), 0);
	assert_int_equal(out.n, 0u);
}

/* A key PDU in phase 2 (before encryption) fails the pairing: keys travel only on an encrypted link. */
static void test_key_pdu_before_encryption_fails(void **state)
{
	(void)state;
	struct ps_sm sm;
	struct ps_sm_config c = cfg_default();
	struct ps_sm_outbox out;
	iut(&sm, PS_SM_PERIPHERAL, &c, NULL);
	inject(&sm, "0103000110 0707", &out);
	assert_int_equal(inject(&sm, "06ffeeddccbbaa998877665544332211 00", &out), PS_SMP_UNSPECIFIED);
}

/* The seed, scripted: the central asked EncKey+Sign, the peripheral agreed Sign only; an
 * Encryption Information arrives after encryption: Pairing Failed, Unspecified Reason. */
static void test_seed_unnegotiated_enc_info_after_encryption(void **state)
{
	(void)state;
	struct h_link l;
	assert_int_equal(h_init(&l), 0);
	l.d[0].cfg.sc = l.d[1].cfg.sc = false;
	l.d[0].cfg.dist_init = l.d[0].cfg.dist_resp = PS_SMP_DIST_ENC | PS_SMP_DIST_SIGN;
	l.d[1].cfg.dist_init = PS_SMP_DIST_SIGN;
	l.d[1].cfg.dist_resp = PS_SMP_DIST_ENC;
	assert_int_equal(h_setup(&l), 0);
	/* run the real pairing up to the peripheral's key distribution, but hold the central's keys */
	struct ps_sm_outbox out = { .n = 0 };
	assert_int_equal(ps_sm_pair(&l.d[0].sm, &out), 0);
	h_outbox(&l, 0, &out);
	while (l.head != l.tail) {
		struct h_event e = l.q[l.head++ % H_MAXQ];
		if (e.type == H_PDU && e.to == 1 && e.pdu[0] >= 0x06 && e.pdu[0] <= 0x0a)
			continue; /* the central's real keys never arrive */
		h_step(&l, &e);
	}
	assert_int_equal(ps_sm_state(&l.d[1].sm), PS_SM_PH3_KEYS);
	uint8_t reason = inject(&l.d[1].sm, "06ffeeddccbbaa99887766554433221100", &out);
	assert_int_equal(reason, PS_SMP_UNSPECIFIED);
	assert_int_equal(ps_sm_result(&l.d[1].sm)->status, -PS_EPROTO);
	h_fini(&l);
}

/* §2.3.6: after an authentication failure, the next Pairing Request within the waiting interval is
 * refused with Repeated Attempts, and the interval doubles with each failure. */
static void test_repeated_attempts_backoff_doubles(void **state)
{
	(void)state;
	struct ps_sm_attempts att = { 0 };
	struct ps_sm_config c = cfg_default();
	struct ps_sm sm;
	struct ps_sm_outbox out;
	clock_ms = 1000000;
	for (int round = 1; round <= 3; round++) {
		iut(&sm, PS_SM_PERIPHERAL, &c, &att);
		inject(&sm, "0103000110 0707", &out);
		/* a confirm, then a random that does not match it: Confirm Value Failed */
		inject(&sm, "03000102030405060708090a0b0c0d0e0f", &out);
		assert_int_equal(inject(&sm, "04ffffffffffffffffffffffffffffffff", &out), PS_SMP_CONFIRM_VALUE_FAILED);
		assert_int_equal(att.failures, (uint32_t)round);
		uint64_t wait = 2000ull << (round - 1);
		assert_true(att.not_before_ms == clock_ms + wait);
		iut(&sm, PS_SM_PERIPHERAL, &c, &att);
		clock_ms += wait - 1;
		assert_int_equal(inject(&sm, "0103000110 0707", &out), PS_SMP_REPEATED_ATTEMPTS);
		clock_ms += 1;
	}
	/* the central side: ps_sm_pair refuses while waiting */
	iut(&sm, PS_SM_CENTRAL, &c, &att);
	att.not_before_ms = clock_ms + 10;
	out.n = 0;
	assert_int_equal(ps_sm_pair(&sm, &out), -PS_EAGAIN);
	assert_int_equal(inject(&sm, "0b01", &out), PS_SMP_REPEATED_ATTEMPTS);
}

/* STACKS.md #6: no IdKey without a real IRK and identity address. */
static void test_no_idkey_with_zero_irk(void **state)
{
	(void)state;
	struct ps_sm_config c = cfg_default();
	memset(c.irk, 0, 16);
	struct ps_sm sm;
	struct ps_sm_outbox out = { .n = 0 };
	iut(&sm, PS_SM_CENTRAL, &c, NULL);
	assert_int_equal(ps_sm_pair(&sm, &out), 0);
	assert_int_equal(out.a[0].pdu[5] & PS_SMP_DIST_ID, 0);
	assert_int_equal(out.a[0].pdu[6] & PS_SMP_DIST_ID, 0);
}

/* §3.5.8: a keypress notification without the negotiated Keypress bit ends the pairing. */
static void test_keypress_not_negotiated_fails(void **state)
{
	(void)state;
	struct ps_sm sm;
	struct ps_sm_config c = cfg_default();
	c.io_cap = 0x00; /* DisplayOnly peripheral, KeyboardOnly central with MITM: Passkey Entry */
	c.mitm = true;
	struct ps_sm_outbox out;
	iut(&sm, PS_SM_PERIPHERAL, &c, NULL);
	inject(&sm, "0102000510 0707", &out); /* no Keypress bit */
	assert_int_equal(inject(&sm, "0e00", &out), PS_SMP_UNSPECIFIED);
}

/* Passkey answers outside a prompt are refused; out-of-range passkeys too. */
static void test_user_answers_only_when_asked(void **state)
{
	(void)state;
	struct ps_sm sm;
	struct ps_sm_config c = cfg_default();
	struct ps_sm_outbox out = { .n = 0 };
	iut(&sm, PS_SM_CENTRAL, &c, NULL);
	assert_int_equal(ps_sm_passkey(&sm, 1, &out), -PS_ESTATE);
	assert_int_equal(ps_sm_confirm(&sm, true, &out), -PS_ESTATE);
	assert_int_equal(ps_sm_cancel(&sm, &out), -PS_ESTATE);
	static const uint8_t zero[8];
	assert_int_equal(ps_sm_ltk_request(&sm, 0, zero, &out), -PS_ENOENT);
}

/* A Pairing Failed that comes right after completion (the peer refused our last key) turns the
 * result into a failure, so the host does not keep a bond the peer threw away. */
static void test_pairing_failed_after_done_revokes(void **state)
{
	(void)state;
	struct h_link l;
	assert_int_equal(h_init(&l), 0);
	assert_int_equal(h_pair(&l, 0), 0);
	assert_true(h_success(&l));
	struct ps_sm_outbox out;
	inject(&l.d[0].sm, "0508", &out);
	assert_int_equal(ps_sm_result(&l.d[0].sm)->status, -PS_EPROTO);
	assert_false(ps_sm_result(&l.d[0].sm)->bonded);
	h_fini(&l);
}

/* A bonded peer pairs again (STACKS.md #7): deny refuses any new pairing, no-downgrade one that
 * reaches a lower security level than the bond, with Authentication Requirements and no response;
 * allow (and no bond at all) answers as usual. */
static uint8_t repair_try(uint8_t bond_level, enum ps_sm_repair policy, bool sc, const char *req, bool *answered)
{
	struct ps_sm sm;
	struct ps_sm_config c = cfg_default();
	c.sc = sc;
	c.io_cap = 0x01; /* DisplayYesNo */
	c.bond_level = bond_level;
	c.repair = (uint8_t)policy;
	struct ps_sm_outbox out;
	iut(&sm, PS_SM_PERIPHERAL, &c, NULL);
	uint8_t reason = inject(&sm, req, &out);
	*answered = out.n > 0 && out.a[0].type == PS_SM_ACT_SEND && out.a[0].pdu[0] == 0x02;
	return reason;
}

static void test_repair_policy(void **state)
{
	(void)state;
	const char *jw = "0103000110 0707";   /* NoInputNoOutput, bonding, legacy: Just Works, level 2 */
	const char *nc = "010100 0d10 0707";  /* DisplayYesNo, bonding, MITM, SC: Numeric Comparison, level 4 */
	bool ans;
	assert_int_equal(repair_try(2, PS_SM_REPAIR_DENY, false, jw, &ans), PS_SMP_AUTH_REQUIREMENTS);
	assert_false(ans);
	assert_int_equal(repair_try(4, PS_SM_REPAIR_DENY, true, nc, &ans), PS_SMP_AUTH_REQUIREMENTS);
	assert_false(ans);
	assert_int_equal(repair_try(4, PS_SM_REPAIR_NO_DOWNGRADE, false, jw, &ans), PS_SMP_AUTH_REQUIREMENTS);
	assert_false(ans);
	assert_int_equal(repair_try(4, PS_SM_REPAIR_NO_DOWNGRADE, true, nc, &ans), 0);
	assert_true(ans);
	assert_int_equal(repair_try(2, PS_SM_REPAIR_NO_DOWNGRADE, false, jw, &ans), 0);
	assert_true(ans);
	assert_int_equal(repair_try(4, PS_SM_REPAIR_ALLOW, false, jw, &ans), 0);
	assert_true(ans);
	assert_int_equal(repair_try(0, PS_SM_REPAIR_DENY, false, jw, &ans), 0); /* no bond: no policy */
	assert_true(ans);
	/* An out-of-range policy or level is a bad config. */
	struct ps_sm sm;
	struct ps_sm_config c = cfg_default();
	struct ps_addr a = { 1, { 1, 2, 3, 4, 5, 0xc6 } };
	struct ps_sm_ops ops = { .crypto = &crypto, .now_ms = now_ms };
	c.repair = 3;
	assert_int_equal(ps_sm_init(&sm, &c, &ops, PS_SM_PERIPHERAL, &a, &a, NULL), -PS_EINVAL);
	c.repair = 0;
	c.bond_level = 5;
	assert_int_equal(ps_sm_init(&sm, &c, &ops, PS_SM_PERIPHERAL, &a, &a, NULL), -PS_EINVAL);
}

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_peripheral_opcode_table_length_role_phase),
		cmocka_unit_test(test_key_pdu_before_encryption_fails),
		cmocka_unit_test(test_seed_unnegotiated_enc_info_after_encryption),
		cmocka_unit_test(test_repeated_attempts_backoff_doubles),
		cmocka_unit_test(test_no_idkey_with_zero_irk),
		cmocka_unit_test(test_keypress_not_negotiated_fails),
		cmocka_unit_test(test_user_answers_only_when_asked),
		cmocka_unit_test(test_pairing_failed_after_done_revokes),
		cmocka_unit_test(test_repair_policy),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
