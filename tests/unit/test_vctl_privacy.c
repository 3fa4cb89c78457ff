/* Controller-based privacy of the virtual controller with raw HCI exchanges (Core Vol 6 Part B §6,
 * §1.3.2.2-3, §4.7; Vol 4 Part E §7.8.38-45, §7.8.77, §7.7.65.1/2/10): the resolving list commands
 * and their refusals, own address types 0x02/0x03 producing RPAs from the local IRK (and falling
 * back), resolution of the peer's RPA to its identity (type 0x02) in advertising reports and LE
 * Enhanced Connection Complete with both RPAs, LE Connection Complete when the enhanced event is
 * masked, network/device privacy mode, and the RPA timeout. */
#include "vctl_fixture.h"
#include <stdio.h>

/* Identity addresses the controllers derive for indexes 0 and 1 (02:50:53:00:00:01 / :02), wire order. */
static const uint8_t ADDR_A[6] = { 0x01, 0x00, 0x00, 0x53, 0x50, 0x02 };
static const uint8_t ADDR_B[6] = { 0x02, 0x00, 0x00, 0x53, 0x50, 0x02 };
static const char *IRK_A = "00112233445566778899aabbccddeeff";
static const char *IRK_B = "f0e0d0c0b0a090807060504030201000";

static void clear(struct vrig *e)
{
	e->cap[0].len = e->cap[1].len = 0;
}

/* Let the link run `us` microseconds (captures cleared first). */
static void advance(struct vrig *e, uint64_t us)
{
	clear(e);
	ps_vctl_link_run(e->l, ps_vctl_link_now(e->l) + us);
}

/* Send a command (hex, H4 type included) to controller k, run the link to now; returns k's output as
 * hex in out. */
static const char *io(struct vrig *e, int k, const char *hex, char *out)
{
	uint8_t b[300];
	size_t n = ps_test_hex(hex, b, sizeof b);
	clear(e);
	ps_vctl_receive_h4(e->c[k], b, n);
	ps_vctl_link_run(e->l, ps_vctl_link_now(e->l));
	assert_true(e->cap[k].len < 1000);
	ps_hex_encode(e->cap[k].buf, e->cap[k].len, out);
	return out;
}

/* The Command Complete status octet for a command of k (asserts one CC came back). */
static uint8_t status_of(struct vrig *e, int k, const char *hex)
{
	char out[2048];
	io(e, k, hex, out);
	assert_true(e->cap[k].len >= 7);
	assert_int_equal(e->cap[k].buf[1], 0x0e);
	return e->cap[k].buf[6];
}

/* The parameters (after the subevent octet) of the first LE meta event `sub` in k's capture. */
static const uint8_t *find_le(const struct vrig *e, int k, uint8_t sub, size_t *len)
{
	const struct vcap *c = &e->cap[k];
	for (size_t i = 0; i + 3 <= c->len;) {
		if (c->buf[i] != 0x04)
			return NULL; /* only events expected here */
		size_t plen = c->buf[i + 2];
		if (c->buf[i + 1] == 0x3e && plen >= 1 && c->buf[i + 3] == sub) {
			*len = plen - 1;
			return c->buf + i + 4;
		}
		i += 3 + plen;
	}
	return NULL;
}

/* LE Add Device To Resolving List hex: type, address (wire order), peer IRK, local IRK (hex, wire). */
static void add_cmd(char *out, uint8_t type, const uint8_t a[6], const char *peer_irk, const char *local_irk)
{
	char addr[13];
	ps_hex_encode(a, 6, addr);
	sprintf(out, "01 27 20 27 %02x %s %s %s", type, addr, peer_irk, local_irk);
}

static void addr_cmd(char *out, const char *op, uint8_t type, const uint8_t a[6])
{
	char addr[13];
	ps_hex_encode(a, 6, addr);
	sprintf(out, "01 %s 07 %02x %s", op, type, addr);
}

/* LE Read Local (op "2c 20") / Peer ("2b 20") Resolvable Address for an identity into rpa. */
static uint8_t read_rpa(struct vrig *e, int k, const char *op, const uint8_t id[6], uint8_t rpa[6])
{
	char cmd[64], out[256];
	addr_cmd(cmd, op, 0, id);
	io(e, k, cmd, out);
	/* 04 0e 0a | ncmd, opcode(2), status, address(6) */
	assert_int_equal(e->cap[k].len, 3 + 3 + 1 + 6);
	memcpy(rpa, e->cap[k].buf + 7, 6);
	return e->cap[k].buf[6];
}

static void irk_bytes(const char *hex, uint8_t irk[16])
{
	assert_int_equal(ps_test_hex(hex, irk, 16), 16);
}

static bool resolves(struct vrig *e, const char *irk_hex, const uint8_t rpa[6])
{
	uint8_t irk[1][16];
	irk_bytes(irk_hex, irk[0]);
	return ps_crypto_rpa_resolve(&e->crypto, (const uint8_t(*)[16])irk, 1, rpa) == 0;
}

static void test_resolving_list_commands(void **state)
{
	(void)state;
	struct vrig e;
	char cmd[256], out[2048];
	vrig_open(&e, 2, 11);
	/* §7.8.41 size */
	assert_string_equal(io(&e, 0, "01 2a 20 00", out), "040e05012a200008");
	add_cmd(cmd, 0, ADDR_B, IRK_B, IRK_A);
	assert_int_equal(status_of(&e, 0, cmd), 0x00);
	/* the same identity again: Invalid HCI Command Parameters (§7.8.38) */
	assert_int_equal(status_of(&e, 0, cmd), 0x12);
	/* the same peer IRK under another identity: refused too */
	add_cmd(cmd, 1, ADDR_A, IRK_B, IRK_A);
	assert_int_equal(status_of(&e, 0, cmd), 0x12);
	/* identity type 2 is not an identity type */
	add_cmd(cmd, 2, ADDR_A, IRK_A, IRK_A);
	assert_int_equal(status_of(&e, 0, cmd), 0x12);
	/* §7.8.43: the local RPA is one of IRK_A; §7.8.42: no peer RPA seen yet (zeros) */
	uint8_t rpa[6], zero[6] = { 0 };
	assert_int_equal(read_rpa(&e, 0, "2c 20", ADDR_B, rpa), 0);
	assert_int_equal(rpa[5] & 0xc0, 0x40);
	assert_true(resolves(&e, IRK_A, rpa));
	assert_false(resolves(&e, IRK_B, rpa));
	assert_int_equal(read_rpa(&e, 0, "2b 20", ADDR_B, rpa), 0);
	assert_memory_equal(rpa, zero, 6);
	/* identities not in the list: Unknown Connection Identifier (0x02) */
	assert_int_equal(read_rpa(&e, 0, "2c 20", ADDR_A, rpa), 0x02);
	addr_cmd(cmd, "28 20", 0, ADDR_A);
	assert_int_equal(status_of(&e, 0, cmd), 0x02);
	assert_int_equal(status_of(&e, 0, "01 4e 20 08 00 01 00 00 53 50 02 01"), 0x02);
	/* §7.8.77 privacy mode for the entry; mode 2 is invalid */
	assert_int_equal(status_of(&e, 0, "01 4e 20 08 00 02 00 00 53 50 02 01"), 0x00);
	assert_int_equal(status_of(&e, 0, "01 4e 20 08 00 02 00 00 53 50 02 02"), 0x12);
	/* remove, then it is gone */
	addr_cmd(cmd, "28 20", 0, ADDR_B);
	assert_int_equal(status_of(&e, 0, cmd), 0x00);
	assert_int_equal(status_of(&e, 0, cmd), 0x02);
	/* fill: 8 entries, the ninth is Memory Capacity Exceeded (0x07); clear empties it */
	for (int i = 0; i < 9; i++) {
		uint8_t a[6] = { (uint8_t)(0x10 + i), 0, 0, 0, 0, 0xc0 };
		char irk[33];
		sprintf(irk, "%02x0000000000000000000000000000aa", i);
		add_cmd(cmd, 1, a, irk, IRK_A);
		assert_int_equal(status_of(&e, 0, cmd), i < 8 ? 0x00 : 0x07);
	}
	assert_int_equal(status_of(&e, 0, "01 29 20 00"), 0x00);
	add_cmd(cmd, 0, ADDR_B, IRK_B, IRK_A);
	assert_int_equal(status_of(&e, 0, cmd), 0x00);
	/* §7.8.45: timeout 1..0x0E10 s */
	assert_int_equal(status_of(&e, 0, "01 2e 20 02 00 00"), 0x12);
	assert_int_equal(status_of(&e, 0, "01 2e 20 02 11 0e"), 0x12);
	assert_int_equal(status_of(&e, 0, "01 2e 20 02 10 0e"), 0x00);
	assert_int_equal(status_of(&e, 0, "01 2d 20 01 02"), 0x12);
	vrig_close(&e);
}

/* §7.8.38-40, §7.8.44, §7.8.77: with resolution enabled, the list is frozen while advertising. */
static void test_list_frozen_while_resolving_and_advertising(void **state)
{
	(void)state;
	struct vrig e;
	char cmd[256];
	vrig_open(&e, 2, 11);
	assert_int_equal(status_of(&e, 0, "01 2d 20 01 01"), 0x00);
	assert_int_equal(status_of(&e, 0, "01 0a 20 01 01"), 0x00); /* advertising (public address) */
	add_cmd(cmd, 0, ADDR_B, IRK_B, IRK_A);
	assert_int_equal(status_of(&e, 0, cmd), 0x0c);
	assert_int_equal(status_of(&e, 0, "01 29 20 00"), 0x0c);
	addr_cmd(cmd, "28 20", 0, ADDR_B);
	assert_int_equal(status_of(&e, 0, cmd), 0x0c);
	assert_int_equal(status_of(&e, 0, "01 4e 20 08 00 02 00 00 53 50 02 01"), 0x0c);
	assert_int_equal(status_of(&e, 0, "01 2d 20 01 00"), 0x0c); /* §7.8.44 */
	/* advertising off: allowed again */
	assert_int_equal(status_of(&e, 0, "01 0a 20 01 00"), 0x00);
	add_cmd(cmd, 0, ADDR_B, IRK_B, IRK_A);
	assert_int_equal(status_of(&e, 0, cmd), 0x00);
	/* resolution off and advertising: the list may change (§7.8.38 names resolution enabled) */
	assert_int_equal(status_of(&e, 0, "01 2d 20 01 00"), 0x00);
	assert_int_equal(status_of(&e, 0, "01 0a 20 01 01"), 0x00);
	addr_cmd(cmd, "28 20", 0, ADDR_B);
	assert_int_equal(status_of(&e, 0, cmd), 0x00);
	vrig_close(&e);
}

/* Supported Commands (§6.27) octets 34.3-35.2 and 39.2; LE features bit 6 LL Privacy. */
static void test_supported_commands_and_feature(void **state)
{
	(void)state;
	struct vrig e;
	char out[2048];
	vrig_open(&e, 2, 11);
	io(&e, 0, "01 02 10 00", out);
	const uint8_t *bits = e.cap[0].buf + 7;
	assert_int_equal(bits[34] & 0xf8, 0xf8);
	assert_int_equal(bits[35] & 0x0f, 0x0f);
	assert_int_equal(bits[39] & 0x04, 0x04);
	io(&e, 0, "01 03 20 00", out);
	assert_true(e.cap[0].buf[7] & 0x40);
	vrig_close(&e);
}

/* Both controllers: masks (LE mask with or without Enhanced Connection Complete, bit 9), each other's
 * identity with its IRK and their own local IRK in the list, resolution enabled, the RPAs each uses. */
static void privacy_setup(struct vrig *e, bool enhanced, uint8_t rpa_a[6], uint8_t rpa_b[6])
{
	char cmd[256];
	for (int k = 0; k < 2; k++) {
		assert_int_equal(status_of(e, k, "01 01 0c 08 ff ff ff ff ff ff ff 3f"), 0);
		assert_int_equal(status_of(e, k, enhanced ? "01 01 20 08 ff 03 00 00 00 00 00 00"
							   : "01 01 20 08 1f 00 00 00 00 00 00 00"),
				 0);
	}
	add_cmd(cmd, 0, ADDR_B, IRK_B, IRK_A);
	assert_int_equal(status_of(e, 0, cmd), 0);
	add_cmd(cmd, 0, ADDR_A, IRK_A, IRK_B);
	assert_int_equal(status_of(e, 1, cmd), 0);
	for (int k = 0; k < 2; k++)
		assert_int_equal(status_of(e, k, "01 2d 20 01 01"), 0);
	assert_int_equal(read_rpa(e, 0, "2c 20", ADDR_B, rpa_a), 0);
	assert_int_equal(read_rpa(e, 1, "2c 20", ADDR_A, rpa_b), 0);
	assert_true(resolves(e, IRK_A, rpa_a));
	assert_true(resolves(e, IRK_B, rpa_b));
	/* A advertises connectable undirected with own type 0x03 (RPA; no random address set: the list's
	 * local IRK makes it unnecessary, §7.8.9), Peer_Address = B's identity for the lookup. */
	char addr[13];
	ps_hex_encode(ADDR_B, 6, addr);
	sprintf(cmd, "01 06 20 0f 20 00 20 00 00 03 00 %s 07 00", addr);
	assert_int_equal(status_of(e, 0, cmd), 0);
	assert_int_equal(status_of(e, 0, "01 0a 20 01 01"), 0);
}

static void check_enhanced(const uint8_t *p, uint8_t role, const uint8_t peer[6], const uint8_t local_rpa[6],
			   const uint8_t peer_rpa[6])
{
	/* status, handle(2), role, peer type, peer address, local RPA, peer RPA, interval, ... */
	assert_int_equal(p[0], 0);
	assert_int_equal(p[3], role);
	assert_int_equal(p[4], 0x02); /* Public Identity Address, resolved */
	assert_memory_equal(p + 5, peer, 6);
	assert_memory_equal(p + 11, local_rpa, 6);
	assert_memory_equal(p + 17, peer_rpa, 6);
}

static void test_rpa_advertising_resolved_and_enhanced_connection(void **state)
{
	(void)state;
	struct vrig e;
	uint8_t rpa_a[6], rpa_b[6], seen[6];
	size_t n;
	vrig_open(&e, 2, 11);
	privacy_setup(&e, true, rpa_a, rpa_b);
	/* B scans passively with own type 0x02: the report carries A's identity with type 0x02 */
	assert_int_equal(status_of(&e, 1, "01 0b 20 07 00 10 00 10 00 02 00"), 0);
	char out[2048];
	io(&e, 1, "01 0c 20 02 01 00", out);
	const uint8_t *r = find_le(&e, 1, 0x02, &n);
	assert_non_null(r);
	/* num_reports 1, event type 0 (ADV_IND), address type 0x02, address */
	assert_int_equal(r[0], 1);
	assert_int_equal(r[1], 0x00);
	assert_int_equal(r[2], 0x02);
	assert_memory_equal(r + 3, ADDR_A, 6);
	/* what B resolved on air was A's RPA (§7.8.42) */
	assert_int_equal(read_rpa(&e, 1, "2b 20", ADDR_A, seen), 0);
	assert_memory_equal(seen, rpa_a, 6);
	assert_int_equal(status_of(&e, 1, "01 0c 20 02 00 00"), 0);
	/* B connects to A's identity (type 0x02) with own type 0x02 */
	char cmd[256], addr[13];
	ps_hex_encode(ADDR_A, 6, addr);
	sprintf(cmd, "01 0d 20 19 60 00 30 00 00 02 %s 02 18 00 28 00 00 00 90 01 00 00 00 00", addr);
	io(&e, 1, cmd, out);
	assert_string_equal(out, "040f0400010d20");
	advance(&e, 5000);
	const uint8_t *cb = find_le(&e, 1, 0x0a, &n), *ca = find_le(&e, 0, 0x0a, &n);
	assert_non_null(cb);
	assert_non_null(ca);
	assert_int_equal(n, 30);
	check_enhanced(cb, 0, ADDR_A, rpa_b, rpa_a);
	check_enhanced(ca, 1, ADDR_B, rpa_a, rpa_b);
	assert_null(find_le(&e, 0, 0x01, &n));
	/* A learnt B's RPA from the CONNECT_IND */
	assert_int_equal(read_rpa(&e, 0, "2b 20", ADDR_B, seen), 0);
	assert_memory_equal(seen, rpa_b, 6);
	vrig_close(&e);
}

/* §7.7.65.1: with Enhanced Connection Complete masked, LE Connection Complete with the identity and its
 * type 0/1 (no RPAs). */
static void test_masked_enhanced_falls_back_to_connection_complete(void **state)
{
	(void)state;
	struct vrig e;
	uint8_t rpa_a[6], rpa_b[6];
	size_t n;
	char cmd[256], addr[13], out[2048];
	vrig_open(&e, 2, 11);
	privacy_setup(&e, false, rpa_a, rpa_b);
	ps_hex_encode(ADDR_A, 6, addr);
	sprintf(cmd, "01 0d 20 19 60 00 30 00 00 00 %s 02 18 00 28 00 00 00 90 01 00 00 00 00", addr);
	io(&e, 1, cmd, out);
	advance(&e, 5000);
	assert_null(find_le(&e, 1, 0x0a, &n));
	const uint8_t *cb = find_le(&e, 1, 0x01, &n), *ca = find_le(&e, 0, 0x01, &n);
	assert_non_null(cb);
	assert_non_null(ca);
	assert_int_equal(n, 18);
	assert_int_equal(cb[3], 0);
	assert_int_equal(cb[4], 0x00);
	assert_memory_equal(cb + 5, ADDR_A, 6);
	assert_int_equal(ca[3], 1);
	assert_int_equal(ca[4], 0x00);
	assert_memory_equal(ca + 5, ADDR_B, 6);
	vrig_close(&e);
}

/* Own type 0x02/0x03 without a matching entry fall back to the public / random address (§7.8.5); 0x03
 * without a random address then is Invalid HCI Command Parameters (§7.8.9). */
static void test_own_type_fallback(void **state)
{
	(void)state;
	struct vrig e;
	size_t n;
	char out[2048];
	vrig_open(&e, 2, 11);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(status_of(&e, k, "01 01 0c 08 ff ff ff ff ff ff ff 3f"), 0);
		assert_int_equal(status_of(&e, k, "01 2d 20 01 01"), 0);
	}
	assert_int_equal(status_of(&e, 0, "01 06 20 0f 20 00 20 00 00 03 00 00 00 00 00 00 00 07 00"), 0);
	assert_int_equal(status_of(&e, 0, "01 0a 20 01 01"), 0x12);
	assert_int_equal(status_of(&e, 0, "01 06 20 0f 20 00 20 00 00 02 00 00 00 00 00 00 00 07 00"), 0);
	assert_int_equal(status_of(&e, 0, "01 0a 20 01 01"), 0);
	io(&e, 1, "01 0c 20 02 01 00", out);
	const uint8_t *r = find_le(&e, 1, 0x02, &n);
	assert_non_null(r);
	assert_int_equal(r[2], 0x00);
	assert_memory_equal(r + 3, ADDR_A, 6);
	vrig_close(&e);
}

/* §4.7: in network privacy mode an entry with a peer IRK hides the peer's identity address on air;
 * device privacy mode accepts it. */
static void test_privacy_modes(void **state)
{
	(void)state;
	struct vrig e;
	size_t n;
	char cmd[256], out[2048];
	vrig_open(&e, 2, 11);
	assert_int_equal(status_of(&e, 1, "01 01 0c 08 ff ff ff ff ff ff ff 3f"), 0);
	add_cmd(cmd, 0, ADDR_A, IRK_A, IRK_B);
	assert_int_equal(status_of(&e, 1, cmd), 0);
	assert_int_equal(status_of(&e, 1, "01 2d 20 01 01"), 0);
	assert_int_equal(status_of(&e, 0, "01 0a 20 01 01"), 0); /* A advertises its public identity */
	io(&e, 1, "01 0c 20 02 01 00", out);
	assert_null(find_le(&e, 1, 0x02, &n));
	assert_int_equal(status_of(&e, 1, "01 0c 20 02 00 00"), 0);
	assert_int_equal(status_of(&e, 1, "01 4e 20 08 00 01 00 00 53 50 02 01"), 0);
	io(&e, 1, "01 0c 20 02 01 00", out);
	const uint8_t *r = find_le(&e, 1, 0x02, &n);
	assert_non_null(r);
	assert_int_equal(r[2], 0x00); /* not resolved: the identity as sent */
	assert_memory_equal(r + 3, ADDR_A, 6);
	vrig_close(&e);
}

/* §6.2 / §7.8.45: the RPA timeout renews the local RPA, which still resolves; B keeps seeing A's
 * identity and learns the new RPA. */
static void test_rpa_timeout_regenerates(void **state)
{
	(void)state;
	struct vrig e;
	uint8_t rpa_a[6], rpa_b[6], r2[6], seen[6];
	size_t n;
	char out[2048];
	vrig_open(&e, 2, 11);
	privacy_setup(&e, true, rpa_a, rpa_b);
	assert_int_equal(status_of(&e, 0, "01 0a 20 01 00"), 0);
	assert_int_equal(status_of(&e, 0, "01 2e 20 02 01 00"), 0); /* 1 s */
	assert_int_equal(status_of(&e, 0, "01 0a 20 01 01"), 0);
	advance(&e, 500000);
	assert_int_equal(read_rpa(&e, 0, "2c 20", ADDR_B, r2), 0);
	assert_memory_equal(r2, rpa_a, 6); /* not yet */
	advance(&e, 600000);
	assert_int_equal(read_rpa(&e, 0, "2c 20", ADDR_B, r2), 0);
	assert_memory_not_equal(r2, rpa_a, 6);
	assert_true(resolves(&e, IRK_A, r2));
	advance(&e, 1000000);
	assert_int_equal(read_rpa(&e, 0, "2c 20", ADDR_B, seen), 0);
	assert_memory_not_equal(seen, r2, 6); /* and again */
	memcpy(r2, seen, 6);
	io(&e, 1, "01 0c 20 02 01 00", out);
	const uint8_t *r = find_le(&e, 1, 0x02, &n);
	assert_non_null(r);
	assert_int_equal(r[2], 0x02);
	assert_memory_equal(r + 3, ADDR_A, 6);
	assert_int_equal(read_rpa(&e, 1, "2b 20", ADDR_A, seen), 0);
	assert_memory_equal(seen, r2, 6);
	/* Reset forgets the list and stops the timer */
	assert_int_equal(status_of(&e, 0, "01 03 0c 00"), 0);
	assert_int_equal(read_rpa(&e, 0, "2c 20", ADDR_B, seen), 0x02);
	vrig_close(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolving_list_commands),
		cmocka_unit_test(test_list_frozen_while_resolving_and_advertising),
		cmocka_unit_test(test_supported_commands_and_feature),
		cmocka_unit_test(test_rpa_advertising_resolved_and_enhanced_connection),
		cmocka_unit_test(test_masked_enhanced_falls_back_to_connection_complete),
		cmocka_unit_test(test_own_type_fallback),
		cmocka_unit_test(test_privacy_modes),
		cmocka_unit_test(test_rpa_timeout_regenerates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
