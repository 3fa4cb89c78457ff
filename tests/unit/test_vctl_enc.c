/* Virtual controller encryption and faults, through two hosts in process (Core Vol 6 Part B §5.1.3,
 * Vol 6 Part E): key mismatch -> MIC failure, negative reply -> PIN or Key Missing, refresh -> Key
 * Refresh Complete, and the fault hooks (drop, duplicate, reorder, delayed NOCP, late Encryption Change,
 * forced MIC failure), supervision timeout, fragmentation. */
#include "simdev.h"

static void encrypt(struct simenv *e, struct dev d[2])
{
	assert_int_equal(ps_host_start_encryption(d[0].h, d[0].info.handle, 0, 0, d[1].ltk), 0);
	assert_int_equal(ps_sim_run_until(e->s, both_encrypted, d, 1000000), 0);
	assert_int_equal(d[0].enc_status, 0);
	assert_int_equal(d[1].enc_status, 0);
}

static void send_sdu(struct dev *d, uint8_t tag, size_t len)
{
	uint8_t b[600];
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(tag + i);
	assert_int_equal(ps_host_l2cap_send(d->h, d->info.handle, 0x0040, b, len), 0);
}

static void test_key_mismatch_mic_failure_0x3d_then_peer_timeout_0x08(void **state)
{
	(void)state;
	struct simenv e;
	sim_open(&e, NULL);
	struct dev d[2];
	pair_up(e.s, d, true);
	uint8_t wrong[16] = { 1 };
	assert_int_equal(ps_host_start_encryption(d[0].h, d[0].info.handle, 0, 0, wrong), 0);
	assert_int_equal(ps_sim_run(e.s, 100000), 0);
	assert_int_equal(d[1].disc_reason, 0x3d); /* the peripheral's LL detects the bad MIC */
	assert_int_equal(d[0].disc_reason, -1);
	assert_int_equal(ps_sim_run(e.s, 5000000), 0); /* 4 s supervision timeout, no wall time */
	assert_int_equal(d[0].disc_reason, 0x08);
	struct ps_vctl_stats st;
	ps_vctl_get_stats(d[1].c, &st);
	assert_int_equal(st.mic_failures, 1);
	sim_close(&e);
}

static void test_negative_reply_encryption_change_0x06_to_central(void **state)
{
	(void)state;
	struct simenv e;
	sim_open(&e, NULL);
	struct dev d[2];
	pair_up(e.s, d, true);
	d[1].reply_ltk = false;
	assert_int_equal(ps_host_start_encryption(d[0].h, d[0].info.handle, 0, 0, d[1].ltk), 0);
	assert_int_equal(ps_sim_run(e.s, 100000), 0);
	assert_int_equal(d[1].ltk_requests, 1);
	assert_int_equal(d[0].enc_status, 0x06);
	assert_int_equal(d[0].enc_enabled, 0);
	assert_int_equal(d[1].enc_count, 0);
	/* the link still works, unencrypted */
	send_sdu(&d[0], 0x30, 40);
	assert_int_equal(ps_sim_run(e.s, 100000), 0);
	assert_int_equal(d[1].rx_sdus, 1);
	sim_close(&e);
}

static void test_refresh_key_refresh_complete_both_sides(void **state)
{
	(void)state;
	struct simenv e;
	sim_open(&e, NULL);
	struct dev d[2];
	pair_up(e.s, d, true);
	encrypt(&e, d);
	d[0].enc_status = d[1].enc_status = -1;
	assert_int_equal(ps_host_start_encryption(d[0].h, d[0].info.handle, 7, 7, d[1].ltk), 0);
	assert_int_equal(ps_sim_run_until(e.s, both_encrypted, d, 1000000), 0);
	assert_int_equal(d[0].enc_status, 0);
	assert_true(d[0].enc_refresh);
	assert_true(d[1].enc_refresh);
	assert_int_equal(d[1].ltk_requests, 2);
	send_sdu(&d[1], 0x50, 300);
	assert_int_equal(ps_sim_run(e.s, 100000), 0);
	assert_int_equal(d[0].rx_sdus, 1);
	assert_int_equal(d[0].rx_last_len, 300);
	sim_close(&e);
}

static void test_fragmentation_500_octets_encrypted_ll27(void **state)
{
	(void)state;
	struct simenv e;
	sim_open(&e, NULL);
	struct dev d[2];
	pair_up(e.s, d, true);
	encrypt(&e, d);
	send_sdu(&d[0], 0x11, 500);
	assert_int_equal(ps_sim_run(e.s, 100000), 0);
	assert_int_equal(d[1].rx_sdus, 1);
	assert_int_equal(d[1].rx_last_len, 500);
	assert_int_equal(d[1].rx_last[499], (uint8_t)(0x11 + 499));
	assert_int_equal(ps_host_tx_pending(d[0].h, d[0].info.handle), 0);
	sim_close(&e);
}

static void test_fault_drop_duplicate_reorder(void **state)
{
	(void)state;
	struct simenv e;
	sim_open(&e, NULL);
	struct dev d[2];
	pair_up(e.s, d, true);
	encrypt(&e, d);
	struct ps_vctl_faults f = { .drop = 1 };
	ps_vctl_set_faults(d[0].c, &f);
	send_sdu(&d[0], 0x01, 10);
	assert_int_equal(ps_sim_run(e.s, 100000), 0);
	assert_int_equal(d[1].rx_sdus, 0);
	assert_int_equal(ps_host_tx_pending(d[0].h, d[0].info.handle), 0); /* the sender counts it sent */
	f = (struct ps_vctl_faults){ .duplicate = 1 };
	ps_vctl_set_faults(d[0].c, &f);
	send_sdu(&d[0], 0x02, 10);
	assert_int_equal(ps_sim_run(e.s, 100000), 0);
	assert_int_equal(d[1].rx_sdus, 2);
	f = (struct ps_vctl_faults){ .reorder = 1 };
	ps_vctl_set_faults(d[0].c, &f);
	send_sdu(&d[0], 0xa0, 10);
	send_sdu(&d[0], 0xb0, 10);
	assert_int_equal(ps_sim_run(e.s, 100000), 0);
	assert_int_equal(d[1].rx_sdus, 4);
	assert_int_equal(d[1].rx_last[0], 0xa0); /* B arrived first, then A */
	assert_int_equal(d[1].disc_reason, -1); /* counters stay in step: no MIC failure */
	sim_close(&e);
}

static void test_fault_delayed_nocp_holds_pending(void **state)
{
	(void)state;
	struct simenv e;
	sim_open(&e, NULL);
	struct dev d[2];
	pair_up(e.s, d, true);
	struct ps_vctl_faults f = { .nocp_delay_us = 1000000 };
	ps_vctl_set_faults(d[0].c, &f);
	send_sdu(&d[0], 0x01, 60);
	assert_int_equal(ps_sim_run(e.s, 10000), 0);
	assert_int_equal(d[1].rx_sdus, 1);
	assert_int_equal(ps_host_tx_pending(d[0].h, d[0].info.handle), 1);
	assert_int_equal(ps_sim_run(e.s, 1000000), 0);
	assert_int_equal(ps_host_tx_pending(d[0].h, d[0].info.handle), 0);
	assert_int_equal(d[0].tx_pending, 0);
	sim_close(&e);
}

static void test_fault_acl_before_encryption_change(void **state)
{
	(void)state;
	struct simenv e;
	sim_open(&e, NULL);
	struct dev d[2];
	pair_up(e.s, d, true);
	d[1].send_on_enc = true; /* the peripheral speaks as soon as it is told */
	struct ps_vctl_faults f = { .enc_change_delay_us = 50000 };
	ps_vctl_set_faults(d[0].c, &f);
	encrypt(&e, d);
	assert_int_equal(d[0].acl_before_enc, 1);
	/* and without the fault, Encryption Change comes first */
	sim_close(&e);
	sim_open(&e, NULL);
	pair_up(e.s, d, true);
	d[1].send_on_enc = true;
	encrypt(&e, d);
	assert_int_equal(ps_sim_run(e.s, 10000), 0);
	assert_int_equal(d[0].rx_sdus, 1);
	assert_int_equal(d[0].acl_before_enc, 0);
	sim_close(&e);
}

static void test_fault_forced_mic_failure(void **state)
{
	(void)state;
	struct simenv e;
	sim_open(&e, NULL);
	struct dev d[2];
	pair_up(e.s, d, true);
	encrypt(&e, d);
	struct ps_vctl_faults f = { .mic_fail = 1 };
	ps_vctl_set_faults(d[0].c, &f);
	send_sdu(&d[0], 0x01, 10);
	assert_int_equal(ps_sim_run(e.s, 10000), 0);
	assert_int_equal(d[1].disc_reason, 0x3d);
	sim_close(&e);
}

static void test_peer_reset_supervision_timeout_0x08(void **state)
{
	(void)state;
	struct simenv e;
	sim_open(&e, NULL);
	struct dev d[2];
	pair_up(e.s, d, true);
	const uint8_t reset[] = { 0x01, 0x03, 0x0c, 0x00 };
	ps_vctl_receive_h4(d[1].c, reset, sizeof reset);
	assert_int_equal(ps_sim_run(e.s, 3000000), 0);
	assert_int_equal(d[0].disc_reason, -1);
	assert_int_equal(ps_sim_run(e.s, 2000000), 0);
	assert_int_equal(d[0].disc_reason, 0x08);
	sim_close(&e);
}

static void test_host_ignoring_credits_gets_data_buffer_overflow(void **state)
{
	(void)state;
	struct simenv e;
	sim_open(&e, NULL);
	struct dev d[2];
	pair_up(e.s, d, true);
	/* nine packets straight into a controller with eight buffers, no NOCP in between */
	uint8_t acl[] = { 0x02, 0, 0, 0x06, 0x00, 0x02, 0x00, 0x40, 0x00, 0xe0, 0x01 };
	acl[1] = (uint8_t)d[0].info.handle;
	acl[2] = (uint8_t)(d[0].info.handle >> 8);
	for (int i = 0; i < 9; i++)
		ps_vctl_receive_h4(d[0].c, acl, sizeof acl);
	assert_int_equal(ps_sim_run(e.s, 10000), 0);
	struct ps_vctl_stats st;
	ps_vctl_get_stats(d[0].c, &st);
	assert_int_equal(st.acl_overflow, 1);
	assert_int_equal(d[1].rx_sdus, 8);
	/* and the controller recovers: the host's own traffic still flows */
	send_sdu(&d[0], 0x01, 10);
	assert_int_equal(ps_sim_run(e.s, 10000), 0);
	assert_int_equal(d[1].rx_sdus, 9);
	sim_close(&e);
}

static void test_data_length_251_one_pdu_per_fragment(void **state)
{
	(void)state;
	struct simenv e;
	sim_open(&e, NULL);
	struct dev d[2];
	pair_up(e.s, d, true);
	struct ps_vctl_stats a, b;
	/* default 27-octet LL PDUs: a 498-octet SDU (502 with its header, two 251-octet ACL fragments)
	 * takes 10 + 10 PDUs */
	ps_vctl_get_stats(d[0].c, &a);
	send_sdu(&d[0], 0x01, 498);
	assert_int_equal(ps_sim_run(e.s, 10000), 0);
	ps_vctl_get_stats(d[0].c, &b);
	assert_int_equal(b.pdus_tx - a.pdus_tx, 20);
	/* LE Set Data Length 251 on the central's side: then one PDU per fragment */
	uint8_t p[6] = { (uint8_t)d[0].info.handle, (uint8_t)(d[0].info.handle >> 8), 0xfb, 0x00, 0x48, 0x08 };
	assert_int_equal(ps_host_command(d[0].h, 0x2022, p, sizeof p), 0);
	assert_int_equal(ps_sim_run(e.s, 10000), 0);
	ps_vctl_get_stats(d[0].c, &a);
	send_sdu(&d[0], 0x02, 498);
	assert_int_equal(ps_sim_run(e.s, 10000), 0);
	ps_vctl_get_stats(d[0].c, &b);
	assert_int_equal(b.pdus_tx - a.pdus_tx, 2);
	assert_int_equal(d[1].rx_sdus, 2);
	assert_int_equal(d[1].rx_last_len, 498);
	sim_close(&e);
}

static void test_scan_reports_advertiser(void **state)
{
	(void)state;
	struct simenv e;
	sim_open(&e, NULL);
	struct dev d[2];
	dev_init(&d[0]);
	dev_init(&d[1]);
	dev_add(e.s, &d[0], NULL, false);
	dev_add(e.s, &d[1], NULL, false);
	ps_host_start(d[0].h);
	ps_host_start(d[1].h);
	assert_int_equal(ps_sim_run_until(e.s, both_ready, d, 1000000), 0);
	struct ps_host_adv adv = { .interval_min = 0xa0, .interval_max = 0xa0 };
	ps_host_advertise(d[1].h, &adv);
	ps_host_scan(d[0].h, true);
	assert_int_equal(ps_sim_run(e.s, 1000000), 0);
	/* ADV_IND + SCAN_RSP every 100 ms for a second */
	assert_true(d[0].adv_reports >= 18);
	sim_close(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_mismatch_mic_failure_0x3d_then_peer_timeout_0x08),
		cmocka_unit_test(test_negative_reply_encryption_change_0x06_to_central),
		cmocka_unit_test(test_refresh_key_refresh_complete_both_sides),
		cmocka_unit_test(test_fragmentation_500_octets_encrypted_ll27),
		cmocka_unit_test(test_fault_drop_duplicate_reorder),
		cmocka_unit_test(test_fault_delayed_nocp_holds_pending),
		cmocka_unit_test(test_fault_acl_before_encryption_change),
		cmocka_unit_test(test_fault_forced_mic_failure),
		cmocka_unit_test(test_peer_reset_supervision_timeout_0x08),
		cmocka_unit_test(test_host_ignoring_credits_gets_data_buffer_overflow),
		cmocka_unit_test(test_data_length_251_one_pdu_per_fragment),
		cmocka_unit_test(test_scan_reports_advertiser),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
