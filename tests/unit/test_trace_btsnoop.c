/* btsnoop reader: the seed in datalinks 2001 and 1002, synthetic 1001 (H1), Android truncation, every
 * monitor opcode, standard input and pipes, and records across the 1 MiB block boundary. */
#include "trace_fixture.h"
#include <unistd.h>

static void test_seed_2001_three_index_records_then_41_hci(void **state)
{
	(void)state;
	struct got *g = read_path(ps_test_path("tests/data/seed.btsnoop"));
	assert_int_equal(g->end_rc, -PS_EOF);
	assert_int_equal(g->damage, 0);
	assert_int_equal(g->datalink, 2001);
	assert_int_equal(g->fmt, PS_TRACE_BTSNOOP);
	assert_int_equal(g->n, 44);
	assert_int_equal(g->f[0].opcode, PS_MON_NEW_INDEX);
	assert_int_equal(g->f[1].opcode, PS_MON_OPEN_INDEX);
	assert_int_equal(g->f[2].opcode, PS_MON_INDEX_INFO);
	assert_int_equal(g->f[0].offset, 16);
	assert_int_equal(g->f[0].number, 1);
	assert_true(g->f[0].ts_us == 1562846400000000ull);
	/* New Index: type 0, bus 3, address B8:27:EB:15:50:70 (wire order), name hci0. */
	assert_int_equal(g->f[0].len, 16);
	assert_memory_equal(g->f[0].data + 2, "\x70\x50\x15\xeb\x27\xb8hci0", 10);
	/* First HCI packet: Reset. */
	const struct ps_frame *r = &g->f[3];
	assert_int_equal(r->opcode, PS_MON_COMMAND);
	assert_int_equal(r->index, 0);
	assert_int_equal(r->len, 3);
	assert_memory_equal(r->data, "\x03\x0c\x00", 3);
	assert_true(r->ts_us == 1562846698154979ull);
	assert_int_equal(r->number, 4);
	assert_int_equal(r->flags & PS_FRAME_NO_INDEX, 0);
	assert_int_equal(g->f[4].opcode, PS_MON_EVENT);
	got_free(g);
}

static void test_seed_h4_1002_same_packets_as_2001(void **state)
{
	(void)state;
	struct got *m = read_path(ps_test_path("tests/data/seed.btsnoop"));
	struct got *h = read_path(ps_test_path("tests/data/seed-h4.btsnoop"));
	assert_int_equal(h->damage, 0);
	assert_int_equal(h->datalink, 1002);
	assert_int_equal(h->n, 41);
	for (int i = 0; i < 41; i++) {
		const struct ps_frame *a = &m->f[i + 3], *b = &h->f[i];
		assert_int_equal(a->opcode, b->opcode);
		assert_int_equal(a->len, b->len);
		assert_int_equal(a->orig_len, b->orig_len);
		assert_memory_equal(a->data, b->data, a->len);
		assert_true(a->ts_us == b->ts_us);
		assert_true(b->flags & PS_FRAME_NO_INDEX);
	}
	got_free(m);
	got_free(h);
}

static void test_h1_1001_type_and_direction_from_flags(void **state)
{
	(void)state;
	struct tbuf b = { 0 };
	bs_header(&b, 1001);
	bs_rec(&b, 3, 3, 2, T0, "\x03\x0c\x00", 3);             /* command */
	bs_rec(&b, 2, 2, 3, T0 + 1, "\x13\x00", 2);             /* event */
	bs_rec(&b, 4, 4, 0, T0 + 2, "\x40\x00\x00\x00", 4);     /* ACL host -> controller */
	bs_rec(&b, 4, 4, 1, T0 + 3, "\x40\x20\x00\x00", 4);     /* ACL controller -> host */
	struct got *g = read_mem(b.p, b.len);
	assert_int_equal(g->n, 4);
	assert_int_equal(g->damage, 0);
	assert_int_equal(g->datalink, 1001);
	assert_int_equal(g->f[0].opcode, PS_MON_COMMAND);
	assert_int_equal(g->f[1].opcode, PS_MON_EVENT);
	assert_int_equal(g->f[2].opcode, PS_MON_ACL_TX);
	assert_int_equal(g->f[3].opcode, PS_MON_ACL_RX);
	assert_int_equal(g->f[0].len, 3); /* H1 has no type octet to strip */
	assert_true(g->f[3].ts_us == T0 + 3);
	assert_true(g->f[0].flags & PS_FRAME_NO_INDEX);
	got_free(g);
	free(b.p);
}

/* Android's filtered snoop keeps a record's start (incl < orig), and a killed writer cuts the last one. */
static void test_android_1002_truncated_records_and_cut_last_record(void **state)
{
	(void)state;
	struct tbuf b = { 0 };
	bs_header(&b, 1002);
	bs_rec(&b, 4, 4, 2, T0, "\x01\x03\x0c\x00", 4);
	bs_rec(&b, 205, 9, 1, T0 + 5, "\x02\x40\x20\xc8\x00\xc4\x00\x04\x00", 9); /* ACL, 200 bytes kept as 8 */
	bs_rec(&b, 10, 2, 1, T0 + 6, "\x02\x40", 2);
	bs_rec(&b, 30, 30, 3, T0 + 9, "\x04\x0e\x04\x01\x03", 5); /* header says 30, file ends after 5 */
	struct got *g = read_mem(b.p, b.len);
	assert_int_equal(g->n, 4);
	assert_int_equal(g->end_rc, -PS_EOF);
	assert_int_equal(g->f[1].opcode, PS_MON_ACL_RX);
	assert_true(g->f[1].flags & PS_FRAME_TRUNCATED);
	assert_int_equal(g->f[1].len, 8);
	assert_int_equal(g->f[1].orig_len, 204);
	assert_true(g->f[2].flags & PS_FRAME_TRUNCATED); /* ACL header cut: still a frame */
	assert_int_equal(g->f[3].opcode, PS_MON_EVENT);
	assert_true(g->f[3].flags & PS_FRAME_TRUNCATED);
	assert_int_equal(g->f[3].len, 4);
	/* Only the cut last record is damage; incl < orig is Android's normal. */
	assert_int_equal(g->damage, 1);
	assert_int_equal(g->nd, 1);
	assert_int_equal(g->d[0].code, -PS_ETRUNC);
	assert_int_equal(g->d[0].number, 4);
	assert_int_equal(g->d[0].offset, 16 + 28 + 33 + 26);
	got_free(g);
	free(b.p);
}

static void test_monitor_2001_every_opcode_and_system_index(void **state)
{
	(void)state;
	struct tbuf b = { 0 };
	bs_header(&b, 2001);
	for (uint32_t op = 0; op <= 20; op++)
		bs_rec(&b, 1, 1, (op == 12 || op == 13 ? 0xffffu : 1u) << 16 | op, T0 + op, "x", 1);
	struct got *g = read_mem(b.p, b.len);
	assert_int_equal(g->n, 21);
	assert_int_equal(g->damage, 0);
	for (int op = 0; op < 20; op++)
		assert_int_equal(g->f[op].opcode, op);
	assert_int_equal(g->f[20].opcode, PS_MON_UNKNOWN);
	assert_int_equal(g->f[12].index, PS_INDEX_NONE);
	assert_int_equal(g->f[13].index, PS_INDEX_NONE);
	assert_int_equal(g->f[2].index, 1);
	got_free(g);
	free(b.p);
}

static void test_dash_reads_standard_input(void **state)
{
	(void)state;
	assert_non_null(freopen(ps_test_path("tests/data/seed-h4.btsnoop"), "rb", stdin));
	struct got *g = read_path("-");
	assert_int_equal(g->n, 41);
	assert_int_equal(g->damage, 0);
	got_free(g);
}

/* A pipe cannot seek: the sniffed prefix must be replayed, not re-read. */
static void test_pipe_stream_reads_whole_trace(void **state)
{
	(void)state;
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "cat '%s'", ps_test_path("tests/data/seed.btsnoop"));
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct got *g = calloc(1, sizeof *g);
	struct ps_trace_opts o = { .on_diag = on_diag, .diag_ctx = g };
	struct ps_trace *t;
	assert_int_equal(ps_trace_open_stream(&t, p, "pipe", &o, NULL, 0), 0);
	drain(t, g);
	pclose(p);
	assert_int_equal(g->n, 44);
	got_free(g);
}

/* 3 MiB of records of every size from 1 to 2000 bytes: the block refill must never split a record. */
static void test_records_across_block_boundaries(void **state)
{
	(void)state;
	struct tbuf b = { 0 };
	uint8_t data[2000];
	bs_header(&b, 2001);
	size_t count = 0;
	uint64_t sum = 0;
	while (b.len < (3u << 20)) {
		size_t n = 1 + (count * 7919) % 2000;
		for (size_t i = 0; i < n; i++)
			data[i] = (uint8_t)(count + i);
		bs_rec(&b, (uint32_t)n, (uint32_t)n, 5, T0 + count, data, n);
		sum += n;
		count++;
	}
	FILE *f = fmemopen(b.p, b.len, "rb");
	struct ps_trace *t;
	assert_int_equal(ps_trace_open_stream(&t, f, "mem", NULL, NULL, 0), 0);
	struct ps_frame fr;
	size_t got = 0;
	uint64_t gotsum = 0;
	while (ps_trace_next(t, &fr) == 0) {
		size_t n = 1 + (got * 7919) % 2000;
		assert_int_equal(fr.len, n);
		assert_int_equal(fr.data[0], (uint8_t)got);
		assert_int_equal(fr.data[n - 1], (uint8_t)(got + n - 1));
		assert_true(fr.ts_us == T0 + got);
		gotsum += fr.len;
		got++;
	}
	assert_int_equal(got, count);
	assert_true(gotsum == sum);
	assert_int_equal(ps_trace_damage(t), 0);
	ps_trace_free(t);
	fclose(f);
	free(b.p);
}

static void test_missing_file_names_it(void **state)
{
	(void)state;
	struct ps_trace *t;
	char err[300];
	assert_int_equal(ps_trace_open(&t, "/nonexistent/x.btsnoop", NULL, err, sizeof err), -PS_ENOENT);
	assert_non_null(strstr(err, "/nonexistent/x.btsnoop"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_2001_three_index_records_then_41_hci),
		cmocka_unit_test(test_seed_h4_1002_same_packets_as_2001),
		cmocka_unit_test(test_h1_1001_type_and_direction_from_flags),
		cmocka_unit_test(test_android_1002_truncated_records_and_cut_last_record),
		cmocka_unit_test(test_monitor_2001_every_opcode_and_system_index),
		cmocka_unit_test(test_dash_reads_standard_input),
		cmocka_unit_test(test_pipe_stream_reads_whole_trace),
		cmocka_unit_test(test_records_across_block_boundaries),
		cmocka_unit_test(test_missing_file_names_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
