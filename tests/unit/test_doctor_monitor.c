/* The monitor's index records (proto/monitor.def) name the local controller's address: New Index
 * (type bus bdaddr name) and Index Info (bdaddr manufacturer), decoded with the generated layouts. A
 * pairing on a link whose local address HCI never states takes it from there. */
#include "test_doctor_tb.h"

static const uint8_t ni_addr[6] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06 };   /* 06:05:04:03:02:01 */
static const uint8_t info_addr[6] = { 0x11, 0x12, 0x13, 0x14, 0x15, 0x16 }; /* 16:15:14:13:12:11 */
static const uint8_t peer[6] = { 0x0b, 0x44, 0x33, 0x22, 0x11, 0xc0 };

/* Index records, a connection as central with a public own address, one Pairing Request. */
static char *run(struct tb *t, bool info, size_t ni_len)
{
	tb_init(t);
	struct ps_mon_new_index ni = { 0, 1, { 0 }, "hci0" };
	memcpy(ni.bdaddr, ni_addr, 6);
	uint8_t tmp[16];
	size_t len = 0;
	assert_int_equal(ps_layout_encode(ps_mon_layout(PS_MON_NEW_INDEX), &ni, tmp, sizeof tmp, &len), 0);
	assert_int_equal(len, 16);
	memcpy(tb_push(t, PS_MON_NEW_INDEX, ni_len, 0), tmp, ni_len);
	if (info) {
		struct ps_mon_index_info ii = { { 0 }, 0x000f };
		memcpy(ii.bdaddr, info_addr, 6);
		assert_int_equal(ps_layout_encode(ps_mon_layout(PS_MON_INDEX_INFO), &ii, tmp, sizeof tmp, &len), 0);
		assert_int_equal(len, 8);
		memcpy(tb_push(t, PS_MON_INDEX_INFO, len, 0), tmp, len);
	}
	struct ps_hci_cmd_le_create_conn c;
	memset(&c, 0, sizeof c);
	c.peer_addr_type = 1;
	memcpy(c.peer_addr, peer, 6);
	c.min_interval = c.max_interval = 0x28;
	c.supv_timeout = 0x2a;
	tb_cmd(t, ps_hci_cmd_le_create_conn_code, &c);
	struct ps_le_evt_conn_complete cc;
	memset(&cc, 0, sizeof cc);
	cc.handle = 0x40;
	cc.peer_addr_type = 1;
	memcpy(cc.peer_addr, peer, 6);
	cc.interval = 0x28;
	cc.supv_timeout = 0x2a;
	tb_le_evt(t, ps_le_evt_conn_complete_code, &cc);
	struct ps_smp_pairing_req rq = { 3, 0, 1, 16, 7, 7 };
	tb_smp(t, true, 0x40, 0x01, &rq, 1000);
	struct ps_doctor *d = tb_diagnose(t, NULL);
	char *j = tb_json(d);
	ps_doctor_free(d);
	return j;
}

static void test_new_index_names_local_address(void **state)
{
	(void)state;
	static struct tb t;
	char *j = run(&t, false, 16);
	if (!strstr(j, "\"initiator\": {\"address\": \"06:05:04:03:02:01\", \"address_type\": \"public\", \"local\": true"))
		fail_msg("New Index address not used:\n%s", j);
	free(j);
}

static void test_index_info_overrides_new_index(void **state)
{
	(void)state;
	static struct tb t;
	char *j = run(&t, true, 16);
	if (!strstr(j, "\"initiator\": {\"address\": \"16:15:14:13:12:11\""))
		fail_msg("Index Info address not used:\n%s", j);
	free(j);
}

/* A New Index cut short (8 of 16 octets) is not trusted: the local address stays unknown. */
static void test_short_new_index_ignored(void **state)
{
	(void)state;
	static struct tb t;
	char *j = run(&t, false, 8);
	if (!strstr(j, "\"initiator\": {\"address\": null"))
		fail_msg("short New Index used:\n%s", j);
	free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_index_names_local_address),
		cmocka_unit_test(test_index_info_overrides_new_index),
		cmocka_unit_test(test_short_new_index_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
