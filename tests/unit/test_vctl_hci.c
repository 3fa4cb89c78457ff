/* The virtual controller's HCI boundary with no host, bytes in and out (Core Vol 4 Part A H4, Vol 4
 * Part E §4.4, §4.5, §7): unknown opcodes, wrong parameter lengths, bad H4 framing, ACL for unknown
 * handles, event masks, Supported Commands, credits overflow. */
#include "vctl_fixture.h"

/* Feed hex bytes, run the link, return the controller's output as hex in out. */
static const char *io(struct vrig *e, const char *hex, char *out, size_t cap)
{
	uint8_t b[512];
	size_t n = ps_test_hex(hex, b, sizeof b);
	e->cap[0].len = 0;
	e->cap[0].npkt = 0;
	ps_vctl_receive_h4(e->c[0], b, n);
	ps_vctl_link_run(e->l, ps_vctl_link_now(e->l));
	assert_true(e->cap[0].len * 2 < cap);
	ps_hex_encode(e->cap[0].buf, e->cap[0].len, out);
	return out;
}

static void test_unknown_opcode_command_complete_0x01(void **state)
{
	(void)state;
	struct vrig e;
	char out[1024];
	vrig_open(&e, 1, 7);
	/* vendor 0xfc01: CC, ncmd 1, opcode, status 0x01 */
	assert_string_equal(io(&e, "01 01 fc 00", out, sizeof out), "040e040101fc01");
	struct ps_vctl_stats st;
	ps_vctl_get_stats(e.c[0], &st);
	assert_int_equal(st.unknown_cmds, 1);
	vrig_close(&e);
}

static void test_wrong_parameter_length_0x12_complete_and_status(void **state)
{
	(void)state;
	struct vrig e;
	char out[1024];
	vrig_open(&e, 1, 7);
	/* LE Set Advertising Enable with two octets -> CC 0x12 */
	assert_string_equal(io(&e, "01 0a 20 02 01 00", out, sizeof out), "040e04010a2012");
	/* Disconnect with two octets -> Command Status 0x12 */
	assert_string_equal(io(&e, "01 06 04 02 40 00", out, sizeof out), "040f0412010604");
	/* Reset with a parameter -> 0x12 */
	assert_string_equal(io(&e, "01 03 0c 01 00", out, sizeof out), "040e0401030c12");
	/* right length, value out of range: LE Set Advertising Enable 2 -> 0x12 */
	assert_string_equal(io(&e, "01 0a 20 01 02", out, sizeof out), "040e04010a2012");
	vrig_close(&e);
}

static void test_bad_h4_type_hardware_error_then_resync(void **state)
{
	(void)state;
	struct vrig e;
	char out[1024];
	vrig_open(&e, 1, 7);
	/* three garbage octets: one Hardware Error (0x10, code 1); then a Reset still works */
	assert_string_equal(io(&e, "07 08 09 01 03 0c 00", out, sizeof out), "04100101" "040e0401030c00");
	/* an event sent to the controller is dropped quietly */
	assert_string_equal(io(&e, "04 0e 00", out, sizeof out), "");
	struct ps_vctl_stats st;
	ps_vctl_get_stats(e.c[0], &st);
	assert_int_equal(st.framing_errors, 4);
	vrig_close(&e);
}

static void test_acl_unknown_handle_dropped(void **state)
{
	(void)state;
	struct vrig e;
	char out[1024];
	vrig_open(&e, 1, 7);
	assert_string_equal(io(&e, "02 23 01 05 00 01 00 04 00 aa", out, sizeof out), "");
	/* ACL length beyond the buffer size (251) is refused too */
	struct ps_vctl_stats st;
	ps_vctl_get_stats(e.c[0], &st);
	assert_int_equal(st.acl_unknown_handle, 1);
	vrig_close(&e);
}

static void test_event_mask_blocks_le_meta(void **state)
{
	(void)state;
	struct vrig e;
	char out[1024];
	vrig_open(&e, 1, 7);
	/* LE Create Connection to a nobody, then cancel: CC then LE Connection Complete 0x02 ... */
	io(&e, "01 01 0c 08 ff ff ff ff ff ff ff 3f", out, sizeof out);
	io(&e, "01 0d 20 19 60 00 30 00 00 00 01 02 03 04 05 06 00 18 00 28 00 00 00 90 01 00 00 00 00", out,
	   sizeof out);
	assert_string_equal(out, "040f0400010d20");
	io(&e, "01 0e 20 00", out, sizeof out);
	assert_int_equal(e.cap[0].npkt, 2);
	assert_memory_equal(out + 14, "043e1301020000", 14);
	/* ... but with the LE Meta bit (61) off, only the Command Complete */
	io(&e, "01 01 0c 08 ff ff ff ff ff ff ff 1f", out, sizeof out);
	io(&e, "01 0d 20 19 60 00 30 00 00 00 01 02 03 04 05 06 00 18 00 28 00 00 00 90 01 00 00 00 00", out,
	   sizeof out);
	io(&e, "01 0e 20 00", out, sizeof out);
	assert_string_equal(out, "040e04010e2000");
	/* with LE Enhanced Connection Complete (subevent 0x0a, bit 9) unmasked, it replaces 0x01 */
	io(&e, "01 01 0c 08 ff ff ff ff ff ff ff 3f", out, sizeof out);
	io(&e, "01 01 20 08 ff 03 00 00 00 00 00 00", out, sizeof out);
	io(&e, "01 0d 20 19 60 00 30 00 00 00 01 02 03 04 05 06 00 18 00 28 00 00 00 90 01 00 00 00 00", out,
	   sizeof out);
	io(&e, "01 0e 20 00", out, sizeof out);
	assert_memory_equal(out + 14, "043e1f0a02", 10);
	/* cancel with nothing pending: Command Disallowed */
	assert_string_equal(io(&e, "01 0e 20 00", out, sizeof out), "040e04010e200c");
	vrig_close(&e);
}

static void test_supported_commands_match_table(void **state)
{
	(void)state;
	struct vrig e;
	char out[1024];
	vrig_open(&e, 1, 7);
	io(&e, "01 02 10 00", out, sizeof out);
	/* 04 0e 44 01 02 10 00 | 64 octets */
	assert_int_equal(e.cap[0].len, 3 + 4 + 64);
	const uint8_t *bits = e.cap[0].buf + 7;
	assert_true(bits[0] & 0x20);  /* Disconnect */
	assert_true(bits[5] & 0xc0);  /* Set Event Mask, Reset */
	assert_int_equal(bits[25], 0xf7); /* LE Set Event Mask .. Set Advertising Data, no 25.3 */
	assert_int_equal(bits[26], 0xff);
	assert_true(bits[28] & 0x07); /* LE Start Encryption, LTK Reply, Negative Reply */
	assert_int_equal(bits[36], 0); /* no extended advertising */
	/* LE Read Local Supported Features: encryption, connection parameters request, data length extension,
	 * LL privacy */
	assert_string_equal(io(&e, "01 03 20 00", out, sizeof out), "040e0c01032000" "6300000000000000");
	vrig_close(&e);
}

static void test_create_connection_bad_intervals_0x12(void **state)
{
	(void)state;
	struct vrig e;
	char out[1024];
	vrig_open(&e, 1, 7);
	/* min interval 0x28 > max 0x18 */
	assert_string_equal(io(&e, "01 0d 20 19 60 00 30 00 00 00 01 02 03 04 05 06 00 28 00 18 00 00 00 90 01 00 00 00 00",
			       out, sizeof out),
			    "040f0412010d20");
	/* own address type random without LE Set Random Address */
	assert_string_equal(io(&e, "01 0d 20 19 60 00 30 00 00 00 01 02 03 04 05 06 01 18 00 28 00 00 00 90 01 00 00 00 00",
			       out, sizeof out),
			    "040f0412010d20");
	vrig_close(&e);
}

static void test_p256_offload_public_key_and_dhkey_validation(void **state)
{
	(void)state;
	struct vrig e;
	char out[2048];
	vrig_open(&e, 1, 7);
	io(&e, "01 01 0c 08 ff ff ff ff ff ff ff 3f", out, sizeof out);
	io(&e, "01 01 20 08 ff 01 00 00 00 00 00 00", out, sizeof out);
	io(&e, "01 25 20 00", out, sizeof out);
	/* Command Status, then LE meta 0x08 status 0 + 64 octets */
	assert_memory_equal(out, "040f040001252004" "3e420800", 24);
	uint8_t pub[64];
	memcpy(pub, e.cap[0].buf + 7 + 4 + 1, 64);
	/* DHKey with our own public key: a valid point */
	char cmd[400] = "01 26 20 40 ";
	ps_hex_encode(pub, 64, cmd + strlen(cmd));
	io(&e, cmd, out, sizeof out);
	assert_memory_equal(out, "040f040001262004" "3e220900", 24);
	/* a point off the curve: status 0x12 in the complete event */
	pub[10] ^= 1;
	strcpy(cmd, "01 26 20 40 ");
	ps_hex_encode(pub, 64, cmd + strlen(cmd));
	io(&e, cmd, out, sizeof out);
	assert_memory_equal(out, "040f040001262004" "3e220912", 24);
	vrig_close(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_opcode_command_complete_0x01),
		cmocka_unit_test(test_wrong_parameter_length_0x12_complete_and_status),
		cmocka_unit_test(test_bad_h4_type_hardware_error_then_resync),
		cmocka_unit_test(test_acl_unknown_handle_dropped),
		cmocka_unit_test(test_event_mask_blocks_le_meta),
		cmocka_unit_test(test_supported_commands_match_table),
		cmocka_unit_test(test_create_connection_bad_intervals_0x12),
		cmocka_unit_test(test_p256_offload_public_key_and_dhkey_validation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
