/* Damaged captures: each problem is reported with its frame number and byte offset, counted, and
 * reading goes on where it can; problems that leave nothing to read fail the open with a message. */
#include "trace_fixture.h"

static void test_wrong_magic_fails_open_naming_offset_and_expectation(void **state)
{
	(void)state;
	char err[300];
	assert_int_equal(open_fails("btsnoap\0\0\0\0\1\0\0\7\xd1", 16, err, sizeof err), -PS_EBADDATA);
	assert_non_null(strstr(err, "mem"));
	assert_non_null(strstr(err, "offset 0"));
	assert_non_null(strstr(err, "expected"));
}

static void test_empty_input_fails_open(void **state)
{
	(void)state;
	char err[300];
	assert_int_equal(open_fails("", 0, err, sizeof err), -PS_EBADDATA);
	assert_non_null(strstr(err, "empty"));
}

static void test_btsnoop_header_cut_short_fails_open(void **state)
{
	(void)state;
	char err[300];
	assert_int_equal(open_fails("btsnoop\0\0\0", 10, err, sizeof err), -PS_ETRUNC);
	assert_non_null(strstr(err, "10 of 16"));
}

static void test_truncated_record_header_at_end(void **state)
{
	(void)state;
	struct tbuf b = { 0 };
	bs_header(&b, 2001);
	bs_rec(&b, 3, 3, 2, T0, "\x03\x0c\x00", 3);
	tb_put(&b, "\0\0\0\3\0\0\0\3\0\0", 10);
	struct got *g = read_mem(b.p, b.len);
	assert_int_equal(g->n, 1);
	assert_int_equal(g->damage, 1);
	assert_int_equal(g->d[0].code, -PS_ETRUNC);
	assert_int_equal(g->d[0].number, 2);
	assert_int_equal(g->d[0].offset, 16 + 27);
	assert_non_null(strstr(g->d[0].msg, "10 of 24"));
	got_free(g);
	free(b.p);
}

/* A record length over 64 KiB is a lie: report it and find the next plausible record. */
static void test_record_length_over_64k_resyncs_to_next_record(void **state)
{
	(void)state;
	struct tbuf b = { 0 };
	bs_header(&b, 2001);
	bs_rec(&b, 3, 3, 2, T0, "\x03\x0c\x00", 3);
	bs_rec(&b, 0x01000000, 0x01000000, 3, T0 + 1, "\x0e\x04\x01\x03\x0c\x00", 6);
	bs_rec(&b, 3, 3, 2, T0 + 2, "\x01\x10\x00", 3);
	bs_rec(&b, 3, 3, 2, T0 + 3, "\x02\x10\x00", 3);
	struct got *g = read_mem(b.p, b.len);
	assert_int_equal(g->n, 3);
	assert_memory_equal(g->f[1].data, "\x01\x10\x00", 3);
	assert_memory_equal(g->f[2].data, "\x02\x10\x00", 3);
	assert_int_equal(g->damage, 2); /* the bad length, then the bytes skipped */
	assert_int_equal(g->d[0].number, 2);
	assert_int_equal(g->d[0].offset, 16 + 27);
	assert_non_null(strstr(g->d[0].msg, "64 KiB"));
	assert_int_equal(g->d[1].offset, 16 + 27 + 30);
	assert_int_equal(g->f[1].offset, 16 + 27 + 30);
	got_free(g);
	free(b.p);
}

static void test_record_length_past_end_of_file(void **state)
{
	(void)state;
	struct tbuf b = { 0 };
	bs_header(&b, 2001);
	bs_rec(&b, 3, 3, 2, T0, "\x03\x0c\x00", 3);
	bs_rec(&b, 60000, 60000, 5, T0 + 1, "\x40\x20", 2);
	struct got *g = read_mem(b.p, b.len);
	assert_int_equal(g->n, 2);
	assert_true(g->f[1].flags & PS_FRAME_TRUNCATED);
	assert_int_equal(g->f[1].len, 2);
	assert_int_equal(g->damage, 1);
	assert_int_equal(g->d[0].number, 2);
	assert_int_equal(g->d[0].offset, 43);
	assert_non_null(strstr(g->d[0].msg, "past the end"));
	got_free(g);
	free(b.p);
}

static void test_unknown_datalink_reports_and_passes_records_on(void **state)
{
	(void)state;
	struct tbuf b = { 0 };
	bs_header(&b, 1003);
	bs_rec(&b, 3, 3, 0, T0, "\xc0\x00\xc0", 3);
	struct got *g = read_mem(b.p, b.len);
	assert_int_equal(g->n, 1);
	assert_int_equal(g->f[0].opcode, PS_MON_UNKNOWN);
	assert_int_equal(g->damage, 1);
	assert_int_equal(g->d[0].offset, 12);
	assert_int_equal(g->d[0].code, -PS_EUNSUP);
	assert_non_null(strstr(g->d[0].msg, "1003"));
	got_free(g);
	free(b.p);
}

static void test_wrong_version_and_unknown_h4_type_go_on(void **state)
{
	(void)state;
	struct tbuf b = { 0 };
	tb_put(&b, "btsnoop\0\0\0\0\2\0\0\3\xea", 16);
	bs_rec(&b, 2, 2, 0, T0, "\x09\x00", 2);
	bs_rec(&b, 0, 0, 0, T0 + 1, "", 0);
	bs_rec(&b, 4, 4, 2, T0 + 2, "\x01\x03\x0c\x00", 4);
	struct got *g = read_mem(b.p, b.len);
	assert_int_equal(g->n, 3);
	assert_int_equal(g->f[0].opcode, PS_MON_UNKNOWN);
	assert_int_equal(g->f[1].opcode, PS_MON_UNKNOWN);
	assert_int_equal(g->f[2].opcode, PS_MON_COMMAND);
	assert_int_equal(g->damage, 3);
	assert_int_equal(g->d[0].offset, 8);
	assert_int_equal(g->d[1].number, 1);
	assert_non_null(strstr(g->d[1].msg, "0x09"));
	assert_int_equal(g->d[2].number, 2);
	got_free(g);
	free(b.p);
}

/* Garbage between two records (a writer that crashed mid-record and restarted). */
static void test_garbage_between_records_is_skipped(void **state)
{
	(void)state;
	struct tbuf b = { 0 };
	bs_header(&b, 1002);
	bs_rec(&b, 4, 4, 2, T0, "\x01\x03\x0c\x00", 4);
	for (int i = 0; i < 3000; i++)
		tb_put(&b, "\xff\xee", 2);
	bs_rec(&b, 4, 4, 2, T0 + 2, "\x01\x01\x10\x00", 4);
	struct got *g = read_mem(b.p, b.len);
	assert_int_equal(g->n, 2);
	assert_memory_equal(g->f[1].data, "\x01\x10\x00", 3);
	assert_int_equal(g->damage, 2);
	assert_int_equal(g->d[1].offset, 16 + 28 + 6000);
	got_free(g);
	free(b.p);
}

static void test_pcap_truncated_last_record(void **state)
{
	(void)state;
	struct tbuf b = { 0 };
	tb_le(&b, 0xa1b2c3d4, 4), tb_le(&b, 2, 2), tb_le(&b, 4, 2), tb_le(&b, 0, 8), tb_le(&b, 65535, 4),
		tb_le(&b, 201, 4);
	tb_le(&b, 1, 4), tb_le(&b, 0, 4), tb_le(&b, 8, 4), tb_le(&b, 8, 4);
	tb_put(&b, "\0\0\0\0\x01\x03\x0c\x00", 8);
	tb_le(&b, 2, 4), tb_le(&b, 0, 4), tb_le(&b, 100, 4), tb_le(&b, 100, 4);
	tb_put(&b, "\0\0\0\1\x04", 5);
	struct got *g = read_mem(b.p, b.len);
	assert_int_equal(g->n, 1);
	assert_int_equal(g->damage, 1);
	assert_int_equal(g->d[0].number, 2);
	assert_int_equal(g->d[0].offset, 24 + 24);
	got_free(g);
	free(b.p);
}

static void test_pcap_unknown_link_type_reported(void **state)
{
	(void)state;
	struct tbuf b = { 0 };
	tb_le(&b, 0xa1b2c3d4, 4), tb_le(&b, 2, 2), tb_le(&b, 4, 2), tb_le(&b, 0, 8), tb_le(&b, 65535, 4),
		tb_le(&b, 1, 4);
	tb_le(&b, 1, 4), tb_le(&b, 0, 4), tb_le(&b, 4, 4), tb_le(&b, 4, 4);
	tb_put(&b, "abcd", 4);
	struct got *g = read_mem(b.p, b.len);
	assert_int_equal(g->n, 1);
	assert_int_equal(g->f[0].opcode, PS_MON_UNKNOWN);
	assert_int_equal(g->damage, 1);
	assert_non_null(strstr(g->d[0].msg, "link type 1"));
	got_free(g);
	free(b.p);
}

/* pcapng: a block whose length is not a multiple of 4 is skipped to the next block that checks out. */
static void test_pcapng_bad_block_length_resyncs(void **state)
{
	(void)state;
	size_t n;
	uint8_t *p = ps_test_read("tests/data/seed-h4.pcapng", &n);
	/* First EPB after SHB (28) and IDB (20): corrupt its length field. */
	p[48 + 4] = 0x03;
	struct got *g = read_mem(p, n);
	assert_int_equal(g->n, 40);
	assert_true(g->damage >= 2);
	assert_int_equal(g->d[0].offset, 48);
	assert_int_equal(g->f[0].opcode, PS_MON_EVENT); /* the Reset's Command Complete */
	got_free(g);
	free(p);
}

static void test_pcapng_truncated_last_block(void **state)
{
	(void)state;
	size_t n;
	uint8_t *p = ps_test_read("tests/data/seed-h4.pcapng", &n);
	struct got *g = read_mem(p, n - 10);
	assert_int_equal(g->n, 40);
	assert_int_equal(g->damage, 1);
	assert_non_null(strstr(g->d[0].msg, "past the end"));
	got_free(g);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrong_magic_fails_open_naming_offset_and_expectation),
		cmocka_unit_test(test_empty_input_fails_open),
		cmocka_unit_test(test_btsnoop_header_cut_short_fails_open),
		cmocka_unit_test(test_truncated_record_header_at_end),
		cmocka_unit_test(test_record_length_over_64k_resyncs_to_next_record),
		cmocka_unit_test(test_record_length_past_end_of_file),
		cmocka_unit_test(test_unknown_datalink_reports_and_passes_records_on),
		cmocka_unit_test(test_wrong_version_and_unknown_h4_type_go_on),
		cmocka_unit_test(test_garbage_between_records_is_skipped),
		cmocka_unit_test(test_pcap_truncated_last_record),
		cmocka_unit_test(test_pcap_unknown_link_type_reported),
		cmocka_unit_test(test_pcapng_bad_block_length_resyncs),
		cmocka_unit_test(test_pcapng_truncated_last_block),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
