/* The HCI exchanges BTstack 1.8.2 (port/posix-h4) had with `pairscope controller`, replayed as raw H4
 * bytes against two controllers on one link (no BTstack at test time; docs/vctl.md "Checked against
 * BTstack"). Each test names the Core spec section the answer follows (Vol 4 Part E unless noted):
 * init (Reset resent, version, features, masks, buffer sizes, LE Rand), the Command Status commands,
 * ACL packet boundary flags and Number of Completed Packets, Encryption Change [v2] behind event mask
 * page 2, and the Connection Parameters Request procedure (Vol 6 Part B §5.1.7). */
#include "vctl_fixture.h"
#include <stdio.h>

/* [0] peripheral (BTstack's sm_pairing_peripheral), [1] central (sm_pairing_central), as in the run. */
struct env {
	struct vrig r;
	char hex[2][2 * 16384 + 1];
};

/* Run the link for `us` microseconds; each controller's output since the last call as hex. */
static void run(struct env *e, uint64_t us)
{
	ps_vctl_link_run(e->r.l, ps_vctl_link_now(e->r.l) + us);
	for (int i = 0; i < 2; i++) {
		ps_hex_encode(e->r.cap[i].buf, e->r.cap[i].len, e->hex[i]);
		e->r.cap[i].len = 0;
	}
}

/* Host i sends hex (H4 packets), then the link runs for `us`; returns host i's output as hex. */
static const char *io(struct env *e, int i, const char *hex, uint64_t us)
{
	uint8_t b[600];
	size_t n = ps_test_hex(hex, b, sizeof b);
	ps_vctl_receive_h4(e->r.c[i], b, n);
	run(e, us);
	return e->hex[i];
}

static bool has(const char *hex, const char *want)
{
	/* packets start on even offsets: look only there */
	for (const char *p = strstr(hex, want); p; p = strstr(p + 1, want))
		if ((p - hex) % 2 == 0)
			return true;
	return false;
}

/* BTstack's init, both roles (STACKS.md §5), with what each answer has to carry. */
static void btstack_init(struct env *e, int i)
{
	/* Reset resent after 200 ms without an answer: every one gets its Command Complete (§7.3.2) */
	assert_string_equal(io(e, i, "01 03 0c 00", 0), "040e0401030c00");
	assert_string_equal(io(e, i, "01 03 0c 00", 200000), "040e0401030c00");
	/* Read Local Version (§7.4.1): HCI/LMP 5.3, manufacturer 0xffff, no chipset BTstack knows */
	assert_string_equal(io(e, i, "01 01 10 00", 0), "040e0c010110000c01000cffff0100");
	/* Read Local Name: not an LE-only controller's command: Unknown HCI Command, init goes on */
	assert_string_equal(io(e, i, "01 14 0c 00", 0), "040e0401140c01");
	io(e, i, "01 02 10 00", 0);
	assert_int_equal(strlen(e->hex[i]), 2 * (7 + 64));
	/* Read Local Supported Features (§7.4.3, Vol 2 Part C §3.3): octet 4 = LE Supported (Controller)
	 * 0x40 | BR/EDR Not Supported 0x20 */
	assert_string_equal(io(e, i, "01 03 10 00", 0), "040e0c01031000" "0000000060000000");
	assert_string_equal(io(e, i, "01 01 0c 08 ff ff ff ff ff ff ff 3f", 0), "040e0401010c00");
	/* Set Event Mask Page 2 (§7.3.69) with Encryption Change [v2] (bit 25) */
	assert_string_equal(io(e, i, "01 63 0c 08 00 00 00 02 00 00 00 00", 0), "040e0401630c00");
	/* LE Read Buffer Size (§7.8.2): 251 octets x 8 */
	assert_string_equal(io(e, i, "01 02 20 00", 0), "040e0701022000fb0008");
	/* Write LE Host Support (§7.3.79) LE 1, simultaneous 0 */
	assert_string_equal(io(e, i, "01 6d 0c 02 01 00", 0), "040e04016d0c00");
	/* LE Set Event Mask (§7.8.1): all but Enhanced Connection Complete */
	assert_string_equal(io(e, i, "01 01 20 08 ff fd ff ff 07 fc 7f 00", 0), "040e0401012000");
	assert_string_equal(io(e, i, "01 24 20 04 fb 00 48 08", 0), "040e0401242000");
	assert_string_equal(io(e, i, "01 0f 20 00", 0), "040e05010f200010");
	assert_string_equal(io(e, i, "01 0b 20 07 01 e0 01 30 00 00 00", 0), "040e04010b2000");
	/* LE Rand x8 for the software P-256 key (§7.8.23): 8 octets each, no two alike */
	char seen[8][17];
	for (int k = 0; k < 8; k++) {
		const char *r = io(e, i, "01 18 20 00", 0);
		assert_int_equal(strlen(r), 2 * (7 + 8));
		assert_memory_equal(r, "040e0c01182000", 14);
		memcpy(seen[k], r + 14, 17);
		for (int j = 0; j < k; j++)
			assert_string_not_equal(seen[j], seen[k]);
	}
}

/* Peripheral advertises, central creates the connection (Command Status, §7.8.12), both get LE
 * Connection Complete with the peer's address; LE Read Remote Features answers Command Status first
 * (§7.8.21). Returns with handle 0x0040 on both sides. */
static void btstack_connect(struct env *e)
{
	assert_string_equal(io(e, 0, "01 06 20 0f 30 00 30 00 00 00 00 00 00 00 00 00 00 07 00", 0), "040e0401062000");
	assert_string_equal(io(e, 0, "01 08 20 20 13 02 01 06 0b 09 53 4d 20 50 61 69 72 69 6e 67 03 02 11 11"
				     " 00 00 00 00 00 00 00 00 00 00 00 00",
			       0),
			    "040e0401082000");
	assert_string_equal(io(e, 0, "01 0a 20 01 01", 0), "040e04010a2000");
	assert_string_equal(io(e, 1, "01 0b 20 07 01 30 00 30 00 00 00", 0), "040e04010b2000");
	io(e, 1, "01 0c 20 02 01 00", 100000);
	assert_true(has(e->hex[1], "043e1f0201000001000053500213")); /* ADV_IND from 02:50:53:00:00:01 */
	io(e, 1, "01 0c 20 02 00 00", 0);
	const char *cs = io(e, 1, "01 0d 20 19 60 00 30 00 00 00 01 00 00 53 50 02 00 08 00 18 00 04 00 48 00"
				  " 00 00 00 00",
			    0);
	assert_memory_equal(cs, "040f0400010d20", 14);
	run(e, 100000);
	/* role, peer address type and address, interval 8, latency 4, timeout 0x48 */
	assert_true(has(e->hex[1], "043e13010040000000010000535002080004004800"));
	assert_true(has(e->hex[0], "043e13010040000100020000535002080004004800"));
	assert_string_equal(io(e, 1, "01 16 20 02 40 00", 0),
			    "040f0400011620" "043e0c04" "00" "4000" "6300000000000000");
}

static void test_btstack_init_both_roles(void **state)
{
	(void)state;
	struct env e;
	vrig_open(&e.r, 2, 11);
	btstack_init(&e, 0);
	btstack_init(&e, 1);
	vrig_close(&e.r);
}

/* ACL (§5.4.2, §4.1.1): BTstack sends PB=00 (first, non-automatically-flushable); towards a host the
 * controller marks first fragments PB=10 (BTstack drops PB=00 as invalid) and continuations PB=01, and
 * every HCI packet the host sent comes back in Number of Completed Packets. */
static void test_btstack_acl_pb_flags_and_nocp(void **state)
{
	(void)state;
	struct env e;
	vrig_open(&e.r, 2, 11);
	btstack_init(&e, 0);
	btstack_init(&e, 1);
	btstack_connect(&e);
	/* SMP Pairing Request from the central, one PB=00 packet */
	io(&e, 1, "02 40 00 0b 00 07 00 06 00 01 03 00 08 10 02 02", 100000);
	assert_true(has(e.hex[1], "0413050140000100"));
	assert_true(has(e.hex[0], "0240200b000700060001030008100202"));
	/* An LESC public key as three host fragments (27 + 27 + 15: PB 00, 01, 01): the peer's host
	 * sees a PB=10 start and PB=01 continuations of the same 69 octets; three packets completed. */
	io(&e, 0, "02 40 00 1b 00 41 00 06 00 0c 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17"
		  " 02 40 10 1b 00 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f 30 31 32"
		  " 02 40 10 0f 00 33 34 35 36 37 38 39 3a 3b 3c 3d 3e 3f 40 41",
	   100000);
	assert_true(has(e.hex[1], "0240201b00" "41000600" "0c01"));
	assert_true(has(e.hex[1], "0240101b00" "1819"));
	assert_true(has(e.hex[1], "0240100f00" "3334"));
	assert_false(has(e.hex[1], "024000"));
	unsigned n = 0;
	for (size_t k = 0; e.hex[0][k]; k += 2)
		if (!strncmp(e.hex[0] + k, "0413050140", 10)) {
			unsigned v;
			assert_int_equal(sscanf(e.hex[0] + k + 12, "%2x", &v), 1);
			n += v;
		}
	assert_int_equal(n, 3);
	vrig_close(&e.r);
}

/* LE Start Encryption (§7.8.24) answers Command Status; the peripheral's host gets LE Long Term Key
 * Request, replies, and both hosts get Encryption Change. BTstack unmasked Encryption Change [v2] on
 * page 2 (bit 25 = event 0x59, §7.3.69: page 2 bit n is event 0x40 + n), so [v2] with the key size
 * replaces [v1] (§7.7.8); a host that leaves page 2 alone still gets [v1]. */
static void test_btstack_encryption_change_v2_behind_page2_bit25(void **state)
{
	(void)state;
	struct env e;
	vrig_open(&e.r, 2, 11);
	btstack_init(&e, 0);
	btstack_init(&e, 1);
	/* the peripheral's host clears page 2: it must get [v1] */
	assert_string_equal(io(&e, 0, "01 63 0c 08 00 00 00 00 00 00 00 00", 0), "040e0401630c00");
	btstack_connect(&e);
	const char *cs = io(&e, 1, "01 19 20 1c 40 00 00 00 00 00 00 00 00 00 00 00 2b 61 7f d2 aa 75 86 03 f7 f8"
				   " e9 a5 27 1f e0 59", 100000);
	assert_memory_equal(cs, "040f0400011920", 14);
	assert_true(has(e.hex[0], "043e0d05400000000000000000000000"));
	io(&e, 0, "01 1a 20 12 40 00 2b 61 7f d2 aa 75 86 03 f7 f8 e9 a5 27 1f e0 59", 100000);
	assert_true(has(e.hex[0], "040e06011a20004000"));
	assert_true(has(e.hex[0], "0408040040000" "1"));      /* [v1]: status, handle, enabled */
	assert_true(has(e.hex[1], "045905004000" "01" "10")); /* [v2]: ... key size 16 */
	assert_false(has(e.hex[1], "04080400"));
	vrig_close(&e.r);
}

/* Event mask page 2 numbering (§7.3.69): bit 24 is SAM Status Change (0x58), not Encryption Change
 * [v2]; with only that bit set the host keeps getting [v1]. */
static void test_page2_bit24_is_not_encryption_change_v2(void **state)
{
	(void)state;
	struct env e;
	vrig_open(&e.r, 2, 11);
	btstack_init(&e, 0);
	btstack_init(&e, 1);
	io(&e, 1, "01 63 0c 08 00 00 00 01 00 00 00 00", 0);
	btstack_connect(&e);
	io(&e, 1, "01 19 20 1c 40 00 00 00 00 00 00 00 00 00 00 00 2b 61 7f d2 aa 75 86 03 f7 f8 e9 a5 27 1f e0 59",
	   100000);
	io(&e, 0, "01 1a 20 12 40 00 2b 61 7f d2 aa 75 86 03 f7 f8 e9 a5 27 1f e0 59", 100000);
	assert_true(has(e.hex[1], "040804004000" "01"));
	assert_false(has(e.hex[1], "0459"));
	vrig_close(&e.r);
}

/* Connection Parameters Request procedure (Vol 6 Part B §5.1.7), claimed in LE features bit 1: a
 * peripheral's LE Connection Update (§7.8.18) goes to the central's host as LE Remote Connection
 * Parameter Request (§7.7.65.6, needs LE event mask bit 5); its Reply (§7.8.31) updates the connection,
 * both hosts get LE Connection Update Complete at the instant. */
static void test_cpr_reply_updates_both(void **state)
{
	(void)state;
	struct env e;
	vrig_open(&e.r, 2, 11);
	btstack_init(&e, 0);
	btstack_init(&e, 1);
	btstack_connect(&e);
	/* peripheral asks for 15 ms, latency 0, 720 ms */
	assert_string_equal(io(&e, 0, "01 13 20 0e 40 00 0c 00 0c 00 00 00 48 00 00 00 00 00", 100000),
			    "040f0400011320");
	assert_true(has(e.hex[1], "043e0b06" "4000" "0c00" "0c00" "0000" "4800"));
	/* not the peripheral's to answer */
	assert_string_equal(io(&e, 0, "01 20 20 0e 40 00 0c 00 0c 00 00 00 48 00 00 00 00 00", 0),
			    "040e06012020" "0c4000");
	/* bad parameters (timeout too short for the interval): Invalid HCI Command Parameters */
	assert_string_equal(io(&e, 1, "01 20 20 0e 40 00 0c 00 0c 00 00 00 01 00 00 00 00 00", 0),
			    "040e06012020" "124000");
	/* wrong length */
	assert_string_equal(io(&e, 1, "01 20 20 02 40 00", 0), "040e0401202012");
	assert_string_equal(io(&e, 1, "01 20 20 0e 40 00 0c 00 0c 00 00 00 48 00 00 00 00 00", 0),
			    "040e06012020" "004000");
	run(&e, 1000000);
	assert_true(has(e.hex[0], "043e0a03" "00" "4000" "0c00" "0000" "4800"));
	assert_true(has(e.hex[1], "043e0a03" "00" "4000" "0c00" "0000" "4800"));
	/* answered: a second Reply has nothing to answer */
	assert_string_equal(io(&e, 1, "01 20 20 0e 40 00 0c 00 0c 00 00 00 48 00 00 00 00 00", 0),
			    "040e06012020" "0c4000");
	vrig_close(&e.r);
}

/* Negative Reply (§7.8.32): the peripheral's host gets LE Connection Update Complete with the central
 * host's reason and the old parameters; with the event masked on the central (bit 5 clear, the default
 * LE mask 0x1f) its controller refuses by itself with Unsupported Remote Feature (0x1A). */
static void test_cpr_negative_reply_and_masked(void **state)
{
	(void)state;
	struct env e;
	vrig_open(&e.r, 2, 11);
	btstack_init(&e, 0);
	btstack_init(&e, 1);
	btstack_connect(&e);
	io(&e, 0, "01 13 20 0e 40 00 0c 00 0c 00 00 00 48 00 00 00 00 00", 100000);
	assert_true(has(e.hex[1], "043e0b06"));
	assert_string_equal(io(&e, 1, "01 21 20 03 40 00 3b", 100000), "040e06012120" "004000");
	assert_true(has(e.hex[0], "043e0a03" "3b" "4000" "0800" "0400" "4800"));
	/* the first one over, the central masks the event: its controller refuses the next by itself */
	assert_string_equal(io(&e, 1, "01 01 20 08 1f 00 00 00 00 00 00 00", 0), "040e0401012000");
	io(&e, 0, "01 13 20 0e 40 00 0c 00 0c 00 00 00 48 00 00 00 00 00", 100000);
	assert_false(has(e.hex[1], "043e0b06"));
	assert_true(has(e.hex[0], "043e0a03" "1a" "4000" "0800" "0400" "4800"));
	vrig_close(&e.r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_btstack_init_both_roles),
		cmocka_unit_test(test_btstack_acl_pb_flags_and_nocp),
		cmocka_unit_test(test_btstack_encryption_change_v2_behind_page2_bit25),
		cmocka_unit_test(test_page2_bit24_is_not_encryption_change_v2),
		cmocka_unit_test(test_cpr_reply_updates_both),
		cmocka_unit_test(test_cpr_negative_reply_and_masked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
