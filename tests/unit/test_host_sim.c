/* Two of our hosts on two virtual controllers, in process: connect, the peripheral's L2CAP connection
 * parameter request answered by the central, encryption with a shared LTK, ATT MTU exchange,
 * disconnection; the btsnoop of the run must read cleanly in btmon and tshark. */
#include "simdev.h"
#include <stdlib.h>

static void test_seed_scenario_connect_update_encrypt_mtu_disconnect(void **state)
{
	(void)state;
	const char *path = "/tmp/pairscope-test-host-sim.btsnoop";
	struct simenv e;
	sim_open(&e, path);
	struct dev d[2];
	pair_up(e.s, d, false);
	uint16_t hc = d[0].info.handle, hp = d[1].info.handle;

	/* the peripheral asks over L2CAP, as the seed's sensor did */
	struct ps_host_conn_params want = { 24, 40, 0, 200 };
	assert_int_equal(ps_host_update_params(d[1].h, hp, &want), 0);
	assert_int_equal(ps_sim_run(e.s, 2000000), 0);
	assert_int_equal(d[1].param_rsp, 0);
	assert_int_equal(d[0].upd_status, 0);
	assert_int_equal(d[1].upd_status, 0);
	assert_int_equal(d[0].upd_interval, 24);
	assert_int_equal(d[1].upd_interval, 24);

	/* out-of-range request: rejected (result 1), nothing changes */
	struct ps_host_conn_params bad = { 40, 24, 0, 200 };
	d[1].param_rsp = -1;
	assert_int_equal(ps_host_update_params(d[1].h, hp, &bad), 0);
	assert_int_equal(ps_sim_run(e.s, 100000), 0);
	assert_int_equal(d[1].param_rsp, 1);

	/* encryption with a shared LTK */
	assert_int_equal(ps_host_start_encryption(d[0].h, hc, 0x1122334455667788ull, 0x1234, d[1].ltk), 0);
	assert_int_equal(ps_sim_run_until(e.s, both_encrypted, d, 1000000), 0);
	assert_int_equal(d[1].ltk_requests, 1);
	assert_int_equal(d[0].enc_status, 0);
	assert_int_equal(d[1].enc_status, 0);
	assert_int_equal(d[0].enc_enabled, 1);
	assert_true(ps_host_encrypted(d[0].h, hc));
	assert_true(ps_host_encrypted(d[1].h, hp));

	/* ATT MTU over the encrypted link: min(185, 247) */
	assert_int_equal(ps_host_att_exchange_mtu(d[0].h, hc), 0);
	assert_int_equal(ps_sim_run(e.s, 100000), 0);
	assert_int_equal(d[0].mtu, 185);
	assert_int_equal(d[1].mtu, 185);
	assert_int_equal(ps_host_tx_pending(d[0].h, hc), 0);

	assert_int_equal(ps_host_disconnect(d[0].h, hc, 0x13), 0);
	assert_int_equal(ps_sim_run_until(e.s, both_disconnected, d, 1000000), 0);
	assert_int_equal(d[0].disc_reason, 0x16);
	assert_int_equal(d[1].disc_reason, 0x13);
	sim_close(&e);

	/* the capture reads cleanly: btmon sees no unknown packet, tshark no malformed one */
	int rc;
	char *out = ps_test_run("command -v btmon >/dev/null && btmon -r /tmp/pairscope-test-host-sim.btsnoop 2>&1 "
				"| grep -ci -E 'unknown|malformed|invalid' || true", &rc);
	assert_int_equal(atoi(out), 0);
	free(out);
	out = ps_test_run("command -v btmon >/dev/null && btmon -r /tmp/pairscope-test-host-sim.btsnoop 2>&1 "
			  "| grep -c -E 'Encryption Change|Connection Update Complete|Exchange MTU' || echo 5", &rc);
	assert_true(atoi(out) >= 5);
	free(out);
	/* and so does our own decoder, once built: no unknown or malformed packet either */
	out = ps_test_run("test -x \"$PS_BIN\" && \"$PS_BIN\" decode /tmp/pairscope-test-host-sim.btsnoop 2>&1 "
			  "| grep -ci -E 'unknown|malformed' || true", &rc);
	assert_int_equal(atoi(out), 0);
	free(out);
	out = ps_test_run("command -v tshark >/dev/null && tshark -r /tmp/pairscope-test-host-sim.btsnoop 2>&1 "
			  "| grep -ci malformed || true", &rc);
	assert_int_equal(atoi(out), 0);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_scenario_connect_update_encrypt_mtu_disconnect),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
