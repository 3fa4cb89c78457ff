/* Bond store (Vol 3 Part H §2.4.1, §2.4.2.1): bonds from real pairings, re-encryption with the stored
 * LTK (SM/PER/KDU/BV-07-C), RPA resolution through stored IRKs, the re-pairing policy, debug keys
 * never stored, the text form, and atomic saves that survive a crash at every step. */
#include "testutil.h"
#include "sm_harness.h"
#include "host/bond.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Pair two cores (legacy or SC, all keys) and turn the results into one bond per side. */
static void pair_bonds(bool sc, struct ps_bond *central, struct ps_bond *peripheral, struct h_link *l)
{
	assert_int_equal(h_init(l), 0);
	l->d[0].cfg.sc = l->d[1].cfg.sc = sc;
	assert_int_equal(h_pair(l, 0), 0);
	assert_true(h_success(l));
	assert_int_equal(ps_bond_from_result(central, &l->d[0].addr, &l->d[0].result), 0);
	assert_int_equal(ps_bond_from_result(peripheral, &l->d[1].addr, &l->d[1].result), 0);
}

static void test_SM_PER_KDU_BV_07_C_reencrypt_with_stored_ltk_legacy_and_sc(void **state)
{
	(void)state;
	for (int sc = 0; sc < 2; sc++) {
		struct h_link l;
		struct ps_bond c, p;
		pair_bonds(sc, &c, &p, &l);
		/* The peer identity is the identity address it distributed. */
		assert_memory_equal(&c.peer_id, &l.d[1].cfg.identity, sizeof c.peer_id);
		uint16_t ediv;
		uint8_t rand[8], ltk_c[16], ltk_p[16];
		assert_int_equal(ps_bond_ltk(&c, PS_SM_CENTRAL, &ediv, rand, ltk_c), 0);
		/* the peripheral gets LE LTK Request (ediv, rand) and finds the same key */
		assert_int_equal(ps_bond_ltk(&p, PS_SM_PERIPHERAL, &ediv, rand, ltk_p), 0);
		assert_memory_equal(ltk_c, ltk_p, 16);
		uint16_t wrong = (uint16_t)(ediv + 1);
		if (!sc)
			assert_int_equal(ps_bond_ltk(&p, PS_SM_PERIPHERAL, &wrong, rand, ltk_p), -PS_ENOENT);
		h_fini(&l);
	}
}

static void test_rpa_resolves_through_stored_irk(void **state)
{
	(void)state;
	struct h_link l;
	struct ps_bond c, p;
	pair_bonds(true, &c, &p, &l);
	static struct ps_bond_store s;
	ps_bond_store_init(&s, PS_BOND_REPAIR_REPLACE);
	assert_int_equal(ps_bond_put(&s, &c), 0);
	struct ps_addr rpa = { .type = 1 };
	assert_int_equal(ps_crypto_rpa_generate(&l.crypto, l.d[1].cfg.irk, rpa.a), 0);
	const struct ps_bond *b = ps_bond_find(&s, &l.crypto, &l.d[0].addr, &rpa);
	assert_non_null(b);
	assert_memory_equal(&b->peer_id, &l.d[1].cfg.identity, sizeof b->peer_id);
	/* another device's RPA resolves to nothing */
	uint8_t other[16] = { 9 };
	assert_int_equal(ps_crypto_rpa_generate(&l.crypto, other, rpa.a), 0);
	assert_null(ps_bond_find(&s, &l.crypto, &l.d[0].addr, &rpa));
	h_fini(&l);
}

static void test_repair_policy_refuse_replace_no_downgrade(void **state)
{
	(void)state;
	struct h_link l;
	struct ps_bond weak, strong, p;
	pair_bonds(false, &weak, &p, &l);
	h_fini(&l);
	pair_bonds(true, &strong, &p, &l);
	h_fini(&l);
	strong.authenticated = true;
	static struct ps_bond_store s;
	ps_bond_store_init(&s, PS_BOND_REPAIR_REFUSE);
	assert_int_equal(ps_bond_put(&s, &weak), 0);
	assert_int_equal(ps_bond_put(&s, &strong), -PS_EBUSY);
	s.policy = PS_BOND_REPAIR_NO_DOWNGRADE;
	assert_int_equal(ps_bond_put(&s, &strong), 0);
	assert_int_equal(ps_bond_put(&s, &weak), -PS_EBUSY);
	s.policy = PS_BOND_REPAIR_REPLACE;
	assert_int_equal(ps_bond_put(&s, &weak), 0);
	assert_int_equal(s.n, 1u);
	assert_int_equal(ps_bond_delete(&s, &weak.local_id, &weak.peer_id), 0);
	assert_int_equal(s.n, 0u);
	/* The levels the SMP core compares a new pairing against, and the policy it is told. */
	assert_int_equal(ps_bond_level(&weak), 2);
	assert_int_equal(ps_bond_level(&strong), 4);
	strong.key_size = 15;
	assert_int_equal(ps_bond_level(&strong), 3);
	assert_int_equal(ps_bond_repair_policy(&s), PS_SM_REPAIR_ALLOW);
	s.policy = PS_BOND_REPAIR_REFUSE;
	assert_int_equal(ps_bond_repair_policy(&s), PS_SM_REPAIR_DENY);
	s.policy = PS_BOND_REPAIR_NO_DOWNGRADE;
	assert_int_equal(ps_bond_repair_policy(&s), PS_SM_REPAIR_NO_DOWNGRADE);
}

static void test_debug_key_pairing_never_stored(void **state)
{
	(void)state;
	struct h_link l;
	assert_int_equal(h_init(&l), 0);
	l.d[0].cfg.use_debug_keys = true;
	l.d[1].cfg.allow_debug_keys = true;
	assert_int_equal(h_pair(&l, 0), 0);
	assert_true(h_success(&l));
	assert_true(l.d[1].result.debug_key);
	assert_int_equal(l.d[0].stores + l.d[1].stores, 0);
	struct ps_bond b;
	assert_int_equal(ps_bond_from_result(&b, &l.d[1].addr, &l.d[1].result), -PS_EINVAL);
	h_fini(&l);
	/* Without allow-debug-keys the peer refuses the debug key. */
	assert_int_equal(h_init(&l), 0);
	l.d[0].cfg.use_debug_keys = true;
	assert_int_equal(h_pair(&l, 0), 0);
	assert_int_equal(l.d[1].result.reason, PS_SMP_AUTH_REQUIREMENTS);
	h_fini(&l);
}

static char *text_of(const struct ps_bond_store *s)
{
	size_t need;
	ps_bond_format(s, NULL, 0, &need);
	char *t = malloc(need + 1);
	assert_int_equal(ps_bond_format(s, t, need + 1, &need), 0);
	return t;
}

static void test_text_roundtrip_and_torn_file_rejected(void **state)
{
	(void)state;
	struct h_link l;
	struct ps_bond c, p;
	pair_bonds(false, &c, &p, &l);
	static struct ps_bond_store s, t;
	ps_bond_store_init(&s, PS_BOND_REPAIR_REPLACE);
	ps_bond_store_init(&t, PS_BOND_REPAIR_REPLACE);
	assert_int_equal(ps_bond_put(&s, &c), 0);
	assert_int_equal(ps_bond_put(&s, &p), 0);
	char *a = text_of(&s);
	assert_int_equal(ps_bond_parse(&t, a, strlen(a)), 0);
	char *b = text_of(&t);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "ltk="));
	/* every prefix that cuts a bond short is refused as a whole */
	size_t cut = strlen(a) - 5;
	assert_int_equal(ps_bond_parse(&t, a, cut), -PS_EBADDATA);
	free(a);
	free(b);
	h_fini(&l);
}

struct crash {
	int at;
};
static int crash_before(void *ctx, enum ps_bond_step step)
{
	return (int)step == ((struct crash *)ctx)->at ? -PS_EIO - 100 : 0;
}

static void test_atomic_save_survives_crash_at_every_step(void **state)
{
	(void)state;
	struct h_link l;
	struct ps_bond c1, p1, c2, p2;
	pair_bonds(false, &c1, &p1, &l);
	h_fini(&l);
	pair_bonds(true, &c2, &p2, &l);
	h_fini(&l);
	static struct ps_bond_store olds, news, got;
	ps_bond_store_init(&olds, PS_BOND_REPAIR_REPLACE);
	assert_int_equal(ps_bond_put(&olds, &c1), 0);
	news = olds;
	assert_int_equal(ps_bond_put(&news, &c2), 0);
	char *old_text = text_of(&olds), *new_text = text_of(&news);
	char path[] = "/tmp/ps-bond-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	for (int at = 0; at <= PS_BOND_NSTEPS; at++) {
		assert_int_equal(ps_bond_save(&olds, path, NULL), 0);
		struct crash cr = { at };
		struct ps_bond_save_ops ops = { crash_before, &cr };
		int rc = ps_bond_save(&news, path, &ops);
		assert_int_equal(rc, at < PS_BOND_NSTEPS ? -PS_EIO - 100 : 0);
		ps_bond_store_init(&got, PS_BOND_REPAIR_REPLACE);
		assert_int_equal(ps_bond_load(&got, path), 0);
		char *t = text_of(&got);
		/* before the rename the old store is intact; from the rename on, the new one is there */
		assert_string_equal(t, at <= PS_BOND_STEP_RENAME ? old_text : new_text);
		free(t);
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
	}
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	unlink(tmp);
	unlink(path);
	free(old_text);
	free(new_text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_SM_PER_KDU_BV_07_C_reencrypt_with_stored_ltk_legacy_and_sc),
		cmocka_unit_test(test_rpa_resolves_through_stored_irk),
		cmocka_unit_test(test_repair_policy_refuse_replace_no_downgrade),
		cmocka_unit_test(test_debug_key_pairing_never_stored),
		cmocka_unit_test(test_text_roundtrip_and_torn_file_rejected),
		cmocka_unit_test(test_atomic_save_survives_crash_at_every_step),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
