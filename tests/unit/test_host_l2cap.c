/* The host's lower half against a scripted controller (events and ACL written by the test): init
 * sequence and command credits, LE signaling (Connection Parameter Update Request range checks, Command
 * Reject for unknown codes, Core Vol 3 Part A §4), the minimal ATT server (Vol 3 Part F), ACL
 * reassembly and the controller's buffer credits (Vol 4 Part E §4.1.1). */
#include "testutil.h"
#include <pairscope/host.h>
#include <stdio.h>
#include <string.h>

struct fake {
	struct ps_host *h;
	uint8_t pkt[64][300];
	size_t len[64];
	int n, answered;
	int ready;
	int logs;
	int sdus;
	size_t sdu_len;
};

static int f_send(void *ctx, const uint8_t *p, size_t n)
{
	struct fake *f = ctx;
	if (f->n < 64 && n <= 300) {
		memcpy(f->pkt[f->n], p, n);
		f->len[f->n] = n;
		f->n++;
	}
	return 0;
}
static void f_ready(void *ctx, uint8_t st) { ((struct fake *)ctx)->ready = st; }
static void f_log(void *ctx, const char *m)
{
	(void)m;
	((struct fake *)ctx)->logs++;
}
static void f_l2cap(void *ctx, uint16_t h, uint16_t cid, const uint8_t *p, size_t n)
{
	(void)h, (void)cid, (void)p;
	struct fake *f = ctx;
	f->sdus++;
	f->sdu_len = n;
}

static void feed(struct fake *f, const char *hex)
{
	uint8_t b[300];
	size_t n = ps_test_hex(hex, b, sizeof b);
	assert_int_equal(ps_host_receive_h4(f->h, b, n), 0);
}

/* Answer every command the host sent so far with a plausible completion. */
static void settle(struct fake *f)
{
	while (f->answered < f->n) {
		const uint8_t *p = f->pkt[f->answered++];
		if (p[0] != 0x01)
			continue;
		uint16_t op = (uint16_t)(p[1] | p[2] << 8);
		char ev[400];
		switch (op) {
		case 0x200d: case 0x2013: case 0x0406: case 0x2019:
			snprintf(ev, sizeof ev, "04 0f 04 00 01 %02x %02x", op & 0xff, op >> 8);
			break;
		case 0x2002: /* LE buffers: 27 octets, 2 packets */
			snprintf(ev, sizeof ev, "04 0e 07 01 02 20 00 1b 00 02");
			break;
		case 0x1009:
			snprintf(ev, sizeof ev, "04 0e 0a 01 09 10 00 01 02 03 04 05 06");
			break;
		default:
			snprintf(ev, sizeof ev, "04 0e 04 01 %02x %02x 00", op & 0xff, op >> 8);
			break;
		}
		feed(f, ev);
	}
}

static void start(struct fake *f, uint8_t role)
{
	memset(f, 0, sizeof *f);
	f->ready = -1;
	struct ps_host_ops ops = { .ctx = f, .send = f_send };
	struct ps_host_cb cb = { .ctx = f, .ready = f_ready, .log = f_log };
	assert_int_equal(ps_host_new(&f->h, &ops, &cb, NULL), 0);
	ps_host_start(f->h);
	settle(f);
	assert_int_equal(f->ready, 0);
	/* LE Connection Complete, handle 0x0040 */
	char ev[128];
	snprintf(ev, sizeof ev, "04 3e 13 01 00 40 00 %02x 01 0b 44 33 22 11 c0 18 00 00 00 90 01 00", role);
	feed(f, ev);
	f->n = f->answered = 0;
}

static void stop(struct fake *f) { ps_host_free(f->h); }

/* The last packet the host sent, as hex. */
static const char *last(struct fake *f, char *out)
{
	assert_true(f->n > 0);
	return ps_hex_encode(f->pkt[f->n - 1], f->len[f->n - 1], out);
}

static void test_init_sequence_order_and_credits(void **state)
{
	(void)state;
	struct fake f;
	memset(&f, 0, sizeof f);
	struct ps_host_ops ops = { .ctx = &f, .send = f_send };
	assert_int_equal(ps_host_new(&f.h, &ops, NULL, NULL), 0);
	ps_host_start(f.h);
	/* one command at a time (Num_HCI_Command_Packets 1) */
	assert_int_equal(f.n, 1);
	char out[700];
	assert_string_equal(last(&f, out), "01030c00");
	settle(&f);
	const uint16_t want[] = { 0x0c03, 0x1001, 0x1002, 0x1009, 0x0c01, 0x2001, 0x2002, 0x2003 };
	assert_int_equal(f.n, 8);
	for (int i = 0; i < 8; i++)
		assert_int_equal(f.pkt[i][1] | f.pkt[i][2] << 8, want[i]);
	/* Set Event Mask carries LE Meta (bit 61) */
	assert_int_equal(f.pkt[4][3 + 8] & 0x20, 0x20);
	stop(&f);
}

static void test_sig_unknown_code_command_reject(void **state)
{
	(void)state;
	struct fake f;
	char out[700];
	start(&f, 0);
	/* code 0x1f, id 7 */
	feed(&f, "02 40 20 08 00 04 00 05 00 1f 07 00 00");
	assert_string_equal(last(&f, out), "024000" "0a00" "0600" "0500" "01" "07" "0200" "0000");
	stop(&f);
}

static void test_sig_conn_param_request_central_accepts_then_updates(void **state)
{
	(void)state;
	struct fake f;
	char out[700];
	start(&f, 0);
	/* min 24 max 40 latency 0 timeout 400 */
	feed(&f, "02 40 20 10 00 0c 00 05 00 12 03 08 00 18 00 28 00 00 00 90 01");
	assert_int_equal(f.n, 2);
	assert_string_equal(ps_hex_encode(f.pkt[0], f.len[0], out), "024000" "0a00" "0600" "0500" "13" "03" "0200" "0000");
	assert_int_equal(f.pkt[1][0], 0x01);
	assert_int_equal(f.pkt[1][1] | f.pkt[1][2] << 8, 0x2013);
	stop(&f);
}

static void test_sig_conn_param_request_out_of_range_rejected(void **state)
{
	(void)state;
	struct fake f;
	char out[700];
	start(&f, 0);
	/* timeout 100 ms with max interval 50 ms: timeout must exceed (1+latency)*interval*2 */
	feed(&f, "02 40 20 10 00 0c 00 05 00 12 04 08 00 18 00 28 00 00 00 0a 00");
	assert_int_equal(f.n, 1);
	assert_string_equal(last(&f, out), "024000" "0a00" "0600" "0500" "13" "04" "0200" "0100");
	/* interval below 7.5 ms */
	feed(&f, "02 40 20 10 00 0c 00 05 00 12 05 08 00 05 00 28 00 00 00 90 01");
	assert_string_equal(last(&f, out), "024000" "0a00" "0600" "0500" "13" "05" "0200" "0100");
	stop(&f);
}

static void test_sig_conn_param_request_to_peripheral_rejected(void **state)
{
	(void)state;
	struct fake f;
	char out[700];
	start(&f, 1);
	feed(&f, "02 40 20 10 00 0c 00 05 00 12 03 08 00 18 00 28 00 00 00 90 01");
	assert_string_equal(last(&f, out), "024000" "0a00" "0600" "0500" "01" "03" "0200" "0000");
	stop(&f);
}

static void test_att_minimal_server(void **state)
{
	(void)state;
	struct fake f;
	char out[700];
	start(&f, 1);
	/* Exchange MTU Request 247 -> Response 23 (our default) */
	feed(&f, "02 40 20 07 00 03 00 04 00 02 f7 00");
	assert_string_equal(last(&f, out), "024000" "0700" "0300" "0400" "03" "1700");
	/* Read By Group Type from 0x0001 -> Error Response Attribute Not Found */
	feed(&f, "02 40 20 0b 00 07 00 04 00 10 01 00 ff ff 00 28");
	assert_string_equal(last(&f, out), "024000" "0900" "0500" "0400" "01" "10" "0100" "0a");
	/* the controller reports both sent (2 buffers) */
	feed(&f, "04 13 05 01 40 00 02 00");
	/* Write Command: no answer */
	int n = f.n;
	feed(&f, "02 40 20 08 00 04 00 04 00 52 03 00 01");
	assert_int_equal(f.n, n);
	/* unknown request 0x20 -> Request Not Supported */
	feed(&f, "02 40 20 05 00 01 00 04 00 20");
	assert_string_equal(last(&f, out), "024000" "0900" "0500" "0400" "01" "20" "0000" "06");
	stop(&f);
}

static void test_reassembly_three_fragments_and_stray_continuation(void **state)
{
	(void)state;
	struct fake f;
	start(&f, 0);
	struct ps_host_cb cb;
	(void)cb;
	ps_host_free(f.h);
	/* new host with a raw L2CAP callback */
	memset(&f, 0, sizeof f);
	struct ps_host_ops ops = { .ctx = &f, .send = f_send };
	struct ps_host_cb c2 = { .ctx = &f, .ready = f_ready, .log = f_log, .l2cap_rx = f_l2cap };
	assert_int_equal(ps_host_new(&f.h, &ops, &c2, NULL), 0);
	ps_host_start(f.h);
	settle(&f);
	feed(&f, "04 3e 13 01 00 40 00 00 01 0b 44 33 22 11 c0 18 00 00 00 90 01 00");
	/* 10-octet SDU on CID 0x0040: header + 2 octets, then 4, then 4 */
	feed(&f, "02 40 20 06 00 0a 00 40 00 01 02");
	feed(&f, "02 40 10 04 00 03 04 05 06");
	assert_int_equal(f.sdus, 0);
	feed(&f, "02 40 10 04 00 07 08 09 0a");
	assert_int_equal(f.sdus, 1);
	assert_int_equal(f.sdu_len, 10);
	int logs = f.logs;
	feed(&f, "02 40 10 02 00 aa bb");
	assert_int_equal(f.logs, logs + 1);
	assert_int_equal(f.sdus, 1);
	/* ACL for a handle we do not know: logged, ignored */
	feed(&f, "02 41 20 05 00 01 00 40 00 aa");
	assert_int_equal(f.logs, logs + 2);
	/* an L2CAP length of 0xfffe (found by fuzz_host: it wrapped the 16-bit total) is dropped */
	feed(&f, "02 40 20 08 00 fe ff 05 00 12 03 08 00");
	assert_int_equal(f.logs, logs + 3);
	assert_int_equal(f.sdus, 1);
	stop(&f);
}

static void test_controller_credits_respected_and_returned(void **state)
{
	(void)state;
	struct fake f;
	start(&f, 0);
	uint8_t sdu[40] = { 0 };
	/* 44 octets -> 2 fragments of <= 27 each; the controller has 2 buffers */
	assert_int_equal(ps_host_l2cap_send(f.h, 0x0040, 0x0040, sdu, sizeof sdu), 0);
	assert_int_equal(ps_host_l2cap_send(f.h, 0x0040, 0x0040, sdu, sizeof sdu), 0);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.pkt[0][2] >> 4, 0x0); /* PB 00 */
	assert_int_equal(f.pkt[1][2] >> 4, 0x1); /* PB 01 */
	assert_int_equal(ps_host_tx_pending(f.h, 0x0040), 4);
	feed(&f, "04 13 05 01 40 00 01 00");
	assert_int_equal(f.n, 3);
	assert_int_equal(ps_host_tx_pending(f.h, 0x0040), 3);
	/* disconnection returns the link's credits */
	feed(&f, "04 05 04 00 40 00 13");
	assert_int_equal(ps_host_tx_pending(f.h, 0x0040), 0);
	feed(&f, "04 3e 13 01 00 41 00 00 01 0b 44 33 22 11 c0 18 00 00 00 90 01 00");
	int n = f.n;
	assert_int_equal(ps_host_l2cap_send(f.h, 0x0041, 0x0040, sdu, sizeof sdu), 0);
	assert_int_equal(f.n, n + 2);
	stop(&f);
}

/* skip_init_reads (fault reproduction of a half-initialised host): no LE Set Event Mask, no buffer-size
 * reads, no LE local features; still works with the §7.8.2 minimum (27 octets, one packet in flight). */
static void test_skip_init_reads_half_init_minimal_buffers(void **state)
{
	(void)state;
	struct fake f;
	memset(&f, 0, sizeof f);
	f.ready = -1;
	struct ps_host_ops ops = { .ctx = &f, .send = f_send };
	struct ps_host_cb cb = { .ctx = &f, .ready = f_ready, .log = f_log };
	struct ps_host_config cfg = { .has_random = true, .random_addr = { 1, 2, 3, 4, 5, 0xc6 },
				      .skip_init_reads = true };
	assert_int_equal(ps_host_new(&f.h, &ops, &cb, &cfg), 0);
	ps_host_start(f.h);
	settle(&f);
	assert_int_equal(f.ready, 0);
	const uint16_t want[] = { 0x0c03, 0x1001, 0x1002, 0x1009, 0x0c01, 0x2005 };
	assert_int_equal(f.n, 6);
	for (int i = 0; i < 6; i++)
		assert_int_equal(f.pkt[i][1] | f.pkt[i][2] << 8, want[i]);
	feed(&f, "04 3e 13 01 00 40 00 00 01 0b 44 33 22 11 c0 18 00 00 00 90 01 00");
	f.n = f.answered = 0;
	uint8_t sdu[40] = { 0 };
	/* 44 octets: a 27-octet start fragment, the rest waits for the one buffer to come back */
	assert_int_equal(ps_host_l2cap_send(f.h, 0x0040, 0x0040, sdu, sizeof sdu), 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.len[0], 1 + 4 + 27);
	assert_int_equal(f.pkt[0][2] >> 4, 0x0); /* PB 00 */
	feed(&f, "04 13 05 01 40 00 01 00");
	assert_int_equal(f.n, 2);
	assert_int_equal(f.len[1], 1 + 4 + 17);
	assert_int_equal(f.pkt[1][2] >> 4, 0x1); /* PB 01 */
	feed(&f, "04 13 05 01 40 00 01 00");
	assert_int_equal(ps_host_tx_pending(f.h, 0x0040), 0);
	assert_int_equal(f.logs, 0);
	stop(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_sequence_order_and_credits),
		cmocka_unit_test(test_sig_unknown_code_command_reject),
		cmocka_unit_test(test_sig_conn_param_request_central_accepts_then_updates),
		cmocka_unit_test(test_sig_conn_param_request_out_of_range_rejected),
		cmocka_unit_test(test_sig_conn_param_request_to_peripheral_rejected),
		cmocka_unit_test(test_att_minimal_server),
		cmocka_unit_test(test_reassembly_three_fragments_and_stray_continuation),
		cmocka_unit_test(test_controller_credits_respected_and_returned),
		cmocka_unit_test(test_skip_init_reads_half_init_minimal_buffers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
