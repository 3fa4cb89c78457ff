/* SMP core back to back (Vol 3 Part H §2.3.5.1 Table 2.8, §3.6.1): every IO capability pair, legacy
 * and SC, with and without MITM and bonding, OOB, every key distribution combination: the method the
 * table gives, one encryption key on both sides, and each side holding exactly what the other sent. */
#include "testutil.h"
#include "sm_harness.h"
#include <stdio.h>

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Table 2.8 as pair_matrix.py writes it, [initiator][responder]: J just works, P passkey, N numeric
 * comparison. Kept independent of the core's own table on purpose. */
static const char *const LEG[5] = { "JJPJP", "JJPJP", "PPPJP", "JJJJJ", "PPPJP" };
static const char *const SC[5] = { "JJPJP", "JNPJN", "PPPJP", "JJJJJ", "PNPJN" };

static enum ps_sm_method want_method(bool sc, bool mitm, int i, int r)
{
	if (!mitm)
		return PS_SM_METHOD_JUST_WORKS;
	switch ((sc ? SC : LEG)[i][r]) {
	case 'P': return PS_SM_METHOD_PASSKEY;
	case 'N': return PS_SM_METHOD_NUMCMP;
	default: return PS_SM_METHOD_JUST_WORKS;
	}
}

static void run_one(bool sc, bool mitm, bool bond, int i, int r, bool keypress)
{
	struct h_link l;
	assert_int_equal(h_init(&l), 0);
	for (int k = 0; k < 2; k++) {
		l.d[k].cfg.sc = sc;
		l.d[k].cfg.mitm = mitm;
		l.d[k].cfg.bond = bond;
		l.d[k].cfg.keypress = keypress;
	}
	l.keypresses = keypress;
	l.d[0].cfg.io_cap = (uint8_t)i;
	l.d[1].cfg.io_cap = (uint8_t)r;
	assert_int_equal(h_pair(&l, 0), 0);
	char what[96];
	snprintf(what, sizeof what, "sc=%d mitm=%d bond=%d %s -> %s", sc, mitm, bond, ps_sm_io_name((uint8_t)i),
		 ps_sm_io_name((uint8_t)r));
	if (!h_success(&l))
		fail_msg("%s: not a success (c %d/%02x, p %d/%02x, err %d)", what, l.d[0].result.status,
			 l.d[0].result.reason, l.d[1].result.status, l.d[1].result.reason, l.lib_err);
	enum ps_sm_method m = want_method(sc, mitm, i, r);
	if (l.d[0].result.method != m)
		fail_msg("%s: method %s, want %s", what, ps_sm_method_name(l.d[0].result.method),
			 ps_sm_method_name(m));
	assert_int_equal(l.d[0].result.sc, sc);
	/* Core v6.2: only SC Passkey Entry and Numeric Comparison are authenticated. */
	bool auth = m == PS_SM_METHOD_NUMCMP || (m == PS_SM_METHOD_PASSKEY && sc);
	assert_int_equal(l.d[0].result.authenticated, auth);
	assert_int_equal(l.d[1].result.level, auth ? (sc ? 4 : 3) : 2);
	assert_int_equal(l.d[0].result.bonded, bond);
	assert_int_equal(l.d[0].stores, bond ? 1 : 0);
	/* SC has no EncKey PDU; legacy distributes one LTK each way. */
	assert_int_equal(l.d[1].sent[ps_smp_encrypt_info_code], sc ? 0 : 1);
	if (m == PS_SM_METHOD_PASSKEY && sc) {
		assert_int_equal(l.d[0].sent[ps_smp_pairing_confirm_code], 20);
		assert_int_equal(l.d[1].sent[ps_smp_pairing_random_code], 20);
	}
	if (keypress && m == PS_SM_METHOD_PASSKEY)
		assert_true(l.d[0].keypress_rx + l.d[1].keypress_rx >= 8);
	h_fini(&l);
}

static void test_matrix_io5x5_legacy_and_sc_mitm_bond(void **state)
{
	(void)state;
	for (int sc = 0; sc < 2; sc++)
		for (int mitm = 0; mitm < 2; mitm++)
			for (int i = 0; i < 5; i++)
				for (int r = 0; r < 5; r++)
					run_one(sc, mitm, true, i, r, false);
}

static void test_matrix_io5x5_legacy_and_sc_mitm_nobond_keypress(void **state)
{
	(void)state;
	for (int sc = 0; sc < 2; sc++)
		for (int i = 0; i < 5; i++)
			for (int r = 0; r < 5; r++)
				run_one(sc, true, false, i, r, true);
}

/* §3.6.1: AND of both sides, per direction; only those keys travel, and both sides hold them. */
static void test_keydist_all_8x8_combinations_legacy_and_sc(void **state)
{
	(void)state;
	const uint8_t all = PS_SMP_DIST_ENC | PS_SMP_DIST_ID | PS_SMP_DIST_SIGN;
	for (int sc = 0; sc < 2; sc++)
		for (uint8_t a = 0; a <= all; a++)
			for (uint8_t b = 0; b <= all; b++) {
				struct h_link l;
				assert_int_equal(h_init(&l), 0);
				l.d[0].cfg.sc = l.d[1].cfg.sc = sc;
				l.d[0].cfg.dist_init = l.d[0].cfg.dist_resp = a;
				l.d[1].cfg.dist_init = l.d[1].cfg.dist_resp = b;
				assert_int_equal(h_pair(&l, 0), 0);
				assert_true(h_success(&l));
				uint8_t neg = a & b, pdus = sc ? neg & (uint8_t)~PS_SMP_DIST_ENC : neg;
				assert_int_equal(l.d[0].result.init_dist, neg);
				assert_int_equal(l.d[0].result.resp_dist, neg);
				for (int k = 0; k < 2; k++) {
					const struct h_dev *d = &l.d[k];
					assert_int_equal(d->sent[0x06], (pdus & PS_SMP_DIST_ENC) ? 1 : 0);
					assert_int_equal(d->sent[0x07], (pdus & PS_SMP_DIST_ENC) ? 1 : 0);
					assert_int_equal(d->sent[0x08], (pdus & PS_SMP_DIST_ID) ? 1 : 0);
					assert_int_equal(d->sent[0x09], (pdus & PS_SMP_DIST_ID) ? 1 : 0);
					assert_int_equal(d->sent[0x0a], (pdus & PS_SMP_DIST_SIGN) ? 1 : 0);
					/* Keys from the CSPRNG: never the seed's test pattern, never zero. */
					if (pdus & PS_SMP_DIST_ENC) {
						assert_false(all_zero(d->result.local.ltk, 16));
						assert_false(all_zero(d->result.local.rand, 8));
					}
				}
				h_fini(&l);
			}
}

static void run_oob(bool sc, bool c_oob, bool p_oob, bool same, bool want_ok)
{
	struct h_link l;
	assert_int_equal(h_init(&l), 0);
	for (int k = 0; k < 2; k++) {
		l.d[k].cfg.sc = sc;
		l.d[k].cfg.mitm = true;
		l.d[k].cfg.io_cap = 0x04;
		memset(l.d[k].cfg.oob_tk, 0x5a, 16);
	}
	if (!same)
		l.d[1].cfg.oob_tk[3] ^= 1;
	if (sc) {
		l.d[0].cfg.oob_sc_present = c_oob;
		l.d[1].cfg.oob_sc_present = p_oob;
	} else {
		l.d[0].cfg.oob_tk_present = c_oob;
		l.d[1].cfg.oob_tk_present = p_oob;
	}
	assert_int_equal(h_pair(&l, 0), 0);
	if (!same && sc)
		fail_msg("no such case");
	if (want_ok) {
		assert_true(h_success(&l));
		bool oob = sc ? (c_oob || p_oob) : (c_oob && p_oob);
		assert_int_equal(l.d[0].result.method, oob ? PS_SM_METHOD_OOB : PS_SM_METHOD_PASSKEY);
	} else {
		assert_int_equal(l.d[0].result.status, -PS_EPROTO);
		assert_int_equal(l.d[0].result.reason, PS_SMP_CONFIRM_VALUE_FAILED);
	}
	h_fini(&l);
}

static void test_oob_legacy_both_one_none_and_mismatch(void **state)
{
	(void)state;
	run_oob(false, true, true, true, true);
	run_oob(false, true, false, true, true); /* one side only: falls back to the IO table */
	run_oob(false, false, true, true, true);
	run_oob(false, true, true, false, false);
}

static void test_oob_sc_both_central_only_peripheral_only(void **state)
{
	(void)state;
	run_oob(true, true, true, true, true);
	run_oob(true, true, false, true, true);
	run_oob(true, false, true, true, true);
}

/* §3.6.1 LinkKey with CT2 (h7) and without (h6): both sides derive the same BR/EDR link key. */
static void test_sc_linkkey_ct2_h7_and_h6(void **state)
{
	(void)state;
	for (int ct2 = 0; ct2 < 2; ct2++) {
		struct h_link l;
		assert_int_equal(h_init(&l), 0);
		for (int k = 0; k < 2; k++) {
			l.d[k].cfg.ct2 = ct2;
			l.d[k].cfg.dist_init |= PS_SMP_DIST_LINK;
			l.d[k].cfg.dist_resp |= PS_SMP_DIST_LINK;
		}
		assert_int_equal(h_pair(&l, 0), 0);
		assert_true(h_success(&l));
		assert_true(l.d[0].result.local.have & PS_SM_KEY_LINK);
		assert_memory_equal(l.d[0].result.local.link_key, l.d[1].result.local.link_key, 16);
		h_fini(&l);
	}
}

/* Key sizes 7..16: the smaller maximum wins; the LTK keeps only that many octets. */
static void test_keysize_7_to_16_masks_keys(void **state)
{
	(void)state;
	for (int sc = 0; sc < 2; sc++)
		for (uint8_t ks = 7; ks <= 16; ks++) {
			struct h_link l;
			assert_int_equal(h_init(&l), 0);
			l.d[0].cfg.sc = l.d[1].cfg.sc = sc;
			l.d[1].cfg.max_key_size = ks;
			assert_int_equal(h_pair(&l, 0), 0);
			assert_true(h_success(&l));
			assert_int_equal(l.d[0].result.key_size, ks);
			for (int o = ks; o < 16; o++)
				assert_int_equal(l.d[0].result.enc_key[o], 0);
			h_fini(&l);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix_io5x5_legacy_and_sc_mitm_bond),
		cmocka_unit_test(test_matrix_io5x5_legacy_and_sc_mitm_nobond_keypress),
		cmocka_unit_test(test_keydist_all_8x8_combinations_legacy_and_sc),
		cmocka_unit_test(test_oob_legacy_both_one_none_and_mismatch),
		cmocka_unit_test(test_oob_sc_both_central_only_peripheral_only),
		cmocka_unit_test(test_sc_linkkey_ct2_h7_and_h6),
		cmocka_unit_test(test_keysize_7_to_16_masks_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
