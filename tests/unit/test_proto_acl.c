/* ACL reassembly (Core 5.4 Vol 4 Part E §5.4.2): start + continuation fragments per handle and
 * direction, and the errors for a continuation without a start and an L2CAP length that lies. */
#include "testutil.h"
#include "proto/acl.h"
#include <string.h>

static struct ps_acl_hdr hdr(uint16_t handle, uint8_t pb, size_t dlen)
{
	struct ps_acl_hdr h = { handle, pb, (uint16_t)dlen };
	return h;
}

static void test_single_fragment_complete(void **state)
{
	(void)state;
	struct ps_acl *a = ps_acl_new(4);
	const uint8_t pdu[] = { 0x03, 0x00, 0x04, 0x00, 0x0a, 0x25, 0x00 };
	struct ps_acl_hdr h = hdr(64, PS_ACL_PB_START, sizeof pdu);
	struct ps_acl_pdu out;
	assert_int_equal(ps_acl_push(a, 0, false, &h, pdu, sizeof pdu, &out), 1);
	assert_int_equal(out.cid, 4);
	assert_int_equal(out.len, 3);
	assert_int_equal(out.data[0], 0x0a);
	ps_acl_free(a);
}

static void test_three_fragments_two_handles_interleaved(void **state)
{
	(void)state;
	struct ps_acl *a = ps_acl_new(4);
	uint8_t l2[4 + 40];
	l2[0] = 40;
	l2[1] = 0;
	l2[2] = 4;
	l2[3] = 0;
	for (int i = 0; i < 40; i++)
		l2[4 + i] = (uint8_t)i;
	struct ps_acl_pdu out;
	struct ps_acl_hdr s = hdr(64, PS_ACL_PB_START, 20), c = hdr(64, PS_ACL_PB_CONT, 0);
	assert_int_equal(ps_acl_push(a, 0, true, &s, l2, 20, &out), 0);
	/* another handle completes in between */
	const uint8_t other[] = { 0x01, 0x00, 0x06, 0x00, 0x05 };
	struct ps_acl_hdr o = hdr(65, PS_ACL_PB_START, sizeof other);
	assert_int_equal(ps_acl_push(a, 0, true, &o, other, sizeof other, &out), 1);
	assert_int_equal(out.cid, 6);
	assert_int_equal(ps_acl_push(a, 0, true, &c, l2 + 20, 20, &out), 0);
	assert_int_equal(ps_acl_push(a, 0, true, &c, l2 + 40, 4, &out), 1);
	assert_int_equal(out.handle, 64);
	assert_int_equal(out.len, 40);
	assert_memory_equal(out.data, l2 + 4, 40);
	ps_acl_free(a);
}

static void test_continuation_without_start(void **state)
{
	(void)state;
	struct ps_acl *a = ps_acl_new(2);
	const uint8_t d[] = { 1, 2, 3 };
	struct ps_acl_hdr c = hdr(64, PS_ACL_PB_CONT, 3);
	struct ps_acl_pdu out;
	assert_int_equal(ps_acl_push(a, 0, true, &c, d, 3, &out), -PS_EPROTO);
	assert_string_equal(out.why, "unexpected continuation");
	/* TX and RX are separate streams */
	struct ps_acl_hdr s = hdr(64, PS_ACL_PB_START, 4);
	const uint8_t st[] = { 10, 0, 4, 0 };
	assert_int_equal(ps_acl_push(a, 0, false, &s, st, 4, &out), 0);
	assert_int_equal(ps_acl_push(a, 0, true, &c, d, 3, &out), -PS_EPROTO);
	ps_acl_free(a);
}

static void test_l2cap_length_lies(void **state)
{
	(void)state;
	struct ps_acl *a = ps_acl_new(2);
	struct ps_acl_pdu out;
	/* says 2 octets, carries 5 */
	const uint8_t too_long[] = { 2, 0, 4, 0, 1, 2, 3, 4, 5 };
	struct ps_acl_hdr s = hdr(64, PS_ACL_PB_START, sizeof too_long);
	assert_int_equal(ps_acl_push(a, 0, true, &s, too_long, sizeof too_long, &out), -PS_EBADDATA);
	assert_string_equal(out.why, "frame too long");
	/* start shorter than the basic header */
	assert_int_equal(ps_acl_push(a, 0, true, &s, too_long, 3, &out), -PS_EBADDATA);
	assert_string_equal(out.why, "frame too short");
	/* says 6, continuation brings more than the rest */
	const uint8_t st[] = { 6, 0, 4, 0, 1, 2 };
	const uint8_t more[] = { 3, 4, 5, 6, 7 };
	struct ps_acl_hdr c = hdr(64, PS_ACL_PB_CONT, sizeof more);
	assert_int_equal(ps_acl_push(a, 0, true, &s, st, sizeof st, &out), 0);
	assert_int_equal(ps_acl_push(a, 0, true, &c, more, sizeof more, &out), -PS_EBADDATA);
	assert_string_equal(out.why, "fragment too long");
	/* the stream is reset: a new start works */
	assert_int_equal(ps_acl_push(a, 0, true, &s, st, sizeof st, &out), 0);
	/* ... and a start while partial is reported */
	assert_int_equal(ps_acl_push(a, 0, true, &s, st, sizeof st, &out), -PS_EPROTO);
	assert_string_equal(out.why, "unexpected start frame");
	ps_acl_free(a);
}

static void test_slots_bounded(void **state)
{
	(void)state;
	struct ps_acl *a = ps_acl_new(2);
	struct ps_acl_pdu out;
	const uint8_t st[] = { 100, 0, 4, 0, 1 };
	for (uint16_t h = 1; h <= 10; h++) {
		struct ps_acl_hdr s = hdr(h, PS_ACL_PB_START, sizeof st);
		assert_int_equal(ps_acl_push(a, 0, true, &s, st, sizeof st, &out), 0);
	}
	/* the oldest partial frames were dropped: a continuation for handle 1 has no start */
	struct ps_acl_hdr c = hdr(1, PS_ACL_PB_CONT, 1);
	assert_int_equal(ps_acl_push(a, 0, true, &c, st, 1, &out), -PS_EPROTO);
	ps_acl_drop(a, 0, 10);
	ps_acl_free(a);
	ps_acl_free(NULL);
}

static void test_header_parse(void **state)
{
	(void)state;
	const uint8_t b[] = { 0x40, 0x20, 0x10, 0x00 };
	struct ps_acl_hdr h;
	assert_int_equal(ps_acl_parse_hdr(b, 4, &h), 0);
	assert_int_equal(h.handle, 64);
	assert_int_equal(h.flags, 2);
	assert_int_equal(h.dlen, 16);
	assert_int_equal(ps_acl_parse_hdr(b, 3, &h), -PS_ETRUNC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_fragment_complete),
		cmocka_unit_test(test_three_fragments_two_handles_interleaved),
		cmocka_unit_test(test_continuation_without_start),
		cmocka_unit_test(test_l2cap_length_lies),
		cmocka_unit_test(test_slots_bounded),
		cmocka_unit_test(test_header_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
