/* SMP layouts: decode the seed's PDUs, and build every layout back from its fields. */
#include "testutil.h"
#include "proto/smp.h"
#include <string.h>

/* Frame #20 of the seed: the Pi's Pairing Request (after the code octet). */
static void test_seed_pairing_req_decodes(void **state)
{
	(void)state;
	const uint8_t b[] = { 0x02, 0x00, 0x05, 0x10, 0x05, 0x05 };
	struct ps_smp_pairing_req r;
	assert_int_equal(ps_layout_decode(ps_smp_layout(0x01), b, sizeof b, &r), 0);
	assert_int_equal(r.io_cap, 0x02);
	assert_int_equal(r.auth_req, PS_SMP_AUTH_BOND | PS_SMP_AUTH_MITM);
	assert_int_equal(r.max_key_size, 16);
	assert_int_equal(r.init_key_dist, PS_SMP_DIST_ENC | PS_SMP_DIST_SIGN);
	assert_string_equal(ps_name_of(ps_names_smp_io_cap, r.io_cap), "KeyboardOnly");
}

/* Frame #36: Central Identification, EDIV 0x000c and Rand 0x8877665544332211 little-endian. */
static void test_seed_central_ident_decodes(void **state)
{
	(void)state;
	const uint8_t b[] = { 0x0c, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
	struct ps_smp_central_ident r;
	assert_int_equal(ps_layout_decode(ps_smp_layout(0x07), b, sizeof b, &r), 0);
	assert_int_equal(r.ediv, 0x000c);
	assert_true(r.rand == 0x8877665544332211ull);
}

static void test_wrong_lengths_rejected(void **state)
{
	(void)state;
	const uint8_t b[17] = { 0 };
	struct ps_smp_pairing_confirm c;
	assert_int_equal(ps_layout_decode(ps_smp_layout(0x03), b, 15, &c), -PS_ETRUNC);
	assert_int_equal(ps_layout_decode(ps_smp_layout(0x03), b, 17, &c), -PS_EBADDATA);
	assert_null(ps_smp_layout(0x00));
	assert_null(ps_smp_layout(0x0f));
}

/* Every layout: a pattern of octets decodes and encodes back to itself. */
static void test_every_layout_round_trips(void **state)
{
	(void)state;
	for (size_t i = 0; i < ps_smp_nlayouts; i++) {
		const struct ps_layout *l = &ps_smp_layouts[i];
		uint8_t in[80], out[80];
		unsigned n = ps_layout_min_len(l);
		for (unsigned k = 0; k < n; k++)
			in[k] = (uint8_t)(k * 37 + i);
		uint8_t rec[256];
		assert_true(l->size <= sizeof rec);
		assert_int_equal(ps_layout_decode(l, in, n, rec), 0);
		size_t len = 0;
		assert_int_equal(ps_layout_encode(l, rec, out, sizeof out, &len), 0);
		assert_int_equal(len, n);
		assert_memory_equal(in, out, n);
		assert_ptr_equal(ps_smp_layout((uint8_t)l->code), l);
	}
	assert_int_equal(ps_smp_nlayouts, 14);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_pairing_req_decodes),
		cmocka_unit_test(test_seed_central_ident_decodes),
		cmocka_unit_test(test_wrong_lengths_rejected),
		cmocka_unit_test(test_every_layout_round_trips),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
